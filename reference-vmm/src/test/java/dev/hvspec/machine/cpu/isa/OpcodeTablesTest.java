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
        // x87 (D8-DF), SSE (0F 10, 0F 58), VEX in 64-bit mode (C4/C5), 0F 3A: no forms.
        for (int b = 0xD8; b <= 0xDF; b++) {
            assertThat(tables.slotsFor(b)).isEmpty();
        }
        assertThat(tables.slotsFor(0x110)).isEmpty();
        assertThat(tables.slotsFor(0x158)).isEmpty();
        assertThat(tables.slotsFor(0xC4)).extracting(Slot::mode).containsExactly(Slot.ModeRequirement.LEGACY);
        assertThat(tables.slots()).noneMatch(s -> s.map() == Instruction.MAP_0F3A);
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
                "AL", "CL", "DX", "rAX", "eAX", "ES", "GS")) {
            assertThat(OperandType.parse(code).toString()).isEqualTo(code);
        }
    }
}
