package dev.hvspec.machine.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * One instruction with the state it runs in, or the state after it: the record both FPU oracles
 * (the host processor through {@code fpu-oracle/oracle.c}, and the reference) exchange. The
 * layout is the harness's: a 64-bit FXSAVE image, RAX/RCX/RDX/RSI, RFLAGS, and 512 bytes of
 * memory that RBX and RDI point at.
 *
 * @param code   the instruction's bytes (1-15)
 * @param trap   after the instruction: -1, or the vector of the exception it raised
 * @param fx     the x87/MMX/SSE state as a 64-bit FXSAVE image (512 bytes)
 * @param gpr    RAX, RCX, RDX, RSI
 * @param rflags RFLAGS
 * @param mem    the memory operand area (512 bytes)
 */
record FpuCase(byte[] code, int trap, byte[] fx, long[] gpr, long rflags, byte[] mem) {
    static final int RECORD = 1152, FX = 64, GPR = 576, RFLAGS = 608, MEM = 640, MEM_SIZE = 512;

    FpuCase {
        code = code.clone();
        fx = fx.clone();
        gpr = gpr.clone();
        mem = mem.clone();
    }

    byte[] toRecord() {
        ByteBuffer b = ByteBuffer.allocate(RECORD).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) code.length).put(1, code);
        b.putInt(16, trap);
        b.put(FX, fx);
        for (int k = 0; k < 4; k++) {
            b.putLong(GPR + 8 * k, gpr[k]);
        }
        b.putLong(RFLAGS, rflags);
        b.put(MEM, mem);
        return b.array();
    }

    static FpuCase fromRecord(byte[] record) {
        ByteBuffer b = ByteBuffer.wrap(record).order(ByteOrder.LITTLE_ENDIAN);
        byte[] code = new byte[b.get(0)];
        b.get(1, code);
        byte[] fx = new byte[512];
        b.get(FX, fx);
        long[] gpr = new long[4];
        for (int k = 0; k < 4; k++) {
            gpr[k] = b.getLong(GPR + 8 * k);
        }
        byte[] mem = new byte[MEM_SIZE];
        b.get(MEM, mem);
        return new FpuCase(code, b.getInt(16), fx, gpr, b.getLong(RFLAGS), mem);
    }

    String codeHex() {
        return HexFormat.of().formatHex(code);
    }
}
