package dev.hvspec.machine.cpu;

/**
 * The SSE register file (SDM 1 §10.2): XMM0-XMM15 (XMM8-15 only in 64-bit mode) and MXCSR.
 * Each XMM register is two 64-bit halves, {@code xmm[2i]} the low and {@code xmm[2i+1]} the high
 * quadword. Public fields, as in {@link CpuState}.
 */
public final class SseRegisters {
    /** MXCSR after power-up, RESET and INIT (SDM 3A Table 9-1): all exceptions masked, RC nearest. */
    public static final int MXCSR_RESET = 0x1F80;
    /**
     * The MXCSR bits this processor implements (SDM 1 §11.6.6, MXCSR_MASK): the flags, DAZ, the
     * masks, RC and FTZ; bits 31:16 are reserved (LDMXCSR/FXRSTOR raise #GP for them).
     */
    public static final int MXCSR_MASK = 0x0000_FFFF;

    public final long[] xmm = new long[32];
    public int mxcsr = MXCSR_RESET;

    public long low(int register) {
        return xmm[2 * register];
    }

    public long high(int register) {
        return xmm[2 * register + 1];
    }

    public void set(int register, long low, long high) {
        xmm[2 * register] = low;
        xmm[2 * register + 1] = high;
    }

    /** Element {@code i} of {@code size} bytes (1, 2, 4, 8), zero-extended. */
    public long element(int register, int size, int i) {
        int bitsPerHalf = 64 / (8 * size);
        long half = xmm[2 * register + i / bitsPerHalf];
        if (size == 8) {
            return half;
        }
        int shift = (i % bitsPerHalf) * 8 * size;
        return (half >>> shift) & ((1L << (8 * size)) - 1);
    }

    public void reset() {
        java.util.Arrays.fill(xmm, 0);
        mxcsr = MXCSR_RESET;
    }

    public void copyFrom(SseRegisters other) {
        System.arraycopy(other.xmm, 0, xmm, 0, xmm.length);
        mxcsr = other.mxcsr;
    }
}
