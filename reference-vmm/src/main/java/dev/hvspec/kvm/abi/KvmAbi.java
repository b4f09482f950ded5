package dev.hvspec.kvm.abi;

import java.util.List;
import java.util.Optional;

/**
 * The registry of the x86-64 KVM ABI this package models: every struct layout in dump order
 * (roughly the order of api.rst §4: memory, registers, CPUID/MSRs, vCPU state, interrupt
 * controllers and timers, routing and eventfds, then {@code kvm_run}).
 */
public final class KvmAbi {
    private KvmAbi() {
    }

    /** Every named struct the ABI declares here, in {@code hvspec abi dump} order. */
    public static final List<StructLayout> LAYOUTS = List.of(
            KvmStructs.KVM_MEMORY_REGION,
            KvmStructs.KVM_USERSPACE_MEMORY_REGION,
            KvmStructs.KVM_MEMORY_ALIAS,
            KvmStructs.KVM_DIRTY_LOG,
            KvmStructs.KVM_REGS,
            KvmStructs.KVM_SEGMENT,
            KvmStructs.KVM_DTABLE,
            KvmStructs.KVM_SREGS,
            KvmStructs.KVM_SREGS2,
            KvmStructs.KVM_FPU,
            KvmStructs.KVM_MSR_ENTRY,
            KvmStructs.KVM_MSRS,
            KvmStructs.KVM_MSR_LIST,
            KvmStructs.KVM_CPUID_ENTRY,
            KvmStructs.KVM_CPUID,
            KvmStructs.KVM_CPUID_ENTRY2,
            KvmStructs.KVM_CPUID2,
            KvmStructs.KVM_LAPIC_STATE,
            KvmStructs.KVM_TRANSLATION,
            KvmStructs.KVM_INTERRUPT,
            KvmStructs.KVM_SIGNAL_MASK,
            KvmStructs.KVM_MP_STATE,
            KvmStructs.KVM_VCPU_EVENTS,
            KvmStructs.KVM_DEBUGREGS,
            KvmStructs.KVM_XSAVE,
            KvmStructs.KVM_XCR,
            KvmStructs.KVM_XCRS,
            KvmStructs.KVM_CLOCK_DATA,
            KvmStructs.KVM_ENABLE_CAP,
            KvmStructs.KVM_GUEST_DEBUG_ARCH,
            KvmStructs.KVM_GUEST_DEBUG,
            KvmStructs.KVM_DEBUG_EXIT_ARCH,
            KvmStructs.KVM_BREAKPOINT,
            KvmStructs.KVM_DEBUG_GUEST,
            KvmStructs.KVM_TPR_ACCESS_CTL,
            KvmStructs.KVM_VAPIC_ADDR,
            KvmIrqStructs.KVM_IRQ_LEVEL,
            KvmIrqStructs.KVM_PIC_STATE,
            KvmIrqStructs.KVM_IOAPIC_STATE,
            KvmIrqStructs.KVM_IRQCHIP,
            KvmIrqStructs.KVM_PIT_CONFIG,
            KvmIrqStructs.KVM_PIT_CHANNEL_STATE,
            KvmIrqStructs.KVM_PIT_STATE,
            KvmIrqStructs.KVM_PIT_STATE2,
            KvmIrqStructs.KVM_REINJECT_CONTROL,
            KvmIrqStructs.KVM_IRQ_ROUTING_IRQCHIP,
            KvmIrqStructs.KVM_IRQ_ROUTING_MSI,
            KvmIrqStructs.KVM_IRQ_ROUTING_S390_ADAPTER,
            KvmIrqStructs.KVM_IRQ_ROUTING_HV_SINT,
            KvmIrqStructs.KVM_IRQ_ROUTING_XEN_EVTCHN,
            KvmIrqStructs.KVM_IRQ_ROUTING_ENTRY,
            KvmIrqStructs.KVM_IRQ_ROUTING,
            KvmIrqStructs.KVM_MSI,
            KvmIrqStructs.KVM_IRQFD,
            KvmIrqStructs.KVM_IOEVENTFD,
            KvmIrqStructs.KVM_COALESCED_MMIO_ZONE,
            KvmIrqStructs.KVM_COALESCED_MMIO,
            KvmIrqStructs.KVM_COALESCED_MMIO_RING,
            KvmStructs.KVM_SYNC_REGS,
            KvmRunLayout.KVM_HYPERV_EXIT,
            KvmRunLayout.KVM_XEN_EXIT,
            KvmRunLayout.KVM_RUN);

    /** The layout of {@code struct tag}, if modelled. */
    public static Optional<StructLayout> layout(String tag) {
        return LAYOUTS.stream().filter(l -> tag.equals(l.tag())).findFirst();
    }
}
