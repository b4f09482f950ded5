package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.Extended80;

/**
 * The 512-byte FXSAVE/FXRSTOR image (SDM 2 FXSAVE, Tables 3-53 and 3-56): used by the
 * instructions and by the kernel layer (KVM_GET/SET_FPU, and the legacy region of KVM_GET/SET_XSAVE).
 *
 * <pre>
 *   0 FCW   2 FSW   4 FTW (abridged)   5 reserved   6 FOP
 *   8 FIP[31:0]  12 FCS  14 reserved  16 FDP[31:0]  20 FDS  22 reserved     (32-bit format)
 *   8 FIP[63:0]                        16 FDP[63:0]                          (64-bit format, REX.W)
 *  24 MXCSR  28 MXCSR_MASK
 *  32 + 16i  ST(i)/MMi (10 bytes, 6 reserved)     160 + 16i  XMMi (i = 0-15)
 * 416-463 reserved, 464-511 available to software (never written)
 * </pre>
 */
public final class FxsaveImage {
    public static final int SIZE = 512;
    /** Bytes FXSAVE writes: up to XMM15 in 64-bit mode, up to XMM7 elsewhere (SDM 2 FXSAVE). */
    static final int WRITTEN_64 = 416, WRITTEN_32 = 288;

    private FxsaveImage() {
    }

    /**
     * The image of the current state: the 64-bit format (64-bit pointers) or the 32-bit one
     * (offsets and selectors); XMM8-15 are included when {@code allXmm}. Reserved bytes are zero.
     */
    public static byte[] save(CpuState s, boolean format64, boolean allXmm) {
        X87Registers x = s.x87;
        byte[] b = new byte[SIZE];
        VectorMemory.putLong(b, 0, 2, x.fcw);
        VectorMemory.putLong(b, 2, 2, x.fsw);
        b[4] = (byte) x.tagValid;
        VectorMemory.putLong(b, 6, 2, x.fop & 0x7FF);
        if (format64) {
            VectorMemory.putLong(b, 8, 8, x.fip);
            VectorMemory.putLong(b, 16, 8, x.fdp);
        } else {
            VectorMemory.putLong(b, 8, 4, x.fip);
            VectorMemory.putLong(b, 12, 2, x.fcs);
            VectorMemory.putLong(b, 16, 4, x.fdp);
            VectorMemory.putLong(b, 20, 2, x.fds);
        }
        VectorMemory.putLong(b, 24, 4, s.sse.mxcsr);
        VectorMemory.putLong(b, 28, 4, SseRegisters.MXCSR_MASK);
        for (int i = 0; i < 8; i++) {
            System.arraycopy(x.raw(x.physical(i)).toBytes(), 0, b, 32 + 16 * i, 10);
        }
        int registers = allXmm ? 16 : 8;
        for (int i = 0; i < registers; i++) {
            VectorMemory.putLong(b, 160 + 16 * i, 8, s.sse.low(i));
            VectorMemory.putLong(b, 168 + 16 * i, 8, s.sse.high(i));
        }
        return b;
    }

    /** Whether {@code image} can be loaded: MXCSR reserved bits clear (SDM 2 FXRSTOR: else #GP(0)). */
    public static boolean valid(byte[] image) {
        return (VectorMemory.readLong(image, 24, 4) & ~SseRegisters.MXCSR_MASK) == 0;
    }

    /** Loads an image checked with {@link #valid}; XMM8-15 only when {@code allXmm}. */
    public static void load(CpuState s, byte[] b, boolean format64, boolean allXmm) {
        X87Registers x = s.x87;
        x.loadFcw((int) VectorMemory.readLong(b, 0, 2));
        x.fsw = (int) VectorMemory.readLong(b, 2, 2);
        x.tagValid = b[4] & 0xFF;
        x.fop = (int) VectorMemory.readLong(b, 6, 2) & 0x7FF;
        if (format64) {
            // The 64-bit format has no selectors: FCS and FDS become 0.
            x.fip = VectorMemory.readLong(b, 8, 8);
            x.fdp = VectorMemory.readLong(b, 16, 8);
            x.fcs = 0;
            x.fds = 0;
        } else {
            x.fip = VectorMemory.readLong(b, 8, 4);
            x.fcs = (int) VectorMemory.readLong(b, 12, 2);
            x.fdp = VectorMemory.readLong(b, 16, 4);
            x.fds = (int) VectorMemory.readLong(b, 20, 2);
        }
        x.updateErrorSummary();
        s.sse.mxcsr = (int) VectorMemory.readLong(b, 24, 4);
        for (int i = 0; i < 8; i++) {
            x.setRaw(x.physical(i), Extended80.fromBytes(b, 32 + 16 * i));
        }
        int registers = allXmm ? 16 : 8;
        for (int i = 0; i < registers; i++) {
            s.sse.set(i, VectorMemory.readLong(b, 160 + 16 * i, 8), VectorMemory.readLong(b, 168 + 16 * i, 8));
        }
    }
}
