package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;

/**
 * Shifts and rotates (SDM 1 §7.3.5; SDM 2 SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD). The count
 * is masked to 5 bits (6 for 64-bit operands); a masked count of 0 changes no value and no flag
 * (though a 32-bit register destination is zero-extended, as for any 32-bit result).
 */
final class ShiftRotate {
    private ShiftRotate() {
    }

    static void shift(Cpu c, Instruction i) {
        int size = i.op1().size();
        int count = Alu.maskShiftCount(Operands.read(c, i.op2(), 1), size);
        long v = Operands.read(c, i.op1(), size); // accessed (and may fault) even for a count of 0
        if (count == 0) {
            zeroExtendRegister(c, i, size, v);
            return;
        }
        long f = c.s.rflags;
        long r;
        switch (i.mnemonic()) {
            case SHL -> {
                r = Alu.shl(v, count, size);
                f = Alu.flagsAfterShl(f, v, count, r, size);
            }
            case SHR -> {
                r = Alu.shr(v, count, size);
                f = Alu.flagsAfterShr(f, v, count, r, size);
            }
            case SAR -> {
                r = Alu.sar(v, count, size);
                f = Alu.flagsAfterSar(f, v, count, r, size);
            }
            case ROL -> {
                r = Alu.rol(v, count, size);
                f = Alu.flagsAfterRol(f, r, size);
            }
            case ROR -> {
                r = Alu.ror(v, count, size);
                f = Alu.flagsAfterRor(f, r, size);
            }
            case RCL -> {
                Alu.Rotated rotated = Alu.rcl(v, c.flag(Rflags.CF), count, size);
                r = rotated.value();
                f = Alu.flagsAfterRcl(f, r, rotated.carry(), size);
            }
            default -> { // RCR
                Alu.Rotated rotated = Alu.rcr(v, c.flag(Rflags.CF), count, size);
                r = rotated.value();
                f = Alu.flagsAfterRcr(f, r, rotated.carry(), size);
            }
        }
        Operands.write(c, i.op1(), size, r);
        c.s.rflags = f;
    }

    static void doubleShift(Cpu c, Instruction i) {
        int size = i.op1().size();
        int count = (int) (Operands.read(c, i.op3(), 1) & (size == 8 ? 0x3F : 0x1F));
        long dest = Operands.read(c, i.op1(), size);
        if (count == 0) {
            zeroExtendRegister(c, i, size, dest);
            return;
        }
        long src = Operands.read(c, i.op2(), size);
        long r;
        long f;
        if (i.mnemonic() == Mnemonic.SHLD) {
            r = Alu.shld(dest, src, count, size);
            f = Alu.flagsAfterShld(c.s.rflags, dest, count, r, size);
        } else {
            r = Alu.shrd(dest, src, count, size);
            f = Alu.flagsAfterShrd(c.s.rflags, dest, count, r, size);
        }
        Operands.write(c, i.op1(), size, r);
        c.s.rflags = f;
    }

    /**
     * A masked count of 0 changes neither the value nor the flags, but a 32-bit register
     * destination is still written: SDM 1 §3.4.1.1, "32-bit operands generate a 32-bit result,
     * zero-extended to a 64-bit result in the destination general-purpose register" (as real
     * processors do for SHL EAX, CL with CL = 0; the same rule as CMOVcc's false condition).
     */
    private static void zeroExtendRegister(Cpu c, Instruction i, int size, long value) {
        if (size == 4 && i.op1() instanceof Operand.Reg) {
            Operands.write(c, i.op1(), size, value);
        }
    }
}
