package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The opcode maps as data, checked cell by cell against SDM 2 Appendix A (Tables A-2, A-3, A-6)
 * and the instruction pages; each expectation below was read off the SDM by hand.
 */
class OpcodeTablesTest {
    private final OpcodeTables tables = OpcodeTables.standard();

    private Slot only(int opcode) {
        List<Slot> slots = tables.slotsFor(opcode);
        assertThat(slots).as("forms under %x", opcode).hasSize(1);
        return slots.get(0);
    }

    private static int group(int opcode, int reg) {
        return opcode | (1 << 19) | (reg << 16);
    }

    @Test
    void everyMnemonicHasAForm() {
        // Issue 3's instruction list is the Mnemonic enum: each must be reachable in the maps.
        Set<Mnemonic> seen = EnumSet.noneOf(Mnemonic.class);
        tables.slots().forEach(s -> seen.add(s.form().mnemonic()));
        assertThat(EnumSet.complementOf(EnumSet.copyOf(seen))).isEmpty();
    }

    @Test
    void aluRowsFollowTableA2() {
        // SDM 2 Table A-2 row 0: 00 ADD Eb,Gb … 05 ADD rAX,Iz; LOCK only on the memory-destination forms.
        assertThat(only(0x00).form().toString()).isEqualTo("ADD Eb,Gb");
        assertThat(only(0x00).form().is(Attribute.LOCKABLE)).isTrue();
        assertThat(only(0x03).form().toString()).isEqualTo("ADD Gv,Ev");
        assertThat(only(0x05).form().toString()).isEqualTo("ADD rAX,Iz");
        assertThat(only(0x3D).form().toString()).isEqualTo("CMP rAX,Iz");
        assertThat(only(0x39).form().is(Attribute.LOCKABLE)).isFalse();
        assertThat(only(0x00).form().is(Attribute.BYTE)).isTrue();
        assertThat(only(0x01).form().is(Attribute.BYTE)).isFalse();
    }

    @Test
    void groupsFollowTableA6() {
        assertThat(only(group(0x80, 7)).form().toString()).isEqualTo("CMP Eb,Ib");
        assertThat(only(group(0x83, 0)).form().toString()).isEqualTo("ADD Ev,Ib");
        assertThat(only(group(0xF7, 3)).form().toString()).isEqualTo("NEG Ev");
        assertThat(tables.slotsFor(group(0xF7, 1))).as("F7 /1 is blank in Table A-6").isEmpty();
        assertThat(tables.slotsFor(group(0xC1, 6))).as("C1 /6 is blank in Table A-6").isEmpty();
        assertThat(only(group(0xFF, 2)).form().is(Attribute.F64)).isTrue();
        assertThat(only(group(0xFF, 6)).form().is(Attribute.D64)).isTrue();
        assertThat(only(group(0x100, 3)).form().toString()).isEqualTo("LTR Ew");
        assertThat(only(group(0x1BA, 4)).form().toString()).isEqualTo("BT Ev,Ub");
    }

    @Test
    void group7RegisterFormsAreSelectedByRm() {
        // Table A-6: 0F 01 /7 with mod 11B: rm 000 SWAPGS (o64), rm 001 RDTSCP; /1 rm 010 CLAC, 011 STAC.
        List<Slot> reg7 = tables.slotsFor(group(0x101, 7));
        assertThat(reg7).extracting(s -> s.form().mnemonic() + "@" + s.rm() + "/" + s.mod())
                .containsExactlyInAnyOrder("INVLPG@-1/MEMORY", "SWAPGS@0/REGISTER", "RDTSCP@1/REGISTER");
        assertThat(reg7.stream().filter(s -> s.form().mnemonic() == Mnemonic.SWAPGS).findFirst().orElseThrow()
                .form().is(Attribute.O64)).isTrue();
        assertThat(tables.slotsFor(group(0x101, 1))).extracting(s -> s.form().mnemonic())
                .containsExactlyInAnyOrder(Mnemonic.SIDT, Mnemonic.CLAC, Mnemonic.STAC);
    }

    @Test
    void mandatoryPrefixesSelectForms() {
        // SDM 2 POPCNT: F3 0F B8; TZCNT: F3 0F BC (BSF without BMI1); LZCNT: F3 0F BD; PAUSE: F3 90.
        List<Slot> b8 = tables.slotsFor(0x1B8);
        assertThat(b8).hasSize(1);
        assertThat(b8.get(0).requiredPrefix()).isEqualTo(Prefix.REP);
        assertThat(b8.get(0).form().feature()).isEqualTo(IsaFeature.POPCNT);
        assertThat(tables.slotsFor(0x1BC)).extracting(s -> s.form().mnemonic() + "/" + s.requiredPrefix())
                .containsExactlyInAnyOrder("BSF/0", "TZCNT/" + Prefix.REP, "BSF/" + Prefix.REP);
        assertThat(tables.slotsFor(0x1BD)).extracting(s -> s.form().mnemonic())
                .contains(Mnemonic.LZCNT, Mnemonic.BSR);
        assertThat(tables.slotsFor(0x90)).extracting(s -> s.form().mnemonic() + "/" + s.requiredPrefix() + "/" + s.rexB())
                .containsExactlyInAnyOrder("NOP/0/0", "PAUSE/" + Prefix.REP + "/0", "XCHG/0/1");
    }

    @Test
    void modeSpecificCells() {
        // Table A-2: 63 is ARPL outside 64-bit mode, MOVSXD in it; 06 PUSH ES is i64; 0F 05 SYSCALL o64.
        assertThat(tables.slotsFor(0x63)).extracting(s -> s.form().mnemonic() + "/" + s.mode())
                .containsExactlyInAnyOrder("ARPL/LEGACY", "MOVSXD/LONG");
        assertThat(only(0x06).validIn(8)).isFalse();
        assertThat(only(0x06).validIn(4)).isTrue();
        assertThat(only(0x105).validIn(4)).isFalse();
        assertThat(only(0x105).validIn(8)).isTrue();
        assertThat(tables.slotsFor(group(0x1C7, 1))).extracting(s -> s.form().mnemonic() + "/" + s.rexW())
                .containsExactlyInAnyOrder("CMPXCHG8B/0", "CMPXCHG16B/1");
    }

    @Test
    void conditionalRowsCoverAllSixteenConditions() {
        for (int cc = 0; cc < 16; cc++) {
            assertThat(only(0x70 + cc).form().condition()).isEqualTo(cc);
            assertThat(only(0x180 + cc).form().mnemonic()).isEqualTo(Mnemonic.JCC);
            assertThat(only(0x190 + cc).form().mnemonic()).isEqualTo(Mnemonic.SETCC);
            assertThat(only(0x140 + cc).form().feature()).isEqualTo(IsaFeature.CMOV);
        }
    }

    @Test
    void outOfScopeExtensionsAreUndefined() {
        // VEX in 64-bit mode (C4/C5), 0F 3A (SSSE3/SSE4), XSAVE (0F AE /4), 3DNow! (0F 0F): no forms.
        assertThat(tables.slotsFor(0xC4)).extracting(Slot::mode).containsExactly(Slot.ModeRequirement.LEGACY);
        assertThat(tables.slots()).noneMatch(s -> s.map() == Instruction.MAP_0F3A);
        assertThat(tables.slotsFor(group(0x1AE, 4))).isEmpty();
        assertThat(tables.slotsFor(0x10F)).isEmpty();
    }

    private List<String> describe(int opcode) {
        return tables.slotsFor(opcode).stream().map(Slot::toString).toList();
    }

    @Test
    void x87EscapesFollowTablesA7ToA22() {
        // Table A-7: D8 /0-/7 memory forms on m32fp; Table A-8: D8 C0-FF register forms.
        assertThat(describe(group(0xD8, 0))).containsExactlyInAnyOrder("D8 /0 mem  FADD Md", "D8 /0 11B  FADD ST,STi");
        assertThat(describe(group(0xD8, 3))).containsExactlyInAnyOrder("D8 /3 mem  FCOMP Md", "D8 /3 11B  FCOMP STi");
        // Table A-9 / A-10: D9 /1 memory is blank; D9 E8-EE load constants; D9 F0-FF functions.
        assertThat(describe(group(0xD9, 1))).containsExactly("D9 /1 11B  FXCH STi");
        assertThat(describe(group(0xD9, 5))).contains("D9 /5 mem  FLDCW Mw", "D9 /5 rm=0 11B  FLD1", "D9 /5 rm=6 11B  FLDZ");
        assertThat(describe(group(0xD9, 7))).contains("D9 /7 rm=2 11B  FSQRT", "D9 /7 rm=7 11B  FCOS");
        // Table A-16: DC E0+i is FSUBR ST(i),ST(0) and DC E8+i FSUB ST(i),ST(0) (SDM 2 FSUB/FSUBR).
        assertThat(describe(group(0xDC, 4))).contains("DC /4 11B  FSUBR STi,ST");
        assertThat(describe(group(0xDC, 5))).contains("DC /5 11B  FSUB STi,ST");
        // Tables A-13/A-14: DB /5 is FLD m80fp, DB E2/E3 FNCLEX/FNINIT; DF E0 FNSTSW AX; DE D9 FCOMPP.
        assertThat(describe(group(0xDB, 5))).contains("DB /5 mem  FLD Mt", "DB /5 11B  FUCOMI ST,STi");
        assertThat(describe(group(0xDB, 4))).contains("DB /4 rm=2 11B  FNCLEX", "DB /4 rm=3 11B  FNINIT");
        assertThat(describe(group(0xDF, 4))).contains("DF /4 mem  FBLD Mt", "DF /4 rm=0 11B  FNSTSW AX");
        assertThat(describe(group(0xDE, 3))).containsExactly("DE /3 mem  FICOMP Mw", "DE /3 rm=1 11B  FCOMPP");
        // FISTTP (SSE3) and FCMOVcc (CMOV and FPU).
        assertThat(tables.slotsFor(group(0xDB, 1))).filteredOn(s -> s.mod() == Slot.ModRequirement.MEMORY)
                .extracting(s -> s.form().feature()).containsExactly(IsaFeature.SSE3);
        assertThat(tables.slotsFor(group(0xDA, 0))).filteredOn(s -> s.form().mnemonic() == Mnemonic.FCMOVCC)
                .extracting(s -> s.feature() + "/" + s.form().condition()).containsExactly("CMOV/" + Condition.B.ordinal());
        // Blank: DD C8+i (FXCH alias), D9 D8+i (FSTP alias), DF C0+i (FFREEP).
        assertThat(describe(group(0xDD, 1))).containsExactly("DD /1 mem  FISTTP Mq");
        assertThat(describe(group(0xD9, 3))).containsExactly("D9 /3 mem  FSTP Md");
        assertThat(describe(group(0xDF, 0))).containsExactly("DF /0 mem  FILD Mw");
    }

    @Test
    void sseCellsAreSelectedByTheMandatoryPrefix() {
        // SDM 2 Table A-3 0F 58: ADDPS (none), ADDPD (66), ADDSS (F3), ADDSD (F2).
        assertThat(describe(0x158)).containsExactlyInAnyOrder("0F 58  ADDPS Vps,Wps", "66 0F 58  ADDPD Vpd,Wpd",
                "F3 0F 58  ADDSS Vss,Wss", "F2 0F 58  ADDSD Vsd,Wsd");
        // 0F 12: MOVLPS (memory) / MOVHLPS (register), 66 MOVLPD, F3 MOVSLDUP, F2 MOVDDUP.
        assertThat(describe(0x112)).containsExactlyInAnyOrder("0F 12 mem  MOVLPS Vq,Mq", "0F 12 11B  MOVHLPS Vq,Uq",
                "66 0F 12  MOVLPD Vq,Mq", "F3 0F 12  MOVSLDUP Vps,Wps", "F2 0F 12  MOVDDUP Vdq,Wsd");
        // 0F 6F: MOVQ mm (MMX), 66 MOVDQA, F3 MOVDQU; 0F 7E: F3 is MOVQ xmm, xmm/m64.
        assertThat(describe(0x16F)).containsExactlyInAnyOrder("0F 6F  MOVQ Pq,Qq", "66 0F 6F  MOVDQA Vdq,Wdq",
                "F3 0F 6F  MOVDQU Vdq,Wdq");
        assertThat(describe(0x17E)).contains("F3 0F 7E  MOVQ Vdq,Wq");
        // Group 14 (0F 73): /3 PSRLDQ and /7 PSLLDQ exist only with 66 and only on registers.
        assertThat(describe(group(0x173, 3))).containsExactly("66 0F 73 /3 11B  PSRLDQ Udq,Ub");
        assertThat(describe(group(0x173, 6))).containsExactlyInAnyOrder("0F 73 /6 11B  PSLLQ Nq,Ub",
                "66 0F 73 /6 11B  PSLLQ Udq,Ub");
        // Group 15: FXSAVE/FXRSTOR (FXSR), LDMXCSR/STMXCSR (SSE).
        assertThat(describe(group(0x1AE, 0))).containsExactly("0F AE /0 mem  FXSAVE M512");
        assertThat(only(group(0x1AE, 2)).form().feature()).isEqualTo(IsaFeature.SSE);
        // Features follow the instruction pages: ADDSS is SSE, CVTSS2SD SSE2, MOVSHDUP SSE3, PADDQ mm SSE2.
        assertThat(tables.slotsFor(0x15A)).extracting(s -> s.form().feature()).containsOnly(IsaFeature.SSE2);
        assertThat(tables.slotsFor(0x1D4)).extracting(s -> s.form().feature()).containsOnly(IsaFeature.SSE2);
        assertThat(tables.slotsFor(0x1E0)).extracting(s -> s.form().feature() + " " + s.form())
                .containsExactlyInAnyOrder("SSE PAVGB Pq,Qq", "SSE2 PAVGB Vdq,Wdq");
    }

    @Test
    void noTwoFormsShareAnEncoding() {
        Set<String> keys = new HashSet<>();
        for (Slot s : tables.slots()) {
            String key = s.opcode() + "/" + s.rm() + "/" + s.mod() + "/" + s.requiredPrefix() + "/"
                    + s.mode() + "/" + s.rexW() + "/" + s.rexB() + "/" + s.feature() + s.featurePresent();
            assertThat(keys.add(key)).as("duplicate slot %s", s).isTrue();
        }
    }

    @Test
    void operandNotationRoundTrips() {
        for (String code : List.of("Eb", "Ev", "Gz", "Ib", "Iz", "Ub", "Uw", "Jb", "Jz", "Ob", "Ov", "Ap",
                "Mp", "Ms", "Ma", "Mdq", "M", "Rv/Mw", "Rv/M", "Sw", "Cy", "Dy", "Ry", "Zv", "1",
                "AL", "CL", "DX", "rAX", "eAX", "ES", "GS", "AX", "Vps", "Wsd", "Uq", "Udq", "Pq", "Qd",
                "Nq", "ST", "STi", "Mt", "M14/28", "M94/108", "M512", "Rd/Mw")) {
            assertThat(OperandType.parse(code).toString()).isEqualTo(code);
        }
    }
}
