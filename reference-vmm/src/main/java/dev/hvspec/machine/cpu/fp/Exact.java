package dev.hvspec.machine.cpu.fp;

import java.math.BigInteger;

/**
 * An exact arithmetic result before rounding: {@code (−1)^negative × (significand + δ) × 2^exponent}
 * with δ = 0, or 0 &lt; δ &lt; 1 when {@code sticky} (quotients and square roots, computed to
 * {@link #WORKING_BITS} bits and a sticky bit, which rounds exactly like the infinitely precise
 * value to any precision up to 64 bits). A zero significand (without sticky) is an exact zero.
 *
 * <p>The operations take finite or zero {@link Unpacked} operands; the classes that use them deal
 * with NaNs, infinities and the sign of exact zeros first.
 */
public record Exact(boolean negative, BigInteger significand, int exponent, boolean sticky) {
    /** Significant bits computed for inexact quotients and roots: 64-bit precision + guard + 2. */
    public static final int WORKING_BITS = 68;

    public boolean isZero() {
        return significand.signum() == 0 && !sticky;
    }

    /** Rounds this nonzero result (SDM 1 §4.8.4). */
    public Rounder.Rounded round(FloatFormat format, int precision, Rounding rc) {
        return Rounder.round(negative, significand, exponent, sticky, format, precision, rc);
    }

    public Rounder.Rounded round(FloatFormat format, Rounding rc) {
        return round(format, format.precision(), rc);
    }

    public static Exact of(Unpacked x) {
        return x.isZero() ? new Exact(x.negative(), BigInteger.ZERO, 0, false)
                : new Exact(x.negative(), x.significand(), x.exponent(), false);
    }

    /** a + b, exactly. A zero result has the sign the caller must decide (SDM 1 §4.8.3.9 / IEEE 754 §6.3). */
    public static Exact add(Unpacked a, Unpacked b) {
        if (a.isZero()) {
            return of(b);
        }
        if (b.isZero()) {
            return of(a);
        }
        int e = Math.min(a.exponent(), b.exponent());
        BigInteger x = a.significand().shiftLeft(a.exponent() - e);
        BigInteger y = b.significand().shiftLeft(b.exponent() - e);
        BigInteger sx = a.negative() ? x.negate() : x;
        BigInteger sy = b.negative() ? y.negate() : y;
        BigInteger sum = sx.add(sy);
        return new Exact(sum.signum() < 0, sum.abs(), e, false);
    }

    /** a × b, exactly. */
    public static Exact multiply(Unpacked a, Unpacked b) {
        boolean negative = a.negative() != b.negative();
        if (a.isZero() || b.isZero()) {
            return new Exact(negative, BigInteger.ZERO, 0, false);
        }
        return new Exact(negative, a.significand().multiply(b.significand()), a.exponent() + b.exponent(), false);
    }

    /** a / b for finite nonzero b: {@link #WORKING_BITS} quotient bits and a sticky remainder. */
    public static Exact divide(Unpacked a, Unpacked b) {
        boolean negative = a.negative() != b.negative();
        if (a.isZero()) {
            return new Exact(negative, BigInteger.ZERO, 0, false);
        }
        int shift = Math.max(0, WORKING_BITS + 1 + b.significand().bitLength() - a.significand().bitLength());
        BigInteger[] qr = a.significand().shiftLeft(shift).divideAndRemainder(b.significand());
        return new Exact(negative, qr[0], a.exponent() - b.exponent() - shift, qr[1].signum() != 0);
    }

    /** √a for finite a ≥ 0 (a zero keeps its sign, SDM 2 FSQRT/SQRTSS): root bits and a sticky remainder. */
    public static Exact sqrt(Unpacked a) {
        if (a.isZero()) {
            return new Exact(a.negative(), BigInteger.ZERO, 0, false);
        }
        BigInteger s = a.significand();
        int e = a.exponent();
        int extra = Math.max(0, 2 * WORKING_BITS + 2 - s.bitLength());
        if (((e - extra) & 1) != 0) {
            extra++;
        }
        s = s.shiftLeft(extra);
        e -= extra;
        BigInteger[] rootAndRemainder = s.sqrtAndRemainder();
        return new Exact(false, rootAndRemainder[0], e / 2, rootAndRemainder[1].signum() != 0);
    }
}
