package dev.hvspec.machine.cpu.fp;

import java.math.BigInteger;

import static dev.hvspec.machine.cpu.fp.FpFlags.DENORMAL;
import static dev.hvspec.machine.cpu.fp.FpFlags.INVALID;
import static dev.hvspec.machine.cpu.fp.FpFlags.OVERFLOW;
import static dev.hvspec.machine.cpu.fp.FpFlags.PRECISION;
import static dev.hvspec.machine.cpu.fp.FpFlags.UNDERFLOW;
import static dev.hvspec.machine.cpu.fp.FpFlags.ZERO_DIVIDE;

/**
 * One element of an SSE/SSE2 floating-point operation under MXCSR (SDM 1 §10.2.3, §11.5): single
 * or double operands as raw bits, the result as raw bits and the exception flags it raises.
 *
 * <ul>
 *   <li>DAZ (MXCSR bit 6) turns denormal source operands into zeros of the same sign, without DE
 *       (§10.2.3.4); otherwise a denormal operand raises DE.</li>
 *   <li>NaN operands follow the SSE column of Table 4-7: the first source operand (the
 *       destination register's element) if it is a NaN, else the second, made quiet; an SNaN
 *       raises IE.</li>
 *   <li>Results are rounded once under MXCSR.RC; tininess is detected after rounding; with FTZ
 *       (bit 15) and UM masked a tiny result becomes a zero of its sign with UE and PE
 *       (§10.2.3.3).</li>
 *   <li>The UE flag follows the mask: masked, only for tiny and inexact results; unmasked, for
 *       every tiny result (§4.9.1.5).</li>
 * </ul>
 * Whether an unmasked exception suppresses the result (it does, for the whole instruction: #XM)
 * is the caller's business; this class computes the masked response and reports the flags.
 */
public final class SseMath {
    private SseMath() {
    }

    /** MXCSR fields (SDM 1 Figure 10-3). */
    public record Mxcsr(int value) {
        public static final int DAZ = 1 << 6;
        public static final int MASK_SHIFT = 7;
        public static final int FTZ = 1 << 15;

        public boolean masked(int flag) {
            return (value & (flag << MASK_SHIFT)) != 0;
        }

        public Rounding rounding() {
            return Rounding.ofField(value >>> 13);
        }

        public boolean daz() {
            return (value & DAZ) != 0;
        }

        public boolean ftz() {
            return (value & FTZ) != 0;
        }
    }

    /** An element result: the bits in the destination format and the flags raised. */
    public record Element(long bits, int flags) {
    }

    /** The QNaN indefinite of a format (SDM 1 Table 4-3): sign 1, quiet bit only. */
    public static long indefinite(FloatFormat f) {
        return f == FloatFormat.SINGLE ? 0xFFC0_0000L : 0xFFF8_0000_0000_0000L;
    }

    /** Decodes a source element, applying DAZ. */
    public static Unpacked operand(FloatFormat f, long bits, Mxcsr m) {
        Unpacked u = f == FloatFormat.SINGLE ? Unpacked.ofSingle((int) bits) : Unpacked.ofDouble(bits);
        if (u.denormal() && m.daz()) {
            return Unpacked.zero(u.negative());
        }
        return u;
    }

    static long encode(FloatFormat f, Unpacked u) {
        return f == FloatFormat.SINGLE ? u.toSingle() & 0xFFFF_FFFFL : u.toDouble();
    }

    /** Table 4-7, SSE column: the first NaN among (a, b), quieted; IE if either is signaling. */
    static Element nanResult(FloatFormat f, Unpacked a, Unpacked b) {
        boolean signaling = a.kind() == Unpacked.Kind.SNAN || b != null && b.kind() == Unpacked.Kind.SNAN;
        Unpacked chosen = a.isNaN() ? a : b;
        return new Element(encode(f, chosen.quieted()), signaling ? INVALID : 0);
    }

    static int denormals(Unpacked a, Unpacked b) {
        return a.denormal() || b != null && b.denormal() ? DENORMAL : 0;
    }

    /** Rounds an exact nonzero result to the format under MXCSR (RC, FTZ) with OE/UE/PE. */
    public static Element round(Exact e, FloatFormat f, Mxcsr m, int flags) {
        Rounder.Rounded r = e.round(f, m.rounding());
        if (r.overflow()) {
            boolean inexact = m.masked(OVERFLOW) || r.unboundedInexact();
            return new Element(encode(f, r.value()), flags | OVERFLOW | (inexact ? PRECISION : 0));
        }
        if (r.tiny()) {
            if (m.masked(UNDERFLOW)) {
                if (m.ftz()) {
                    return new Element(encode(f, Unpacked.zero(e.negative())), flags | UNDERFLOW | PRECISION);
                }
                return new Element(encode(f, r.value()), flags | (r.inexact() ? UNDERFLOW | PRECISION : 0));
            }
            // Unmasked (#XM follows, nothing is stored): PE when the result rounded with an
            // unbounded exponent is inexact (as on the host).
            return new Element(encode(f, r.value()), flags | UNDERFLOW | (r.unboundedInexact() ? PRECISION : 0));
        }
        return new Element(encode(f, r.value()), flags | (r.inexact() ? PRECISION : 0));
    }

    /** The four basic operations of ADDPS … DIVSD, SUBPD … (SDM 2 ADDPS etc.). */
    public enum Arithmetic { ADD, SUB, MUL, DIV }

    public static Element arithmetic(Arithmetic op, FloatFormat f, long aBits, long bBits, Mxcsr m) {
        Unpacked a = operand(f, aBits, m);
        Unpacked b = operand(f, bBits, m);
        if (a.isNaN() || b.isNaN()) {
            return nanResult(f, a, b);
        }
        if (op == Arithmetic.SUB) {
            b = b.negate();
        }
        int flags = denormals(a, b);
        boolean negative = a.negative() != b.negative();
        return switch (op) {
            case ADD, SUB -> {
                if (a.isInfinity() || b.isInfinity()) {
                    if (a.isInfinity() && b.isInfinity() && a.negative() != b.negative()) {
                        yield invalid(f, flags);
                    }
                    yield new Element(encode(f, a.isInfinity() ? a.asValue() : b.asValue()), flags);
                }
                Exact sum = Exact.add(a, b);
                if (sum.isZero()) {
                    boolean zeroNegative = a.isZero() && b.isZero() && a.negative() == b.negative() ? a.negative()
                            : m.rounding() == Rounding.DOWN;
                    yield new Element(encode(f, Unpacked.zero(zeroNegative)), flags);
                }
                yield round(sum, f, m, flags);
            }
            case MUL -> {
                if (a.isInfinity() || b.isInfinity()) {
                    yield a.isZero() || b.isZero() ? invalid(f, flags) : new Element(encode(f, Unpacked.infinity(negative)), flags);
                }
                if (a.isZero() || b.isZero()) {
                    yield new Element(encode(f, Unpacked.zero(negative)), flags);
                }
                yield round(Exact.multiply(a, b), f, m, flags);
            }
            case DIV -> {
                if (a.isInfinity()) {
                    yield b.isInfinity() ? invalid(f, flags) : new Element(encode(f, Unpacked.infinity(negative)), flags);
                }
                if (b.isInfinity()) {
                    yield new Element(encode(f, Unpacked.zero(negative)), flags);
                }
                if (b.isZero()) {
                    // 0/0 is invalid; x/0 divide-by-zero, which outranks DE (as on the host).
                    yield a.isZero() ? invalid(f, flags) : new Element(encode(f, Unpacked.infinity(negative)), ZERO_DIVIDE);
                }
                if (a.isZero()) {
                    yield new Element(encode(f, Unpacked.zero(negative)), flags);
                }
                yield round(Exact.divide(a, b), f, m, flags);
            }
        };
    }

    private static Element invalid(FloatFormat f, int flags) {
        return new Element(indefinite(f), flags | INVALID);
    }

    /** SQRTPS/SQRTSS/SQRTPD/SQRTSD: negative nonzero operands (and −∞) are invalid; √−0 = −0. */
    public static Element sqrt(FloatFormat f, long aBits, Mxcsr m) {
        Unpacked a = operand(f, aBits, m);
        if (a.isNaN()) {
            return nanResult(f, a, null);
        }
        int flags = denormals(a, null);
        if (a.isZero()) {
            return new Element(encode(f, a), flags);
        }
        if (a.negative()) {
            return invalid(f, 0); // IE without DE for a negative denormal (as on the host)
        }
        if (a.isInfinity()) {
            return new Element(encode(f, a), flags);
        }
        return round(Exact.sqrt(a), f, m, flags);
    }

    /**
     * MINPS/MAXPS …: {@code a < b ? a : b} (MIN) and {@code a > b ? a : b} (MAX) on the values
     * after DAZ: a NaN in either operand, or two zeros, give the second operand; any NaN raises IE
     * (SDM 2 MINPS: "Invalid (including QNaN Source Operand)"), a denormal DE.
     */
    public static Element minMax(boolean max, FloatFormat f, long aBits, long bBits, Mxcsr m) {
        Unpacked a = operand(f, aBits, m);
        Unpacked b = operand(f, bBits, m);
        if (a.isNaN() || b.isNaN()) {
            return new Element(encode(f, b), INVALID); // no DE next to a NaN (as on the host)
        }
        int flags = denormals(a, b);
        X87Functions.Order o = X87Functions.order(a, b);
        boolean takeA = max ? o == X87Functions.Order.GREATER : o == X87Functions.Order.LESS;
        return new Element(encode(f, takeA ? a : b), flags);
    }

    /**
     * CMPPS/CMPSS/CMPPD/CMPSD predicates 0-7 (SDM 2 CMPPS Table 3-1): EQ, LT, LE, UNORD, NEQ,
     * NLT, NLE, ORD; the result is all ones for true, else zero. LT, LE, NLT and NLE signal on
     * QNaN operands, the others only on SNaN. Only bits 2:0 of the immediate matter for the
     * legacy SSE forms.
     */
    public static Element compare(int predicate, FloatFormat f, long aBits, long bBits, Mxcsr m) {
        Unpacked a = operand(f, aBits, m);
        Unpacked b = operand(f, bBits, m);
        int p = predicate & 7;
        boolean signalsOnQnan = p == 1 || p == 2 || p == 5 || p == 6;
        boolean unordered = a.isNaN() || b.isNaN();
        int flags = unordered ? 0 : denormals(a, b); // no DE next to a NaN (as on the host)
        if (unordered && (signalsOnQnan || a.kind() == Unpacked.Kind.SNAN || b.kind() == Unpacked.Kind.SNAN)) {
            flags |= INVALID;
        }
        X87Functions.Order o = unordered ? X87Functions.Order.UNORDERED : X87Functions.order(a, b);
        boolean lt = o == X87Functions.Order.LESS;
        boolean eq = o == X87Functions.Order.EQUAL;
        boolean result = switch (p) {
            case 0 -> eq;
            case 1 -> lt;
            case 2 -> lt || eq;
            case 3 -> unordered;
            case 4 -> !eq;
            case 5 -> !lt;
            case 6 -> !(lt || eq);
            default -> !unordered;
        };
        long ones = f == FloatFormat.SINGLE ? 0xFFFF_FFFFL : -1L;
        return new Element(result ? ones : 0, flags);
    }

    /**
     * COMISS/COMISD ({@code signalsOnQnan}) and UCOMISS/UCOMISD: the order, reported in ZF, PF, CF
     * by the caller, and the flags.
     */
    public record Ordering(X87Functions.Order order, int flags) {
    }

    public static Ordering compareOrdered(boolean signalsOnQnan, FloatFormat f, long aBits, long bBits, Mxcsr m) {
        Unpacked a = operand(f, aBits, m);
        Unpacked b = operand(f, bBits, m);
        if (a.isNaN() || b.isNaN()) {
            boolean signaling = signalsOnQnan || a.kind() == Unpacked.Kind.SNAN || b.kind() == Unpacked.Kind.SNAN;
            return new Ordering(X87Functions.Order.UNORDERED, signaling ? INVALID : 0);
        }
        int flags = denormals(a, b);
        return new Ordering(X87Functions.order(a, b), flags);
    }

    // ---- conversions (SDM 2 CVT*) ----

    /** CVTSS2SD/CVTPS2PD (exact widening) and CVTSD2SS/CVTPD2PS (rounding). */
    public static Element convert(FloatFormat from, FloatFormat to, long bits, Mxcsr m) {
        Unpacked a = operand(from, bits, m);
        if (a.isNaN()) {
            return new Element(encode(to, a.quieted()), a.kind() == Unpacked.Kind.SNAN ? INVALID : 0);
        }
        int flags = denormals(a, null);
        if (!a.isFinite()) {
            return new Element(encode(to, a), flags);
        }
        return round(Exact.of(a), to, m, flags);
    }

    /** CVTSI2SS/CVTSI2SD/CVTDQ2PS/CVTDQ2PD/CVTPI2Px: a signed integer, rounded under RC. */
    public static Element fromInteger(FloatFormat to, long value, Mxcsr m) {
        if (value == 0) {
            return new Element(0, 0);
        }
        BigInteger magnitude = BigInteger.valueOf(value).abs();
        return round(new Exact(value < 0, magnitude, 0, false), to, m, 0);
    }

    /**
     * CVT(T)SS2SI, CVT(T)SD2SI, CVT(T)PS2DQ, CVT(T)PD2DQ, CVT(T)Px2PI: rounded under RC (or toward
     * zero for the T forms) to a signed integer of {@code bytes}; NaN, ∞ and out-of-range values
     * raise IE and give the integer indefinite 80…0H. These raise no DE (SDM 2 CVTSD2SI:
     * "Invalid, Precision"); DAZ still applies to their operand.
     */
    public static Element toInteger(FloatFormat from, long bits, int bytes, boolean truncate, Mxcsr m) {
        Unpacked a = operand(from, bits, m);
        long indefinite = bytes == 8 ? Long.MIN_VALUE : 0x8000_0000L;
        if (!a.isFinite() && !a.isZero()) {
            return new Element(indefinite, INVALID);
        }
        Rounder.IntegerRounding r = Rounder.roundToInteger(a, truncate ? Rounding.TOWARD_ZERO : m.rounding());
        BigInteger v = r.value();
        BigInteger limit = BigInteger.ONE.shiftLeft(8 * bytes - 1);
        if (v.compareTo(limit.negate()) < 0 || v.compareTo(limit) >= 0) {
            return new Element(indefinite, INVALID);
        }
        long mask = bytes == 8 ? -1L : 0xFFFF_FFFFL;
        return new Element(v.longValue() & mask, r.inexact() ? PRECISION : 0);
    }

    // ---- approximations (SDM 2 RCPPS, RSQRTPS) ----

    /**
     * RCPPS/RCPSS ({@code reciprocalSqrt} false) and RSQRTPS/RSQRTSS: approximations whose relative
     * error the SDM bounds by 1.5 × 2^−12; this processor returns the correctly rounded (to
     * nearest) single-precision value, which meets the bound. They raise no flags; denormal
     * operands count as zeros and tiny reciprocals are flushed to zero (SDM 2 RCPPS), a negative
     * operand of RSQRT gives the indefinite, ±0 gives ±∞, NaNs come back quiet.
     */
    public static long approximate(boolean reciprocalSqrt, long bits) {
        Unpacked a = Unpacked.ofSingle((int) bits);
        if (a.isNaN()) {
            return encode(FloatFormat.SINGLE, a.quieted());
        }
        if (a.isZero() || a.denormal()) {
            return encode(FloatFormat.SINGLE, Unpacked.infinity(a.negative()));
        }
        if (reciprocalSqrt && a.negative()) {
            return indefinite(FloatFormat.SINGLE);
        }
        if (a.isInfinity()) {
            return encode(FloatFormat.SINGLE, Unpacked.zero(a.negative()));
        }
        Unpacked one = Unpacked.finite(false, BigInteger.ONE, 0);
        Exact r = reciprocalSqrt ? Exact.divide(one, rootOf(a)) : Exact.divide(one, a);
        Rounder.Rounded rounded = r.round(FloatFormat.SINGLE, Rounding.NEAREST_EVEN);
        if (rounded.tiny()) {
            return encode(FloatFormat.SINGLE, Unpacked.zero(a.negative()));
        }
        return encode(FloatFormat.SINGLE, rounded.value());
    }

    /** √a to {@link Exact#WORKING_BITS} bits, as a value (the sticky remainder dropped: 2^−66 relative). */
    private static Unpacked rootOf(Unpacked a) {
        Exact s = Exact.sqrt(a);
        return Unpacked.finite(false, s.significand(), s.exponent());
    }
}
