package dev.hvspec.kvm.abi;

import java.util.ArrayList;
import java.util.List;

/**
 * The smaller groups of KVM ABI numbers, each an enum of {@link AbiConstant}s named as the C
 * macros of Linux 6.1 {@code linux/kvm.h} and {@code asm/kvm.h} (x86). The big groups are
 * {@link KvmCap}, {@link KvmExitReason}, {@link Errno}; the request codes are {@link KvmIoctl}.
 */
public final class KvmConstants {
    private KvmConstants() {
    }

    /** {@code KVM_API_VERSION}: what KVM_GET_API_VERSION returns since 2.6.22 (api.rst §4.1). */
    public static final int API_VERSION = 12;

    /** Single values: the API version, mmap page offsets of the vCPU fd, array bounds. */
    public enum General implements AbiConstant {
        KVM_API_VERSION(API_VERSION),
        KVMIO(IoctlEncoding.KVMIO),
        /** The page of the vCPU mmap holding PIO data ({@code io.data_offset} points there). */
        KVM_PIO_PAGE_OFFSET(1),
        /** The page of the vCPU mmap holding the coalesced MMIO ring. */
        KVM_COALESCED_MMIO_PAGE_OFFSET(2),
        KVM_NR_INTERRUPTS(KvmStructs.KVM_NR_INTERRUPTS),
        KVM_IOAPIC_NUM_PINS(KvmIrqStructs.KVM_IOAPIC_NUM_PINS),
        KVM_APIC_REG_SIZE(KvmStructs.KVM_APIC_REG_SIZE),
        KVM_MAX_XCRS(KvmStructs.KVM_MAX_XCRS),
        KVM_NR_IRQCHIPS(3),
        SYNC_REGS_SIZE_BYTES(KvmRunLayout.SYNC_REGS_SIZE_BYTES);

        private final long value;

        General(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** {@code kvm_userspace_memory_region.flags} (api.rst §4.35). */
    public enum MemFlag implements AbiConstant {
        KVM_MEM_LOG_DIRTY_PAGES(1L << 0),
        /** With KVM_CAP_READONLY_MEM: writes exit to userspace as MMIO. */
        KVM_MEM_READONLY(1L << 1);

        private final long value;

        MemFlag(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** {@code kvm_run.io.direction} (api.rst §5). */
    public enum IoDirection implements AbiConstant {
        KVM_EXIT_IO_IN(0), KVM_EXIT_IO_OUT(1);

        private final long value;

        IoDirection(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** {@code kvm_irqchip.chip_id} and {@code kvm_irq_routing_irqchip.irqchip} (api.rst §4.26). */
    public enum IrqChip implements AbiConstant {
        KVM_IRQCHIP_PIC_MASTER(0), KVM_IRQCHIP_PIC_SLAVE(1), KVM_IRQCHIP_IOAPIC(2);

        private final long value;

        IrqChip(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** {@code kvm_run.internal.suberror} for KVM_EXIT_INTERNAL_ERROR (api.rst §5). */
    public enum InternalError implements AbiConstant {
        KVM_INTERNAL_ERROR_EMULATION(1),
        KVM_INTERNAL_ERROR_SIMUL_EX(2),
        KVM_INTERNAL_ERROR_DELIVERY_EV(3),
        KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON(4);

        private final long value;

        InternalError(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** {@code kvm_run.system_event.type} for KVM_EXIT_SYSTEM_EVENT (api.rst §5). */
    public enum SystemEvent implements AbiConstant {
        KVM_SYSTEM_EVENT_SHUTDOWN(1),
        KVM_SYSTEM_EVENT_RESET(2),
        KVM_SYSTEM_EVENT_CRASH(3),
        KVM_SYSTEM_EVENT_WAKEUP(4),
        KVM_SYSTEM_EVENT_SUSPEND(5),
        KVM_SYSTEM_EVENT_SEV_TERM(6);

        private final long value;

        SystemEvent(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** {@code kvm_guest_debug.control} (api.rst §4.87; the USE_/INJECT_ bits are x86's). */
    public enum GuestDebug implements AbiConstant {
        KVM_GUESTDBG_ENABLE(0x1),
        KVM_GUESTDBG_SINGLESTEP(0x2),
        KVM_GUESTDBG_USE_SW_BP(0x10000),
        KVM_GUESTDBG_USE_HW_BP(0x20000),
        KVM_GUESTDBG_INJECT_DB(0x40000),
        KVM_GUESTDBG_INJECT_BP(0x80000),
        KVM_GUESTDBG_BLOCKIRQ(0x100000);

        private final long value;

        GuestDebug(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** {@code kvm_mp_state.mp_state} (api.rst §4.38; x86 uses the first five). */
    public enum MpState implements AbiConstant {
        KVM_MP_STATE_RUNNABLE(0),
        KVM_MP_STATE_UNINITIALIZED(1),
        KVM_MP_STATE_INIT_RECEIVED(2),
        KVM_MP_STATE_HALTED(3),
        KVM_MP_STATE_SIPI_RECEIVED(4),
        KVM_MP_STATE_STOPPED(5),
        KVM_MP_STATE_CHECK_STOP(6),
        KVM_MP_STATE_OPERATING(7),
        KVM_MP_STATE_LOAD(8),
        KVM_MP_STATE_AP_RESET_HOLD(9),
        KVM_MP_STATE_SUSPENDED(10);

        private final long value;

        MpState(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** {@code kvm_irq_routing_entry.type}, KVM_IRQFD and KVM_IOEVENTFD flags, MSI flags. */
    public enum IrqFlag implements AbiConstant {
        KVM_IRQ_ROUTING_IRQCHIP(1),
        KVM_IRQ_ROUTING_MSI(2),
        KVM_IRQ_ROUTING_S390_ADAPTER(3),
        KVM_IRQ_ROUTING_HV_SINT(4),
        KVM_IRQ_ROUTING_XEN_EVTCHN(5),
        KVM_IRQFD_FLAG_DEASSIGN(1 << 0),
        KVM_IRQFD_FLAG_RESAMPLE(1 << 1),
        KVM_IOEVENTFD_FLAG_DATAMATCH(1 << 0),
        KVM_IOEVENTFD_FLAG_PIO(1 << 1),
        KVM_IOEVENTFD_FLAG_DEASSIGN(1 << 2),
        KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY(1 << 3),
        KVM_MSI_VALID_DEVID(1 << 0),
        KVM_PIT_SPEAKER_DUMMY(1),
        KVM_PIT_FLAGS_HPET_LEGACY(0x1);

        private final long value;

        IrqFlag(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /** Flags of vCPU state structs: kvm_vcpu_events, kvm_cpuid_entry2, kvm_clock_data, kvm_sregs2, sync regs. */
    public enum StateFlag implements AbiConstant {
        KVM_VCPUEVENT_VALID_NMI_PENDING(0x1),
        KVM_VCPUEVENT_VALID_SIPI_VECTOR(0x2),
        KVM_VCPUEVENT_VALID_SHADOW(0x4),
        KVM_VCPUEVENT_VALID_SMM(0x8),
        KVM_VCPUEVENT_VALID_PAYLOAD(0x10),
        KVM_VCPUEVENT_VALID_TRIPLE_FAULT(0x20),
        KVM_CPUID_FLAG_SIGNIFCANT_INDEX(1 << 0),
        KVM_CPUID_FLAG_STATEFUL_FUNC(1 << 1),
        KVM_CPUID_FLAG_STATE_READ_NEXT(1 << 2),
        KVM_CLOCK_TSC_STABLE(2),
        KVM_CLOCK_REALTIME(1 << 2),
        KVM_CLOCK_HOST_TSC(1 << 3),
        KVM_SREGS2_FLAGS_PDPTRS_VALID(1),
        KVM_SYNC_X86_REGS(1 << 0),
        KVM_SYNC_X86_SREGS(1 << 1),
        KVM_SYNC_X86_EVENTS(1 << 2),
        KVM_RUN_X86_SMM(1 << 0),
        KVM_RUN_X86_BUS_LOCK(1 << 1);

        private final long value;

        StateFlag(long value) {
            this.value = value;
        }

        @Override
        public long value() {
            return value;
        }

        @Override
        public String cName() {
            return name();
        }
    }

    /**
     * Every constant {@code hvspec abi dump} prints as {@code const} besides the request codes, in
     * dump order: general values, capabilities, exit reasons, then the small groups and errno.
     */
    public static List<AbiConstant> all() {
        List<AbiConstant> all = new ArrayList<>();
        all.addAll(List.of(General.values()));
        all.addAll(List.of(KvmCap.values()));
        all.addAll(List.of(KvmExitReason.values()));
        all.addAll(List.of(IoDirection.values()));
        all.addAll(List.of(InternalError.values()));
        all.addAll(List.of(SystemEvent.values()));
        all.addAll(List.of(MemFlag.values()));
        all.addAll(List.of(IrqChip.values()));
        all.addAll(List.of(GuestDebug.values()));
        all.addAll(List.of(MpState.values()));
        all.addAll(List.of(IrqFlag.values()));
        all.addAll(List.of(StateFlag.values()));
        all.addAll(List.of(Errno.values()));
        return List.copyOf(all);
    }
}
