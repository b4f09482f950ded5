package dev.hvspec.machine.cpu.isa;

import dev.hvspec.machine.cpu.isa.Operand.Imm;
import dev.hvspec.machine.cpu.isa.Operand.Mem;
import dev.hvspec.machine.cpu.isa.Operand.Reg;
import dev.hvspec.machine.cpu.isa.Operand.Rel;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decoder rules from SDM 2 Chapter 2, each expectation computed by hand from the cited clause.
 * (Lengths and text of thousands of encodings are compared with objdump in {@link ObjdumpDifferentialTest}.)
 */
class DecoderTest {
    private static final int NONE = Mem.NONE;
    private static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
    private final Decoder all = new Decoder(EnumSet.allOf(IsaFeature.class));
    private final Decoder bare = new Decoder(EnumSet.noneOf(IsaFeature.class));

    private Instruction decode(Decoder d, String hex, int mode) throws DecodeException {
        return d.decode(CodeSource.of(HexFormat.of().parseHex(hex.replace(" ", "")), 0), mode);
    }

    private Instruction decode(String hex, int mode) throws DecodeException {
        return decode(all, hex, mode);
    }

    private void assertUndefined(Decoder d, String hex, int mode) {
        assertThatThrownBy(() -> decode(d, hex, mode)).isInstanceOf(DecodeException.class)
                .extracting(e -> ((DecodeException) e).kind()).isEqualTo(DecodeException.Kind.UNDEFINED);
    }

    private static Reg gpr(int index, int size) {
        return new Reg(RegisterKind.GPR, index, size);
    }

    @Test
    void addWithSibAndDisp8() throws Exception {
        // 03 44 88 10: ADD Gv,Ev; ModRM 44 = mod 01 reg 000 rm 100 (SIB); SIB 88 = scale 4, index ecx, base eax.
        Instruction i = decode("03 44 88 10", 4);
        assertThat(i).isEqualTo(new Instruction(Mnemonic.ADD, -1, 4, 4, 0, -1, gpr(0, 4),
                new Mem(DS, 0, 1, 4, 0x10, 4, 4, false), null, 4, 0x03));
    }

    @Test
    void operandSizeRulesIn64BitMode() throws Exception {
        // SDM 1 Table 3-4: REX.W takes precedence over 66.
        assertThat(decode("66 48 01 c0", 8).operandSize()).isEqualTo(8);
        assertThat(decode("66 01 c0", 8).operandSize()).isEqualTo(2);
        assertThat(decode("01 c0", 8).operandSize()).isEqualTo(4);
        // d64: PUSH defaults to 64 bits, 66 gives 16. f64: near JMP ignores 66 in 64-bit mode.
        assertThat(decode("50", 8).op1()).isEqualTo(gpr(0, 8));
        assertThat(decode("66 50", 8).op1()).isEqualTo(gpr(0, 2));
        assertThat(decode("66 e9 00 00 00 00", 8).op1()).isEqualTo(new Rel(0, 4, 8));
        // In 16-bit code, 66 selects 32-bit operands; 67 selects 32-bit addressing.
        Instruction i = decode("66 67 8b 00", 2);
        assertThat(i.op1()).isEqualTo(gpr(0, 4));
        assertThat(i.op2()).isEqualTo(new Mem(DS, 0, NONE, 1, 0, 4, 4, false));
    }

    @Test
    void rexMustImmediatelyPrecedeTheOpcode() throws Exception {
        // SDM 2 §2.2.1: a REX followed by a legacy prefix is ignored; a later REX wins.
        Instruction ignored = decode("48 66 01 c0", 8);
        assertThat(ignored.operandSize()).isEqualTo(2);
        assertThat(ignored.has(Prefix.REX)).isFalse();
        Instruction last = decode("41 48 01 c0", 8);
        assertThat(last.op1()).isEqualTo(gpr(0, 8));
        assertThat(last.prefixes()).isEqualTo(Prefix.REX | Prefix.REX_W);
        // Outside 64-bit mode 40-47 are INC.
        assertThat(decode("40", 4).mnemonic()).isEqualTo(Mnemonic.INC);
    }

    @Test
    void byteRegistersWithAndWithoutRex() throws Exception {
        // 88 e0: MOV AL, AH without REX; with any REX rm=100 is SPL (SDM 2 §2.2.1.2, Table 3-1).
        assertThat(decode("88 e0", 8).op2()).isEqualTo(new Reg(RegisterKind.GPR_HIGH8, 0, 1));
        assertThat(decode("40 88 e0", 8).op2()).isEqualTo(gpr(4, 1));
        // 44 = REX.R: the reg field names R12B.
        assertThat(decode("44 88 e0", 8).op2()).isEqualTo(gpr(12, 1));
        assertThat(decode("44 88 e0", 8).op1()).isEqualTo(gpr(0, 1));
    }

    @Test
    void segmentOverrides() throws Exception {
        // 32-bit: the last segment prefix counts; EBP base defaults to SS.
        Instruction i = decode("64 26 8b 45 00", 4);
        assertThat(i.segmentOverride()).isEqualTo(ES);
        assertThat(((Mem) i.op2()).segment()).isEqualTo(ES);
        assertThat(((Mem) decode("8b 45 00", 4).op2()).segment()).isEqualTo(SS);
        assertThat(((Mem) decode("8b 04 24", 4).op2()).segment()).isEqualTo(SS);
        // 64-bit: ES/CS/SS/DS overrides are ignored (SDM 3A §3.4.4), FS/GS are kept.
        Instruction fsDs = decode("64 3e 8b 00", 8);
        assertThat(((Mem) fsDs.op2()).segment()).isEqualTo(FS);
        assertThat(fsDs.segmentOverride()).isEqualTo(FS);
        Instruction dsOnRbp = decode("3e 8b 45 00", 8);
        assertThat(((Mem) dsOnRbp.op2()).segment()).isEqualTo(SS);
        assertThat(dsOnRbp.segmentOverride()).isEqualTo(DS);
        // R13 and R12 bases are not RBP/RSP: DS.
        assertThat(((Mem) decode("41 8b 45 00", 8).op2()).segment()).isEqualTo(DS);
        assertThat(((Mem) decode("41 8b 04 24", 8).op2()).segment()).isEqualTo(DS);
        // String instructions carry the override only.
        Instruction movs = decode("2e a5", 4);
        assertThat(movs.segmentOverride()).isEqualTo(CS);
        assertThat(movs.operandCount()).isZero();
        assertThat(decode("65 a5", 8).segmentOverride()).isEqualTo(GS);
    }

    @Test
    void sixteenBitAddressingForms() throws Exception {
        // SDM 2 Table 2-1: rm 010 = [BP+SI] (SS), mod 00 rm 110 = disp16, mod 01 rm 110 = [BP+disp8].
        assertThat(decode("8b 02", 2).op2()).isEqualTo(new Mem(SS, 5, 6, 1, 0, 2, 2, false));
        assertThat(decode("8b 06 34 12", 2).op2()).isEqualTo(new Mem(DS, NONE, NONE, 1, 0x1234, 2, 2, false));
        assertThat(decode("8b 46 fe", 2).op2()).isEqualTo(new Mem(SS, 5, NONE, 1, -2, 2, 2, false));
        assertThat(decode("8b 87 00 80", 2).op2()).isEqualTo(new Mem(DS, 3, NONE, 1, -0x8000, 2, 2, false));
        assertThat(decode("67 8b 00", 4).op2()).isEqualTo(new Mem(DS, 3, 6, 1, 0, 4, 2, false));
    }

    @Test
    void sibSpecialCases() throws Exception {
        // SIB.index 100 without REX.X: no index; with REX.X: R12. SIB.base 101 with mod 00: disp32, no base.
        assertThat(decode("8b 04 a4", 8).op2()).isEqualTo(new Mem(SS, 4, NONE, 1, 0, 4, 8, false));
        assertThat(decode("42 8b 04 a4", 8).op2()).isEqualTo(new Mem(SS, 4, 12, 4, 0, 4, 8, false));
        assertThat(decode("8b 04 8d 00 00 00 80", 4).op2())
                .isEqualTo(new Mem(DS, NONE, 1, 4, 0xFFFFFFFF80000000L, 4, 4, false));
        assertThat(decode("8b 04 25 10 00 00 00", 8).op2()).isEqualTo(new Mem(DS, NONE, NONE, 1, 0x10, 4, 8, false));
    }

    @Test
    void ripRelative() throws Exception {
        // SDM 2 §2.2.1.6: mod 00 rm 101 in 64-bit mode is [RIP + disp32]; with 67, [EIP + disp32].
        assertThat(decode("8b 05 f8 ff ff ff", 8).op2()).isEqualTo(new Mem(DS, NONE, NONE, 1, -8, 4, 8, true));
        assertThat(decode("67 8b 05 00 01 00 00", 8).op2()).isEqualTo(new Mem(DS, NONE, NONE, 1, 0x100, 4, 4, true));
        assertThat(decode("8b 05 00 01 00 00", 4).op2()).isEqualTo(new Mem(DS, NONE, NONE, 1, 0x100, 4, 4, false));
    }

    @Test
    void immediatesAreExtendedAsDefined() throws Exception {
        // 83 /0 ib: imm8 sign-extended to the operand size; C1 /4 ib: an unsigned count; 6A: push imm8 sign-extended.
        assertThat(decode("48 83 c0 ff", 8).op2()).isEqualTo(new Imm(-1, 1, 8));
        assertThat(decode("c1 e0 ff", 4).op2()).isEqualTo(new Imm(0xFF, 1, 1));
        assertThat(decode("d1 e0", 4).op2()).isEqualTo(new Imm(1, 0, 1));
        assertThat(decode("6a 80", 8).op1()).isEqualTo(new Imm(-128, 1, 8));
        assertThat(decode("48 c7 c0 00 00 00 80", 8).op2()).isEqualTo(new Imm(0xFFFFFFFF80000000L, 4, 8));
        assertThat(decode("48 b8 88 77 66 55 44 33 22 11", 8).op2()).isEqualTo(new Imm(0x1122334455667788L, 8, 8));
        assertThat(decode("cd 80", 4).op1()).isEqualTo(new Imm(0x80, 1, 1));
        assertThat(decode("c8 00 80 01", 4).op1()).isEqualTo(new Imm(0x8000, 2, 2));
        assertThat(decode("e4 f0", 4).op2()).isEqualTo(new Imm(0xF0, 1, 1));
    }

    @Test
    void moffsTakesTheAddressSize() throws Exception {
        // SDM 2 MOV A1: moffs is as wide as the address size (8 bytes in 64-bit mode).
        Instruction i = decode("48 a1 88 77 66 55 44 33 22 11", 8);
        assertThat(i.length()).isEqualTo(10);
        assertThat(i.op2()).isEqualTo(new Mem(DS, NONE, NONE, 1, 0x1122334455667788L, 8, 8, false));
        assertThat(decode("a0 34 12", 2).op2()).isEqualTo(new Mem(DS, NONE, NONE, 1, 0x1234, 1, 2, false));
    }

    @Test
    void groupOpcodeCarriesItsExtension() throws Exception {
        Instruction not = decode("f7 d0", 4);
        assertThat(not.mnemonic()).isEqualTo(Mnemonic.NOT);
        assertThat(not.opcodeExtension()).isEqualTo(2);
        assertThat(not.opcode()).isEqualTo(0xF7 | (1 << 19) | (2 << 16));
        assertThat(decode("0f 01 f9", 8).mnemonic()).isEqualTo(Mnemonic.RDTSCP);
        assertThat(decode("0f 01 f8", 8).mnemonic()).isEqualTo(Mnemonic.SWAPGS);
    }

    @Test
    void lockRules() throws Exception {
        // SDM 2 LOCK: only the listed instructions, and only with a memory destination.
        assertThat(decode("f0 01 00", 4).has(Prefix.LOCK)).isTrue();
        assertUndefined(all, "f0 01 c0", 4);
        assertUndefined(all, "f0 8b 00", 4);
        assertUndefined(all, "f0 39 00", 4);
        assertUndefined(all, "f0 a5", 4);
        assertThat(decode("f0 0f c7 08", 4).mnemonic()).isEqualTo(Mnemonic.CMPXCHG8B);
    }

    @Test
    void featureAndModeChecks() throws Exception {
        assertUndefined(bare, "f3 0f b8 c0", 4);
        assertThat(decode(bare, "f3 0f bc c0", 4).mnemonic()).isEqualTo(Mnemonic.BSF);
        assertThat(decode(all, "f3 0f bc c0", 4).mnemonic()).isEqualTo(Mnemonic.TZCNT);
        assertThat(decode(bare, "f3 0f bd c0", 4).mnemonic()).isEqualTo(Mnemonic.BSR);
        assertUndefined(bare, "0f 31", 4);
        assertUndefined(all, "0f 05", 4);
        assertThat(decode("0f 05", 8).mnemonic()).isEqualTo(Mnemonic.SYSCALL);
        assertUndefined(all, "06", 8);
        assertUndefined(all, "0f 01 f8", 4);
        assertUndefined(bare, "9e", 8);
        assertThat(decode(bare, "9e", 4).mnemonic()).isEqualTo(Mnemonic.SAHF);
        assertThat(decode("48 0f c7 08", 8).mnemonic()).isEqualTo(Mnemonic.CMPXCHG16B);
        assertThat(decode("f3 90", 4).mnemonic()).isEqualTo(Mnemonic.PAUSE);
        assertThat(decode("41 90", 8).op1()).isEqualTo(gpr(8, 4));
    }

    @Test
    void x87AndSseEncodings() throws Exception {
        Reg st0 = new Reg(RegisterKind.X87, 0, 10);
        // D8 C1: FADD ST(0), ST(1) (Table A-8); DC C1: FADD ST(1), ST(0) (Table A-16).
        assertThat(decode("d8 c1", 4)).extracting(Instruction::mnemonic, Instruction::op1, Instruction::op2)
                .containsExactly(Mnemonic.FADD, st0, new Reg(RegisterKind.X87, 1, 10));
        assertThat(decode("dc c1", 4).op1()).isEqualTo(new Reg(RegisterKind.X87, 1, 10));
        // DB 28: FLD m80fp [eax]; DD 30: FNSAVE with 94 bytes in 16-bit code, 108 in 32-bit code.
        assertThat(decode("db 28", 4).op1()).isEqualTo(new Mem(DS, 0, NONE, 1, 0, 10, 4, false));
        assertThat(decode("dd 30", 4).op1().size()).isEqualTo(108);
        assertThat(decode("dd 32", 2).op1().size()).isEqualTo(94);
        assertThat(decode("66 d9 30", 4).op1().size()).isEqualTo(14);
        // DA C8: FCMOVE; 9B is FWAIT on its own (FSTSW AX is two instructions, SDM 2 FSTSW).
        assertThat(decode("da c8", 4).conditionCode()).isEqualTo(Condition.E);
        assertThat(decode("9b df e0", 4)).extracting(Instruction::mnemonic, Instruction::length)
                .containsExactly(Mnemonic.FWAIT, 1);
        // SSE: 66 selects ADDPD, F3 ADDSS (over 66), F2 ADDSD; REX.R/B reach XMM8-15.
        assertThat(decode("66 0f 58 c1", 8).mnemonic()).isEqualTo(Mnemonic.ADDPD);
        assertThat(decode("66 f3 0f 58 c1", 8).mnemonic()).isEqualTo(Mnemonic.ADDSS);
        assertThat(decode("45 0f 58 c1", 8)).extracting(Instruction::op1, Instruction::op2)
                .containsExactly(new Reg(RegisterKind.XMM, 8, 16), new Reg(RegisterKind.XMM, 9, 16));
        // F3 0F 10 /r with memory: MOVSS loads 4 bytes; F2 0F 2A with REX.W: CVTSI2SD from r/m64.
        assertThat(decode("f3 0f 10 00", 8).op2().size()).isEqualTo(4);
        assertThat(decode("f2 48 0f 2a c0", 8).op2()).isEqualTo(gpr(0, 8));
        // 0F 6E without prefix is MOVD mm, r/m32; REX.B does not extend MMX registers.
        assertThat(decode("41 0f 6e c0", 8)).extracting(Instruction::op1, Instruction::op2)
                .containsExactly(new Reg(RegisterKind.MMX, 0, 8), gpr(8, 4));
        // Without the features the encodings are #UD.
        assertUndefined(bare, "d8 00", 4);
        assertUndefined(bare, "0f 10 00", 4);
        assertUndefined(bare, "66 0f ef c0", 4);
        assertUndefined(bare, "0f ae 00", 4);
    }

    @Test
    void undefinedEncodings() {
        assertUndefined(all, "d9 08", 4);       // D9 /1 memory: blank in Table A-9
        assertUndefined(all, "dd c8", 4);       // DD C8: FXCH alias, blank in Table A-18
        assertUndefined(all, "66 0f 12 c0", 4); // MOVLPD xmm, m64 has no register form
        assertUndefined(all, "0f 50 00", 4);    // MOVMSKPS needs an XMM register (U)
        assertUndefined(all, "66 0f 73 18 00", 4); // group 14 has no memory forms
        assertUndefined(all, "f3 0f 28 c0", 4); // F3 column of MOVAPS is blank
        assertUndefined(all, "f0 0f 58 00", 4); // LOCK on an SSE instruction
        assertUndefined(all, "c4 00", 8);       // VEX in 64-bit mode
        assertUndefined(all, "8d c0", 4);       // LEA with a register source (M)
        assertUndefined(all, "0f 20 c8", 4);    // MOV from CR1
        assertUndefined(all, "8e c8", 4);       // MOV CS, r/m
        assertUndefined(all, "8c f0", 4);       // Sreg 6
        assertUndefined(all, "f6 c8 00", 4);    // F6 /1 blank in Table A-6
        assertUndefined(all, "0f c7 c8", 4);    // CMPXCHG8B with a register
        assertUndefined(all, "44 0f 21 c0", 8); // DR8
        assertUndefined(all, "0f ae f9", 4);    // SFENCE is 0F AE F8 only
        assertUndefined(all, "66 0f ae e8", 4); // LFENCE is NP
        assertUndefined(all, "f3 0f 09", 4);    // WBNOINVD, not advertised
        assertUndefined(all, "f2 0f bd c0", 4); // no F2 form next to LZCNT
    }

    @Test
    void undefinedOpcodesAreInstructions() throws Exception {
        // UD0/UD1/UD2 decode; the executor raises #UD (SDM 2 UD).
        assertThat(decode("0f 0b", 4).mnemonic()).isEqualTo(Mnemonic.UD2);
        assertThat(decode("0f b9 00", 4).length()).isEqualTo(3);
        assertThat(decode("0f ff c0", 4).mnemonic()).isEqualTo(Mnemonic.UD0);
    }

    @Test
    void fifteenByteLimit() throws Exception {
        // SDM 2 §2.3.11: 15 bytes are fine, a 16th byte is #GP.
        assertThat(decode("66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 4).length()).isEqualTo(15);
        assertThatThrownBy(() -> decode("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90", 4))
                .isInstanceOf(DecodeException.class)
                .extracting(e -> ((DecodeException) e).kind()).isEqualTo(DecodeException.Kind.TOO_LONG);
    }

    @Test
    void codeSourceFaultsPropagateUntouched() {
        RuntimeException fault = new IllegalStateException("page fault at byte 2");
        CodeSource faulting = offset -> {
            if (offset == 2) {
                throw fault;
            }
            return new int[] {0x8b, 0x80}[offset];
        };
        assertThatThrownBy(() -> all.decode(faulting, 4)).isSameAs(fault);
    }
}
