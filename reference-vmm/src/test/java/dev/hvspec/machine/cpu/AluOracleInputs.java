package dev.hvspec.machine.cpu;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Inputs for the ALU oracle: edge values (0, 1, -1, the signed limits, powers of two and their
 * neighbours, nibble and byte boundaries) crossed with each other, plus random values from a seed
 * fixed per op and size, so every run tests the same cases. Register bits above the operand size
 * are random, so that the preservation (8/16-bit) or zero-extension (32-bit) of the rest of the
 * register is checked too. The incoming status flags are random; for instructions that read CF
 * (and AF for the BCD adjustments) every input is run with each value of them.
 */
final class AluOracleInputs {
    private static final long SEED = 0x5EED_A1D0_2024L;
    private static final int RANDOM_PAIRS = 400;

    private final AluOracleOps.Op op;
    private final int size;
    private final long registerMask;
    private final Random random;
    private final List<HostAluOracle.Case> cases = new ArrayList<>();

    private AluOracleInputs(AluOracleOps.Op op, int size, int registerSize) {
        this.op = op;
        this.size = size;
        this.registerMask = Alu.mask(registerSize);
        this.random = new Random(SEED ^ ((long) op.name().hashCode() << 8) ^ size);
    }

    /** The cases for {@code op} at {@code size} on registers of {@code registerSize} bytes. */
    static List<HostAluOracle.Case> cases(AluOracleOps.Op op, int size, int registerSize) {
        AluOracleInputs g = new AluOracleInputs(op, size, registerSize);
        g.generate();
        return g.cases;
    }

    /** Edge values of an operand of {@code size} bytes, truncated to it, without repeats. */
    static List<Long> edges(int size) {
        int bits = 8 * size;
        long mask = Alu.mask(size);
        Set<Long> e = new LinkedHashSet<>();
        long min = Alu.signBit(size);
        for (long v : new long[] {0, 1, 2, 3, -1, -2, min, min - 1, min + 1, 0x0F, 0x10, 0x7F, 0x80, 0xFF, 0x99,
                0x5555_5555_5555_5555L, 0xAAAA_AAAA_AAAA_AAAAL}) {
            e.add(v & mask);
        }
        for (int k : new int[] {4, 7, 8, 15, 16, 31, 32, 63}) {
            if (k < bits) {
                e.add((1L << k) & mask);
                e.add(((1L << k) - 1) & mask);
                e.add(((1L << k) + 1) & mask);
            }
        }
        return List.copyOf(e);
    }

    private void generate() {
        switch (op.inputs()) {
            case BINARY -> binary();
            case UNARY -> unary();
            case SHIFT, DOUBLE_SHIFT -> shifts();
            case DIVIDE -> divide();
            case COMPARE_EXCHANGE -> compareExchange();
            case DECIMAL -> decimal();
        }
    }

    private void binary() {
        List<Long> e = edges(size);
        for (long a : e) {
            for (long b : e) {
                add(a, b, random.nextLong());
            }
        }
        for (int i = 0; i < RANDOM_PAIRS; i++) {
            add(random.nextLong(), random.nextLong(), random.nextLong());
        }
    }

    private void unary() {
        for (long a : edges(size)) {
            add(a, random.nextLong(), random.nextLong());
        }
        for (int i = 0; i < RANDOM_PAIRS; i++) {
            add(random.nextLong(), random.nextLong(), random.nextLong());
        }
    }

    /** Counts 0..2×width and values whose low bits the processor masks off (SDM 2 SAL/SAR/SHL/SHR). */
    private void shifts() {
        List<Long> values = new ArrayList<>(edges(size));
        for (int i = 0; i < 8; i++) {
            values.add(random.nextLong());
        }
        List<Long> counts = new ArrayList<>();
        for (int n = 0; n <= 16 * size; n++) {
            counts.add((long) n);
        }
        for (long n : new long[] {0x3F, 0x40, 0x41, 0x60, 0x7F, 0x80, 0x81, 0xFF, 0x1FF}) {
            counts.add(n);
        }
        for (long v : values) {
            for (long n : counts) {
                // The count is CL: the rest of RCX is random, and so is the SHLD/SHRD source in RDX.
                add(v, (random.nextLong() & ~0xFFL) | n, random.nextLong());
            }
        }
    }

    /**
     * Dividends built from a quotient, a divisor and a remainder, with quotients at and just past
     * the limits of the destination (so that #DE and its absence are both tested), plus random ones.
     */
    private void divide() {
        boolean signed = op.name().equals("idiv");
        int bits = 8 * size;
        BigInteger one = BigInteger.ONE;
        List<BigInteger> quotients = new ArrayList<>();
        if (signed) {
            BigInteger max = one.shiftLeft(bits - 1).subtract(one);
            BigInteger min = one.shiftLeft(bits - 1).negate();
            quotients.addAll(List.of(BigInteger.ZERO, one, one.negate(), max, min, max.add(one), min.subtract(one),
                    max.shiftRight(1), BigInteger.valueOf(random.nextInt(100) - 50)));
        } else {
            BigInteger max = one.shiftLeft(bits).subtract(one);
            quotients.addAll(List.of(BigInteger.ZERO, one, BigInteger.TWO, max, max.add(one), max.shiftRight(1),
                    BigInteger.valueOf(random.nextInt(1000))));
        }
        for (long d : edges(size)) {
            BigInteger divisor = signed ? BigInteger.valueOf(Alu.signExtend(d, size)) : unsigned(d);
            for (BigInteger q : quotients) {
                for (int variant = 0; variant < 2; variant++) {
                    BigInteger r = BigInteger.ZERO;
                    if (variant == 1 && divisor.signum() != 0) {
                        // |r| < |divisor|, with the sign of the dividend (truncating division).
                        r = new BigInteger(bits + 8, random).mod(divisor.abs());
                        if (q.multiply(divisor).signum() < 0) {
                            r = r.negate();
                        }
                    }
                    addDividend(q.multiply(divisor).add(r), d, signed);
                }
            }
        }
        for (int i = 0; i < RANDOM_PAIRS / 2; i++) {
            add(random.nextLong(), random.nextLong(), random.nextLong());
        }
    }

    /** Puts {@code dividend} into AX (byte division) or rDX:rAX, if it fits in twice the size. */
    private void addDividend(BigInteger dividend, long divisor, boolean signed) {
        int bits = 16 * size;
        boolean fits = signed ? dividend.bitLength() < bits : dividend.signum() >= 0 && dividend.bitLength() <= bits;
        if (!fits) {
            return;
        }
        long low = dividend.longValue();
        long high = dividend.shiftRight(8 * size).longValue();
        if (size == 1) {
            add(low & 0xFFFF | (random.nextLong() & ~0xFFFFL), divisor | (random.nextLong() & ~0xFFL),
                    random.nextLong());
        } else {
            long upper = size == 8 ? 0 : random.nextLong() & ~Alu.mask(size);
            add(low & Alu.mask(size) | upper, divisor | (random.nextLong() & ~Alu.mask(size)),
                    high & Alu.mask(size) | upper);
        }
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    /** The accumulator equals the destination (RDX) for half of the cases. */
    private void compareExchange() {
        List<Long> e = edges(size);
        for (long a : e) {
            for (long b : e) {
                long equal = random.nextLong() & ~Alu.mask(size) | a & Alu.mask(size);
                add(a, b, random.nextBoolean() ? equal : random.nextLong());
            }
        }
        for (int i = 0; i < RANDOM_PAIRS; i++) {
            long a = random.nextLong();
            add(a, random.nextLong(), random.nextBoolean() ? a : random.nextLong());
        }
    }

    /** Every AL with a few AH values; CF and AF each way (they are inputs of DAA DAS AAA AAS). */
    private void decimal() {
        for (int al = 0; al < 256; al++) {
            for (int ah : new int[] {0x00, 0x09, 0x12, 0xFF, random.nextInt(256)}) {
                for (long cfAf : new long[] {0, Rflags.CF, Rflags.AF, Rflags.CF | Rflags.AF}) {
                    long rax = (random.nextLong() & ~0xFFFFL) | (ah << 8) | al;
                    long flags = (random.nextLong() & Rflags.STATUS & ~(Rflags.CF | Rflags.AF)) | cfAf;
                    cases.add(caseOf(rax, random.nextLong(), random.nextLong(), flags));
                }
            }
        }
    }

    /**
     * A case with random status flags, or two with CF = 0 and 1 when the instruction reads CF.
     * Operands given without bits above the operand size get random ones there.
     */
    private void add(long rax, long rcx, long rdx) {
        long flags = random.nextLong() & Rflags.STATUS;
        long a = garbageAbove(rax);
        long c = garbageAbove(rcx);
        if (readsCarry()) {
            cases.add(caseOf(a, c, rdx, flags & ~Rflags.CF));
            cases.add(caseOf(a, c, rdx, flags | Rflags.CF));
        } else {
            cases.add(caseOf(a, c, rdx, flags));
        }
    }

    private long garbageAbove(long value) {
        long mask = Alu.mask(size);
        return size == 8 || (value & ~mask) != 0 ? value : (random.nextLong() & ~mask) | value;
    }

    private boolean readsCarry() {
        return switch (SdmDefined.base(op.name())) {
            case "adc", "sbb", "rcl", "rcr" -> true;
            default -> false;
        };
    }

    private HostAluOracle.Case caseOf(long rax, long rcx, long rdx, long flags) {
        return new HostAluOracle.Case(op.name(), size, rax & registerMask, rcx & registerMask, rdx & registerMask,
                flags);
    }
}
