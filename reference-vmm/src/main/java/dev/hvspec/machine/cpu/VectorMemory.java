package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Operand;

/**
 * Memory operands wider than eight bytes (m80, m128, the FSTENV/FSAVE/FXSAVE images) and the
 * 16-byte alignment rule of SSE: accessed as up to eight-byte pieces through the same segment
 * and paging checks as every access. A write first probes the first and last byte (so a fault on
 * either page comes before any byte changes, SDM 3A §6.5: faults leave no partial results) and
 * then writes; a read that faults on its second piece has changed nothing.
 */
final class VectorMemory {
    private VectorMemory() {
    }

    static long offset(Cpu c, Operand.Mem m, int displacement) {
        return (Operands.effectiveAddress(c, m) + displacement) & Alu.mask(m.addressSize());
    }

    /**
     * SSE memory operands of 16 bytes must be 16-byte aligned unless the instruction says
     * otherwise (SDM 1 §11.4.1, SDM 2 MOVAPS "#GP … not aligned on a 16-byte boundary").
     */
    static void requireAligned16(Cpu c, Operand.Mem m) {
        long linear = c.linear(m.segment(), Operands.effectiveAddress(c, m), 16, false);
        if ((linear & 15) != 0) {
            throw CpuException.gp(0);
        }
    }

    /** Reads {@code size} bytes at {@code m} + {@code displacement} into a little-endian array. */
    static byte[] read(Cpu c, Operand.Mem m, int displacement, int size) {
        byte[] out = new byte[size];
        int at = 0;
        while (at < size) {
            int piece = piece(size - at);
            long v = c.readMem(m.segment(), offset(c, m, displacement + at), piece);
            for (int k = 0; k < piece; k++) {
                out[at + k] = (byte) (v >>> (8 * k));
            }
            at += piece;
        }
        return out;
    }

    /** Writes {@code bytes} at {@code m} + {@code displacement}, after probing both ends. */
    static void write(Cpu c, Operand.Mem m, int displacement, byte[] bytes) {
        probe(c, m, displacement, bytes.length);
        int at = 0;
        while (at < bytes.length) {
            int piece = piece(bytes.length - at);
            long v = 0;
            for (int k = piece - 1; k >= 0; k--) {
                v = (v << 8) | (bytes[at + k] & 0xFF);
            }
            c.writeMem(m.segment(), offset(c, m, displacement + at), piece, v);
            at += piece;
        }
    }

    /** Checks that a write of {@code size} bytes would not fault, without writing. */
    static void probe(Cpu c, Operand.Mem m, int displacement, int size) {
        c.probeWrite(m.segment(), offset(c, m, displacement), size);
        c.probeWrite(m.segment(), offset(c, m, displacement + size - 1), 1);
    }

    private static int piece(int remaining) {
        return remaining >= 8 ? 8 : remaining >= 4 ? 4 : remaining >= 2 ? 2 : 1;
    }

    static long readLong(byte[] b, int at, int size) {
        long v = 0;
        for (int k = size - 1; k >= 0; k--) {
            v = (v << 8) | (b[at + k] & 0xFF);
        }
        return v;
    }

    static void putLong(byte[] b, int at, int size, long v) {
        for (int k = 0; k < size; k++) {
            b[at + k] = (byte) (v >>> (8 * k));
        }
    }
}
