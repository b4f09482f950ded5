package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.RegisterKind;

/**
 * Operands of MMX and SSE instructions as 128-bit values {@code {low, high}} (64-bit MMX and
 * smaller memory operands have a zero high half): XMM and MMX registers, and memory with the SSE
 * 16-byte alignment rule. Writing an MMX register sets bits 79:64 of the aliased x87 register to
 * ones (SDM 3A §12.2, Table 12-2).
 */
final class SimdOperands {
    private SimdOperands() {
    }

    /**
     * The SSE instructions whose 16-byte memory operand may be unaligned (SDM 1 §11.4.1; SDM 2
     * MOVUPS, MOVUPD, MOVDQU, LDDQU); every other legacy SSE m128 operand raises #GP(0) when not
     * 16-byte aligned.
     */
    static boolean mayBeUnaligned(Mnemonic m) {
        return switch (m) {
            case MOVUPS, MOVUPD, MOVDQU, LDDQU -> true;
            default -> false;
        };
    }

    static long[] read(Cpu c, Instruction i, Operand op) {
        switch (op) {
            case Operand.Reg r when r.kind() == RegisterKind.XMM -> {
                return new long[] {c.s.sse.low(r.index()), c.s.sse.high(r.index())};
            }
            case Operand.Reg r when r.kind() == RegisterKind.MMX -> {
                return new long[] {c.s.x87.significand[r.index()], 0};
            }
            case Operand.Reg r -> {
                return new long[] {Operands.read(c, r, r.size()), 0};
            }
            case Operand.Mem m -> {
                if (m.size() == 16) {
                    if (!mayBeUnaligned(i.mnemonic())) {
                        VectorMemory.requireAligned16(c, m);
                    }
                    byte[] b = VectorMemory.read(c, m, 0, 16);
                    return new long[] {VectorMemory.readLong(b, 0, 8), VectorMemory.readLong(b, 8, 8)};
                }
                return new long[] {Operands.read(c, m, m.size()), 0};
            }
            default -> throw new IllegalStateException("not a vector operand: " + op);
        }
    }

    /** Writes a destination: an XMM register (all 128 bits), an MMX register (64), memory (its size), or a GPR. */
    static void write(Cpu c, Instruction i, Operand op, long low, long high) {
        switch (op) {
            case Operand.Reg r when r.kind() == RegisterKind.XMM -> c.s.sse.set(r.index(), low, high);
            case Operand.Reg r when r.kind() == RegisterKind.MMX -> writeMmx(c, r.index(), low);
            case Operand.Reg r -> Operands.write(c, r, r.size(), low);
            case Operand.Mem m -> {
                if (m.size() == 16) {
                    if (!mayBeUnaligned(i.mnemonic())) {
                        VectorMemory.requireAligned16(c, m);
                    }
                    byte[] b = new byte[16];
                    VectorMemory.putLong(b, 0, 8, low);
                    VectorMemory.putLong(b, 8, 8, high);
                    VectorMemory.write(c, m, 0, b);
                } else {
                    Operands.write(c, m, m.size(), low);
                }
            }
            default -> throw new IllegalStateException("not a vector destination: " + op);
        }
    }

    /** MMi ← value: the significand of Ri, with bits 79:64 set to ones (SDM 3A §12.2). */
    static void writeMmx(Cpu c, int register, long value) {
        c.s.x87.significand[register] = value;
        c.s.x87.signExponent[register] = 0xFFFF;
    }

    /** Whether any operand of the instruction is an MMX register. */
    static boolean usesMmx(Instruction i) {
        for (int k = 0; k < i.operandCount(); k++) {
            if (i.operand(k) instanceof Operand.Reg r && r.kind() == RegisterKind.MMX) {
                return true;
            }
        }
        return false;
    }

    /** Whether any operand is an XMM register. */
    static boolean usesXmm(Instruction i) {
        for (int k = 0; k < i.operandCount(); k++) {
            if (i.operand(k) instanceof Operand.Reg r && r.kind() == RegisterKind.XMM) {
                return true;
            }
        }
        return false;
    }

    /**
     * The x87 state after any MMX instruction but EMMS (SDM 3A §12.2, Table 12-2): TOP = 0 and all
     * eight registers tagged valid.
     */
    static void mmxTransition(Cpu c) {
        c.s.x87.setTop(0);
        c.s.x87.tagValid = 0xFF;
    }
}
