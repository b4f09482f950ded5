package dev.hvspec.machine.cpu.isa;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

import java.util.EnumSet;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * decode(encode(i)) == i (full record equality) for generated valid instructions of every form of
 * the opcode tables, in 16-, 32- and 64-bit code (SDM 2 Chapter 2 instruction format, Appendix A maps).
 * Generated instructions come from {@link InstructionGenerator}; the decoder sees the bytes with
 * trailing garbage, so it must also find the instruction's end by itself.
 */
@Tag("sdm-2-2.1")
@Tag("sdm-2-A.3")
class InstructionRoundTripProperties {
    private final Decoder decoder = new Decoder(EnumSet.allOf(IsaFeature.class));

    record Case(Instruction instruction, int mode) {
    }

    @Provide
    Arbitrary<Case> instructions() {
        Arbitrary<Slot> slots = Arbitraries.of(OpcodeTables.standard().slots());
        Arbitrary<Integer> modes = Arbitraries.of(2, 4, 8);
        Arbitrary<Long> seeds = Arbitraries.longs();
        return Combinators.combine(slots, modes, seeds).as((slot, mode, seed) -> {
            Instruction i = new InstructionGenerator(new Random(seed), false).generate(slot, mode);
            return i == null ? null : new Case(i, mode);
        }).filter(c -> c != null);
    }

    @Property(tries = 5000)
    void decodeInvertsEncode(@ForAll("instructions") Case c) throws DecodeException {
        byte[] bytes = Encoder.encode(c.instruction(), c.mode());
        byte[] padded = java.util.Arrays.copyOf(bytes, bytes.length + 4);
        java.util.Arrays.fill(padded, bytes.length, padded.length, (byte) 0x90);
        Instruction decoded = decoder.decode(CodeSource.of(padded, 0), c.mode());
        assertThat(decoded).isEqualTo(c.instruction());
    }
}
