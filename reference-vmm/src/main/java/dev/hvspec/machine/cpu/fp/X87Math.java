package dev.hvspec.machine.cpu.fp;

import java.math.BigInteger;

import static dev.hvspec.machine.cpu.fp.FpFlags.DENORMAL;
import static dev.hvspec.machine.cpu.fp.FpFlags.INVALID;
import static dev.hvspec.machine.cpu.fp.FpFlags.OVERFLOW;
import static dev.hvspec.machine.cpu.fp.FpFlags.PRECISION;
import static dev.hvspec.machine.cpu.fp.FpFlags.UNDERFLOW;
import static dev.hvspec.machine.cpu.fp.FpFlags.ZERO_DIVIDE;

/**
 * The x87 FPU's arithmetic on values (SDM 1 §8.5, §4.9; SDM 2 instruction pages), without the
 * register stack: operands are decoded {@link Unpacked} values (from registers or converted from
 * memory), results are double-extended values with the exception flags raised and the x87 C1
 * "rounded up" bit.
 *
 * <p>Exceptions are detected in the priority order of SDM 1 §4.9.2: invalid operations caused by
 * SNaN or unsupported operands, then QNaN operands (which propagate without raising anything),
 * then other invalid operations and divide-by-zero, then denormal operands, then numeric overflow
 * or underflow, then inexact. For a masked exception the masked response is delivered and
 * detection continues; an unmasked invalid, divide-by-zero or denormal exception delivers nothing
 * ({@link Result#value()} is null); an unmasked overflow or underflow delivers the result with its
 * exponent adjusted by ∓24576 (SDM 1 §8.4.3 … "bias-adjusted"), an unmasked inexact result the
 * rounded result.
 */
public final class X87Math {
    /** SDM 1 §4.9.1.4/5: the x87 exponent bias adjustment for unmasked overflow/underflow. */
    public static final int BIAS_ADJUST = 24576;

    private X87Math() {
    }

    /** The fields of the x87 control word that govern arithmetic (SDM 1 §8.1.5, Figure 8-6). */
    public record Control(int fcw) {
        public boolean masked(int flag) {
            return (fcw & flag) != 0;
        }

        /** FCW.RC, bits 11:10. */
        public Rounding rounding() {
            return Rounding.ofField(fcw >>> 10);
        }

        /**
         * FCW.PC, bits 9:8 (SDM 1 Table 8-2): 00B single (24 bits), 10B double (53), 11B double
         * extended (64); 01B is reserved — this processor treats it as 64 bits.
         */
        public int precision() {
            return switch ((fcw >>> 8) & 3) {
                case 0 -> 24;
                case 2 -> 53;
                default -> 64;
            };
        }
    }

    /**
     * What an operation delivers.
     *
     * @param value     the result, or null when an unmasked pre-computation exception (IE, ZE,
     *                  DE) suppresses it
     * @param flags     the exception flags raised ({@link FpFlags})
     * @param roundedUp the x87 C1 bit after an inexact result: the magnitude was rounded up
     */
    public record Result(Unpacked value, int flags, boolean roundedUp) {
        public boolean delivered() {
            return value != null;
        }
    }

    // ---- building blocks ----

    static Result invalid(Control c) {
        return new Result(c.masked(INVALID) ? Unpacked.indefinite() : null, INVALID, false);
    }

    private static Result exact(Unpacked value, int flags) {
        return new Result(value, flags, false);
    }

    /** A result that is already a value of the destination (specials, exact zeros). */
    private static Result special(Unpacked value, int flags, Control c) {
        return (flags & DENORMAL) != 0 && !c.masked(DENORMAL) ? new Result(null, flags, false) : exact(value, flags);
    }

    /**
     * SDM 1 §4.8.3.5, Table 4-7 (x87 column): with one NaN operand, that NaN made quiet; with two,
     * a QNaN over an SNaN, else the one with the larger significand (on a tie the positive one).
     * Raises IE if a NaN is signaling.
     */
    static Result propagateNaN(Unpacked a, Unpacked b, Control c) {
        boolean signaling = a.kind() == Unpacked.Kind.SNAN || b != null && b.kind() == Unpacked.Kind.SNAN;
        Unpacked chosen;
        if (b == null || !b.isNaN()) {
            chosen = a;
        } else if (!a.isNaN()) {
            chosen = b;
        } else if (a.kind() != b.kind()) {
            chosen = a.kind() == Unpacked.Kind.QNAN ? a : b;
        } else {
            int cmp = Long.compareUnsigned(a.nanFraction(), b.nanFraction());
            chosen = cmp > 0 ? a : cmp < 0 ? b : a.negative() ? b : a;
        }
        if (signaling && !c.masked(INVALID)) {
            return new Result(null, INVALID, false);
        }
        return exact(chosen.quieted(), signaling ? INVALID : 0);
    }

    /** SNaN and unsupported operands, then QNaNs: the result of the first checks of §4.9.2, or null. */
    static Result checkNaNs(Unpacked a, Unpacked b, Control c) {
        if (a.kind() == Unpacked.Kind.UNSUPPORTED || b != null && b.kind() == Unpacked.Kind.UNSUPPORTED) {
            return invalid(c);
        }
        if (a.isNaN() || b != null && b.isNaN()) {
            return propagateNaN(a.isNaN() ? a : b, a.isNaN() ? b : null, c);
        }
        return null;
    }

    static int denormalFlag(Unpacked a, Unpacked b) {
        return a.denormal() || b != null && b.denormal() ? DENORMAL : 0;
    }

    /**
     * Rounds an exact nonzero result of FADD/FSUB/FMUL/FDIV/FSQRT (and their P/R/I forms) to the
     * precision control and delivers it with OE/UE/PE (§4.9.1.4-6). PC affects only these
     * instructions (SDM 1 §8.1.5.2).
     */
    static Result roundUnderPc(Exact e, Control c, int flags) {
        return round(e, FloatFormat.EXTENDED, c.precision(), c, flags);
    }

    /** Rounds an exact nonzero result of any other instruction to 64 bits (PC does not apply). */
    public static Result round64(Exact e, Control c, int flags) {
        return round(e, FloatFormat.EXTENDED, 64, c, flags);
    }

    /** Rounds to {@code format} at {@code precision} bits; unmasked OE/UE are bias-adjusted for EXTENDED. */
    static Result round(Exact e, FloatFormat format, int precision, Control c, int flags) {
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return new Result(null, flags, false);
        }
        Rounder.Rounded r = e.round(format, precision, c.rounding());
        if (r.overflow()) {
            if (c.masked(OVERFLOW)) {
                return new Result(r.value(), flags | OVERFLOW | PRECISION, r.roundedUp());
            }
            return adjusted(r, -BIAS_ADJUST, flags | OVERFLOW, format);
        }
        if (r.tiny()) {
            if (c.masked(UNDERFLOW)) {
                int f = r.inexact() ? UNDERFLOW | PRECISION : 0;
                return new Result(r.value(), flags | f, r.inexact() && r.roundedUp());
            }
            return adjusted(r, BIAS_ADJUST, flags | UNDERFLOW, format);
        }
        return new Result(r.value(), flags | (r.inexact() ? PRECISION : 0), r.inexact() && r.roundedUp());
    }

    /**
     * The unmasked overflow/underflow response for register destinations: the result rounded with
     * an unbounded exponent and scaled by 2^shift (SDM 1 §4.9.1.4-5). Memory destinations receive
     * nothing; callers storing to memory check the flags first.
     */
    private static Result adjusted(Rounder.Rounded r, int shift, int flags, FloatFormat format) {
        Unpacked u = r.unbounded();
        Unpacked scaled = Unpacked.finite(u.negative(), u.significand(), u.exponent() + shift);
        if (format != FloatFormat.EXTENDED || scaled.msbExponent() > format.emax() || scaled.msbExponent() < format.emin()) {
            // Still out of range after the adjustment (only FSCALE gets there): ±∞ (rounded up)
            // or ±0 (rounded down), inexact, whatever the rounding control (as on the host).
            boolean up = shift < 0;
            Unpacked extreme = up ? Unpacked.infinity(u.negative()) : Unpacked.zero(u.negative());
            return new Result(extreme, flags | PRECISION, up);
        }
        return new Result(scaled, flags | (r.unboundedInexact() ? PRECISION : 0),
                r.unboundedInexact() && r.unboundedRoundedUp());
    }

    /** The exact sum's zero: +0 unless both addends are −0, or under round-down (IEEE 754 §6.3). */
    private static Unpacked zeroSum(Unpacked a, Unpacked b, Control c) {
        if (a.isZero() && b.isZero() && a.negative() == b.negative()) {
            return Unpacked.zero(a.negative());
        }
        return Unpacked.zero(c.rounding() == Rounding.DOWN);
    }

    // ---- arithmetic (SDM 2 FADD, FSUB, FMUL, FDIV, FSQRT) ----

    public static Result add(Unpacked a, Unpacked b, Control c) {
        Result nan = checkNaNs(a, b, c);
        if (nan != null) {
            return nan;
        }
        if (a.isInfinity() || b.isInfinity()) {
            if (a.isInfinity() && b.isInfinity() && a.negative() != b.negative()) {
                return invalid(c);
            }
            return special(a.isInfinity() ? a.asValue() : b.asValue(), denormalFlag(a, b), c);
        }
        int flags = denormalFlag(a, b);
        Exact sum = Exact.add(a, b);
        if (sum.isZero()) {
            return special(zeroSum(a, b, c), flags, c);
        }
        return roundUnderPc(sum, c, flags);
    }

    public static Result subtract(Unpacked a, Unpacked b, Control c) {
        if (b.isNaN() || b.kind() == Unpacked.Kind.UNSUPPORTED) {
            return add(a, b, c); // NaN rules look at the operand as given, not negated
        }
        return add(a, b.negate(), c);
    }

    public static Result multiply(Unpacked a, Unpacked b, Control c) {
        Result nan = checkNaNs(a, b, c);
        if (nan != null) {
            return nan;
        }
        boolean negative = a.negative() != b.negative();
        if (a.isInfinity() || b.isInfinity()) {
            if (a.isZero() || b.isZero()) {
                return invalid(c);
            }
            return special(Unpacked.infinity(negative), denormalFlag(a, b), c);
        }
        int flags = denormalFlag(a, b);
        if (a.isZero() || b.isZero()) {
            return special(Unpacked.zero(negative), flags, c);
        }
        return roundUnderPc(Exact.multiply(a, b), c, flags);
    }

    public static Result divide(Unpacked a, Unpacked b, Control c) {
        Result nan = checkNaNs(a, b, c);
        if (nan != null) {
            return nan;
        }
        boolean negative = a.negative() != b.negative();
        if (a.isInfinity()) {
            return b.isInfinity() ? invalid(c) : special(Unpacked.infinity(negative), denormalFlag(a, b), c);
        }
        if (b.isInfinity()) {
            return special(Unpacked.zero(negative), denormalFlag(a, b), c);
        }
        if (b.isZero()) {
            if (a.isZero()) {
                return invalid(c);
            }
            // SDM 1 §4.9.1.3: a finite nonzero dividend over zero; priority over DE (§4.9.2).
            return new Result(c.masked(ZERO_DIVIDE) ? Unpacked.infinity(negative) : null, ZERO_DIVIDE, false);
        }
        int flags = denormalFlag(a, b);
        if (a.isZero()) {
            return special(Unpacked.zero(negative), flags, c);
        }
        return roundUnderPc(Exact.divide(a, b), c, flags);
    }

    public static Result sqrt(Unpacked a, Control c) {
        Result nan = checkNaNs(a, null, c);
        if (nan != null) {
            return nan;
        }
        if (a.isZero()) {
            return exact(a, 0); // √−0 = −0
        }
        if (a.negative()) {
            return invalid(c);
        }
        if (a.isInfinity()) {
            return exact(a, 0);
        }
        return roundUnderPc(Exact.sqrt(a), c, denormalFlag(a, null));
    }

    // ---- conversions ----

    /**
     * Loads a single or double value into the double-extended format (FLD m32fp/m64fp, FADD
     * m32fp … convert their operand this way first): exact; an SNaN raises IE and becomes a QNaN,
     * a denormal raises DE (SDM 2 FLD).
     */
    public static Result load(Unpacked x, Control c) {
        if (x.kind() == Unpacked.Kind.SNAN) {
            return propagateNaN(x, null, c);
        }
        if (x.denormal()) {
            // Loaded also when DE is unmasked (as on the host): the exception is reported, the
            // normalized value pushed.
            return exact(x.asValue(), DENORMAL);
        }
        return exact(x, 0);
    }

    /**
     * FST/FSTP m32fp/m64fp (SDM 2 FST): rounds under RC (not PC) to the memory format. An SNaN
     * raises IE and is stored quiet; an unsupported value stores the indefinite. An unmasked IE,
     * OE or UE stores nothing ({@link Result#value()} null).
     */
    public static Result store(Unpacked x, FloatFormat format, Control c) {
        if (x.kind() == Unpacked.Kind.UNSUPPORTED) {
            return invalid(c);
        }
        if (x.isNaN()) {
            return propagateNaN(x, null, c);
        }
        if (!x.isFinite()) {
            return exact(x, 0);
        }
        Result r = round(Exact.of(x), format, format.precision(), c, 0);
        boolean unmaskedRange = (r.flags() & OVERFLOW) != 0 && !c.masked(OVERFLOW)
                || (r.flags() & UNDERFLOW) != 0 && !c.masked(UNDERFLOW);
        // Nothing is stored, so nothing is rounded: only OE or UE (no PE, as on the host).
        return unmaskedRange ? new Result(null, r.flags() & ~PRECISION, false) : r;
    }

    /** An integer of FILD / FIADD …: exact in 64 bits. */
    public static Unpacked ofInteger(long v) {
        BigInteger magnitude = BigInteger.valueOf(v).abs();
        return v == 0 ? Unpacked.zero(false) : Unpacked.finite(v < 0, magnitude, 0);
    }

    /**
     * FIST/FISTP/FISTTP (SDM 2 FIST, FISTTP): rounds under RC (FISTTP: toward zero) to a signed
     * integer of {@code bytes} bytes. NaN, ∞, unsupported or out-of-range values raise IE and the
     * masked response is the integer indefinite (the most negative value, SDM 1 §4.8.3.7).
     *
     * @return the result with the integer in {@code value} as a finite (or zero) {@link Unpacked},
     *         or the flags only
     */
    public static Result toInteger(Unpacked x, int bytes, Rounding rc, Control c) {
        if (!x.isFinite() && !x.isZero()) {
            return integerIndefinite(bytes, c);
        }
        Rounder.IntegerRounding r = Rounder.roundToInteger(x, rc);
        BigInteger v = r.value();
        BigInteger limit = BigInteger.ONE.shiftLeft(8 * bytes - 1);
        if (v.compareTo(limit.negate()) < 0 || v.compareTo(limit) >= 0) {
            return integerIndefinite(bytes, c);
        }
        // No DE for a denormal operand (SDM 2 FIST lists #IS, #IA, #P).
        int flags = r.inexact() ? PRECISION : 0;
        return new Result(Unpacked.finite(v.signum() < 0, v.abs(), 0), flags, r.inexact() && r.roundedUp());
    }

    private static Result integerIndefinite(int bytes, Control c) {
        Unpacked indefinite = Unpacked.finite(true, BigInteger.ONE.shiftLeft(8 * bytes - 1), 0);
        return new Result(c.masked(INVALID) ? indefinite : null, INVALID, false);
    }

    /** FRNDINT (SDM 2): round ST(0) to an integral value under RC. */
    public static Result roundToIntegral(Unpacked x, Control c) {
        Result nan = checkNaNs(x, null, c);
        if (nan != null) {
            return nan;
        }
        if (!x.isFinite()) {
            return exact(x, 0);
        }
        int flags = denormalFlag(x, null);
        if ((flags & DENORMAL) != 0 && !c.masked(DENORMAL)) {
            return new Result(null, flags, false);
        }
        Rounder.IntegerRounding r = Rounder.roundToInteger(x, c.rounding());
        Unpacked value = r.magnitude().signum() == 0 ? Unpacked.zero(x.negative())
                : Unpacked.finite(x.negative(), r.magnitude(), 0);
        return new Result(value, flags | (r.inexact() ? PRECISION : 0), r.inexact() && r.roundedUp());
    }
}
