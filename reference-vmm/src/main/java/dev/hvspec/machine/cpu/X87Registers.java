package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.Extended80;
import dev.hvspec.machine.cpu.fp.Unpacked;

/**
 * The x87 FPU's register file (SDM 1 §8.1, Figure 8-1): the eight 80-bit data registers R0-R7
 * (physical numbering; ST(i) is R((TOP + i) mod 8)), the control word FCW, the status word FSW
 * (with TOP in bits 13:11), the tag word kept in its abridged form (one "valid" bit per physical
 * register, as FXSAVE stores it and as processors since the Pentium III hold it: the two-bit tags
 * of FSTENV/FSAVE are derived from the register contents, SDM 1 §8.1.7), the last instruction
 * opcode FOP, and the last instruction and data pointers FCS:FIP and FDS:FDP (§8.1.8-9).
 *
 * <p>The MMX registers MM0-MM7 are the significands of R0-R7 (SDM 1 §9.5). Fields are public as in
 * {@link CpuState}: this is a register file, read and written by the instruction semantics and by
 * the kernel layer's KVM_GET/SET_FPU.
 */
public final class X87Registers {
    // FSW bits (SDM 1 Figure 8-4)
    public static final int FSW_SF = 1 << 6, FSW_ES = 1 << 7, FSW_C0 = 1 << 8, FSW_C1 = 1 << 9, FSW_C2 = 1 << 10,
            FSW_TOP_SHIFT = 11, FSW_TOP = 7 << 11, FSW_C3 = 1 << 14, FSW_B = 1 << 15;
    public static final int FSW_CONDITION = FSW_C0 | FSW_C1 | FSW_C2 | FSW_C3;
    /** FCW after FNINIT/FINIT (SDM 2 FINIT): all exceptions masked, 64-bit precision, round to nearest. */
    public static final int FCW_INIT = 0x037F;
    /** Two-bit tags of the full tag word (SDM 1 Figure 8-7). */
    public static final int TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3;

    /** R0-R7: significand (bit 63 is the J bit) and sign/exponent (16 bits). */
    public final long[] significand = new long[8];
    public final int[] signExponent = new int[8];
    public int fcw = FCW_INIT;
    public int fsw;
    /** Abridged tag word: bit i set when physical register Ri is not empty (SDM 2 FXSAVE, Table 3-54). */
    public int tagValid;
    /** The last non-control instruction's opcode: bits 10:8 from its first byte, 7:0 its ModRM (§8.1.10). */
    public int fop;
    public long fip;
    public int fcs;
    public long fdp;
    public int fds;

    /**
     * Loads FCW as FLDCW, FLDENV, FRSTOR and FXRSTOR do: bit 6 reads as 1 and bits 7 and 13-15 as
     * 0 (reserved, SDM 1 Figure 8-6; the values an Intel processor returns, checked against the host).
     */
    public void loadFcw(int value) {
        fcw = (value & 0x1F3F) | 0x40;
    }

    public int top() {
        return (fsw & FSW_TOP) >>> FSW_TOP_SHIFT;
    }

    public void setTop(int top) {
        fsw = (fsw & ~FSW_TOP) | ((top & 7) << FSW_TOP_SHIFT);
    }

    /** The physical register number of ST(i). */
    public int physical(int i) {
        return (top() + i) & 7;
    }

    public boolean isEmpty(int i) {
        return (tagValid & (1 << physical(i))) == 0;
    }

    public Extended80 raw(int physical) {
        return new Extended80(signExponent[physical], significand[physical]);
    }

    public void setRaw(int physical, Extended80 value) {
        signExponent[physical] = value.signExponent();
        significand[physical] = value.significand();
    }

    /** ST(i) as a value (the caller has checked that it is not empty). */
    public Unpacked st(int i) {
        return Unpacked.ofExtended(raw(physical(i)));
    }

    /** Writes ST(i) and tags it valid. */
    public void setSt(int i, Unpacked value) {
        int p = physical(i);
        setRaw(p, value.toExtended());
        tagValid |= 1 << p;
    }

    /** Decrements TOP and writes the new ST(0) (stack overflow is the caller's check). */
    public void push(Unpacked value) {
        setTop(top() - 1);
        setSt(0, value);
    }

    /** Pushes an 80-bit datum unchanged (FLD m80fp, FLD ST(i)). */
    public void pushRaw(Extended80 value) {
        setTop(top() - 1);
        int p = physical(0);
        setRaw(p, value);
        tagValid |= 1 << p;
    }

    /** Tags ST(0) empty and increments TOP (SDM 1 §8.1.3). */
    public void pop() {
        tagValid &= ~(1 << physical(0));
        setTop(top() + 1);
    }

    /**
     * The full two-bit tag of physical register {@code p} (SDM 1 §8.1.7, Figure 8-7): 11
     * empty, else 01 for a zero, 10 for NaN, ∞, denormal or an unsupported encoding, 00 valid.
     */
    public int fullTag(int p) {
        if ((tagValid & (1 << p)) == 0) {
            return TAG_EMPTY;
        }
        Unpacked u = Unpacked.ofExtended(raw(p));
        if (u.isZero()) {
            return TAG_ZERO;
        }
        return u.isFinite() && !u.denormal() ? TAG_VALID : TAG_SPECIAL;
    }

    /** The full tag word FSTENV/FSAVE store: two bits per physical register, R0 in bits 1:0. */
    public int fullTagWord() {
        int word = 0;
        for (int p = 0; p < 8; p++) {
            word |= fullTag(p) << (2 * p);
        }
        return word;
    }

    /** FLDENV/FRSTOR: a tag of 11B means empty, any other value valid (SDM 2 FLDENV). */
    public void loadFullTagWord(int word) {
        tagValid = 0;
        for (int p = 0; p < 8; p++) {
            if (((word >>> (2 * p)) & 3) != TAG_EMPTY) {
                tagValid |= 1 << p;
            }
        }
    }

    /**
     * Recomputes the error-summary bits from the flags and masks: ES (and B, which mirrors it
     * since the Intel 387) is set when an exception flag is set whose mask bit is clear
     * (SDM 1 §8.1.3.1).
     */
    public void updateErrorSummary() {
        boolean pending = (fsw & ~fcw & 0x3F) != 0;
        fsw = pending ? fsw | FSW_ES | FSW_B : fsw & ~(FSW_ES | FSW_B);
    }

    /** FNINIT (SDM 2 FINIT/FNINIT): FCW 037FH, FSW 0, all empty, FOP and the pointers cleared. */
    public void init() {
        fcw = FCW_INIT;
        fsw = 0;
        tagValid = 0;
        fop = 0;
        fip = fdp = 0;
        fcs = fds = 0;
    }

    /** Power-up and RESET state (SDM 3A §9.1.1, Table 9-1): FCW 0040H, tags 5555H (all zero), registers +0. */
    public void reset() {
        init();
        fcw = 0x0040;
        tagValid = 0xFF;
        java.util.Arrays.fill(significand, 0);
        java.util.Arrays.fill(signExponent, 0);
    }

    /** Copies every field of {@code other}. */
    public void copyFrom(X87Registers other) {
        System.arraycopy(other.significand, 0, significand, 0, 8);
        System.arraycopy(other.signExponent, 0, signExponent, 0, 8);
        fcw = other.fcw;
        fsw = other.fsw;
        tagValid = other.tagValid;
        fop = other.fop;
        fip = other.fip;
        fcs = other.fcs;
        fdp = other.fdp;
        fds = other.fds;
    }
}
