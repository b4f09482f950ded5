package dev.hvspec.machine.cpu.fp;

/**
 * The six floating-point exception flags (SDM 1 §4.9.1), at the same bit positions in the x87
 * status word (FSW bits 5:0), the x87 control word's masks (FCW bits 5:0), MXCSR's flags (bits
 * 5:0) and MXCSR's masks (bits 12:7, shifted by 7).
 */
public final class FpFlags {
    /** IE: invalid operation (§4.9.1.1). */
    public static final int INVALID = 1;
    /** DE: denormal operand (§4.9.1.2). */
    public static final int DENORMAL = 1 << 1;
    /** ZE: divide by zero (§4.9.1.3). */
    public static final int ZERO_DIVIDE = 1 << 2;
    /** OE: numeric overflow (§4.9.1.4). */
    public static final int OVERFLOW = 1 << 3;
    /** UE: numeric underflow (§4.9.1.5). */
    public static final int UNDERFLOW = 1 << 4;
    /** PE: inexact result, precision (§4.9.1.6). */
    public static final int PRECISION = 1 << 5;
    public static final int ALL = 0x3F;

    private FpFlags() {
    }
}
