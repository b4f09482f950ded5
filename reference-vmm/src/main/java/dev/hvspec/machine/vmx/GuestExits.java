package dev.hvspec.machine.vmx;

/**
 * The hypervisor's handlers for the VM exits memory virtualisation causes, called synchronously
 * by the processor model (see the package comment for what returning and throwing mean). One
 * instance per virtual processor; called only on that processor's thread.
 */
public interface GuestExits {
    /**
     * A #PF the exception bitmap (bit 14) and the page-fault error-code mask/match route to the
     * hypervisor (SDM 3C §25.2): {@code linear} is the exit qualification, {@code errorCode}
     * the hardware's error code; {@code kind} the {@link dev.hvspec.machine.mmu.Access} kind.
     * The guest's CR2 is not written (§27.1).
     */
    ExitResolution pageFault(long linear, int errorCode, int kind);

    /** An EPT violation (SDM 3C §29.3.3.2). */
    ExitResolution eptViolation(EptViolation violation);

    /** An EPT misconfiguration (SDM 3C §29.3.3.1): only the guest-physical address is reported. */
    ExitResolution eptMisconfiguration(long gpa);

    /** #VMEXIT(NPF) (AMD APM vol. 2 §15.25.6). */
    ExitResolution nestedPageFault(NestedPageFault fault);

    /**
     * MOV to CR3 with CR3-load exiting (SDM 3C §26.1.3): the instruction did nothing; the
     * hypervisor emulates it (and may inject #GP by throwing). The instruction then retires.
     */
    void movToCr3(long value);

    /** INVLPG with INVLPG exiting (SDM 3C §26.1.3): the hypervisor emulates it; the instruction then retires. */
    void invlpg(long linear);

    /**
     * The guest changed a CR0, CR4 or IA32_EFER bit that controls paging (PG, WP, PAE, PSE, PGE,
     * SMEP, SMAP, LA57, NXE) while those bits are owned by the hypervisor (CR0/CR4 guest/host
     * masks, §25.6.6; the MSR bitmap for EFER). The model performs the write as the hypervisor
     * would emulate it and then takes the exit.
     */
    void pagingControlsChanged();

    /** An emulated read of {@code size} bytes at {@code gpa} (after {@link ExitResolution.Emulate}). */
    long emulatedRead(long gpa, int size);

    /** An emulated write (after {@link ExitResolution.Emulate}). */
    void emulatedWrite(long gpa, int size, long value);
}
