package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;

/** Logical instructions (SDM 1 §7.3.4): AND OR XOR NOT, and TEST (§7.3.6). */
final class Logical {
    private Logical() {
    }

    static void logic(Cpu c, Instruction i) {
        int size = i.op1().size();
        long a = Operands.read(c, i.op1(), size);
        long b = Operands.read(c, i.op2(), size);
        long r = switch (i.mnemonic()) {
            case AND, TEST -> a & b;
            case OR -> a | b;
            default -> a ^ b;
        };
        if (i.mnemonic() != Mnemonic.TEST) {
            Operands.write(c, i.op1(), size, r);
        }
        c.s.rflags = Alu.flagsAfterLogic(c.s.rflags, r, size);
    }

    static void not(Cpu c, Instruction i) {
        int size = i.op1().size();
        Operands.write(c, i.op1(), size, ~Operands.read(c, i.op1(), size) & Alu.mask(size));
    }
}
