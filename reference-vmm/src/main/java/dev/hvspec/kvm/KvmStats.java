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
    /**
     * Interrupts injected because an irqfd's eventfd was written (KVM_IRQFD, api.rst §4.75): no
     * ioctl and no exit on the way. Linux has no kvm_stat for this; hvspec counts it so that a
     * VMM's interrupts per request can be told apart from {@link #MSI_SIGNALS}.
     */
    public static final String IRQFD_INJECTIONS = "irqfd_injections";
    /**
     * Acknowledgements (an EOI at the I/O APIC or 8259A) that de-asserted a GSI held by resampling
     * irqfds and signalled their resamplefds (KVM_IRQFD_FLAG_RESAMPLE). hvspec's name.
     */
    public static final String IRQFD_RESAMPLES = "irqfd_resamples";
    /** KVM_IRQ_LINE and KVM_IRQ_LINE_STATUS ioctls (api.rst §4.25): a system call per level change. */
    public static final String IRQ_LINE_CALLS = "irq_line_calls";
    /** KVM_SIGNAL_MSI ioctls (api.rst §4.71) the VMM made: each is a system call from userspace. */
    public static final String MSI_SIGNALS = "msi_signals";
    public static final String FAIL_ENTRY_EXITS = "fail_entry_exits";
    public static final String INTERNAL_ERROR_EXITS = "internal_error_exits";

    // Memory virtualisation (kvm_stat names where KVM has one; docs/mmu.md lists them all).
    /** Every VM exit taken for memory virtualisation (#PF, EPT violation/misconfiguration, NPF, MOV CR3, INVLPG, CR0/CR4/EFER). */
    public static final String MMU_EXITS = "mmu_exits";
    /** Page-fault exits handled by the MMU: #PF exits (shadow), EPT violations, nested page faults. */
    public static final String PF_TAKEN = "pf_taken";
    /** Faults fixed by installing a shadow or EPT/NPT entry. */
    public static final String PF_FIXED = "pf_fixed";
    /** #PF reflected into the guest (shadow paging). */
    public static final String PF_GUEST = "pf_guest";
    /** Faults resolved by emulating the access (MMIO, writes to shadowed page tables or read-only slots). */
    public static final String PF_EMULATE = "pf_emulate";
    public static final String PF_MMIO_SPTE_CREATED = "pf_mmio_spte_created";
    /** Emulated writes to guest page tables (shadow paging). */
    public static final String MMU_PTE_WRITE = "mmu_pte_write";
    /** Shadow entries dropped because the guest entry they were built from was written. */
    public static final String MMU_PTE_ZAPPED = "mmu_pte_zapped";
    public static final String MMU_FLOODED = "mmu_flooded";
    public static final String MMU_SHADOW_ZAPPED = "mmu_shadow_zapped";
    public static final String MMU_RECYCLED = "mmu_recycled";
    public static final String MMU_CACHE_MISS = "mmu_cache_miss";
    /** Shadow roots loaded for a new guest CR3 or paging mode, and how many came from the cache. */
    public static final String MMU_ROOT_LOADS = "mmu_root_loads";
    public static final String MMU_ROOT_CACHED = "mmu_root_cached";
    public static final String INVLPG = "invlpg";
    public static final String CR3_LOAD_EXITS = "cr3_load_exits";
    /** CR0/CR4/EFER paging-bit changes that exited (shadow paging). */
    public static final String CR_PAGING_EXITS = "cr_paging_exits";
    public static final String EPT_VIOLATIONS = "ept_violations";
    public static final String EPT_MISCONFIGS = "ept_misconfigs";
    public static final String NPF_EXITS = "npf_exits";
    public static final String REMOTE_TLB_FLUSH = "remote_tlb_flush";
    /** Gauges of the two-dimensional MMU: guest memory mapped by 4-KByte, 2-MByte and 1-GByte leaves. */
    public static final String PAGES_4K = "pages_4k";
    public static final String PAGES_2M = "pages_2m";
    public static final String PAGES_1G = "pages_1g";
}
