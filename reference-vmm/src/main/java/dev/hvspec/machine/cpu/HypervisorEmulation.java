package dev.hvspec.machine.cpu;

/**
 * The instruction semantics a hypervisor needs when it emulates an instruction that exited (KVM's
 * x86 emulator): here the processor's own, so an emulated instruction behaves exactly as the
 * processor would have executed it without the exit.
 */
public final class HypervisorEmulation {
    private HypervisorEmulation() {
    }

    /**
     * MOV to CR3 of {@code value} as the processor performs it (SDM 2 "MOV—Move to/from Control
     * Registers"): reserved-bit #GP, PDPTE loads under PAE paging (reading guest-physical memory
     * through {@link dev.hvspec.machine.mmu.Mmu#physical()}), TLB invalidation. Throws the
     * {@link CpuException} the guest must receive.
     */
    public static void loadCr3(Cpu cpu, long value) {
        ControlRegisters.loadCr3(cpu, value);
    }
}
