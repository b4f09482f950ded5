package dev.hvspec.machine.cpu.fp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.function.IntFunction;

import static dev.hvspec.machine.cpu.fp.FpFlags.DENORMAL;
import static dev.hvspec.machine.cpu.fp.FpFlags.ZERO_DIVIDE;

/**
 * The x87 transcendental instructions and constants (SDM 2 FSIN, FCOS, FSINCOS, FPTAN, FPATAN,
 * F2XM1, FYL2X, FYL2XP1, FLDPI …; SDM 1 §8.3.8-§8.3.10).
 *
 * <p><b>Accuracy model.</b> Results are correctly rounded (under FCW.RC, to 64 bits: precision
 * control does not apply to these instructions, SDM 1 §8.1.5.2) values of the mathematical
 * function at the instruction's operand, with one exception that follows the hardware: FSIN,
 * FCOS, FSINCOS and FPTAN reduce their argument by multiples of π/2 using the 66-bit
 * approximation of π the x87 FPU holds internally (SDM 1 §8.3.8), and then evaluate the
 * function of the reduced argument exactly. For |x| ≤ π/4 that is the correctly rounded value;
 * for larger arguments it reproduces the hardware's loss of accuracy near multiples of π. Intel
 * specifies these instructions to within one unit in the last place (SDM 1 §8.3.10), so a
 * correctly rounded result is one the hardware may give; the host-CPU tests compare within that
 * bound. Each value is computed with {@link BigMath} and rounded with Ziv's strategy: the
 * approximation's error bound is rounded at both ends, and the precision is raised until both
 * round alike.
 *
 * <p>The constants (FLDPI …) are the exact values rounded under RC to 64 bits, without PE (SDM 2
 * FLD1/FLDL2T/…: only #IS). SDM 1 §8.3.8 describes 66-bit internal constants; rounding a 66-bit
 * nearest value twice would give FLDLG2 …F798 under round-to-nearest, where the Intel host gives
 * the correctly rounded …F799, so the model is the correctly rounded value.
 */
public final class X87Transcendental {
    private X87Transcendental() {
    }

    /** Operands of FSIN, FCOS, FSINCOS and FPTAN must be below 2^63 in magnitude (SDM 2 FSIN). */
    public static final int ARGUMENT_LIMIT_EXPONENT = 63;

    private static final int START_DIGITS = 45;

    /** The 66-bit π of SDM 1 §8.3.8: 0.C90FDAA22168C234C × 4 (π rounded to nearest at 66 bits). */
    static final Unpacked PI_66 = Unpacked.finite(false, new BigInteger("3243F6A8885A308D3", 16), 2 - 66);

    /** Whether FSIN/FCOS/FSINCOS/FPTAN can take {@code x} (|x| &lt; 2^63); else C2 = 1 and ST(0) stays. */
    public static boolean inRange(Unpacked x) {
        return !x.isFinite() || x.msbExponent() < ARGUMENT_LIMIT_EXPONENT;
    }

    // ---- constants ----

    /** The load-constant instructions of SDM 1 §8.3.8 (Table 8-12 is not quoted; values computed). */
    public enum Constant { ONE, L2T, L2E, PI, LG2, LN2, ZERO }

    public static Unpacked constant(Constant k, Rounding rc) {
        if (k == Constant.ONE) {
            return Unpacked.finite(false, BigInteger.ONE, 0);
        }
        if (k == Constant.ZERO) {
            return Unpacked.zero(false);
        }
        int digits = 60;
        MathContext mc = new MathContext(digits, RoundingMode.HALF_EVEN);
        BigDecimal ln2 = BigMath.ln2(digits);
        BigDecimal value = switch (k) {
            case L2T -> BigMath.ln(BigDecimal.TEN, digits).divide(ln2, mc);
            case L2E -> BigDecimal.ONE.divide(ln2, mc);
            case PI -> BigMath.pi(digits);
            case LG2 -> ln2.divide(BigMath.ln(BigDecimal.TEN, digits), mc);
            default -> ln2;
        };
        // Rounded under RC from the exact value (60 digits are far more than the 66 internal bits).
        return BigMath.toExact(value).round(FloatFormat.EXTENDED, 64, rc).value();
    }

    // ---- correctly rounded evaluation ----

    /**
     * Rounds f (computed at the given number of digits with relative error below 10^−(digits−5))
     * to 64 bits with Ziv's strategy, and delivers it with the flags of {@link X87Math#round64}.
     */
    private static X87Math.Result correctlyRounded(IntFunction<BigDecimal> f, X87Math.Control c, int flags) {
        for (int digits = START_DIGITS; ; digits *= 2) {
            BigDecimal y = f.apply(digits);
            if (y.signum() == 0) {
                throw new IllegalStateException("transcendental result is exactly zero; handle before");
            }
            BigDecimal error = y.abs().movePointLeft(digits - 5);
            X87Math.Result low = X87Math.round64(BigMath.toExact(y.subtract(error)), c, flags);
            X87Math.Result high = X87Math.round64(BigMath.toExact(y.add(error)), c, flags);
            if (same(low, high) || digits > 2000) {
                return low;
            }
        }
    }

    private static boolean same(X87Math.Result a, X87Math.Result b) {
        if (a.value() == null || b.value() == null) {
            return a.value() == b.value() && a.flags() == b.flags();
        }
        return a.value().toExtended().equals(b.value().toExtended()) && a.flags() == b.flags()
                && a.roundedUp() == b.roundedUp();
    }

    private static BigDecimal value(Unpacked x) {
        return x.toBigDecimal();
    }

    private static X87Math.Result denormalUnmasked(int flags) {
        return new X87Math.Result(null, flags, false);
    }

    // ---- FSIN, FCOS, FSINCOS, FPTAN ----

    /**
     * Below these magnitudes the Intel host returns the operand itself for FSIN (|x| &lt; 2^−68)
     * and FPTAN (|x| &lt; 2^−32), inexact with C1 = 0, in every rounding mode — within the 1-ulp
     * specification, but not the correctly rounded value under directed rounding (which could
     * even underflow for the smallest normals). This processor does the same.
     */
    static final int SIN_IDENTITY_BELOW = -68, TAN_IDENTITY_BELOW = -32;

    /**
     * The operand as its own approximation: inexact, not rounded up; a denormal result underflows
     * (unmasked: delivered scaled by 2^24576, as on the host).
     */
    private static X87Math.Result identity(Unpacked x, X87Math.Control c, int flags) {
        int f = flags | FpFlags.PRECISION;
        if (x.msbExponent() < FloatFormat.EXTENDED.emin()) {
            f |= FpFlags.UNDERFLOW;
            if (!c.masked(FpFlags.UNDERFLOW)) {
                Unpacked scaled = Unpacked.finite(x.negative(), x.significand(), x.exponent() + X87Math.BIAS_ADJUST);
                return new X87Math.Result(scaled, f, false);
            }
        }
        return new X87Math.Result(x.asValue(), f, false);
    }

    /** x − k·(π₆₆/2) with k the nearest integer to x / (π₆₆/2): the hardware's reduction. */
    private record Reduced(BigDecimal r, int quadrant) {
    }

    private static Reduced reduce(Unpacked x, int digits) {
        // π₆₆/2 = PI_66 × 2^−1, exactly representable; the reduction is exact in rationals.
        Unpacked halfPi = Unpacked.finite(false, PI_66.significand(), PI_66.exponent() - 1);
        BigDecimal xv = value(x);
        BigDecimal hp = value(halfPi);
        BigInteger k = xv.divide(hp, new MathContext(digits + 40, RoundingMode.HALF_EVEN))
                .setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        BigDecimal r = xv.subtract(hp.multiply(new BigDecimal(k)));
        return new Reduced(r, k.intValue() & 3);
    }

    /** sin or cos (cos when {@code cosine}) of the hardware-reduced argument. */
    private static BigDecimal sinOrCos(Unpacked x, boolean cosine, int digits) {
        Reduced red = reduce(x, digits);
        int q = (red.quadrant + (cosine ? 1 : 0)) & 3;
        if (red.r.signum() == 0) {
            // Exact multiple of π₆₆/2 (only x = 0 in double extended): sin 0 / cos 0.
            return q == 0 || q == 2 ? BigDecimal.ZERO : BigDecimal.valueOf(q == 1 ? 1 : -1);
        }
        BigDecimal v = (q & 1) == 0 ? BigMath.sin(red.r, digits + 5) : BigMath.cos(red.r, digits + 5);
        return q >= 2 ? v.negate() : v;
    }

    /** FSIN (and FCOS with {@code cosine}): finite operands below 2^63 (check {@link #inRange}). */
    public static X87Math.Result sinCos(Unpacked x, boolean cosine, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(x, null, c);
        if (nan != null) {
            return nan;
        }
        if (x.isInfinity()) {
            return X87Math.invalid(c);
        }
        int flags = x.denormal() ? DENORMAL : 0;
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return denormalUnmasked(flags);
        }
        if (x.isZero()) {
            return new X87Math.Result(cosine ? Unpacked.finite(false, BigInteger.ONE, 0) : x, flags, false);
        }
        if (!cosine && x.msbExponent() < SIN_IDENTITY_BELOW) {
            return identity(x, c, flags);
        }
        return correctlyRounded(d -> sinOrCos(x, cosine, d), c, flags);
    }

    /** FPTAN's first result, tan of the hardware-reduced argument (the 1.0 push is the caller's). */
    public static X87Math.Result tan(Unpacked x, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(x, null, c);
        if (nan != null) {
            return nan;
        }
        if (x.isInfinity()) {
            return X87Math.invalid(c);
        }
        int flags = x.denormal() ? DENORMAL : 0;
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return denormalUnmasked(flags);
        }
        if (x.isZero()) {
            return new X87Math.Result(x, flags, false);
        }
        if (x.msbExponent() < TAN_IDENTITY_BELOW) {
            return identity(x, c, flags);
        }
        return correctlyRounded(d -> {
            MathContext mc = new MathContext(d + 10, RoundingMode.HALF_EVEN);
            return sinOrCos(x, false, d + 5).divide(sinOrCos(x, true, d + 5), mc);
        }, c, flags);
    }

    // ---- FPATAN ----

    /** FPATAN: atan2(y = ST(1), x = ST(0)), SDM 2 FPATAN Table 3-29 for zeros and infinities. */
    public static X87Math.Result atan2(Unpacked y, Unpacked x, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(y, x, c);
        if (nan != null) {
            return nan;
        }
        int flags = X87Math.denormalFlag(y, x);
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return denormalUnmasked(flags);
        }
        boolean yNeg = y.negative();
        if (y.isZero() && !x.negative() || !y.isInfinity() && x.isInfinity() && !x.negative()) {
            return new X87Math.Result(Unpacked.zero(yNeg), flags, false); // ±0 for y = ±0, x ≥ +0, or x = +∞
        }
        // Every other case is a multiple of π/4 or an irrational value: evaluate.
        return correctlyRounded(d -> {
            MathContext mc = new MathContext(d + 10, RoundingMode.HALF_EVEN);
            BigDecimal pi = BigMath.pi(d + 10);
            BigDecimal sign = BigDecimal.valueOf(yNeg ? -1 : 1);
            if (y.isInfinity()) {
                BigDecimal m = x.isInfinity() ? (x.negative() ? pi.multiply(BigDecimal.valueOf(3)).divide(BigDecimal.valueOf(4), mc)
                        : pi.divide(BigDecimal.valueOf(4), mc)) : pi.divide(BigDecimal.TWO, mc);
                return m.multiply(sign);
            }
            if (x.isInfinity()) {
                return x.negative() ? pi.multiply(sign) : BigDecimal.ZERO; // y finite: ±π or ±0
            }
            if (y.isZero()) {
                return pi.multiply(sign); // x < 0
            }
            if (x.isZero()) {
                return pi.divide(BigDecimal.TWO, mc).multiply(sign);
            }
            BigDecimal a = BigMath.atan(value(y).divide(value(x), mc).abs(), d + 5);
            BigDecimal angle = x.negative() ? pi.subtract(a, mc) : a;
            return angle.multiply(sign);
        }, c, flags);
    }

    // ---- F2XM1, FYL2X, FYL2XP1 ----

    /** F2XM1: 2^x − 1; the SDM defines it for −1 ≤ x ≤ +1, and this processor evaluates it everywhere. */
    public static X87Math.Result twoToXMinusOne(Unpacked x, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(x, null, c);
        if (nan != null) {
            return nan;
        }
        if (x.isInfinity()) {
            return new X87Math.Result(x.negative() ? Unpacked.finite(true, BigInteger.ONE, 0) : x, 0, false);
        }
        int flags = x.denormal() ? DENORMAL : 0;
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return denormalUnmasked(flags);
        }
        if (x.isZero()) {
            return new X87Math.Result(x, flags, false);
        }
        if (x.exponent() >= 0) {
            // An integer exponent: 2^n − 1 is exact (n = ±1 within the defined range).
            BigInteger n = x.significand().shiftLeft(x.exponent());
            if (n.bitLength() <= 16) {
                int k = x.negative() ? -n.intValue() : n.intValue();
                Exact e = Exact.add(Unpacked.finite(false, BigInteger.ONE, k), Unpacked.finite(true, BigInteger.ONE, 0));
                return e.isZero() ? new X87Math.Result(Unpacked.zero(false), flags, false) : X87Math.round64(e, c, flags);
            }
        }
        if (x.msbExponent() >= 15) {
            // Far outside the defined range: 2^x − 1 overflows, or is −1 plus less than 2^−32768.
            return x.negative()
                    ? X87Math.round64(new Exact(true, BigInteger.ONE.shiftLeft(80).subtract(BigInteger.ONE), -80, true), c, flags)
                    : X87Math.round64(new Exact(false, BigInteger.ONE, 1 << 16, false), c, flags);
        }
        return correctlyRounded(d -> BigMath.expm1(value(x).multiply(BigMath.ln2(d + 10)), d + 5), c, flags);
    }

    /** FYL2X: y · log2(x) (SDM 2 FYL2X Table 3-51 for the special cases). */
    public static X87Math.Result yLog2X(Unpacked y, Unpacked x, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(x, y, c);
        if (nan != null) {
            return nan;
        }
        if (x.negative() && !x.isZero()) {
            return X87Math.invalid(c); // log of a negative number (including −∞)
        }
        int flags = X87Math.denormalFlag(x, y);
        if (x.isZero()) {
            if (y.isZero()) {
                return X87Math.invalid(c);
            }
            if (y.isInfinity()) {
                return unlessDenormal(Unpacked.infinity(!y.negative()), flags, c);
            }
            // log2(±0) = −∞: divide-by-zero, −∞ × sign(y) (SDM 2 FYL2X: #Z), which outranks DE.
            return new X87Math.Result(c.masked(ZERO_DIVIDE) ? Unpacked.infinity(!y.negative()) : null,
                    ZERO_DIVIDE, false);
        }
        if (x.isInfinity()) {
            if (y.isZero()) {
                return X87Math.invalid(c);
            }
            return unlessDenormal(Unpacked.infinity(y.negative()), flags, c);
        }
        // x finite positive; log2 x has the sign of x − 1.
        int xVsOne = X87Functions.order(x, Unpacked.finite(false, BigInteger.ONE, 0)).ordinal(); // GREATER, LESS, EQUAL
        if (y.isInfinity()) {
            if (xVsOne == X87Functions.Order.EQUAL.ordinal()) {
                return X87Math.invalid(c);
            }
            boolean negative = (xVsOne == X87Functions.Order.LESS.ordinal()) != y.negative();
            return unlessDenormal(Unpacked.infinity(negative), flags, c);
        }
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return denormalUnmasked(flags);
        }
        boolean logNegative = xVsOne == X87Functions.Order.LESS.ordinal();
        if (xVsOne == X87Functions.Order.EQUAL.ordinal() || y.isZero()) {
            return new X87Math.Result(Unpacked.zero(y.negative() != logNegative), flags, false);
        }
        if (x.significand().bitCount() == 1) {
            // x = 2^k: log2 x = k exactly, the product is exact before rounding.
            int k = x.msbExponent();
            return X87Math.round64(Exact.multiply(y, X87Math.ofInteger(k)), c, flags);
        }
        return correctlyRounded(d -> {
            MathContext mc = new MathContext(d + 10, RoundingMode.HALF_EVEN);
            BigDecimal log2 = BigMath.ln(value(x), d + 10).divide(BigMath.ln2(d + 10), mc);
            return value(y).multiply(log2, mc);
        }, c, flags);
    }

    /** FYL2XP1: y · log2(x + 1); defined for |x| &lt; 1 − √2/2, evaluated here for all x &gt; −1. */
    public static X87Math.Result yLog2XPlus1(Unpacked y, Unpacked x, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(x, y, c);
        if (nan != null) {
            return nan;
        }
        int flags = X87Math.denormalFlag(x, y);
        if (x.isInfinity() && x.negative() || y.isInfinity() && x.isZero() || x.isInfinity() && y.isZero()) {
            return X87Math.invalid(c);
        }
        if (x.isInfinity()) {
            return unlessDenormal(Unpacked.infinity(y.negative()), flags, c); // y · log2(+∞)
        }
        if (x.isFinite() && x.negative() && Unpacked.compareMagnitude(x, Unpacked.finite(false, BigInteger.ONE, 0)) >= 0) {
            return X87Math.invalid(c); // x + 1 ≤ 0
        }
        if (y.isInfinity()) {
            return unlessDenormal(Unpacked.infinity(y.negative() != x.negative()), flags, c);
        }
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return denormalUnmasked(flags);
        }
        if (x.isZero() || y.isZero()) {
            return new X87Math.Result(Unpacked.zero(x.negative() != y.negative()), flags, false);
        }
        return correctlyRounded(d -> {
            MathContext mc = new MathContext(d + 10, RoundingMode.HALF_EVEN);
            BigDecimal log2 = BigMath.log1p(value(x), d + 10).divide(BigMath.ln2(d + 10), mc);
            return value(y).multiply(log2, mc);
        }, c, flags);
    }

    private static X87Math.Result unlessDenormal(Unpacked value, int flags, X87Math.Control c) {
        return new X87Math.Result((flags & DENORMAL) != 0 && !c.masked(DENORMAL) ? null : value, flags, false);
    }
}
