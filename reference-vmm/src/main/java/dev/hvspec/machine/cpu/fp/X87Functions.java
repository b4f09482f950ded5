package dev.hvspec.machine.cpu.fp;

import java.math.BigInteger;

import static dev.hvspec.machine.cpu.fp.FpFlags.DENORMAL;
import static dev.hvspec.machine.cpu.fp.FpFlags.INVALID;
import static dev.hvspec.machine.cpu.fp.FpFlags.PRECISION;
import static dev.hvspec.machine.cpu.fp.FpFlags.ZERO_DIVIDE;

/**
 * The x87 comparison, remainder, scaling, exponent-extraction and packed-BCD semantics (SDM 2
 * FCOM/FUCOM/FCOMI/FTST, FPREM, FPREM1, FSCALE, FXTRACT, FBLD, FBSTP) on values, following the
 * exception priorities of {@link X87Math}.
 */
public final class X87Functions {
    private X87Functions() {
    }

    /** The outcome of a comparison (SDM 2 FCOM Table 3-21: C3 C2 C0 = 000, 001, 100, 111). */
    public enum Order { GREATER, LESS, EQUAL, UNORDERED }

    /**
     * A comparison: the order and the flags; {@code delivered} is false when an unmasked IE or DE
     * stops the instruction (no pop). SDM 2 FCOM says the condition codes are then not set;
     * Intel processors do set them (unordered for IE), and so does this one.
     */
    public record Comparison(Order order, int flags, boolean delivered) {
    }

    /**
     * FCOM/FCOMI/FICOM/FTST ({@code ordered} true: any NaN operand is invalid) and FUCOM/FUCOMI
     * ({@code ordered} false: only SNaNs are). Zeros compare equal whatever their signs.
     */
    public static Comparison compare(Unpacked a, Unpacked b, boolean ordered, X87Math.Control c) {
        boolean unsupported = a.kind() == Unpacked.Kind.UNSUPPORTED || b.kind() == Unpacked.Kind.UNSUPPORTED;
        if (unsupported || a.isNaN() || b.isNaN()) {
            boolean signaling = unsupported || ordered || a.kind() == Unpacked.Kind.SNAN || b.kind() == Unpacked.Kind.SNAN;
            int flags = signaling ? INVALID : 0;
            return new Comparison(Order.UNORDERED, flags, !signaling || c.masked(INVALID));
        }
        int flags = X87Math.denormalFlag(a, b);
        // An unmasked DE still reports the order (the host sets the condition codes), without the pop.
        return new Comparison(order(a, b), flags, (flags & DENORMAL) == 0 || c.masked(DENORMAL));
    }

    /** The order of two non-NaN values (infinities at the ends, −0 = +0). */
    public static Order order(Unpacked a, Unpacked b) {
        int sa = signum(a);
        int sb = signum(b);
        if (sa != sb) {
            return sa < sb ? Order.LESS : Order.GREATER;
        }
        if (sa == 0) {
            return Order.EQUAL;
        }
        int magnitude;
        if (a.isInfinity() || b.isInfinity()) {
            magnitude = Boolean.compare(a.isInfinity(), b.isInfinity());
        } else {
            magnitude = Unpacked.compareMagnitude(a, b);
        }
        int cmp = sa > 0 ? magnitude : -magnitude;
        return cmp < 0 ? Order.LESS : cmp > 0 ? Order.GREATER : Order.EQUAL;
    }

    private static int signum(Unpacked x) {
        return x.isZero() ? 0 : x.negative() ? -1 : 1;
    }

    // ---- FPREM / FPREM1 ----

    /**
     * A partial remainder: the result, the low three bits of the quotient (C0 = Q2, C3 = Q1,
     * C1 = Q0) and whether the reduction is incomplete (C2 = 1).
     */
    public record Remainder(X87Math.Result result, int quotient, boolean incomplete, boolean computed) {
        Remainder(X87Math.Result result, int quotient, boolean incomplete) {
            this(result, quotient, incomplete, true);
        }

        /** A special-case result (NaN, invalid, ∞ divisor …): the quotient bits are not set. */
        static Remainder special(X87Math.Result result) {
            return new Remainder(result, 0, false, false);
        }
    }

    /**
     * FPREM ({@code ieee} false: quotient truncated toward zero) and FPREM1 ({@code ieee} true:
     * rounded to nearest even), SDM 2 FPREM/FPREM1 "Operation": with an exponent difference D of 64
     * or more only a partial reduction by ST(1) × 2^(D−N) is done, N being an implementation
     * choice between 32 and 63 — here N = 32 + ((D − 64) mod 32), so that each step removes at
     * least 32 bits of the difference.
     */
    public static Remainder remainder(Unpacked a, Unpacked b, boolean ieee, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(a, b, c);
        if (nan != null) {
            return Remainder.special(nan);
        }
        if (a.isInfinity() || b.isZero()) {
            return Remainder.special(X87Math.invalid(c));
        }
        int flags = X87Math.denormalFlag(a, b);
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return Remainder.special(new X87Math.Result(null, flags, false));
        }
        if (b.isInfinity() || a.isZero()) {
            return new Remainder(new X87Math.Result(a.asValue(), flags, false), 0, false);
        }
        int d = a.msbExponent() - b.msbExponent();
        if (d >= 64) {
            int n = 32 + ((d - 64) % 32);
            int shift = d - n;
            // QQ = trunc(|a| / (|b| × 2^shift)); r = a − b × QQ × 2^shift, exactly.
            BigInteger[] q = quotient(a, b, shift, false);
            Unpacked r = subtractMultiple(a, b, q[0], shift);
            X87Math.Result partial = r.isZero() ? new X87Math.Result(r, flags, false) : X87Math.round64(Exact.of(r), c, flags);
            return new Remainder(partial, 0, true);
        }
        BigInteger[] q = quotient(a, b, 0, ieee);
        Unpacked r = subtractMultiple(a, b, q[0], 0);
        if (r.isZero()) {
            r = Unpacked.zero(a.negative());
        }
        X87Math.Result result = r.isZero() ? new X87Math.Result(r, flags, false) : X87Math.round64(Exact.of(r), c, flags);
        return new Remainder(result, q[0].intValue() & 7, false);
    }

    /** |a| / (|b| × 2^shift) as an integer: truncated, or rounded to nearest even. */
    private static BigInteger[] quotient(Unpacked a, Unpacked b, int shift, boolean nearestEven) {
        int e = a.exponent() - b.exponent() - shift;
        BigInteger num = a.significand();
        BigInteger den = b.significand();
        if (e >= 0) {
            num = num.shiftLeft(e);
        } else {
            den = den.shiftLeft(-e);
        }
        BigInteger[] qr = num.divideAndRemainder(den);
        if (nearestEven) {
            int cmp = qr[1].shiftLeft(1).compareTo(den);
            if (cmp > 0 || cmp == 0 && qr[0].testBit(0)) {
                qr[0] = qr[0].add(BigInteger.ONE);
            }
        }
        return qr;
    }

    /** a − sign(a)·sign(b)·q·|b|·2^shift … i.e. a − (a/b's sign) q b 2^shift, exactly. */
    private static Unpacked subtractMultiple(Unpacked a, Unpacked b, BigInteger q, int shift) {
        Unpacked qb = Unpacked.finite(a.negative(), b.significand().multiply(q), b.exponent() + shift);
        if (q.signum() == 0) {
            return a.asValue();
        }
        Exact difference = Exact.add(a.asValue(), qb.negate());
        return difference.isZero() ? Unpacked.zero(a.negative())
                : Unpacked.finite(difference.negative(), difference.significand(), difference.exponent());
    }

    // ---- FSCALE ----

    /** FSCALE (SDM 2, Table 3-47 for the special cases): ST(0) × 2^RoundTowardZero(ST(1)). */
    public static X87Math.Result scale(Unpacked a, Unpacked b, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(a, b, c);
        if (nan != null) {
            return nan;
        }
        int flags = X87Math.denormalFlag(a, b);
        if (b.isInfinity()) {
            if (a.isZero() && !b.negative() || a.isInfinity() && b.negative()) {
                return X87Math.invalid(c);
            }
            Unpacked value = a.isZero() || a.isInfinity() ? a.asValue()
                    : b.negative() ? Unpacked.zero(a.negative()) : Unpacked.infinity(a.negative());
            return unlessDenormalUnmasked(value, flags, c);
        }
        if (a.isZero() || a.isInfinity()) {
            return unlessDenormalUnmasked(a.asValue(), flags, c);
        }
        // |ST(1)| beyond 2^20 scales any double-extended value out of range: clamp the exponent.
        BigInteger n = b.isZero() ? BigInteger.ZERO : Rounder.roundToInteger(b, Rounding.TOWARD_ZERO).value();
        int k = n.max(BigInteger.valueOf(-1 << 20)).min(BigInteger.valueOf(1 << 20)).intValue();
        return X87Math.round64(new Exact(a.negative(), a.significand(), a.exponent() + k, false), c, flags);
    }

    private static X87Math.Result unlessDenormalUnmasked(Unpacked value, int flags, X87Math.Control c) {
        return new X87Math.Result((flags & DENORMAL) != 0 && !c.masked(DENORMAL) ? null : value, flags, false);
    }

    // ---- FXTRACT ----

    /** FXTRACT's two results: the exponent (to ST(1) after the push) and the significand (ST(0)). */
    public record Extraction(Unpacked exponent, Unpacked significand, int flags) {
        public boolean delivered() {
            return exponent != null;
        }
    }

    /** FXTRACT (SDM 2): a zero raises ZE (exponent −∞, significand the zero); ∞ gives +∞ and ∞. */
    public static Extraction extract(Unpacked a, X87Math.Control c) {
        X87Math.Result nan = X87Math.checkNaNs(a, null, c);
        if (nan != null) {
            return new Extraction(nan.value(), nan.value(), nan.flags());
        }
        if (a.isZero()) {
            boolean masked = c.masked(ZERO_DIVIDE);
            return new Extraction(masked ? Unpacked.infinity(true) : null, masked ? a : null, ZERO_DIVIDE);
        }
        if (a.isInfinity()) {
            return new Extraction(Unpacked.infinity(false), a, 0);
        }
        int flags = X87Math.denormalFlag(a, null);
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return new Extraction(null, null, flags);
        }
        int e = a.msbExponent();
        Unpacked exponent = X87Math.ofInteger(e);
        Unpacked significand = Unpacked.finite(a.negative(), a.significand(), a.exponent() - e);
        return new Extraction(exponent, significand, flags);
    }

    // ---- packed BCD (SDM 1 §4.7, Figure 4-10) ----

    /** The packed BCD integer indefinite of FBSTP's masked invalid response: FFFF C000 0000 0000 0000H. */
    public static final byte[] BCD_INDEFINITE = {0, 0, 0, 0, 0, 0, 0, (byte) 0xC0, (byte) 0xFF, (byte) 0xFF};

    /**
     * FBLD: 18 digits in bytes 0-8 (two per byte, the low nibble less significant) and the sign in
     * bit 7 of byte 9. A nibble above 9 is "undefined" (SDM 2 FBLD); this processor weighs it like
     * a digit of that value (10 for A … 15 for F).
     */
    public static Unpacked fromBcd(byte[] b) {
        BigInteger v = BigInteger.ZERO;
        for (int i = 8; i >= 0; i--) {
            int hi = (b[i] >>> 4) & 0xF;
            int lo = b[i] & 0xF;
            v = v.multiply(BigInteger.valueOf(100)).add(BigInteger.valueOf(10L * hi + lo));
        }
        boolean negative = (b[9] & 0x80) != 0;
        return v.signum() == 0 ? Unpacked.zero(negative) : Unpacked.finite(negative, v, 0);
    }

    /**
     * FBSTP: rounds under RC to an integer; beyond 18 digits, or for NaN, ∞ and unsupported
     * values, IE (masked: the BCD indefinite). Returns the 10 bytes, or null with the flags when
     * nothing is stored.
     */
    public record BcdStore(byte[] bytes, int flags, boolean roundedUp) {
    }

    public static BcdStore toBcd(Unpacked x, X87Math.Control c) {
        if (!x.isFinite() && !x.isZero()) {
            return new BcdStore(c.masked(INVALID) ? BCD_INDEFINITE.clone() : null, INVALID, false);
        }
        // No DE for a denormal operand (SDM 2 FBSTP lists #IS, #IA, #P).
        int flags = 0;
        Rounder.IntegerRounding r = Rounder.roundToInteger(x, c.rounding());
        if (r.magnitude().compareTo(BigInteger.TEN.pow(18)) >= 0) {
            return new BcdStore(c.masked(INVALID) ? BCD_INDEFINITE.clone() : null, flags | INVALID, false);
        }
        byte[] out = new byte[10];
        String digits = String.format("%018d", r.magnitude());
        for (int i = 0; i < 9; i++) {
            int hi = digits.charAt(16 - 2 * i) - '0';
            int lo = digits.charAt(17 - 2 * i) - '0';
            out[i] = (byte) (hi << 4 | lo);
        }
        out[9] = (byte) (x.negative() ? 0x80 : 0);
        return new BcdStore(out, flags | (r.inexact() ? PRECISION : 0), r.inexact() && r.roundedUp());
    }
}
