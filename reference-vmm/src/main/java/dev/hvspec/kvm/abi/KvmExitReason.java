package dev.hvspec.kvm.abi;

import java.util.Optional;

/**
 * {@code kvm_run.exit_reason} values, KVM_EXIT_* in Linux 6.1 {@code include/uapi/linux/kvm.h}
 * (api.rst §5). Reasons are never renumbered; many belong to other architectures.
 */
public enum KvmExitReason implements AbiConstant {
    /** the hardware exit is unknown to KVM; payload {@code hw}. */
    UNKNOWN(0),
    /** payload {@code ex} (unused on x86 today). */
    EXCEPTION(1),
    /** port I/O to complete in userspace; payload {@code io}, data at {@code io.data_offset}. */
    IO(2),
    /** payload {@code hypercall} (with KVM_CAP_EXIT_HYPERCALL). */
    HYPERCALL(3),
    /** a debug exception for the VMM (KVM_SET_GUEST_DEBUG); payload {@code debug}. */
    DEBUG(4),
    /** HLT with no in-kernel local APIC. */
    HLT(5),
    /** an access to guest-physical memory that no slot backs; payload {@code mmio}. */
    MMIO(6),
    /** the guest can take an interrupt now (request_interrupt_window). */
    IRQ_WINDOW_OPEN(7),
    /** triple fault. */
    SHUTDOWN(8),
    /** VM entry failed (invalid guest state); payload {@code fail_entry}. */
    FAIL_ENTRY(9),
    /** KVM_RUN interrupted by a signal (or immediate_exit). */
    INTR(10),
    SET_TPR(11),
    TPR_ACCESS(12),
    S390_SIEIC(13),
    S390_RESET(14),
    DCR(15),
    NMI(16),
    /** KVM could not handle the exit; payload {@code internal} with a suberror. */
    INTERNAL_ERROR(17),
    OSI(18),
    PAPR_HCALL(19),
    S390_UCONTROL(20),
    WATCHDOG(21),
    S390_TSCH(22),
    EPR(23),
    /** shutdown/reset/crash request; payload {@code system_event}. */
    SYSTEM_EVENT(24),
    S390_STSI(25),
    IOAPIC_EOI(26),
    HYPERV(27),
    ARM_NISV(28),
    X86_RDMSR(29),
    X86_WRMSR(30),
    DIRTY_RING_FULL(31),
    AP_RESET_HOLD(32),
    X86_BUS_LOCK(33),
    XEN(34),
    RISCV_SBI(35),
    RISCV_CSR(36),
    NOTIFY(37),
    ;

    private final int value;

    KvmExitReason(int value) {
        this.value = value;
    }

    @Override
    public long value() {
        return value;
    }

    @Override
    public String cName() {
        return "KVM_EXIT_" + name();
    }

    /** The reason with this number, if 6.1 defines one. */
    public static Optional<KvmExitReason> of(long value) {
        for (KvmExitReason r : values()) {
            if (r.value == value) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
