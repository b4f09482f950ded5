package dev.hvspec.machine.cpu.fp;

/**
 * An 80-bit double-extended datum as the x87 registers and m80fp hold it (SDM 1 §4.2.2, Figure
 * 4-3): sign and 15-bit biased exponent in {@code signExponent} (bits 15 and 14:0), and the 64-bit
 * significand with its explicit integer bit J in bit 63.
 */
public record Extended80(int signExponent, long significand) {
    /** The QNaN floating-point indefinite (SDM 1 §4.8.3.7, Table 4-3): −, exponent all ones, 1.1000…. */
    public static final Extended80 INDEFINITE = new Extended80(0xFFFF, 0xC000_0000_0000_0000L);
    public static final Extended80 POSITIVE_ZERO = new Extended80(0, 0);

    public Extended80 {
        signExponent &= 0xFFFF;
    }

    public boolean negative() {
        return (signExponent & 0x8000) != 0;
    }

    public int biasedExponent() {
        return signExponent & 0x7FFF;
    }

    public Extended80 withSign(boolean negative) {
        return new Extended80((signExponent & 0x7FFF) | (negative ? 0x8000 : 0), significand);
    }

    /** The value as the ten little-endian bytes of m80fp. */
    public byte[] toBytes() {
        byte[] b = new byte[10];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (significand >>> (8 * i));
        }
        b[8] = (byte) signExponent;
        b[9] = (byte) (signExponent >>> 8);
        return b;
    }

    public static Extended80 fromBytes(byte[] b, int offset) {
        long sig = 0;
        for (int i = 7; i >= 0; i--) {
            sig = (sig << 8) | (b[offset + i] & 0xFF);
        }
        return new Extended80((b[offset + 8] & 0xFF) | (b[offset + 9] & 0xFF) << 8, sig);
    }

    @Override
    public String toString() {
        return String.format("%04x:%016x", signExponent, significand);
    }
}
