package dev.hvspec.kvm;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * kvm_stat-style counters (Linux exposes them in debugfs/binary stats): exits by reason, exits
 * to userspace, io and mmio exits, halts, injected interrupts. One instance per vCPU and one per
 * VM (the sum).
 */
public final class KvmStats {
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private final KvmStats parent;

    KvmStats(KvmStats parent) {
        this.parent = parent;
    }

    void count(String name) {
        add(name, 1);
    }

    void add(String name, long delta) {
        counters.computeIfAbsent(name, n -> new AtomicLong()).addAndGet(delta);
        if (parent != null) {
            parent.add(name, delta);
        }
    }

    public long get(String name) {
        AtomicLong c = counters.get(name);
        return c == null ? 0 : c.get();
    }

    /** A sorted snapshot of all counters. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counters.forEach((k, v) -> copy.put(k, v.get()));
        return copy;
    }

    // Counter names, as kvm_stat shows them.
    public static final String EXITS = "exits";
    public static final String USERSPACE_EXITS = "userspace_exits";
    public static final String IO_EXITS = "io_exits";
    public static final String MMIO_EXITS = "mmio_exits";
    public static final String HALT_EXITS = "halt_exits";
    public static final String HALT_WAKEUP = "halt_wakeup";
    public static final String IRQ_INJECTIONS = "irq_injections";
    public static final String NMI_INJECTIONS = "nmi_injections";
    public static final String IRQ_WINDOW_EXITS = "irq_window_exits";
    public static final String SIGNAL_EXITS = "signal_exits";
    public static final String INSTRUCTIONS = "instructions";
    public static final String IO_EXITS_IN_KERNEL = "io_exits_in_kernel";
    public static final String MMIO_EXITS_IN_KERNEL = "mmio_exits_in_kernel";
    public static final String IOEVENTFD_SIGNALS = "ioeventfd_signals";
    public static final String FAIL_ENTRY_EXITS = "fail_entry_exits";
    public static final String INTERNAL_ERROR_EXITS = "internal_error_exits";
}
