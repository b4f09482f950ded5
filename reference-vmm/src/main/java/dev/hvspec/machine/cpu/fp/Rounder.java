package dev.hvspec.machine.cpu.fp;

import java.math.BigInteger;

/**
 * Rounds an exact (or exact-plus-sticky) nonzero result once to a destination format and
 * precision (SDM 1 §4.8.4; for the x87 precision-control field §8.1.5.2, which narrows the
 * significand but keeps the 15-bit exponent range).
 *
 * <p>Both results the architecture needs are computed: the value rounded with the format's
 * exponent range (denormalized below emin, overflowed above emax: the masked responses of
 * §4.9.1.4-5) and the value rounded to the precision with an unbounded exponent (what the x87
 * FPU scales by 2^±24576 for an unmasked overflow or underflow, §8.4.3; SSE stores nothing then).
 *
 * <p>Tininess is detected after rounding, as on Intel processors: the result is tiny when its
 * magnitude rounded to the precision with an unbounded exponent is below 2^emin (IEEE 754-1985
 * §7.4 leaves the choice to the implementation; the host-CPU oracle tests pin it down).
 */
public final class Rounder {
    private Rounder() {
    }

    /**
     * The outcome of one rounding.
     *
     * @param value              the result in the format's range: finite, zero or infinite
     * @param inexact            {@code value} differs from the exact result
     * @param roundedUp          {@code value}'s magnitude is larger than the exact result's (x87 C1)
     * @param tiny               the result is tiny (nonzero, below 2^emin after rounding)
     * @param overflow           the rounded result exceeds the format's largest finite number
     * @param unbounded          the result rounded to the precision with an unbounded exponent
     * @param unboundedInexact   {@code unbounded} differs from the exact result
     * @param unboundedRoundedUp {@code unbounded}'s magnitude is larger than the exact result's
     */
    public record Rounded(Unpacked value, boolean inexact, boolean roundedUp, boolean tiny, boolean overflow,
                          Unpacked unbounded, boolean unboundedInexact, boolean unboundedRoundedUp) {
    }

    /** A significand rounded at a bit position. */
    private record Step(BigInteger q, int lsb, boolean inexact, boolean incremented) {
    }

    /**
     * Rounds {@code (−1)^negative × (significand + δ) × 2^exponent}, where δ is 0 when
     * {@code sticky} is false and some value strictly between 0 and 1 when it is true.
     *
     * @param precision the significand bits to keep (the format's, or fewer under x87 PC)
     * @throws IllegalArgumentException if the significand is not positive, or if a sticky
     *                                  significand has fewer than precision + 2 bits (the bit
     *                                  below the rounding position must be known)
     */
    public static Rounded round(boolean negative, BigInteger significand, int exponent, boolean sticky,
                                FloatFormat format, int precision, Rounding rc) {
        if (significand.signum() <= 0) {
            throw new IllegalArgumentException("significand must be positive");
        }
        if (sticky && significand.bitLength() < precision + 2) {
            throw new IllegalArgumentException("a sticky significand needs precision + 2 bits");
        }
        int msb = exponent + significand.bitLength() - 1;
        int lsbUnbounded = msb - (precision - 1);
        Step u = roundAt(negative, significand, exponent, sticky, lsbUnbounded, rc);
        Unpacked unbounded = Unpacked.finite(negative, u.q, u.lsb);
        int msbUnbounded = unbounded.msbExponent();
        boolean tiny = msbUnbounded < format.emin();
        boolean overflow = msbUnbounded > format.emax();

        // Denormal results keep the precision's bits below the J-bit position of emin: with x87
        // precision control a double-extended denormal has p − 1 fraction bits like a denormal of
        // a p-bit format with the 15-bit exponent range (the host-CPU oracle pins this down).
        int lsbBounded = Math.max(lsbUnbounded, format.emin() - (precision - 1));
        Step b = lsbBounded == lsbUnbounded ? u : roundAt(negative, significand, exponent, sticky, lsbBounded, rc);
        Unpacked value;
        boolean roundedUp = b.incremented;
        boolean inexact = b.inexact;
        if (overflow) {
            // SDM 1 §4.9.1.4, Table 4-10: the masked response depends on the rounding direction.
            boolean toInfinity = switch (rc) {
                case NEAREST_EVEN -> true;
                case TOWARD_ZERO -> false;
                case UP -> !negative;
                case DOWN -> negative;
            };
            value = toInfinity ? Unpacked.infinity(negative) : largestFinite(negative, format, precision);
            roundedUp = toInfinity;
            inexact = true;
        } else {
            value = Unpacked.finite(negative, b.q, b.lsb);
        }
        return new Rounded(value, inexact, roundedUp, tiny, overflow, unbounded, u.inexact, u.incremented);
    }

    /** An integer rounded from a real value: its magnitude and how the rounding went. */
    public record IntegerRounding(boolean negative, BigInteger magnitude, boolean inexact, boolean roundedUp) {
        /** The signed value. */
        public BigInteger value() {
            return negative ? magnitude.negate() : magnitude;
        }
    }

    /** Rounds a zero or finite value to an integer under {@code rc} (FRNDINT, FIST, CVTSD2SI …). */
    public static IntegerRounding roundToInteger(Unpacked x, Rounding rc) {
        if (x.isZero()) {
            return new IntegerRounding(x.negative(), BigInteger.ZERO, false, false);
        }
        if (x.exponent() >= 0) {
            return new IntegerRounding(x.negative(), x.significand().shiftLeft(x.exponent()), false, false);
        }
        Step s = roundAt(x.negative(), x.significand(), x.exponent(), false, 0, rc);
        return new IntegerRounding(x.negative(), s.q, s.inexact, s.incremented);
    }

    /** The largest finite number of the format with {@code precision} significand bits. */
    public static Unpacked largestFinite(boolean negative, FloatFormat format, int precision) {
        BigInteger ones = BigInteger.ONE.shiftLeft(precision).subtract(BigInteger.ONE);
        return Unpacked.finite(negative, ones, format.emax() - (precision - 1));
    }

    private static Step roundAt(boolean negative, BigInteger sig, int exponent, boolean sticky, int lsb, Rounding rc) {
        int shift = lsb - exponent;
        if (shift <= 0) {
            if (sticky) {
                throw new IllegalStateException("sticky bits at or above the rounding position");
            }
            return new Step(sig.shiftLeft(-shift), lsb, false, false);
        }
        BigInteger q = sig.shiftRight(shift);
        BigInteger remainder = sig.subtract(q.shiftLeft(shift));
        BigInteger half = BigInteger.ONE.shiftLeft(shift - 1);
        int vsHalf = remainder.compareTo(half);
        if (vsHalf == 0 && sticky) {
            vsHalf = 1;
        }
        boolean inexact = remainder.signum() != 0 || sticky;
        boolean increment = switch (rc) {
            case NEAREST_EVEN -> vsHalf > 0 || vsHalf == 0 && q.testBit(0);
            case TOWARD_ZERO -> false;
            case UP -> inexact && !negative;
            case DOWN -> inexact && negative;
        };
        if (increment) {
            q = q.add(BigInteger.ONE);
        }
        return new Step(q, lsb, inexact, increment);
    }
}
