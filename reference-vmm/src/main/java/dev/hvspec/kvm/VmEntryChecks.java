package dev.hvspec.kvm;

import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.cpu.Rflags;
import dev.hvspec.machine.cpu.SegmentRegister;

import java.util.Optional;

/**
 * A documented subset of the checks the processor makes on the guest-state area at VM entry
 * (SDM 3C §26.3.1, "Checks on the Guest State Area"), for a VMX processor with the "unrestricted
 * guest" and "load IA32_EFER" controls set and the "IA-32e mode guest" entry control equal to
 * EFER.LMA, as KVM on a current Intel processor enters its guests. When one fails, entry fails with
 * exit reason 33 ("VM-entry failure due to invalid guest state") and bit 31 set: KVM reports
 * KVM_EXIT_FAIL_ENTRY with hardware_entry_failure_reason 0x80000021 (api.rst §5).
 *
 * <p>KVM's own fixed-bit adjustments (CR0.NE, CR4.VMXE, the read shadows) are invisible to the
 * guest and to userspace, so the checks here are on the state userspace set and the guest sees.
 * Checks of fields this model does not have (VMCS link pointer, PDPTEs under EPT, SMBASE,
 * pending debug exceptions, activity states other than active/HLT) are not made.
 */
final class VmEntryChecks {
    /** Exit reason 33 with bit 31 ("VM-entry failure") set (SDM 3C §26.8, Appendix C). */
    static final long INVALID_GUEST_STATE = 0x8000_0021L;

    /** CR4 bits this processor has; the others are reserved and must be 0 (SDM 3C §26.3.1.1). */
    static final long CR4_DEFINED = ControlBits.CR4_VME | ControlBits.CR4_PVI | ControlBits.CR4_TSD
            | ControlBits.CR4_DE | ControlBits.CR4_PSE | ControlBits.CR4_PAE | ControlBits.CR4_MCE
            | ControlBits.CR4_PGE | ControlBits.CR4_PCE | ControlBits.CR4_OSFXSR | ControlBits.CR4_OSXMMEXCPT
            | ControlBits.CR4_UMIP | ControlBits.CR4_LA57 | ControlBits.CR4_VMXE | ControlBits.CR4_FSGSBASE
            | ControlBits.CR4_PCIDE | ControlBits.CR4_OSXSAVE | ControlBits.CR4_SMEP | ControlBits.CR4_SMAP
            | ControlBits.CR4_PKE;
    /** IA32_EFER bits that exist (SCE, LME, LMA, NXE); the others are reserved (SDM 3C §26.3.1.1). */
    private static final long EFER_DEFINED = ControlBits.EFER_SCE | ControlBits.EFER_LME | ControlBits.EFER_LMA
            | ControlBits.EFER_NXE;
    /** RFLAGS bits 63:22, 15, 5 and 3 are reserved and must be 0; bit 1 must be 1 (SDM 3C §26.3.1.4). */
    private static final long RFLAGS_RESERVED = ~((1L << 22) - 1) | (1L << 15) | (1L << 5) | (1L << 3);
    /** Access-rights bits 11:8 and 31:17 are reserved; bit 16 is "unusable" (SDM 3C §24.4.1, Table 24-2). */
    private static final int AR_RESERVED = 0xF00;

    private VmEntryChecks() {
    }

    /** The first check the state fails, described, or empty if entry may proceed. */
    static Optional<String> check(CpuState s) {
        String why = controlRegisters(s);
        if (why == null) {
            why = segments(s);
        }
        if (why == null) {
            why = descriptorTables(s);
        }
        if (why == null) {
            why = ripAndRflags(s);
        }
        if (why == null) {
            why = interruptibility(s);
        }
        return Optional.ofNullable(why);
    }

    private static boolean ia32eGuest(CpuState s) {
        return (s.efer & ControlBits.EFER_LMA) != 0;
    }

    /** SDM 3C §26.3.1.1: control registers and IA32_EFER. */
    private static String controlRegisters(CpuState s) {
        if ((s.cr0 >>> 32) != 0) {
            return "CR0 bits 63:32 are reserved";
        }
        if ((s.cr0 & ControlBits.CR0_PG) != 0 && (s.cr0 & ControlBits.CR0_PE) == 0) {
            return "CR0.PG = 1 requires CR0.PE = 1";
        }
        if ((s.cr4 & ~CR4_DEFINED) != 0) {
            return "reserved CR4 bits set";
        }
        boolean lma = ia32eGuest(s);
        if (lma && ((s.cr0 & ControlBits.CR0_PG) == 0 || (s.cr4 & ControlBits.CR4_PAE) == 0)) {
            return "IA-32e mode guest requires CR0.PG = 1 and CR4.PAE = 1";
        }
        if (!lma && (s.cr4 & ControlBits.CR4_PCIDE) != 0) {
            return "CR4.PCIDE = 1 requires an IA-32e mode guest";
        }
        if ((s.efer & ~EFER_DEFINED) != 0) {
            return "reserved IA32_EFER bits set";
        }
        // "load IA32_EFER": EFER.LMA must equal "IA-32e mode guest" (true by construction) and, if
        // CR0.PG = 1, EFER.LME must equal EFER.LMA.
        if ((s.cr0 & ControlBits.CR0_PG) != 0 && ((s.efer & ControlBits.EFER_LME) != 0) != lma) {
            return "CR0.PG = 1 requires IA32_EFER.LME = IA32_EFER.LMA";
        }
        return null;
    }

    /** SDM 3C §26.3.1.2: segment registers (not virtual-8086: that case is checked separately). */
    private static String segments(CpuState s) {
        SegmentRegister cs = s.cs();
        SegmentRegister ss = s.ss();
        if ((s.rflags & Rflags.VM) != 0) {
            return virtual8086Segments(s);
        }
        if ((s.tr.selector & 4) != 0) {
            return "TR selector TI flag must be 0";
        }
        if (!s.ldtr.unusable() && (s.ldtr.selector & 4) != 0) {
            return "LDTR selector TI flag must be 0";
        }
        if ((cs.base >>> 32) != 0) {
            return "CS base bits 63:32 must be 0";
        }
        for (int seg : new int[] {SegmentRegister.SS, SegmentRegister.DS, SegmentRegister.ES}) {
            if (!s.seg[seg].unusable() && (s.seg[seg].base >>> 32) != 0) {
                return SegmentRegister.NAMES[seg].toUpperCase() + " base bits 63:32 must be 0";
            }
        }
        // CS: a usable, present, accessed code segment (or, unrestricted, an accessed read/write data segment).
        int csType = cs.unusable() ? 0 : cs.type();
        if (csType != 3 && csType != 9 && csType != 11 && csType != 13 && csType != 15) {
            return "CS type must be 3 (unrestricted guest), 9, 11, 13 or 15 (CS unusable or not accessed code)";
        }
        if ((cs.attributes & SegmentRegister.S) == 0 || !cs.present()) {
            return "CS must be a present code or data segment (S = 1, P = 1)";
        }
        if (csType == 3 && cs.dpl() != 0) {
            return "CS type 3 requires DPL 0";
        }
        if ((csType == 9 || csType == 11) && cs.dpl() != ss.dpl()) {
            return "non-conforming CS requires CS.DPL = SS.DPL";
        }
        if ((csType == 13 || csType == 15) && cs.dpl() > ss.dpl()) {
            return "conforming CS requires CS.DPL <= SS.DPL";
        }
        if (ia32eGuest(s) && cs.longMode() && cs.defaultBig()) {
            return "IA-32e mode guest with CS.L = 1 requires CS.D = 0";
        }
        if ((cs.attributes & AR_RESERVED) != 0 || !granularityConsistent(cs)) {
            return "CS access rights: reserved bits or limit/G mismatch";
        }
        if (!ss.unusable()) {
            if (ss.type() != 3 && ss.type() != 7) {
                return "SS type must be 3 or 7";
            }
            if ((ss.attributes & SegmentRegister.S) == 0 || !ss.present()) {
                return "SS must be a present data segment";
            }
            if ((ss.attributes & AR_RESERVED) != 0 || !granularityConsistent(ss)) {
                return "SS access rights: reserved bits or limit/G mismatch";
            }
        }
        if (((csType == 3) || (s.cr0 & ControlBits.CR0_PE) == 0) && ss.dpl() != 0) {
            return "SS.DPL must be 0 in real mode or with a CS of type 3";
        }
        for (int seg : new int[] {SegmentRegister.DS, SegmentRegister.ES, SegmentRegister.FS, SegmentRegister.GS}) {
            String why = dataSegment(s.seg[seg], SegmentRegister.NAMES[seg].toUpperCase());
            if (why != null) {
                return why;
            }
        }
        return systemSegments(s);
    }

    private static String dataSegment(SegmentRegister r, String name) {
        if (r.unusable()) {
            return null;
        }
        if ((r.type() & 1) == 0) {
            return name + " type must be accessed";
        }
        if (r.isCode() && (r.type() & 2) == 0) {
            return name + " code segment must be readable";
        }
        if ((r.attributes & SegmentRegister.S) == 0 || !r.present()) {
            return name + " must be a present code or data segment";
        }
        if ((r.attributes & AR_RESERVED) != 0 || !granularityConsistent(r)) {
            return name + " access rights: reserved bits or limit/G mismatch";
        }
        return null;
    }

    /** TR and LDTR (SDM 3C §26.3.1.2, access-rights checks for TR and LDTR). */
    private static String systemSegments(CpuState s) {
        SegmentRegister tr = s.tr;
        boolean busy16 = tr.type() == 3 && !ia32eGuest(s);
        if (tr.unusable() || !(busy16 || tr.type() == 11)) {
            return "TR must be usable and a busy TSS (type 11, or 3 outside IA-32e mode)";
        }
        if ((tr.attributes & SegmentRegister.S) != 0 || !tr.present()
                || (tr.attributes & AR_RESERVED) != 0 || !granularityConsistent(tr)) {
            return "TR must be a present system segment with consistent limit/G";
        }
        SegmentRegister ldt = s.ldtr;
        if (!ldt.unusable() && (ldt.type() != 2 || (ldt.attributes & SegmentRegister.S) != 0 || !ldt.present()
                || (ldt.attributes & AR_RESERVED) != 0 || !granularityConsistent(ldt))) {
            return "a usable LDTR must be a present LDT (type 2, S = 0)";
        }
        return null;
    }

    /** In virtual-8086 mode every segment is base = selector × 16, limit FFFFH, access rights F3H. */
    private static String virtual8086Segments(CpuState s) {
        for (SegmentRegister r : s.seg) {
            if (r.base != (long) r.selector << 4 || r.limit != 0xFFFF || (r.attributes & 0x1F0FF) != 0xF3) {
                return "virtual-8086 segment registers must be base = selector << 4, limit FFFFH, access rights F3H";
            }
        }
        return null;
    }

    /**
     * G and the limit agree: if any of limit bits 11:0 is 0, G must be 0; if any of bits 31:20 is
     * 1, G must be 1 (SDM 3C §26.3.1.2).
     */
    private static boolean granularityConsistent(SegmentRegister r) {
        boolean g = (r.attributes & SegmentRegister.G) != 0;
        if ((r.limit & 0xFFF) != 0xFFF && g) {
            return false;
        }
        return (r.limit & 0xFFF0_0000L) == 0 || g;
    }

    /** SDM 3C §26.3.1.3: GDTR and IDTR limits fit in 16 bits and bases are canonical. */
    private static String descriptorTables(CpuState s) {
        if ((s.gdtr.limit >>> 16) != 0 || (s.idtr.limit >>> 16) != 0) {
            return "GDTR/IDTR limit bits 31:16 must be 0";
        }
        if (!canonical(s, s.gdtr.base) || !canonical(s, s.idtr.base)) {
            return "GDTR/IDTR base must be canonical";
        }
        return null;
    }

    /** SDM 3C §26.3.1.4: RIP and RFLAGS. */
    private static String ripAndRflags(CpuState s) {
        boolean mode64 = ia32eGuest(s) && s.cs().longMode();
        if (!mode64 && (s.rip >>> 32) != 0) {
            return "RIP bits 63:32 must be 0 outside 64-bit mode";
        }
        if (mode64 && !canonical(s, s.rip)) {
            return "RIP must be canonical in 64-bit mode";
        }
        if ((s.rflags & RFLAGS_RESERVED) != 0 || (s.rflags & Rflags.FIXED1) == 0) {
            return "RFLAGS reserved bits: 63:22, 15, 5, 3 must be 0 and bit 1 must be 1";
        }
        if ((s.rflags & Rflags.VM) != 0 && (ia32eGuest(s) || (s.cr0 & ControlBits.CR0_PE) == 0)) {
            return "RFLAGS.VM must be 0 in IA-32e mode or with CR0.PE = 0";
        }
        return null;
    }

    /** SDM 3C §26.3.1.5: blocking by STI needs RFLAGS.IF = 1; STI and MOV SS blocking not both. */
    private static String interruptibility(CpuState s) {
        if (s.stiShadow && s.movSsShadow) {
            return "blocking by STI and by MOV SS cannot both be set";
        }
        if (s.stiShadow && (s.rflags & Rflags.IF) == 0) {
            return "blocking by STI requires RFLAGS.IF = 1";
        }
        return null;
    }

    /**
     * Canonical with respect to the guest's linear-address width: 57 bits with CR4.LA57, 48
     * otherwise (SDM 3A §4.5; KVM checks against the guest's CR4.LA57 the same way).
     */
    private static boolean canonical(CpuState s, long address) {
        int unused = (s.cr4 & ControlBits.CR4_LA57) != 0 ? 7 : 16;
        return (address << unused >> unused) == address;
    }
}
