package dev.hvspec.machine.cpu;

import static dev.hvspec.machine.cpu.Rflags.AF;
import static dev.hvspec.machine.cpu.Rflags.CF;
import static dev.hvspec.machine.cpu.Rflags.OF;
import static dev.hvspec.machine.cpu.Rflags.PF;
import static dev.hvspec.machine.cpu.Rflags.SF;
import static dev.hvspec.machine.cpu.Rflags.STATUS;
import static dev.hvspec.machine.cpu.Rflags.ZF;

/**
 * Pure integer arithmetic and status-flag semantics (SDM 1 §3.4.3.1, SDM 2 instruction pages).
 * Sizes are in bytes (1, 2, 4, 8); operands and results are the low {@code size} bytes of a long.
 * Each {@code flagsAfter…} method returns the whole RFLAGS with the six status flags replaced
 * as the instruction defines them.
 *
 * <p>Where the SDM says a flag is undefined, this CPU makes one fixed choice, listed in
 * docs/cpu.md: logic ops clear AF; shifts and rotates compute OF with the count-1 formula for any
 * count and clear AF; MUL/IMUL set SF, ZF, PF from the low half of the result and clear AF;
 * DIV/IDIV leave all flags unchanged; BSF/BSR set ZF/SF/PF from the source and clear CF/OF/AF;
 * BT/BTS/BTR/BTC leave OF/SF/AF/PF unchanged.
 */
public final class Alu {
    private Alu() {
    }

    public static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    public static long signBit(int size) {
        return 1L << (size * 8 - 1);
    }

    /** Sign-extends the low {@code size} bytes of {@code value} to 64 bits. */
    public static long signExtend(long value, int size) {
        int shift = 64 - size * 8;
        return (value << shift) >> shift;
    }

    public static long truncate(long value, int size) {
        return value & mask(size);
    }

    /** PF: set if the low byte of the result has an even number of 1 bits. */
    static long parity(long result) {
        return (Integer.bitCount((int) result & 0xFF) & 1) == 0 ? PF : 0;
    }

    /** ZF, SF and PF of a result. */
    static long zsp(long result, int size) {
        long r = result & mask(size);
        long flags = parity(r);
        if (r == 0) {
            flags |= ZF;
        }
        if ((r & signBit(size)) != 0) {
            flags |= SF;
        }
        return flags;
    }

    private static long msb(long value, int size) {
        return (value >>> (size * 8 - 1)) & 1;
    }

    /** ADD/ADC: result = a + b + carryIn. */
    public static long flagsAfterAdd(long rflags, long a, long b, long result, int size) {
        long flags = zsp(result, size);
        // Carry out of the top bit: set where both inputs are 1, or either is 1 and the result is 0.
        if (msb((a & b) | ((a | b) & ~result), size) != 0) flags |= CF;
        if (msb((a ^ result) & (b ^ result), size) != 0) flags |= OF;
        if (((a ^ b ^ result) & 0x10) != 0) flags |= AF;
        return (rflags & ~STATUS) | flags;
    }

    /** SUB/SBB/CMP/NEG: result = a - b - borrowIn. */
    public static long flagsAfterSub(long rflags, long a, long b, long result, int size) {
        long flags = zsp(result, size);
        // Borrow out of the top bit: set where a is 0 and b is 1, or a == b there and the result is 1.
        if (msb((~a & b) | (~(a ^ b) & result), size) != 0) flags |= CF;
        if (msb((a ^ b) & (a ^ result), size) != 0) flags |= OF;
        if (((a ^ b ^ result) & 0x10) != 0) flags |= AF;
        return (rflags & ~STATUS) | flags;
    }

    /** AND/OR/XOR/TEST: OF = CF = 0; SF, ZF, PF from the result; AF (undefined) cleared. */
    public static long flagsAfterLogic(long rflags, long result, int size) {
        return (rflags & ~STATUS) | zsp(result, size);
    }

    /** INC: like ADD of 1 but CF is preserved (SDM 2, INC). */
    public static long flagsAfterInc(long rflags, long a, long result, int size) {
        return (flagsAfterAdd(rflags, a, 1, result, size) & ~CF) | (rflags & CF);
    }

    /** DEC: like SUB of 1 but CF is preserved (SDM 2, DEC). */
    public static long flagsAfterDec(long rflags, long a, long result, int size) {
        return (flagsAfterSub(rflags, a, 1, result, size) & ~CF) | (rflags & CF);
    }

    // ---- shifts and rotates (SDM 2, SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD) ----

    /** The count after masking: 5 bits, or 6 bits for 64-bit operands. */
    public static int maskShiftCount(long count, int size) {
        return (int) (count & (size == 8 ? 0x3F : 0x1F));
    }

    /** SHL/SAL by a masked count 1..63; returns the result. Flags via {@link #flagsAfterShl}. */
    public static long shl(long value, int count, int size) {
        return count >= size * 8 ? 0 : (value << count) & mask(size);
    }

    public static long flagsAfterShl(long rflags, long value, int count, long result, int size) {
        long flags = zsp(result, size);
        long carry = count > size * 8 ? 0 : msb(value << (count - 1), size);
        if (carry != 0) flags |= CF;
        if ((msb(result, size) ^ carry) != 0) flags |= OF;
        return (rflags & ~STATUS) | flags;
    }

    public static long shr(long value, int count, int size) {
        return count >= 64 ? 0 : (value & mask(size)) >>> count;
    }

    public static long flagsAfterShr(long rflags, long value, int count, long result, int size) {
        long flags = zsp(result, size);
        long v = value & mask(size);
        if (count <= 64 && ((v >>> (count - 1)) & 1) != 0) flags |= CF;
        // OF (count 1): the most significant bit of the original operand.
        if (msb(v, size) != 0) flags |= OF;
        return (rflags & ~STATUS) | flags;
    }

    public static long sar(long value, int count, int size) {
        return (signExtend(value, size) >> Math.min(count, 63)) & mask(size);
    }

    public static long flagsAfterSar(long rflags, long value, int count, long result, int size) {
        long flags = zsp(result, size);
        if (((signExtend(value, size) >> Math.min(count - 1, 63)) & 1) != 0) flags |= CF;
        // OF is cleared for 1-bit shifts (and, by our choice, for all counts).
        return (rflags & ~STATUS) | flags;
    }

    public static long rol(long value, int count, int size) {
        int bits = size * 8;
        int n = count % bits;
        long v = value & mask(size);
        return n == 0 ? v : ((v << n) | (v >>> (bits - n))) & mask(size);
    }

    /** ROL: CF = LSB of the result, OF = MSB(result) XOR CF; other flags unchanged. */
    public static long flagsAfterRol(long rflags, long result, int size) {
        long flags = rflags & ~(CF | OF);
        long carry = result & 1;
        if (carry != 0) flags |= CF;
        if ((msb(result, size) ^ carry) != 0) flags |= OF;
        return flags;
    }

    public static long ror(long value, int count, int size) {
        int bits = size * 8;
        int n = count % bits;
        long v = value & mask(size);
        return n == 0 ? v : ((v >>> n) | (v << (bits - n))) & mask(size);
    }

    /** ROR: CF = MSB of the result, OF = XOR of the two most significant bits of the result. */
    public static long flagsAfterRor(long rflags, long result, int size) {
        long flags = rflags & ~(CF | OF);
        long top = msb(result, size);
        if (top != 0) flags |= CF;
        if ((top ^ msb(result << 1, size)) != 0) flags |= OF;
        return flags;
    }

    /** The result of a rotation through CF: the new operand value and the new CF. */
    public record Rotated(long value, long carry) {
    }

    /**
     * RCL: a (bits+1)-bit rotation left of CF:value by {@code count} modulo (bits+1) (SDM 2 RCL,
     * "tempCOUNT ← (COUNT AND 1FH) MOD 9" for bytes, MOD 17 for words).
     */
    public static Rotated rcl(long value, long carryIn, int count, int size) {
        long v = value & mask(size);
        long cf = carryIn & 1;
        for (int i = 0; i < count % (size * 8 + 1); i++) {
            long out = msb(v, size);
            v = ((v << 1) | cf) & mask(size);
            cf = out;
        }
        return new Rotated(v, cf);
    }

    /** RCR: the same rotation to the right. */
    public static Rotated rcr(long value, long carryIn, int count, int size) {
        long v = value & mask(size);
        long cf = carryIn & 1;
        for (int i = 0; i < count % (size * 8 + 1); i++) {
            long out = v & 1;
            v = (v >>> 1) | (cf << (size * 8 - 1));
            cf = out;
        }
        return new Rotated(v & mask(size), cf);
    }

    /** RCL: OF = MSB(result) XOR CF(after). */
    public static long flagsAfterRcl(long rflags, long result, long carryOut, int size) {
        long flags = rflags & ~(CF | OF);
        if (carryOut != 0) flags |= CF;
        if ((msb(result, size) ^ carryOut) != 0) flags |= OF;
        return flags;
    }

    /** RCR: OF = XOR of the two most significant bits of the result. */
    public static long flagsAfterRcr(long rflags, long result, long carryOut, int size) {
        long flags = rflags & ~(CF | OF);
        if (carryOut != 0) flags |= CF;
        if ((msb(result, size) ^ msb(result << 1, size)) != 0) flags |= OF;
        return flags;
    }

    /** SHLD: shifts {@code dest} left, filling from the top of {@code source}; count 1..63, below size*8. */
    public static long shld(long dest, long source, int count, int size) {
        int bits = size * 8;
        long d = dest & mask(size);
        long s = source & mask(size);
        if (size == 2 && count > 16) {
            // SDM: result undefined for 16-bit operands and counts > 16. Our choice: the
            // 32-bit pattern d:s:d shifted, as a barrel shifter over the concatenation would.
            long wide = (d << 32) | (s << 16) | d;
            return (wide << count >>> 32) & 0xFFFF;
        }
        return ((d << count) | (s >>> (bits - count))) & mask(size);
    }

    public static long flagsAfterShld(long rflags, long dest, int count, long result, int size) {
        long flags = zsp(result, size);
        long d = dest & mask(size);
        long carry = count <= size * 8 ? (d >>> (size * 8 - count)) & 1 : 0;
        if (carry != 0) flags |= CF;
        if ((msb(result, size) ^ msb(d, size)) != 0) flags |= OF; // sign change (defined for count 1)
        return (rflags & ~STATUS) | flags;
    }

    public static long shrd(long dest, long source, int count, int size) {
        int bits = size * 8;
        long d = dest & mask(size);
        long s = source & mask(size);
        if (size == 2 && count > 16) {
            long wide = (d << 32) | (s << 16) | d;
            return (wide >>> count) & 0xFFFF;
        }
        return ((d >>> count) | (s << (bits - count))) & mask(size);
    }

    public static long flagsAfterShrd(long rflags, long dest, int count, long result, int size) {
        long flags = zsp(result, size);
        long d = dest & mask(size);
        if (count <= size * 8 && ((d >>> (count - 1)) & 1) != 0) flags |= CF;
        if ((msb(result, size) ^ msb(d, size)) != 0) flags |= OF;
        return (rflags & ~STATUS) | flags;
    }

    // ---- multiplication ----

    /** MUL/IMUL: CF = OF = {@code overflow}; SF, ZF, PF from the low half; AF cleared. */
    public static long flagsAfterMul(long rflags, long lowResult, boolean overflow, int size) {
        long flags = zsp(lowResult, size);
        if (overflow) flags |= CF | OF;
        return (rflags & ~STATUS) | flags;
    }

    // ---- bit scan ----

    /** BSF/BSR: ZF = (source == 0); SF, PF from the source; CF, OF, AF cleared. */
    public static long flagsAfterBitScan(long rflags, long source, int size) {
        return (rflags & ~STATUS) | zsp(source, size);
    }

    /** TZCNT/LZCNT: CF = (source == 0), ZF = (result == 0); OF, SF, PF, AF undefined: cleared. */
    public static long flagsAfterCount(long rflags, long source, long result, int size) {
        long flags = 0;
        if ((source & mask(size)) == 0) flags |= CF;
        if ((result & mask(size)) == 0) flags |= ZF;
        return (rflags & ~STATUS) | flags;
    }

    /** POPCNT: ZF = (source == 0); OF, SF, AF, CF, PF cleared (SDM 2, POPCNT "Flags Affected"). */
    public static long flagsAfterPopcnt(long rflags, long source, int size) {
        return (rflags & ~STATUS) | ((source & mask(size)) == 0 ? ZF : 0);
    }
}
