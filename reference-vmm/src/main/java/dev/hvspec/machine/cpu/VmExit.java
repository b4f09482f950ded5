package dev.hvspec.machine.cpu;

/**
 * A VM exit that must leave guest mode in the middle of an instruction (SDM 3C §27): the
 * hypervisor cannot complete an access (an I/O read or MMIO read for userspace, an EPT
 * violation it must handle first). The instruction is not retired; after the hypervisor has
 * provided what was missing it re-executes it. Thrown by the {@link CpuBus} implementation,
 * caught by {@link Cpu#run}.
 */
public final class VmExit extends RuntimeException {
    private final Object reason;

    public VmExit(Object reason) {
        super(null, null, false, false);
        this.reason = reason;
    }

    /** What the hypervisor recorded about the exit (its own type). */
    public Object reason() {
        return reason;
    }
}
