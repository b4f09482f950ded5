package dev.hvspec.machine.cpu.fp;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A floating-point datum of any format, decoded into its class and, for finite numbers, its exact
 * value {@code (−1)^negative × significand × 2^exponent} (SDM 1 §4.8, Table 4-3; §8.2.2 for the
 * double-extended encodings the x87 FPU does not support).
 *
 * <p>NaNs keep their fraction left-aligned in {@code nanFraction}: bit 62 is the quiet bit and the
 * fraction's remaining bits follow it, so that converting a NaN between formats keeps the
 * high-order fraction bits and drops the low ones, as the SDM describes for conversions of NaNs
 * (SDM 1 §4.8.3.5: the QNaN's significand is truncated or padded with zeros).
 *
 * @param kind        the class
 * @param negative    the sign bit
 * @param significand for {@link Kind#FINITE}: a positive integer; otherwise zero
 * @param exponent    for {@link Kind#FINITE}: the power of two the significand is scaled by
 * @param denormal    the encoding was a denormal (or an 80-bit pseudo-denormal): a source operand
 *                    that raises DE (§4.9.1.2)
 * @param nanFraction for NaNs: the fraction, quiet bit at bit 62
 */
public record Unpacked(Kind kind, boolean negative, BigInteger significand, int exponent,
                       boolean denormal, long nanFraction) {

    /** Classes of a datum (SDM 1 Table 4-3 and §8.2.2). */
    public enum Kind {
        ZERO, FINITE, INFINITY, QNAN, SNAN,
        /** 80-bit pseudo-NaN, pseudo-infinity or unnormal: an invalid operand since the Intel 387 (§8.2.2). */
        UNSUPPORTED
    }

    public static final long QUIET_BIT = 1L << 62;
    private static final long FRACTION_63 = 0x7FFF_FFFF_FFFF_FFFFL;

    public static Unpacked zero(boolean negative) {
        return new Unpacked(Kind.ZERO, negative, BigInteger.ZERO, 0, false, 0);
    }

    public static Unpacked infinity(boolean negative) {
        return new Unpacked(Kind.INFINITY, negative, BigInteger.ZERO, 0, false, 0);
    }

    /**
     * A finite value {@code significand × 2^exponent} (significand ≥ 0), with trailing zero bits
     * moved into the exponent; zero if the significand is zero.
     */
    public static Unpacked finite(boolean negative, BigInteger significand, int exponent) {
        if (significand.signum() == 0) {
            return zero(negative);
        }
        int trailing = significand.getLowestSetBit();
        return new Unpacked(Kind.FINITE, negative, significand.shiftRight(trailing), exponent + trailing, false, 0);
    }

    public static Unpacked nan(boolean negative, long fraction, boolean quiet) {
        long f = fraction & FRACTION_63;
        return new Unpacked(quiet ? Kind.QNAN : Kind.SNAN, negative, BigInteger.ZERO, 0, false,
                quiet ? f | QUIET_BIT : f & ~QUIET_BIT);
    }

    /** The QNaN floating-point indefinite (SDM 1 §4.8.3.7): negative, fraction 1000…. */
    public static Unpacked indefinite() {
        return nan(true, QUIET_BIT, true);
    }

    public boolean isNaN() {
        return kind == Kind.QNAN || kind == Kind.SNAN;
    }

    public boolean isZero() {
        return kind == Kind.ZERO;
    }

    public boolean isFinite() {
        return kind == Kind.FINITE;
    }

    public boolean isInfinity() {
        return kind == Kind.INFINITY;
    }

    /** A NaN made quiet (its quiet bit set), other values unchanged. */
    public Unpacked quieted() {
        return kind == Kind.SNAN ? nan(negative, nanFraction, true) : this;
    }

    public Unpacked negate() {
        return withSign(!negative);
    }

    public Unpacked withSign(boolean sign) {
        return new Unpacked(kind, sign, significand, exponent, denormal, nanFraction);
    }

    /** The same value, not flagged as coming from a denormal encoding. */
    public Unpacked asValue() {
        return denormal ? new Unpacked(kind, negative, significand, exponent, false, nanFraction) : this;
    }

    /** For finite values: the exponent of the most significant 1 bit (floor(log2|x|)). */
    public int msbExponent() {
        return exponent + significand.bitLength() - 1;
    }

    /** The exact value of a zero or finite datum. */
    public BigDecimal toBigDecimal() {
        if (kind == Kind.ZERO) {
            return BigDecimal.ZERO;
        }
        if (kind != Kind.FINITE) {
            throw new IllegalStateException("not a number: " + this);
        }
        BigDecimal m = new BigDecimal(negative ? significand.negate() : significand);
        return exponent >= 0 ? m.multiply(new BigDecimal(BigInteger.TWO.pow(exponent)))
                : m.divide(new BigDecimal(BigInteger.TWO.pow(-exponent)));
    }

    /** Compares the magnitudes of two finite or zero values. */
    public static int compareMagnitude(Unpacked a, Unpacked b) {
        if (a.isZero() || b.isZero()) {
            return Boolean.compare(!a.isZero(), !b.isZero());
        }
        int ea = a.msbExponent();
        int eb = b.msbExponent();
        if (ea != eb) {
            return Integer.compare(ea, eb);
        }
        int shift = a.exponent - b.exponent;
        return shift >= 0 ? a.significand.shiftLeft(shift).compareTo(b.significand)
                : a.significand.compareTo(b.significand.shiftLeft(-shift));
    }

    // ---- decoding (SDM 1 Table 4-3) ----

    public static Unpacked ofSingle(int bits) {
        return ofIeee(FloatFormat.SINGLE, bits & 0xFFFF_FFFFL);
    }

    public static Unpacked ofDouble(long bits) {
        return ofIeee(FloatFormat.DOUBLE, bits);
    }

    private static Unpacked ofIeee(FloatFormat f, long bits) {
        int fractionBits = f.fractionBits();
        boolean negative = (bits >>> (f.width() - 1) & 1) != 0;
        int biased = (int) (bits >>> fractionBits) & f.maxBiasedExponent();
        long fraction = bits & ((1L << fractionBits) - 1);
        if (biased == f.maxBiasedExponent()) {
            if (fraction == 0) {
                return infinity(negative);
            }
            long aligned = fraction << (63 - fractionBits);
            return nan(negative, aligned, (aligned & QUIET_BIT) != 0);
        }
        if (biased == 0) {
            if (fraction == 0) {
                return zero(negative);
            }
            return new Unpacked(Kind.FINITE, negative, BigInteger.valueOf(fraction), f.denormalLsbExponent(), true, 0);
        }
        long sig = fraction | (1L << fractionBits);
        return new Unpacked(Kind.FINITE, negative, BigInteger.valueOf(sig), biased - f.bias() - fractionBits, false, 0);
    }

    /** Double extended, including the encodings of §8.2.2 (pseudo-denormals are denormal operands). */
    public static Unpacked ofExtended(Extended80 x) {
        FloatFormat f = FloatFormat.EXTENDED;
        boolean negative = x.negative();
        int biased = x.biasedExponent();
        long sig = x.significand();
        boolean integerBit = sig < 0;
        long fraction = sig & FRACTION_63;
        if (biased == f.maxBiasedExponent()) {
            if (!integerBit) {
                return new Unpacked(Kind.UNSUPPORTED, negative, BigInteger.ZERO, 0, false, fraction);
            }
            if (fraction == 0) {
                return infinity(negative);
            }
            return nan(negative, fraction, (fraction & QUIET_BIT) != 0);
        }
        if (biased == 0) {
            if (sig == 0) {
                return zero(negative);
            }
            // Denormal (J = 0) or pseudo-denormal (J = 1): both scale as exponent 1 - bias.
            return new Unpacked(Kind.FINITE, negative, unsigned(sig), f.denormalLsbExponent(), true, 0);
        }
        if (!integerBit) {
            return new Unpacked(Kind.UNSUPPORTED, negative, BigInteger.ZERO, 0, false, fraction);
        }
        return new Unpacked(Kind.FINITE, negative, unsigned(sig), biased - f.bias() - 63, false, 0);
    }

    static BigInteger unsigned(long v) {
        BigInteger b = BigInteger.valueOf(v & Long.MAX_VALUE);
        return v < 0 ? b.setBit(63) : b;
    }

    // ---- encoding: the value must be representable in the format ----

    public int toSingle() {
        return (int) toIeee(FloatFormat.SINGLE);
    }

    public long toDouble() {
        return toIeee(FloatFormat.DOUBLE);
    }

    private long toIeee(FloatFormat f) {
        int fractionBits = f.fractionBits();
        long sign = negative ? 1L << (f.width() - 1) : 0;
        long inf = (long) f.maxBiasedExponent() << fractionBits;
        return sign | switch (kind) {
            case ZERO -> 0L;
            case INFINITY -> inf;
            case QNAN, SNAN, UNSUPPORTED -> {
                long fraction = nanFraction >>> (63 - fractionBits);
                yield inf | (fraction == 0 ? 1 : fraction);
            }
            case FINITE -> {
                int[] biasedOut = new int[1];
                long sig = fieldSignificand(f, biasedOut);
                yield ((long) biasedOut[0] << fractionBits) | (sig & ((1L << fractionBits) - 1));
            }
        };
    }

    public Extended80 toExtended() {
        FloatFormat f = FloatFormat.EXTENDED;
        int sign = negative ? 0x8000 : 0;
        return switch (kind) {
            case ZERO -> new Extended80(sign, 0);
            case INFINITY -> new Extended80(sign | 0x7FFF, Long.MIN_VALUE);
            case QNAN, SNAN, UNSUPPORTED -> new Extended80(sign | 0x7FFF, Long.MIN_VALUE | (nanFraction == 0 ? 1 : nanFraction));
            case FINITE -> {
                int[] biasedOut = new int[1];
                long sig = fieldSignificand(f, biasedOut);
                yield new Extended80(sign | biasedOut[0], sig);
            }
        };
    }

    /**
     * The significand field (with the integer bit for normals, without for denormals) and the
     * biased exponent of a finite value that fits {@code f} exactly.
     */
    private long fieldSignificand(FloatFormat f, int[] biasedOut) {
        int msb = msbExponent();
        if (msb > f.emax()) {
            throw new IllegalStateException("too large for " + f + ": " + this);
        }
        int lsb = msb >= f.emin() ? msb - (f.precision() - 1) : f.denormalLsbExponent();
        int shift = exponent - lsb;
        if (shift < 0) {
            throw new IllegalStateException("not representable in " + f + ": " + this);
        }
        BigInteger field = significand.shiftLeft(shift);
        if (field.bitLength() > f.precision()) {
            throw new IllegalStateException("not representable in " + f + ": " + this);
        }
        biasedOut[0] = msb >= f.emin() ? msb + f.bias() : 0;
        return field.longValue();
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FINITE -> (negative ? "-" : "+") + significand.toString(16) + "p" + exponent;
            case QNAN, SNAN, UNSUPPORTED -> (negative ? "-" : "+") + kind + ":" + Long.toHexString(nanFraction);
            default -> (negative ? "-" : "+") + kind;
        };
    }
}
