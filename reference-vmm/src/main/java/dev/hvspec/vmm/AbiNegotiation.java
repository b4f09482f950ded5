package dev.hvspec.vmm;

import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.vmm.kvm.Kvm;

/**
 * What the VMM settled on after asking the kernel with KVM_CHECK_EXTENSION, as QEMU (and
 * kvm-userspace before it) falls back on older kernels: memory through KVM_SET_USER_MEMORY_REGION
 * or the kernel-allocated KVM_SET_MEMORY_REGION; CPUID through KVM_GET_SUPPORTED_CPUID +
 * KVM_SET_CPUID2 or its own table and KVM_SET_CPUID; interrupt controllers in the kernel
 * (KVM_CAP_IRQCHIP) or in userspace; the PIT from KVM_CREATE_PIT2, KVM_CREATE_PIT or userspace;
 * QEMU's GSI routing when KVM_CAP_IRQ_ROUTING exists; and the VM clock read with KVM_GET_CLOCK
 * (KVM_CAP_ADJUST_CLOCK) or, before that, through the guest TSC (KVM_GET/SET_MSRS).
 *
 * @param userspace          the linux/kvm.h release the VMM was built against
 * @param askedCapabilities  false for headers that define no KVM_CAP_* at all (2.6.22, 2.6.23)
 */
public record AbiNegotiation(String userspace, boolean askedCapabilities, Memory memory, Cpuid cpuid, Chips chips,
                             Pit pit, boolean gsiRouting, Clock clock) {
    public enum Memory { USER_MEMORY, KERNEL_MEMORY }

    public enum Cpuid { CPUID2, CPUID }

    public enum Chips { KERNEL, USER }

    public enum Pit { PIT2, PIT, USER }

    public enum Clock { KVM_CLOCK, TSC }

    /** Asks the kernel (only for capabilities the headers define) and picks each path. */
    public static AbiNegotiation negotiate(Kvm kvm, PcBoard.IrqchipMode requested) {
        boolean kernelChips = requested == PcBoard.IrqchipMode.KERNEL && kvm.has(KvmCap.IRQCHIP);
        Pit pit = !kernelChips ? Pit.USER : kvm.has(KvmCap.PIT2) ? Pit.PIT2 : kvm.has(KvmCap.PIT) ? Pit.PIT : Pit.USER;
        return new AbiNegotiation(kvm.headers().release(), !kvm.headers().capabilities().isEmpty(),
                kvm.has(KvmCap.USER_MEMORY) ? Memory.USER_MEMORY : Memory.KERNEL_MEMORY,
                kvm.has(KvmCap.EXT_CPUID) ? Cpuid.CPUID2 : Cpuid.CPUID,
                kernelChips ? Chips.KERNEL : Chips.USER, pit,
                kernelChips && kvm.has(KvmCap.IRQ_ROUTING),
                kvm.has(KvmCap.ADJUST_CLOCK) ? Clock.KVM_CLOCK : Clock.TSC);
    }

    /** One line: the ioctl path chosen for each concern. */
    public String summary() {
        return String.join(",",
                memory == Memory.USER_MEMORY ? "user-mem" : "kernel-mem",
                cpuid == Cpuid.CPUID2 ? "cpuid2" : "cpuid",
                chips == Chips.KERNEL ? "irqchip" : "user-irqchip",
                switch (pit) {
                    case PIT2 -> "pit2";
                    case PIT -> "pit";
                    case USER -> "user-pit";
                },
                gsiRouting ? "gsi-routing" : "default-routing",
                clock == Clock.KVM_CLOCK ? "kvmclock" : "tsc-clock")
                + (askedCapabilities ? "" : ",no-caps");
    }
}
