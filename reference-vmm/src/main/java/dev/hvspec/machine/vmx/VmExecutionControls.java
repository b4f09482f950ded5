package dev.hvspec.machine.vmx;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The VM-execution controls of one virtual processor that this model honours (the VMCS fields of
 * SDM 3C §25.6 that memory virtualisation uses), set by the hypervisor before VM entry and changed
 * by it inside exit handlers. Confined to the processor's thread.
 *
 * <p>Address translation in VMX non-root operation takes one of three shapes:
 * <ul>
 *   <li><b>EPT</b> ("enable EPT" = 1, §25.6.2; the EPTP of §25.6.11): guest-physical addresses,
 *       including those of the guest's paging structures, are translated through the EPT
 *       paging structures (§29.3) — the two-dimensional walk;</li>
 *   <li><b>NPT</b> (AMD nested paging, APM vol. 2 §15.25, a second format of nested tables):
 *       the same, through ordinary long-mode page tables rooted at nCR3, walked as user accesses;</li>
 *   <li><b>shadow paging</b> (neither): the processor walks the paging structures its CR3
 *       designates — the hypervisor's shadow tables, which map linear addresses straight to host
 *       memory — while the guest's own CR3 value only lives in the guest state. The hypervisor
 *       forces CR0.PG, CR0.WP, CR4.PAE and EFER.NXE on in the hardware registers (KVM's
 *       {@code KVM_VM_CR0_ALWAYS_ON} / {@code KVM_PMODE_VM_CR4_ALWAYS_ON}); a guest outside IA-32e
 *       mode therefore runs on PAE-format shadow tables, whose four PDPTEs VM entry loads from the
 *       (below-4-GiB) hardware CR3.</li>
 * </ul>
 */
public final class VmExecutionControls {
    /** SDM 3C §25.6.3: bit 14 of the exception bitmap is #PF. */
    public static final int PAGE_FAULT_BIT = 1 << 14;

    /** Which second-level translation is in use. */
    public enum SecondLevel { NONE, EPT, NPT }

    private final GuestExits exits;
    private int exceptionBitmap;
    private int pageFaultErrorCodeMask;
    private int pageFaultErrorCodeMatch;
    private boolean cr3LoadExiting;
    private boolean invlpgExiting;
    private boolean pagingControlExiting;
    private SecondLevel secondLevel = SecondLevel.NONE;
    private long eptp;
    private long nestedCr3;
    private LongSupplier shadowRoot = () -> 0;

    public VmExecutionControls(GuestExits exits) {
        this.exits = Objects.requireNonNull(exits);
    }

    public GuestExits exits() {
        return exits;
    }

    // ---- exception bitmap (SDM 3C §25.6.3) ----

    public void setExceptionBitmap(int bitmap) {
        this.exceptionBitmap = bitmap;
    }

    public int exceptionBitmap() {
        return exceptionBitmap;
    }

    public void setPageFaultErrorCodeMaskMatch(int mask, int match) {
        this.pageFaultErrorCodeMask = mask;
        this.pageFaultErrorCodeMatch = match;
    }

    /**
     * SDM 3C §25.2: a #PF with this error code causes a VM exit if bit 14 of the exception bitmap
     * is 1 and (PFEC AND PFEC_MASK) = PFEC_MATCH, or if bit 14 is 0 and they differ.
     */
    public boolean pageFaultExits(int errorCode) {
        boolean matches = (errorCode & pageFaultErrorCodeMask) == pageFaultErrorCodeMatch;
        return (exceptionBitmap & PAGE_FAULT_BIT) != 0 ? matches : !matches;
    }

    // ---- processor-based controls (SDM 3C §25.6.2) ----

    public void setCr3LoadExiting(boolean on) {
        this.cr3LoadExiting = on;
    }

    public boolean cr3LoadExiting() {
        return cr3LoadExiting;
    }

    public void setInvlpgExiting(boolean on) {
        this.invlpgExiting = on;
    }

    public boolean invlpgExiting() {
        return invlpgExiting;
    }

    /** The paging bits of CR0/CR4 (and EFER) are host-owned: changing them exits (§25.6.6). */
    public void setPagingControlExiting(boolean on) {
        this.pagingControlExiting = on;
    }

    public boolean pagingControlExiting() {
        return pagingControlExiting;
    }

    // ---- second-level translation ----

    /** "Enable EPT" with this EPT pointer (SDM 3C §25.6.11: memory type, page-walk length - 1, A/D enable, PML4 address). */
    public void enableEpt(long eptPointer) {
        this.secondLevel = SecondLevel.EPT;
        this.eptp = eptPointer;
    }

    /** AMD nested paging with this nested CR3 (APM vol. 2 §15.25.3): 4-level long-mode tables. */
    public void enableNestedPaging(long ncr3) {
        this.secondLevel = SecondLevel.NPT;
        this.nestedCr3 = ncr3;
    }

    /** Shadow paging: no second level; {@code root} gives the hardware CR3 at every VM entry. */
    public void useShadowPaging(LongSupplier root) {
        this.secondLevel = SecondLevel.NONE;
        this.shadowRoot = Objects.requireNonNull(root);
    }

    public SecondLevel secondLevel() {
        return secondLevel;
    }

    public long eptp() {
        return eptp;
    }

    public long nestedCr3() {
        return nestedCr3;
    }

    /** The hardware CR3 in shadow mode: the host-physical address of the current shadow root. */
    public long shadowRoot() {
        return shadowRoot.getAsLong();
    }
}
