package dev.hvspec.machine.cpu.isa;

import static dev.hvspec.machine.cpu.isa.Attribute.BYTE;
import static dev.hvspec.machine.cpu.isa.Attribute.D64;
import static dev.hvspec.machine.cpu.isa.Attribute.F64;
import static dev.hvspec.machine.cpu.isa.Attribute.I64;
import static dev.hvspec.machine.cpu.isa.Attribute.LOCKABLE;
import static dev.hvspec.machine.cpu.isa.Attribute.SIZE_Z;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byMod;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byMode;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byPrefix;
import static dev.hvspec.machine.cpu.isa.MapBuilder.form;
import static dev.hvspec.machine.cpu.isa.MapBuilder.ud;

/**
 * SDM 2 Table A-2, the one-byte opcode map. Prefix bytes (26, 2E, 36, 3E, 64-67, F0, F2, F3 and,
 * in 64-bit mode, 40-4F) are consumed by the decoder before the map is consulted; their cells here
 * hold what the byte means when it is an opcode (INC/DEC outside 64-bit mode) or are marked as
 * prefixes. 0F is the escape to {@link TwoByteMap}; D8-DF escape to the x87 tables of {@link X87Map}.
 */
final class OneByteMap {
    private OneByteMap() {
    }

    static OpcodeMap build() {
        MapBuilder m = new MapBuilder();
        OpcodeEntry prefix = ud("prefix byte (consumed by the decoder)");
        // Rows 0-3: ALU ops, segment push/pop, segment prefixes and the BCD adjustments.
        m.alu(0x00, "ADD", LOCKABLE).op(0x06, "PUSH ES", I64).op(0x07, "POP ES", I64);
        m.alu(0x08, "OR", LOCKABLE).op(0x0E, "PUSH CS", I64).set(0x0F, ud("two-byte escape"));
        m.alu(0x10, "ADC", LOCKABLE).op(0x16, "PUSH SS", I64).op(0x17, "POP SS", I64);
        m.alu(0x18, "SBB", LOCKABLE).op(0x1E, "PUSH DS", I64).op(0x1F, "POP DS", I64);
        m.alu(0x20, "AND", LOCKABLE).set(0x26, prefix).op(0x27, "DAA", I64);
        m.alu(0x28, "SUB", LOCKABLE).set(0x2E, prefix).op(0x2F, "DAS", I64);
        m.alu(0x30, "XOR", LOCKABLE).set(0x36, prefix).op(0x37, "AAA", I64);
        m.alu(0x38, "CMP").set(0x3E, prefix).op(0x3F, "AAS", I64);
        // Row 4: INC/DEC r (i64: REX prefixes in 64-bit mode). Row 5: PUSH/POP r (d64).
        m.plusR(0x40, "INC Zv", I64).plusR(0x48, "DEC Zv", I64);
        m.plusR(0x50, "PUSH Zv", D64).plusR(0x58, "POP Zv", D64);
        // Row 6. 62 with mod = 11B is EVEX in every mode and BOUND is i64 (Table A-2 note);
        // 63 is ARPL outside 64-bit mode and MOVSXD in it (SDM 2 MOVSXD: the 32-bit source is
        // 16 bits with a 66 prefix, hence "Ez").
        m.op(0x60, "PUSHA", I64).op(0x61, "POPA", I64);
        m.set(0x62, byMode(byMod(form("BOUND Gv,Ma"), ud("EVEX (AVX-512)")), ud("EVEX (AVX-512)")));
        m.set(0x63, byMode(form("ARPL Ew,Gw"), form("MOVSXD Gv,Ez")));
        m.set(0x64, prefix).set(0x65, prefix).set(0x66, prefix).set(0x67, prefix);
        m.op(0x68, "PUSH Iz", D64).op(0x69, "IMUL Gv,Ev,Iz");
        m.op(0x6A, "PUSH Ib", D64).op(0x6B, "IMUL Gv,Ev,Ib");
        m.op(0x6C, "INS", BYTE).op(0x6D, "INS", SIZE_Z).op(0x6E, "OUTS", BYTE).op(0x6F, "OUTS", SIZE_Z);
        // Row 7: Jcc rel8 (f64).
        m.conditional(0x70, "JCC Jb", null, F64);
        // Row 8: group 1, TEST, XCHG, MOV, LEA, MOV Sreg, group 1A. 82 is an alias of 80, i64.
        m.set(0x80, OpcodeGroups.group1("Eb,Ib")).set(0x81, OpcodeGroups.group1("Ev,Iz"));
        m.set(0x82, byMode(OpcodeGroups.group1("Eb,Ib"), ud("82 is invalid in 64-bit mode")));
        m.set(0x83, OpcodeGroups.group1("Ev,Ib"));
        m.op(0x84, "TEST Eb,Gb").op(0x85, "TEST Ev,Gv");
        m.op(0x86, "XCHG Eb,Gb", LOCKABLE).op(0x87, "XCHG Ev,Gv", LOCKABLE);
        m.op(0x88, "MOV Eb,Gb").op(0x89, "MOV Ev,Gv").op(0x8A, "MOV Gb,Eb").op(0x8B, "MOV Gv,Ev");
        // SDM 2 MOV: "MOV r/m16, Sreg" stores 16 bits to memory; a register destination takes
        // the operand size. Table A-2 writes Ev,Sw / Sw,Ew.
        m.op(0x8C, "MOV Rv/Mw,Sw").op(0x8D, "LEA Gv,M").op(0x8E, "MOV Sw,Rv/Mw");
        m.set(0x8F, OpcodeGroups.group1A());
        // Row 9. 90 is NOP (F3 90 PAUSE) unless REX.B makes it XCHG r8, rAX (SDM 2 NOP, PAUSE, XCHG).
        m.set(0x90, new OpcodeEntry.ByRexB(
                byPrefix(form("NOP"), form("PAUSE")), form("XCHG Zv,rAX")));
        for (int r = 1; r < 8; r++) {
            m.op(0x90 + r, "XCHG Zv,rAX");
        }
        m.op(0x98, "CBW").op(0x99, "CWD").op(0x9A, "CALLF Ap", I64).op(0x9B, "FWAIT");
        m.op(0x9C, "PUSHF", D64).op(0x9D, "POPF", D64);
        // SDM 2 LAHF/SAHF: valid in 64-bit mode only if CPUID.80000001H:ECX.LAHF-SAHF[bit 0].
        m.set(0x9E, byMode(form("SAHF"), form("SAHF", IsaFeature.LAHF_LM)));
        m.set(0x9F, byMode(form("LAHF"), form("LAHF", IsaFeature.LAHF_LM)));
        // Row A: moffs MOV, string instructions, TEST accumulator.
        m.op(0xA0, "MOV AL,Ob").op(0xA1, "MOV rAX,Ov").op(0xA2, "MOV Ob,AL").op(0xA3, "MOV Ov,rAX");
        m.op(0xA4, "MOVS", BYTE).op(0xA5, "MOVS").op(0xA6, "CMPS", BYTE).op(0xA7, "CMPS");
        m.op(0xA8, "TEST AL,Ib").op(0xA9, "TEST rAX,Iz");
        m.op(0xAA, "STOS", BYTE).op(0xAB, "STOS").op(0xAC, "LODS", BYTE).op(0xAD, "LODS");
        m.op(0xAE, "SCAS", BYTE).op(0xAF, "SCAS");
        // Row B: MOV r, imm (B8+r takes an imm64 with REX.W: "Iv").
        m.plusR(0xB0, "MOV Zb,Ib").plusR(0xB8, "MOV Zv,Iv");
        // Row C. C4/C5 with mod = 11B, and always in 64-bit mode, are VEX prefixes.
        m.set(0xC0, OpcodeGroups.group2("Eb,Ub")).set(0xC1, OpcodeGroups.group2("Ev,Ub"));
        m.op(0xC2, "RET Uw", F64).op(0xC3, "RET", F64);
        m.set(0xC4, byMode(byMod(form("LES Gz,Mp"), ud("VEX (AVX)")), ud("VEX (AVX)")));
        m.set(0xC5, byMode(byMod(form("LDS Gz,Mp"), ud("VEX (AVX)")), ud("VEX (AVX)")));
        m.set(0xC6, OpcodeGroups.group11("Eb,Ib")).set(0xC7, OpcodeGroups.group11("Ev,Iz"));
        m.op(0xC8, "ENTER Uw,Ub", D64).op(0xC9, "LEAVE", D64);
        m.op(0xCA, "RETF Uw").op(0xCB, "RETF");
        m.op(0xCC, "INT3").op(0xCD, "INT Ub").op(0xCE, "INTO", I64).op(0xCF, "IRET");
        // Row D: shifts by 1 and CL, AAM/AAD, XLAT; D6 (SALC) is reserved; D8-DF x87.
        m.set(0xD0, OpcodeGroups.group2("Eb,1")).set(0xD1, OpcodeGroups.group2("Ev,1"));
        m.set(0xD2, OpcodeGroups.group2("Eb,CL")).set(0xD3, OpcodeGroups.group2("Ev,CL"));
        m.op(0xD4, "AAM Ub", I64).op(0xD5, "AAD Ub", I64);
        m.op(0xD7, "XLAT", BYTE);
        for (int escape = 0xD8; escape <= 0xDF; escape++) {
            m.set(escape, X87Map.escape(escape));
        }
        // Row E: LOOP/JrCXZ (f64), IN/OUT, CALL/JMP.
        m.op(0xE0, "LOOPNE Jb", F64).op(0xE1, "LOOPE Jb", F64).op(0xE2, "LOOP Jb", F64);
        m.op(0xE3, "JCXZ Jb", F64);
        m.op(0xE4, "IN AL,Ub").op(0xE5, "IN eAX,Ub", SIZE_Z);
        m.op(0xE6, "OUT Ub,AL").op(0xE7, "OUT Ub,eAX", SIZE_Z);
        m.op(0xE8, "CALL Jz", F64).op(0xE9, "JMP Jz", F64).op(0xEA, "JMPF Ap", I64).op(0xEB, "JMP Jb", F64);
        m.op(0xEC, "IN AL,DX").op(0xED, "IN eAX,DX", SIZE_Z);
        m.op(0xEE, "OUT DX,AL").op(0xEF, "OUT DX,eAX", SIZE_Z);
        // Row F: LOCK/REP prefixes, INT1, HLT, CMC, groups 3-5, flag instructions.
        m.set(0xF0, prefix).op(0xF1, "INT1").set(0xF2, prefix).set(0xF3, prefix);
        m.op(0xF4, "HLT").op(0xF5, "CMC");
        m.set(0xF6, OpcodeGroups.group3("Eb", "Ib")).set(0xF7, OpcodeGroups.group3("Ev", "Iz"));
        m.op(0xF8, "CLC").op(0xF9, "STC").op(0xFA, "CLI").op(0xFB, "STI").op(0xFC, "CLD").op(0xFD, "STD");
        m.set(0xFE, OpcodeGroups.group4()).set(0xFF, OpcodeGroups.group5());
        m.set(0xD6, ud("reserved (SALC) in SDM 2 Table A-2"));
        return m.build(Instruction.MAP_ONE_BYTE);
    }
}
