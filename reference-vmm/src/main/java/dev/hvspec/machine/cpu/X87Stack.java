package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.Extended80;
import dev.hvspec.machine.cpu.fp.FpFlags;
import dev.hvspec.machine.cpu.fp.Unpacked;
import dev.hvspec.machine.cpu.fp.X87Math;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.mmu.Access;

import static dev.hvspec.machine.cpu.X87Registers.FSW_C1;
import static dev.hvspec.machine.cpu.X87Registers.FSW_SF;

/**
 * What every x87 instruction does around its arithmetic: raising exception flags into FSW and
 * recomputing ES/B, the C1 bit, stack overflow and underflow (SDM 1 §8.5.1.1), reading memory
 * operands in their formats, and recording the last instruction's opcode and pointers
 * (SDM 1 §8.1.8-8.1.10).
 */
final class X87Stack {
    private X87Stack() {
    }

    static X87Registers regs(Cpu c) {
        return c.s.x87;
    }

    static X87Math.Control control(Cpu c) {
        return new X87Math.Control(c.s.x87.fcw);
    }

    /** Sets the exception flags (sticky) and recomputes ES and B. */
    static void raise(Cpu c, int flags) {
        X87Registers x = c.s.x87;
        x.fsw |= flags & FpFlags.ALL;
        x.updateErrorSummary();
    }

    static boolean masked(Cpu c, int flag) {
        return (c.s.x87.fcw & flag) != 0;
    }

    static void setC1(Cpu c, boolean value) {
        X87Registers x = c.s.x87;
        x.fsw = value ? x.fsw | FSW_C1 : x.fsw & ~FSW_C1;
    }

    /**
     * Stack underflow (SDM 1 §8.5.1.1): an empty register was read. IE and SF are set, C1
     * cleared. Returns whether IE is masked, i.e. whether the instruction continues with the
     * indefinite as its result.
     */
    static boolean underflow(Cpu c) {
        c.s.x87.fsw |= FSW_SF;
        raise(c, FpFlags.INVALID);
        setC1(c, false);
        return masked(c, FpFlags.INVALID);
    }

    /** Stack overflow: a push onto a non-empty register. IE and SF set, C1 set; returns whether masked. */
    static boolean overflow(Cpu c) {
        c.s.x87.fsw |= FSW_SF;
        raise(c, FpFlags.INVALID);
        setC1(c, true);
        return masked(c, FpFlags.INVALID);
    }

    /**
     * Pushes {@code value}, or on stack overflow the indefinite when IE is masked (nothing when
     * unmasked). Returns whether something was pushed.
     */
    static boolean push(Cpu c, Unpacked value) {
        X87Registers x = c.s.x87;
        if (!x.isEmpty(7)) { // ST(7) is where the push goes
            if (!overflow(c)) {
                return false;
            }
            value = Unpacked.indefinite();
        }
        x.push(value);
        return true;
    }

    /**
     * Delivers an arithmetic result to ST(i): the flags, C1 (the rounding direction after an
     * inexact result, else 0), and the value if one was produced; then pops when asked and a
     * result was produced. Returns whether a result was stored.
     */
    static boolean deliver(Cpu c, int i, X87Math.Result r, boolean pop) {
        raise(c, r.flags());
        setC1(c, r.roundedUp());
        if (!r.delivered()) {
            return false;
        }
        c.s.x87.setSt(i, r.value());
        if (pop) {
            c.s.x87.pop();
        }
        return true;
    }

    // ---- memory operands (SDM 1 §4.2.2, §4.2.1.2 integers) ----

    /** A floating-point memory operand: m32fp, m64fp or m80fp by size. */
    static Unpacked readReal(Cpu c, Operand.Mem m) {
        return switch (m.size()) {
            case 4 -> Unpacked.ofSingle((int) Operands.read(c, m, 4));
            case 8 -> Unpacked.ofDouble(Operands.read(c, m, 8));
            default -> Unpacked.ofExtended(Extended80.fromBytes(VectorMemory.read(c, m, 0, 10), 0));
        };
    }

    /** An integer memory operand: m16int, m32int or m64int by size, sign-extended. */
    static long readInteger(Cpu c, Operand.Mem m) {
        return Alu.signExtend(Operands.read(c, m, m.size()), m.size());
    }

    // ---- FOP, FCS:FIP, FDS:FDP (SDM 1 §8.1.8-8.1.10) ----

    /**
     * Records the last non-control instruction: its opcode (the low three bits of the D8-DF byte
     * and the ModRM byte, read back from the instruction's bytes), its address, and its memory
     * operand's address, if it has one (otherwise FDP/FDS keep their values).
     */
    static void recordPointers(Cpu c, Instruction i) {
        X87Registers x = c.s.x87;
        x.fop = opcodeField(c, i);
        x.fip = c.s.rip;
        x.fcs = c.s.cs().selector;
        Operand.Mem m = i.op1() instanceof Operand.Mem mem ? mem : i.op2() instanceof Operand.Mem mem2 ? mem2 : null;
        if (m != null) {
            x.fdp = Operands.effectiveAddress(c, m);
            x.fds = c.s.seg[m.segment()].selector;
        }
    }

    /** FOP: bits 10:8 from the escape opcode, 7:0 the ModRM byte (SDM 1 Figure 8-9). */
    private static int opcodeField(Cpu c, Instruction i) {
        int kind = c.cpl() == 3 ? Access.USER_FETCH : Access.SUPERVISOR_FETCH;
        long linear = c.codeLinear(c.s.rip);
        for (int k = 0; k + 1 < i.length(); k++) {
            int b = c.mmu.fetchByte(linear + k, kind) & 0xFF;
            if (b >= 0xD8 && b <= 0xDF) {
                return ((b & 7) << 8) | (c.mmu.fetchByte(linear + k + 1, kind) & 0xFF);
            }
        }
        return 0;
    }
}
