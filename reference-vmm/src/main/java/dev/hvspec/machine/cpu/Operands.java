package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.RegisterKind;

/**
 * Reading and writing the operands of a decoded instruction: registers, memory through
 * segmentation (effective address per SDM 2 §2.1.5 and §2.2.1.6 for RIP-relative), immediates.
 */
final class Operands {
    private Operands() {
    }

    /** The offset part of a memory operand, truncated to the address size. */
    static long effectiveAddress(Cpu c, Operand.Mem m) {
        long ea = m.displacement();
        if (m.ripRelative()) {
            ea += c.nextRip; // SDM 2 §2.2.1.6: relative to the next instruction
        } else if (m.base() != Operand.Mem.NONE) {
            ea += c.s.gpr[m.base()];
        }
        if (m.index() != Operand.Mem.NONE) {
            ea += c.s.gpr[m.index()] * m.scale();
        }
        return ea & Alu.mask(m.addressSize());
    }

    /** Reads an operand at {@code size} bytes (immediates are truncated to it). */
    static long read(Cpu c, Operand op, int size) {
        if (op instanceof Operand.Reg r) {
            return readRegister(c, r, size);
        }
        if (op instanceof Operand.Mem m) {
            return c.readMem(m.segment(), effectiveAddress(c, m), size);
        }
        if (op instanceof Operand.Imm i) {
            return i.value() & Alu.mask(size);
        }
        throw new IllegalStateException("operand cannot be read as data: " + op);
    }

    static long read(Cpu c, Operand op) {
        return read(c, op, op.size());
    }

    static void write(Cpu c, Operand op, int size, long value) {
        if (op instanceof Operand.Reg r) {
            writeRegister(c, r, size, value);
        } else if (op instanceof Operand.Mem m) {
            c.writeMem(m.segment(), effectiveAddress(c, m), size, value);
        } else {
            throw new IllegalStateException("operand cannot be written: " + op);
        }
    }

    static void write(Cpu c, Operand op, long value) {
        write(c, op, op.size(), value);
    }

    static long readRegister(Cpu c, Operand.Reg r, int size) {
        return switch (r.kind()) {
            case GPR -> c.gpr(r.index(), size);
            case GPR_HIGH8 -> (c.s.gpr[r.index()] >>> 8) & 0xFF;
            case SEGMENT -> c.s.seg[r.index()].selector;
            case CONTROL, DEBUG -> throw new IllegalStateException("use MOV_CR/MOV_DR");
            case X87, XMM, MMX -> throw new IllegalStateException("x87/MMX/XMM registers belong to the FPU and SSE semantics");
        };
    }

    static void writeRegister(Cpu c, Operand.Reg r, int size, long value) {
        if (r.kind() == RegisterKind.GPR) {
            c.setGpr(r.index(), size, value);
        } else if (r.kind() == RegisterKind.GPR_HIGH8) {
            c.s.gpr[r.index()] = (c.s.gpr[r.index()] & ~0xFF00L) | ((value & 0xFF) << 8);
        } else {
            throw new IllegalStateException("not a general-purpose register: " + r);
        }
    }

    /**
     * Checks up front that a memory destination is writable, so that a read-modify-write whose
     * write would fault raises that fault before any register changes (SDM: faults leave no
     * partial results).
     */
    static void probeDestination(Cpu c, Operand op, int size) {
        if (op instanceof Operand.Mem m) {
            c.probeWrite(m.segment(), effectiveAddress(c, m), size);
        }
    }

    static boolean isMemory(Operand op) {
        return op instanceof Operand.Mem;
    }

    static int size(Instruction insn) {
        return insn.operandSize();
    }
}
