package dev.hvspec.machine.cpu.fp;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Elementary functions in {@link BigDecimal} arithmetic to a requested number of significant
 * digits, for the x87 transcendental instructions and constants. Each function returns a value
 * whose relative error is below 10^−(digits − 5): series are summed with 10 guard digits until
 * the terms fall below the precision, and the argument reductions used are exact or carried out
 * at the working precision. {@link X87Transcendental} rounds with Ziv's strategy on top of this
 * bound, so the final results are correctly rounded.
 */
public final class BigMath {
    private BigMath() {
    }

    private static MathContext working(int digits) {
        return new MathContext(digits + 10, RoundingMode.HALF_EVEN);
    }

    /** π by Machin's formula π = 16·atan(1/5) − 4·atan(1/239). */
    public static BigDecimal pi(int digits) {
        MathContext mc = working(digits);
        BigDecimal a = atanOfInverse(5, mc).multiply(BigDecimal.valueOf(16), mc);
        BigDecimal b = atanOfInverse(239, mc).multiply(BigDecimal.valueOf(4), mc);
        return a.subtract(b, mc);
    }

    /** atan(1/n) = Σ (−1)^k / ((2k+1) n^(2k+1)). */
    private static BigDecimal atanOfInverse(int n, MathContext mc) {
        BigDecimal x = BigDecimal.ONE.divide(BigDecimal.valueOf(n), mc);
        BigDecimal x2 = x.multiply(x, mc);
        BigDecimal term = x;
        BigDecimal sum = x;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision());
        for (int k = 1; term.abs().compareTo(eps) > 0; k++) {
            term = term.multiply(x2, mc).negate();
            sum = sum.add(term.divide(BigDecimal.valueOf(2L * k + 1), mc), mc);
        }
        return sum;
    }

    /** ln 2 = 2·atanh(1/3). */
    public static BigDecimal ln2(int digits) {
        return atanh(BigDecimal.ONE.divide(BigDecimal.valueOf(3), working(digits)), digits).multiply(BigDecimal.TWO);
    }

    /** atanh(z) = Σ z^(2k+1)/(2k+1) for |z| ≤ 1/3 (relative precision, no cancellation). */
    static BigDecimal atanh(BigDecimal z, int digits) {
        MathContext mc = working(digits);
        BigDecimal z2 = z.multiply(z, mc);
        BigDecimal power = z;
        BigDecimal sum = z;
        for (int k = 1; ; k++) {
            power = power.multiply(z2, mc);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * k + 1), mc);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(mc.getPrecision())) < 0) {
                return sum;
            }
            sum = sum.add(term, mc);
        }
    }

    /**
     * ln(1 + x) for x > −1, with relative precision also near x = 0: 2·atanh(x / (2 + x)) when
     * that argument is small, else the exponent of 2 is taken out first.
     */
    public static BigDecimal log1p(BigDecimal x, int digits) {
        MathContext mc = working(digits);
        BigDecimal z = x.divide(x.add(BigDecimal.TWO), mc);
        if (z.abs().compareTo(new BigDecimal("0.34")) <= 0) {
            return atanh(z, digits).multiply(BigDecimal.TWO, mc);
        }
        return ln(x.add(BigDecimal.ONE), digits);
    }

    /** ln(y) for y > 0: y = m·2^k with m in [2/3, 4/3], ln y = k·ln 2 + 2·atanh((m−1)/(m+1)). */
    public static BigDecimal ln(BigDecimal y, int digits) {
        MathContext mc = working(digits + 10);
        int k = exponentOfTwo(y);
        BigDecimal m = k >= 0 ? y.divide(new BigDecimal(BigInteger.TWO.pow(k)), mc)
                : y.multiply(new BigDecimal(BigInteger.TWO.pow(-k)), mc);
        while (m.compareTo(new BigDecimal("1.3333")) > 0) {
            m = m.divide(BigDecimal.TWO, mc);
            k++;
        }
        while (m.compareTo(new BigDecimal("0.6667")) < 0) {
            m = m.multiply(BigDecimal.TWO, mc);
            k--;
        }
        BigDecimal z = m.subtract(BigDecimal.ONE).divide(m.add(BigDecimal.ONE), mc);
        BigDecimal lnM = atanh(z, digits + 10).multiply(BigDecimal.TWO, mc);
        return lnM.add(ln2(digits + 10).multiply(BigDecimal.valueOf(k), mc), mc).round(working(digits));
    }

    /** floor(log2 |y|), approximately (within one), for y ≠ 0. */
    static int exponentOfTwo(BigDecimal y) {
        BigDecimal a = y.abs();
        int bits = a.unscaledValue().bitLength() - (int) Math.ceil(a.scale() * (Math.log(10) / Math.log(2)));
        return bits - 1;
    }

    /**
     * e^x − 1 with relative precision (F2XM1 uses it with x = t·ln 2, |t| ≤ 1): the Taylor series
     * Σ x^n/n! for |x| ≤ 1, else e^x by halving and squaring.
     */
    public static BigDecimal expm1(BigDecimal x, int digits) {
        MathContext mc = working(digits + 5);
        if (x.abs().compareTo(BigDecimal.ONE) <= 0) {
            BigDecimal term = x;
            BigDecimal sum = x;
            for (int n = 2; ; n++) {
                term = term.multiply(x, mc).divide(BigDecimal.valueOf(n), mc);
                if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(mc.getPrecision())) < 0) {
                    return sum;
                }
                sum = sum.add(term, mc);
            }
        }
        int halvings = exponentOfTwo(x) + 2;
        BigDecimal e = expm1(x.divide(new BigDecimal(BigInteger.TWO.pow(halvings)), mc), digits + halvings)
                .add(BigDecimal.ONE, mc);
        for (int i = 0; i < halvings; i++) {
            e = e.multiply(e, mc);
        }
        return e.subtract(BigDecimal.ONE, mc);
    }

    /** sin x for |x| ≤ 1 (Taylor series; relative precision). */
    public static BigDecimal sin(BigDecimal x, int digits) {
        MathContext mc = working(digits);
        BigDecimal x2 = x.multiply(x, mc);
        BigDecimal term = x;
        BigDecimal sum = x;
        for (int n = 1; ; n++) {
            term = term.multiply(x2, mc).divide(BigDecimal.valueOf((2L * n) * (2L * n + 1)), mc).negate();
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(mc.getPrecision())) < 0) {
                return sum;
            }
            sum = sum.add(term, mc);
        }
    }

    /** cos x for |x| ≤ 1 (Taylor series; cos x ≥ 0.54 there, so relative precision holds). */
    public static BigDecimal cos(BigDecimal x, int digits) {
        MathContext mc = working(digits);
        BigDecimal x2 = x.multiply(x, mc);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int n = 1; ; n++) {
            term = term.multiply(x2, mc).divide(BigDecimal.valueOf((2L * n - 1) * (2L * n)), mc).negate();
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(mc.getPrecision())) < 0) {
                return sum;
            }
            sum = sum.add(term, mc);
        }
    }

    /**
     * atan x: for |x| > 1 via π/2 − atan(1/x); then the half-angle reduction
     * atan x = 2·atan(x / (1 + √(1 + x²))) until |x| ≤ 1/8, and the Taylor series.
     */
    public static BigDecimal atan(BigDecimal x, int digits) {
        MathContext mc = working(digits + 5);
        if (x.signum() < 0) {
            return atan(x.negate(), digits).negate();
        }
        if (x.compareTo(BigDecimal.ONE) > 0) {
            BigDecimal halfPi = pi(digits + 5).divide(BigDecimal.TWO, mc);
            return halfPi.subtract(atan(BigDecimal.ONE.divide(x, mc), digits + 5), mc);
        }
        int doublings = 0;
        BigDecimal eighth = new BigDecimal("0.125");
        while (x.compareTo(eighth) > 0) {
            BigDecimal root = BigDecimal.ONE.add(x.multiply(x, mc), mc).sqrt(mc);
            x = x.divide(BigDecimal.ONE.add(root, mc), mc);
            doublings++;
        }
        BigDecimal x2 = x.multiply(x, mc);
        BigDecimal power = x;
        BigDecimal sum = x;
        for (int k = 1; ; k++) {
            power = power.multiply(x2, mc).negate();
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * k + 1), mc);
            if (term.signum() == 0 || term.abs().compareTo(sum.abs().movePointLeft(mc.getPrecision())) < 0) {
                break;
            }
            sum = sum.add(term, mc);
        }
        return sum.multiply(new BigDecimal(BigInteger.TWO.pow(doublings)), mc);
    }

    /** The exact value of a finite {@link Unpacked}, or of {@code significand × 2^exponent}. */
    public static BigDecimal exact(BigInteger significand, int exponent) {
        BigDecimal m = new BigDecimal(significand);
        return exponent >= 0 ? m.multiply(new BigDecimal(BigInteger.TWO.pow(exponent)))
                : m.divide(new BigDecimal(BigInteger.TWO.pow(-exponent)));
    }

    /**
     * A nonzero real as an {@link Exact}: {@link Exact#WORKING_BITS} + 8 leading bits and a
     * sticky bit for the rest (exact, not an approximation of {@code y}).
     */
    public static Exact toExact(BigDecimal y) {
        boolean negative = y.signum() < 0;
        BigDecimal a = y.abs();
        int k = Exact.WORKING_BITS + 8 - exponentOfTwo(a);
        BigInteger unscaled = a.unscaledValue();
        BigInteger num = unscaled;
        BigInteger den = BigInteger.ONE;
        int scale = a.scale();
        if (scale >= 0) {
            den = BigInteger.TEN.pow(scale);
        } else {
            num = num.multiply(BigInteger.TEN.pow(-scale));
        }
        if (k >= 0) {
            num = num.shiftLeft(k);
        } else {
            den = den.shiftLeft(-k);
        }
        BigInteger[] qr = num.divideAndRemainder(den);
        return new Exact(negative, qr[0], -k, qr[1].signum() != 0);
    }
}
