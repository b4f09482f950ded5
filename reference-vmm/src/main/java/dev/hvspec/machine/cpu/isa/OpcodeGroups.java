package dev.hvspec.machine.cpu.isa;

import static dev.hvspec.machine.cpu.isa.Attribute.D64;
import static dev.hvspec.machine.cpu.isa.Attribute.F64;
import static dev.hvspec.machine.cpu.isa.Attribute.LOCKABLE;
import static dev.hvspec.machine.cpu.isa.Attribute.O64;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byMod;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byPrefix;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byRexW;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byRm;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byFeature;
import static dev.hvspec.machine.cpu.isa.MapBuilder.form;
import static dev.hvspec.machine.cpu.isa.MapBuilder.group;
import static dev.hvspec.machine.cpu.isa.MapBuilder.ud;

/**
 * The opcode-extension groups of SDM 2 Table A-6 ("Opcode Extensions for One- and Two-byte
 * Opcodes by Group Number"): ModRM.reg selects the row, and for some groups ModRM.mod (memory or
 * 11B) and ModRM.rm select further. Blank cells of Table A-6 are reserved (#UD), including the
 * undocumented aliases real parts decode (F6/F7 /1 TEST, C0-D3 /6 SAL).
 */
final class OpcodeGroups {
    private OpcodeGroups() {
    }

    private static final String RESERVED = "reserved in SDM 2 Table A-6";

    /** Group 1 (80-83): the eight ALU operations; all but CMP are lockable. */
    static OpcodeEntry.Group group1(String operands) {
        return group("1",
                form("ADD " + operands, LOCKABLE),
                form("OR " + operands, LOCKABLE),
                form("ADC " + operands, LOCKABLE),
                form("SBB " + operands, LOCKABLE),
                form("AND " + operands, LOCKABLE),
                form("SUB " + operands, LOCKABLE),
                form("XOR " + operands, LOCKABLE),
                form("CMP " + operands));
    }

    /** Group 1A (8F): /0 POP Ev (d64); /1-/7 are the AMD XOP escape, not supported. */
    static OpcodeEntry.Group group1A() {
        return group("1A", form("POP Ev", D64), ud("XOP"), ud("XOP"), ud("XOP"),
                ud("XOP"), ud("XOP"), ud("XOP"), ud("XOP"));
    }

    /** Group 2 (C0, C1, D0-D3): rotates and shifts; /6 is blank in Table A-6. */
    static OpcodeEntry.Group group2(String operands) {
        return group("2",
                form("ROL " + operands), form("ROR " + operands),
                form("RCL " + operands), form("RCR " + operands),
                form("SHL " + operands), form("SHR " + operands),
                ud(RESERVED), form("SAR " + operands));
    }

    /** Group 3 (F6 with "b", F7 with "v"): TEST, NOT, NEG, MUL, IMUL, DIV, IDIV. */
    static OpcodeEntry.Group group3(String e, String i) {
        return group("3",
                form("TEST " + e + "," + i), ud(RESERVED),
                form("NOT " + e, LOCKABLE), form("NEG " + e, LOCKABLE),
                form("MUL " + e), form("IMUL " + e),
                form("DIV " + e), form("IDIV " + e));
    }

    /** Group 4 (FE): INC/DEC Eb. */
    static OpcodeEntry.Group group4() {
        return group("4", form("INC Eb", LOCKABLE), form("DEC Eb", LOCKABLE),
                ud(RESERVED), ud(RESERVED), ud(RESERVED), ud(RESERVED), ud(RESERVED), ud(RESERVED));
    }

    /**
     * Group 5 (FF). Near CALL/JMP are f64 (Table A-6); PUSH is d64. Far CALL/JMP take an m16:16,
     * m16:32 or, with REX.W, m16:64 pointer (SDM 2 CALL, JMP: "REX.W FF /3").
     */
    static OpcodeEntry.Group group5() {
        return group("5",
                form("INC Ev", LOCKABLE), form("DEC Ev", LOCKABLE),
                form("CALL Ev", F64), form("CALLF Mp"),
                form("JMP Ev", F64), form("JMPF Mp"),
                form("PUSH Ev", D64), ud(RESERVED));
    }

    /** Group 6 (0F 00): LDT/TR and segment verification. */
    static OpcodeEntry.Group group6() {
        return group("6",
                form("SLDT Rv/Mw"), form("STR Rv/Mw"), form("LLDT Ew"), form("LTR Ew"),
                form("VERR Ew"), form("VERW Ew"), ud(RESERVED), ud(RESERVED));
    }

    /**
     * Group 7 (0F 01). Memory forms: descriptor-table loads/stores (m16&amp;32, m16&amp;64 in 64-bit
     * mode: f64, SDM 2 LGDT "operand size fixed at 8+2 bytes"), SMSW, LMSW, INVLPG. Register forms
     * (mod = 11B) are selected by rm; of those, VMX, SVM, MONITOR/MWAIT, XGETBV and the rest not
     * listed are not advertised.
     */
    static OpcodeEntry.Group group7() {
        OpcodeEntry notAdvertised = ud("not advertised (VMX/SVM/MONITOR/XSAVE/…)");
        OpcodeEntry reg1 = byRm(notAdvertised, notAdvertised,
                form("CLAC", IsaFeature.SMAP), form("STAC", IsaFeature.SMAP),
                notAdvertised, notAdvertised, notAdvertised, notAdvertised);
        OpcodeEntry reg7 = byRm(form("SWAPGS", O64), form("RDTSCP", IsaFeature.RDTSCP),
                notAdvertised, notAdvertised, notAdvertised, notAdvertised, notAdvertised, notAdvertised);
        return group("7",
                byMod(form("SGDT Ms", F64), notAdvertised),
                byMod(form("SIDT Ms", F64), reg1),
                byMod(form("LGDT Ms", F64), notAdvertised),
                byMod(form("LIDT Ms", F64), notAdvertised),
                form("SMSW Rv/Mw"),
                ud(RESERVED),
                form("LMSW Ew"),
                byMod(form("INVLPG M"), reg7));
    }

    /** Group 8 (0F BA): bit tests with an immediate bit offset. */
    static OpcodeEntry.Group group8() {
        return group("8", ud(RESERVED), ud(RESERVED), ud(RESERVED), ud(RESERVED),
                form("BT Ev,Ub"), form("BTS Ev,Ub", LOCKABLE),
                form("BTR Ev,Ub", LOCKABLE), form("BTC Ev,Ub", LOCKABLE));
    }

    /**
     * Group 9 (0F C7): /1 CMPXCHG8B m64, or CMPXCHG16B m128 with REX.W (SDM 2 CMPXCHG8B/16B);
     * the rest (RDRAND, RDSEED, VMPTRLD, XSAVES …) are not advertised.
     */
    static OpcodeEntry.Group group9() {
        OpcodeEntry notAdvertised = ud("not advertised (RDRAND/RDSEED/VMX/XSAVES)");
        OpcodeEntry cmpxchg = byMod(byRexW(
                form("CMPXCHG8B Mq", IsaFeature.CX8, LOCKABLE),
                form("CMPXCHG16B Mdq", IsaFeature.CX16, LOCKABLE)), ud("CMPXCHG8B needs memory"));
        return group("9", notAdvertised, cmpxchg, notAdvertised, notAdvertised,
                notAdvertised, notAdvertised, notAdvertised, notAdvertised);
    }

    /** Group 11 (C6 with "b", C7 with "v"): MOV Ex,Ix; the rest (XABORT, XBEGIN) need RTM. */
    static OpcodeEntry.Group group11(String operands) {
        OpcodeEntry rtm = ud("RTM not advertised");
        return group("11", form("MOV " + operands), ud(RESERVED), ud(RESERVED), ud(RESERVED),
                ud(RESERVED), ud(RESERVED), ud(RESERVED), rtm);
    }

    /**
     * Group 15 (0F AE). Register forms: LFENCE (SSE2), MFENCE (SSE2), SFENCE (SSE), whose opcode
     * columns give the whole ModRM byte (0F AE E8, F0, F8): other rm values are reserved.
     * Memory: /0 FXSAVE and /1 FXRSTOR m512 (FXSR), /2 LDMXCSR and /3 STMXCSR m32 (SSE), /7
     * CLFLUSH m8 (CLFSH); XSAVE/XRSTOR/XSAVEOPT (/4-/6) are not advertised. F3-prefixed register
     * forms (RDFSBASE …) are not advertised.
     */
    static OpcodeEntry group15() {
        OpcodeEntry xsave = ud("XSAVE not advertised");
        OpcodeEntry noReg = ud(RESERVED);
        OpcodeEntry clflush = form("CLFLUSH Mb", IsaFeature.CLFSH);
        OpcodeEntry plain = group("15",
                byMod(form("FXSAVE M512", IsaFeature.FXSR), noReg),
                byMod(form("FXRSTOR M512", IsaFeature.FXSR), noReg),
                byMod(form("LDMXCSR Md", IsaFeature.SSE), noReg),
                byMod(form("STMXCSR Md", IsaFeature.SSE), noReg),
                byMod(xsave, noReg),
                byMod(xsave, rm0(form("LFENCE", IsaFeature.SSE2))),
                byMod(xsave, rm0(form("MFENCE", IsaFeature.SSE2))),
                byMod(clflush, rm0(form("SFENCE", IsaFeature.SSE))));
        // SDM 2 LFENCE/MFENCE/SFENCE/CLFLUSH are "NP": a 66/F2/F3 prefix is #UD or another
        // instruction (66: CLFLUSHOPT, TPAUSE …; F3: RDFSBASE …), none of them advertised.
        OpcodeEntry other = ud("66/F2/F3 0F AE: FSGSBASE/CLFLUSHOPT/WAITPKG/PTWRITE not advertised");
        return byPrefix(plain, other, other, other);
    }

    /** Only rm = 000b selects {@code form}; the other register forms are reserved. */
    private static OpcodeEntry rm0(Form form) {
        OpcodeEntry r = ud(RESERVED);
        return byRm(form, r, r, r, r, r, r, r);
    }

    /**
     * Group 16 (0F 18): /0-/3 PREFETCHNTA/T0/T1/T2 m8 (SSE); the register forms and /4-/7 are
     * reserved NOPs (SDM 2 Table A-3, 0F 18-0F 1F "NOP Ev"). Prefetches never access memory
     * architecturally, so their operand has size 0.
     */
    static OpcodeEntry.Group group16() {
        OpcodeEntry prefetch = byMod(byFeature(IsaFeature.SSE, form("PREFETCH M"), form("NOP Rv/M")),
                form("NOP Rv/M"));
        OpcodeEntry nop = form("NOP Rv/M");
        return group("16", prefetch, prefetch, prefetch, prefetch, nop, nop, nop, nop);
    }
}
