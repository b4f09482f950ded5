package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;

/**
 * State management of the x87/MMX/SSE units (SDM 1 §10.5): FXSAVE/FXRSTOR (SDM 2 FXSAVE,
 * FXRSTOR), LDMXCSR/STMXCSR and EMMS.
 */
final class SimdState {
    private SimdState() {
    }

    /** LDMXCSR m32: reserved bits (beyond MXCSR_MASK) raise #GP(0) (SDM 2 LDMXCSR). */
    static void ldmxcsr(Cpu c, Instruction i) {
        long value = Operands.read(c, i.op1(), 4);
        if ((value & ~SseRegisters.MXCSR_MASK) != 0) {
            throw CpuException.gp(0);
        }
        c.s.sse.mxcsr = (int) value;
    }

    static void stmxcsr(Cpu c, Instruction i) {
        Operands.write(c, i.op1(), 4, c.s.sse.mxcsr & 0xFFFF_FFFFL);
    }

    /**
     * FXSAVE/FXSAVE64: the image needs a 16-byte aligned address (#GP(0)); REX.W selects the
     * 64-bit pointer format; XMM8-15 are saved only in 64-bit mode.
     */
    static void fxsave(Cpu c, Instruction i) {
        Operand.Mem m = (Operand.Mem) i.op1();
        requireAligned(c, m);
        boolean mode64 = c.s.mode64();
        byte[] image = FxsaveImage.save(c.s, i.operandSize() == 8, mode64);
        int written = mode64 ? FxsaveImage.WRITTEN_64 : FxsaveImage.WRITTEN_32;
        VectorMemory.write(c, m, 0, java.util.Arrays.copyOf(image, written));
    }

    /** FXRSTOR/FXRSTOR64: alignment as FXSAVE; reserved MXCSR bits raise #GP(0) before anything loads. */
    static void fxrstor(Cpu c, Instruction i) {
        Operand.Mem m = (Operand.Mem) i.op1();
        requireAligned(c, m);
        byte[] image = VectorMemory.read(c, m, 0, FxsaveImage.SIZE);
        if (!FxsaveImage.valid(image)) {
            throw CpuException.gp(0);
        }
        FxsaveImage.load(c.s, image, i.operandSize() == 8, c.s.mode64());
    }

    private static void requireAligned(Cpu c, Operand.Mem m) {
        long linear = c.linear(m.segment(), Operands.effectiveAddress(c, m), 1, false);
        if ((linear & 15) != 0) {
            throw CpuException.gp(0);
        }
    }

    /** EMMS (SDM 2 EMMS): every tag empty; TOP = 0, as after every MMX instruction (SDM 3A §12.2). */
    static void emms(Cpu c) {
        c.s.x87.tagValid = 0;
        c.s.x87.setTop(0);
    }
}
