package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.RegisterKind;

import static dev.hvspec.machine.cpu.CpuState.RAX;
import static dev.hvspec.machine.cpu.CpuState.RBX;
import static dev.hvspec.machine.cpu.CpuState.RCX;
import static dev.hvspec.machine.cpu.CpuState.RDX;
import static dev.hvspec.machine.cpu.CpuState.RSP;

/** Data-transfer instructions (SDM 1 §7.3.1; SDM 2 pages of each mnemonic). */
final class DataTransfer {
    private DataTransfer() {
    }

    /** MOV, including to and from segment registers (SDM 2 MOV; §3.4.3 for segment loads). */
    static void mov(Cpu c, Instruction i) {
        Operand dst = i.op1();
        if (dst instanceof Operand.Reg r && r.kind() == RegisterKind.SEGMENT) {
            if (r.index() == SegmentRegister.CS) {
                throw CpuException.ud(); // SDM 2 MOV: loading CS with MOV is invalid
            }
            int selector = (int) Operands.read(c, i.op2(), 2);
            Segmentation.loadDataOrStack(c, r.index(), selector);
            if (r.index() == SegmentRegister.SS) {
                c.s.movSsShadow = true; // SDM 3A §6.8.3: interrupts blocked until after the next instruction
                c.requestAttention();
            }
            return;
        }
        if (i.op2() instanceof Operand.Reg r && r.kind() == RegisterKind.SEGMENT) {
            // SDM 2 MOV: to a 32/64-bit register the selector is zero-extended; to memory, 16 bits are written.
            long selector = c.s.seg[r.index()].selector;
            Operands.write(c, dst, Operands.isMemory(dst) ? 2 : dst.size(), selector);
            return;
        }
        Operands.write(c, dst, Operands.read(c, i.op2(), dst.size()));
    }

    /** MOVSX/MOVSXD: sign-extend the source to the destination size. */
    static void movsx(Cpu c, Instruction i) {
        long v = Alu.signExtend(Operands.read(c, i.op2()), i.op2().size());
        Operands.write(c, i.op1(), v);
    }

    static void movzx(Cpu c, Instruction i) {
        Operands.write(c, i.op1(), Operands.read(c, i.op2()));
    }

    /** XCHG (locked when one operand is memory): memory is written before the register. */
    static void xchg(Cpu c, Instruction i) {
        int size = i.op1().size();
        long a = Operands.read(c, i.op1(), size);
        long b = Operands.read(c, i.op2(), size);
        if (Operands.isMemory(i.op2())) {
            Operands.write(c, i.op2(), size, a);
            Operands.write(c, i.op1(), size, b);
        } else {
            Operands.write(c, i.op1(), size, b);
            Operands.write(c, i.op2(), size, a);
        }
    }

    /** BSWAP: 32/64-bit byte reversal; with a 16-bit operand the result is undefined — we write 0. */
    static void bswap(Cpu c, Instruction i) {
        int size = i.op1().size();
        long v = Operands.read(c, i.op1(), size);
        long r = switch (size) {
            case 8 -> Long.reverseBytes(v);
            case 4 -> Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            default -> 0;
        };
        Operands.write(c, i.op1(), size, r);
    }

    /** XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP; flags as ADD. */
    static void xadd(Cpu c, Instruction i) {
        int size = i.op1().size();
        long dst = Operands.read(c, i.op1(), size);
        long src = Operands.read(c, i.op2(), size);
        long sum = (dst + src) & Alu.mask(size);
        Operands.write(c, i.op1(), size, sum);
        Operands.write(c, i.op2(), size, dst);
        c.s.rflags = Alu.flagsAfterAdd(c.s.rflags, dst, src, sum, size);
    }

    /**
     * CMPXCHG: compare the accumulator with DEST; equal → DEST = SRC, else accumulator = DEST.
     * The destination is always written (SDM 2 CMPXCHG: a locked read is paired with a write).
     */
    static void cmpxchg(Cpu c, Instruction i) {
        int size = i.op1().size();
        long dst = Operands.read(c, i.op1(), size);
        long acc = c.gpr(RAX, size);
        long diff = (acc - dst) & Alu.mask(size);
        c.s.rflags = Alu.flagsAfterSub(c.s.rflags, acc, dst, diff, size);
        if (acc == dst) {
            Operands.write(c, i.op1(), size, Operands.read(c, i.op2(), size));
        } else {
            if (Operands.isMemory(i.op1())) {
                Operands.write(c, i.op1(), size, dst);
            }
            c.setGpr(RAX, size, dst);
        }
    }

    /** CMPXCHG8B / CMPXCHG16B: EDX:EAX (RDX:RAX) against m64 (m128). */
    static void cmpxchgDouble(Cpu c, Instruction i) {
        if (!(i.op1() instanceof Operand.Mem m)) {
            throw CpuException.ud();
        }
        int half = i.mnemonic() == dev.hvspec.machine.cpu.isa.Mnemonic.CMPXCHG16B ? 8 : 4;
        long ea = Operands.effectiveAddress(c, m);
        if (half == 8 && (c.linear(m.segment(), ea, 16, false) & 15) != 0) {
            throw CpuException.gp(0); // SDM 2 CMPXCHG16B: the operand must be 16-byte aligned
        }
        c.probeWrite(m.segment(), ea, 2 * half);
        long lo = c.readMem(m.segment(), ea, half);
        long hi = c.readMem(m.segment(), (ea + half) & Alu.mask(m.addressSize()), half);
        boolean equal = lo == c.gpr(RAX, half) && hi == c.gpr(RDX, half);
        if (equal) {
            c.writeMem(m.segment(), ea, half, c.gpr(RBX, half));
            c.writeMem(m.segment(), (ea + half) & Alu.mask(m.addressSize()), half, c.gpr(RCX, half));
            c.s.rflags |= Rflags.ZF;
        } else {
            c.writeMem(m.segment(), ea, half, lo);
            c.writeMem(m.segment(), (ea + half) & Alu.mask(m.addressSize()), half, hi);
            c.setGpr(RAX, half, lo);
            c.setGpr(RDX, half, hi);
            c.s.rflags &= ~Rflags.ZF;
        }
    }

    /** PUSH r/m, imm, Sreg. A segment register pushed at 32/64 bits writes only 16 bits (recent Intel processors). */
    static void push(Cpu c, Instruction i) {
        int size = i.operandSize();
        Operand src = i.op1();
        if (src instanceof Operand.Reg r && r.kind() == RegisterKind.SEGMENT) {
            int asize = c.s.stackAddressSize();
            long sp = (c.gpr(RSP, asize) - size) & Alu.mask(asize);
            c.writeMem(SegmentRegister.SS, sp, 2, c.s.seg[r.index()].selector);
            c.setGpr(RSP, asize, sp);
            return;
        }
        long value = src instanceof Operand.Imm imm ? imm.value() & Alu.mask(size) : Operands.read(c, src, size);
        c.push(value, size);
    }

    /**
     * POP r/m, Sreg. SDM 2 POP: with ESP as base of a memory destination the address is computed
     * after the increment; a fault restores the stack pointer.
     */
    static void pop(Cpu c, Instruction i) {
        int size = i.operandSize();
        Operand dst = i.op1();
        if (dst instanceof Operand.Reg r && r.kind() == RegisterKind.SEGMENT) {
            int selector = (int) c.peek(0, size) & 0xFFFF;
            Segmentation.loadDataOrStack(c, r.index(), selector);
            c.setStackPointer((c.stackPointer() + size) & Alu.mask(c.s.stackAddressSize()));
            if (r.index() == SegmentRegister.SS) {
                c.s.movSsShadow = true;
                c.requestAttention();
            }
            return;
        }
        long value = c.peek(0, size);
        long savedRsp = c.s.gpr[RSP];
        c.setStackPointer((c.stackPointer() + size) & Alu.mask(c.s.stackAddressSize()));
        try {
            Operands.write(c, dst, size, value);
        } catch (CpuException e) {
            c.s.gpr[RSP] = savedRsp;
            throw e;
        }
    }

    /** PUSHA/PUSHAD: AX CX DX BX (original SP) BP SI DI; invalid in 64-bit mode (decoder #UD). */
    static void pusha(Cpu c, Instruction i) {
        int size = i.operandSize();
        int asize = c.s.stackAddressSize();
        long sp = c.gpr(RSP, asize);
        long top = (sp - 8L * size) & Alu.mask(asize);
        c.probeWrite(SegmentRegister.SS, top, 8 * size);
        for (int r = 0; r < 8; r++) {
            long value = c.gpr(r, size); // r == RSP: the value before the first push
            c.writeMem(SegmentRegister.SS, (sp - (r + 1L) * size) & Alu.mask(asize), size, value);
        }
        c.setGpr(RSP, asize, top);
    }

    /** POPA/POPAD: DI SI BP (skip SP) BX DX CX AX. */
    static void popa(Cpu c, Instruction i) {
        int size = i.operandSize();
        int asize = c.s.stackAddressSize();
        long sp = c.gpr(RSP, asize);
        long[] values = new long[8];
        for (int r = 7; r >= 0; r--) {
            values[r] = c.readMem(SegmentRegister.SS, (sp + (7L - r) * size) & Alu.mask(asize), size);
        }
        for (int r = 0; r < 8; r++) {
            if (r != RSP) {
                c.setGpr(r, size, values[r]);
            }
        }
        c.setGpr(RSP, asize, (sp + 8L * size) & Alu.mask(asize));
    }

    /** CBW/CWDE/CDQE: sign-extend the lower half of the accumulator into all of it. */
    static void cbw(Cpu c, Instruction i) {
        int size = i.operandSize();
        c.setGpr(RAX, size, Alu.signExtend(c.gpr(RAX, size / 2), size / 2));
    }

    /** CWD/CDQ/CQO: DX:AX (EDX:EAX, RDX:RAX) = sign-extension of the accumulator. */
    static void cwd(Cpu c, Instruction i) {
        int size = i.operandSize();
        boolean negative = (c.gpr(RAX, size) & Alu.signBit(size)) != 0;
        c.setGpr(RDX, size, negative ? -1L : 0);
    }

    /** MOVBE: a move with the bytes of the value reversed. */
    static void movbe(Cpu c, Instruction i) {
        int size = i.op1().size();
        long v = Operands.read(c, i.op2(), size);
        long swapped = switch (size) {
            case 2 -> Short.reverseBytes((short) v) & 0xFFFFL;
            case 4 -> Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            default -> Long.reverseBytes(v);
        };
        Operands.write(c, i.op1(), size, swapped);
    }

    /**
     * CMOVcc: the source is read (and may fault) whatever the condition; in 64-bit mode a 32-bit
     * destination is zero-extended even when the condition is false (SDM 2 CMOVcc).
     */
    static void cmov(Cpu c, Instruction i) {
        int size = i.op1().size();
        long src = Operands.read(c, i.op2(), size);
        if (ConditionCodes.holds(c.s.rflags, i.condition())) {
            Operands.write(c, i.op1(), size, src);
        } else if (size == 4) {
            Operands.write(c, i.op1(), size, Operands.read(c, i.op1(), size));
        }
    }

    /** LEA: the effective address, truncated or zero-extended to the operand size. */
    static void lea(Cpu c, Instruction i) {
        if (!(i.op2() instanceof Operand.Mem m)) {
            throw CpuException.ud();
        }
        Operands.write(c, i.op1(), Operands.effectiveAddress(c, m));
    }

    /** XLAT: AL = [seg:rBX + AL], DS unless overridden. */
    static void xlat(Cpu c, Instruction i) {
        int seg = i.segmentOverride() >= 0 ? i.segmentOverride() : SegmentRegister.DS;
        int asize = i.addressSize();
        long offset = (c.gpr(RBX, asize) + (c.s.gpr[RAX] & 0xFF)) & Alu.mask(asize);
        c.setGpr(RAX, 1, c.readMem(seg, offset, 1));
    }
}
