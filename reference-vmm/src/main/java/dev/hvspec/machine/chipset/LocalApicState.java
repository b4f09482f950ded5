package dev.hvspec.machine.chipset;

/**
 * Everything {@link LocalApic#save()} captures, grouped by where KVM keeps it.
 *
 * @param registers     the register page: {@code KVM_GET_LAPIC}/{@code KVM_SET_LAPIC}
 * @param apicBase      IA32_APIC_BASE: {@code struct kvm_sregs.apic_base}
 * @param tscDeadline   IA32_TSC_DEADLINE (MSR 0x6E0): {@code KVM_GET_MSRS}
 * @param pendingErrors errors detected since the last ESR write (model state; KVM latches them directly)
 * @param lint0Level    the level on the LINT0 pin (wiring; KVM keeps the PIC output instead)
 * @param lint1Level    the level on the LINT1 pin
 * @param nmiPending    {@code struct kvm_vcpu_events.nmi.pending}
 * @param smiPending    {@code struct kvm_vcpu_events.smi.pending}
 * @param initPending   an INIT not yet taken ({@code kvm_vcpu_events.apic.init} / mp_state)
 * @param startupVector a start-up IPI vector not yet taken, or -1 ({@code kvm_vcpu_events.sipi_vector})
 * @param extIntPending an ExtINT message from an I/O APIC not yet acknowledged
 * @param timerStart    virtual time the one-shot/periodic count started, or {@link Long#MIN_VALUE}
 *                      (model state; KVM keeps it in its hrtimer). Unknown, the timer continues from
 *                      TMCCT in the register page.
 */
public record LocalApicState(KvmLapicState registers, long apicBase, long tscDeadline, int pendingErrors,
                             boolean lint0Level, boolean lint1Level, boolean nmiPending, boolean smiPending,
                             boolean initPending, int startupVector, boolean extIntPending, long timerStart) {
    /** The state KVM's ABI carries (register page, APIC base, TSC deadline), nothing pending. */
    public static LocalApicState fromKvm(KvmLapicState registers, long apicBase, long tscDeadline) {
        return new LocalApicState(registers, apicBase, tscDeadline, 0, false, false, false, false, false, -1, false,
                Long.MIN_VALUE);
    }
}
