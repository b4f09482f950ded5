package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;

import static dev.hvspec.machine.cpu.CpuState.RBP;
import static dev.hvspec.machine.cpu.CpuState.RCX;
import static dev.hvspec.machine.cpu.CpuState.RSP;

/** Near control transfers (SDM 1 §6.3, §7.3.8): JMP Jcc JrCXZ LOOPcc CALL RET ENTER LEAVE BOUND INTO. */
final class ControlTransfer {
    private ControlTransfer() {
    }

    /** The target of a relative or indirect near branch, checked against CS limit or canonical form. */
    static long nearTarget(Cpu c, Instruction i) {
        long target;
        if (i.op1() instanceof Operand.Rel rel) {
            // The target is truncated to the branch's operand size (Rel.size), not the size of the displacement.
            target = (c.nextRip + rel.displacement()) & Alu.mask(rel.size());
        } else {
            int size = i.operandSize();
            target = Operands.read(c, i.op1(), size) & Alu.mask(size);
        }
        checkNearTarget(c, target);
        return target;
    }

    static void checkNearTarget(Cpu c, long target) {
        if (c.s.mode64()) {
            if (!c.isCanonical(target)) {
                throw CpuException.gp(0);
            }
        } else if (target > c.s.cs().limit) {
            throw CpuException.gp(0); // SDM 2 JMP/CALL/RET: target beyond the code-segment limit
        }
    }

    static void jmp(Cpu c, Instruction i) {
        c.nextRip = nearTarget(c, i);
    }

    static void jcc(Cpu c, Instruction i) {
        if (ConditionCodes.holds(c.s.rflags, i.condition())) {
            c.nextRip = nearTarget(c, i);
        }
    }

    /** JCXZ/JECXZ/JRCXZ: the count register is chosen by the address size. */
    static void jcxz(Cpu c, Instruction i) {
        if (c.gpr(RCX, i.addressSize()) == 0) {
            c.nextRip = nearTarget(c, i);
        }
    }

    /** LOOP/LOOPE/LOOPNE: decrement the count register (no flags), branch while non-zero and the ZF condition holds. */
    static void loop(Cpu c, Instruction i) {
        int asize = i.addressSize();
        long count = (c.gpr(RCX, asize) - 1) & Alu.mask(asize);
        boolean zf = (c.s.rflags & Rflags.ZF) != 0;
        boolean taken = count != 0 && switch (i.mnemonic()) {
            case LOOPE -> zf;
            case LOOPNE -> !zf;
            default -> true;
        };
        long target = taken ? nearTarget(c, i) : 0;
        c.setGpr(RCX, asize, count);
        if (taken) {
            c.nextRip = target;
        }
    }

    static void call(Cpu c, Instruction i) {
        long target = nearTarget(c, i);
        c.push(c.nextRip, i.operandSize());
        c.nextRip = target;
    }

    /** RET [imm16]: the return address is checked before the stack pointer changes. */
    static void ret(Cpu c, Instruction i) {
        int size = i.operandSize();
        long target = c.peek(0, size);
        checkNearTarget(c, target);
        long release = i.op1() == null ? 0 : Operands.read(c, i.op1(), 2);
        int asize = c.s.stackAddressSize();
        c.setGpr(RSP, asize, (c.gpr(RSP, asize) + size + release) & Alu.mask(asize));
        c.nextRip = target;
    }

    /** ENTER imm16, imm8 (SDM 2 ENTER): nested frames copy level-1 frame pointers. */
    static void enter(Cpu c, Instruction i) {
        int size = i.operandSize();
        int asize = c.s.stackAddressSize();
        long mask = Alu.mask(asize);
        long allocation = Operands.read(c, i.op1(), 2);
        int level = (int) Operands.read(c, i.op2(), 1) % 32;
        long sp = c.gpr(RSP, asize);
        long bp = c.gpr(RBP, asize);
        sp = (sp - size) & mask;
        c.writeMem(SegmentRegister.SS, sp, size, c.gpr(RBP, size));
        long frameTemp = sp;
        if (level > 0) {
            for (int n = 1; n < level; n++) {
                bp = (bp - size) & mask;
                long copied = c.readMem(SegmentRegister.SS, bp, size);
                sp = (sp - size) & mask;
                c.writeMem(SegmentRegister.SS, sp, size, copied);
            }
            sp = (sp - size) & mask;
            c.writeMem(SegmentRegister.SS, sp, size, frameTemp);
        }
        long newSp = (sp - allocation) & mask;
        c.linear(SegmentRegister.SS, newSp, 1, true); // the new stack top must be addressable
        c.setGpr(RBP, size, frameTemp);
        c.setGpr(RSP, asize, newSp);
    }

    /** LEAVE: stack pointer = frame pointer, then pop the frame pointer. */
    static void leave(Cpu c, Instruction i) {
        int size = i.operandSize();
        int asize = c.s.stackAddressSize();
        long bp = c.gpr(RBP, asize);
        long saved = c.readMem(SegmentRegister.SS, bp, size);
        c.setGpr(RSP, asize, (bp + size) & Alu.mask(asize));
        c.setGpr(RBP, size, saved);
    }

    /** BOUND r, m: #BR unless lower ≤ index ≤ upper (signed). */
    static void bound(Cpu c, Instruction i) {
        int size = i.operandSize();
        if (!(i.op2() instanceof Operand.Mem m)) {
            throw CpuException.ud();
        }
        long index = Alu.signExtend(Operands.read(c, i.op1(), size), size);
        long ea = Operands.effectiveAddress(c, m);
        long lower = Alu.signExtend(c.readMem(m.segment(), ea, size), size);
        long upper = Alu.signExtend(c.readMem(m.segment(), (ea + size) & Alu.mask(m.addressSize()), size), size);
        if (index < lower || index > upper) {
            throw CpuException.fault(Vector.BR);
        }
    }

    /** INTO: INT 4 when OF = 1 (a trap: the return address is the next instruction). */
    static void into(Cpu c) {
        if ((c.s.rflags & Rflags.OF) != 0) {
            c.delivery.softwareInterrupt(Vector.OF, InterruptDelivery.Source.SOFTWARE_EXCEPTION);
        }
    }

}
