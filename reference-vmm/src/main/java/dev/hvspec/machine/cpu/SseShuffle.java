package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;

import static dev.hvspec.machine.cpu.SimdInteger.pack;


/**
 * Shuffles, unpacks and packs (SDM 2 SHUFPS, SHUFPD, PSHUFD, PSHUFLW, PSHUFHW, PSHUFW, UNPCKLPS …
 * UNPCKHPD, PUNPCKLBW … PUNPCKHQDQ, PACKSSWB, PACKSSDW, PACKUSWB): elements selected or
 * interleaved from the destination (first source) and the source.
 */
final class SseShuffle {
    private SseShuffle() {
    }

    private static int immediate(Instruction i) {
        return (int) (((Operand.Imm) i.op3()).value() & 0xFF);
    }

    /** SHUFPS: two elements of the destination, then two of the source, each chosen by two bits of imm8. */
    static void shufps(Cpu c, Instruction i) {
        long[] d = SimdInteger.unpack(SimdOperands.read(c, i, i.op1()), 16, 4, false);
        long[] s = SimdInteger.unpack(SimdOperands.read(c, i, i.op2()), 16, 4, false);
        int imm = immediate(i);
        long[] r = {d[imm & 3], d[(imm >> 2) & 3], s[(imm >> 4) & 3], s[(imm >> 6) & 3]};
        write(c, i, pack(r, 4));
    }

    /** SHUFPD: imm8 bit 0 picks the destination's element, bit 1 the source's. */
    static void shufpd(Cpu c, Instruction i) {
        long[] d = SimdOperands.read(c, i, i.op1());
        long[] s = SimdOperands.read(c, i, i.op2());
        int imm = immediate(i);
        write(c, i, new long[] {d[imm & 1], s[(imm >> 1) & 1]});
    }

    /** PSHUFD, PSHUFW (all elements), PSHUFLW (low four words) and PSHUFHW (high four words) of the source. */
    static void pshuf(Cpu c, Instruction i) {
        Mnemonic m = i.mnemonic();
        int w = SimdInteger.width(i);
        int size = m == Mnemonic.PSHUFD ? 4 : 2;
        long[] s = SimdInteger.unpack(SimdOperands.read(c, i, i.op2()), w, size, false);
        int imm = immediate(i);
        long[] r = s.clone();
        int first = m == Mnemonic.PSHUFHW ? 4 : 0;
        for (int k = 0; k < 4; k++) {
            r[first + k] = s[first + ((imm >> (2 * k)) & 3)];
        }
        write(c, i, pack(r, size));
    }

    /**
     * The unpacks: elements of the low (L) or high (H) half of the destination and the source,
     * interleaved destination first.
     */
    static void interleave(Cpu c, Instruction i) {
        Mnemonic m = i.mnemonic();
        String n = m.name();
        int size = switch (m) {
            case PUNPCKLBW, PUNPCKHBW -> 1;
            case PUNPCKLWD, PUNPCKHWD -> 2;
            case PUNPCKLDQ, PUNPCKHDQ, UNPCKLPS, UNPCKHPS -> 4;
            default -> 8;
        };
        boolean high = n.contains("UNPCKH");
        int w = SimdInteger.width(i);
        long[] d = SimdInteger.unpack(SimdOperands.read(c, i, i.op1()), w, size, false);
        long[] s = SimdInteger.unpack(SimdOperands.read(c, i, i.op2()), w, size, false);
        int half = d.length / 2;
        long[] r = new long[d.length];
        for (int k = 0; k < half; k++) {
            r[2 * k] = d[(high ? half : 0) + k];
            r[2 * k + 1] = s[(high ? half : 0) + k];
        }
        write(c, i, pack(r, size));
    }

    /** PACKSSWB, PACKSSDW (signed saturation) and PACKUSWB (signed words to unsigned bytes). */
    static void packs(Cpu c, Instruction i) {
        Mnemonic m = i.mnemonic();
        int from = m == Mnemonic.PACKSSDW ? 4 : 2;
        int to = from / 2;
        int w = SimdInteger.width(i);
        long[] d = SimdInteger.unpack(SimdOperands.read(c, i, i.op1()), w, from, true);
        long[] s = SimdInteger.unpack(SimdOperands.read(c, i, i.op2()), w, from, true);
        long[] r = new long[d.length + s.length];
        for (int k = 0; k < r.length; k++) {
            long v = k < d.length ? d[k] : s[k - d.length];
            r[k] = m == Mnemonic.PACKUSWB ? SimdInteger.saturateUnsigned(v, to) : SimdInteger.saturateSigned(v, to);
        }
        write(c, i, pack(r, to));
    }

    private static void write(Cpu c, Instruction i, long[] v) {
        SimdOperands.write(c, i, i.op1(), v[0], v[1]);
    }
}
