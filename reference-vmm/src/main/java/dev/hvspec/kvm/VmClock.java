package dev.hvspec.kvm;

import dev.hvspec.machine.time.VirtualClock;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The virtual time of a VM (what kvmclock and every in-kernel timer read). It advances only when
 * vCPUs retire instructions ({@link #NANOS_PER_INSTRUCTION} each, shared among the VM's vCPUs),
 * when they spend I/O bus cycles (a port access, {@code InputOutput.IO_CYCLE_NANOS}) or
 * when a halted VM skips to its next timer deadline, so a single-vCPU run is reproducible
 * instruction for instruction. KVM_SET_CLOCK moves it.
 */
public final class VmClock implements VirtualClock {
    /** Virtual nanoseconds per retired instruction: a 1 GHz, one-instruction-per-cycle machine. */
    public static final long NANOS_PER_INSTRUCTION = 1;

    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanos() {
        return nanos.get();
    }

    void advance(long deltaNanos) {
        if (deltaNanos > 0) {
            nanos.addAndGet(deltaNanos);
        }
    }

    /** Skips forward to {@code deadline} if it lies ahead (a halted VM waiting for a timer). */
    void advanceTo(long deadline) {
        nanos.accumulateAndGet(deadline, Math::max);
    }

    void set(long value) {
        nanos.set(value);
    }
}
