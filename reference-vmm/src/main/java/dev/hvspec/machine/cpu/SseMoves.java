package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.RegisterKind;

import static dev.hvspec.machine.cpu.SimdInteger.pack;
import static dev.hvspec.machine.cpu.SimdInteger.unpack;

/**
 * MMX/SSE data movement (SDM 1 §9.4.1, §10.4.1, §11.4.1; SDM 2 pages): full-register moves
 * (MOVAPS … MOVDQU, LDDQU, the non-temporal stores), scalar moves (MOVSS, MOVSD), half moves
 * (MOVLPS … MOVHPD, MOVHLPS, MOVLHPS), MOVD/MOVQ and the MMX/XMM moves, mask extraction
 * (MOVMSKPS/PD, PMOVMSKB), masked stores (MASKMOVQ, MASKMOVDQU), the SSE3 duplicates, and
 * PEXTRW/PINSRW. Non-temporal hints have no architectural effect here (caches are not modelled).
 */
final class SseMoves {
    private SseMoves() {
    }

    private static boolean isXmm(Operand op) {
        return op instanceof Operand.Reg r && r.kind() == RegisterKind.XMM;
    }

    /** MOVAPS/MOVUPS/MOVAPD/MOVUPD/MOVDQA/MOVDQU/LDDQU/MOVNTPS/MOVNTPD/MOVNTDQ/MOVNTQ/MOVQ mm/MOVNTI: a copy. */
    static void copy(Cpu c, Instruction i) {
        long[] v = SimdOperands.read(c, i, i.op2());
        SimdOperands.write(c, i, i.op1(), v[0], v[1]);
    }

    /**
     * MOVSS/MOVSD: register to register replaces the low element only; a load from memory zeroes
     * the rest of the register; a store writes the low element (SDM 2 MOVSS, MOVSD).
     */
    static void scalar(Cpu c, Instruction i) {
        int size = i.mnemonic() == Mnemonic.MOVSS ? 4 : 8;
        long[] src = SimdOperands.read(c, i, i.op2());
        if (isXmm(i.op1()) && isXmm(i.op2())) {
            long[] dest = SimdOperands.read(c, i, i.op1());
            SseFloat.setElement(dest, size, 0, SseFloat.element(src, size, 0));
            SimdOperands.write(c, i, i.op1(), dest[0], dest[1]);
        } else {
            long low = size == 4 ? src[0] & 0xFFFF_FFFFL : src[0];
            SimdOperands.write(c, i, i.op1(), low, 0);
        }
    }

    /**
     * MOVLPS/MOVLPD/MOVHPS/MOVHPD (a quadword to or from memory, the other half of the register
     * kept), MOVHLPS (high quadword of the source to the low one) and MOVLHPS (low to high).
     */
    static void half(Cpu c, Instruction i) {
        Mnemonic m = i.mnemonic();
        boolean high = m == Mnemonic.MOVHPS || m == Mnemonic.MOVHPD || m == Mnemonic.MOVLHPS;
        if (i.op1() instanceof Operand.Mem mem) {
            Operand.Reg r = (Operand.Reg) i.op2();
            long v = high ? c.s.sse.high(r.index()) : c.s.sse.low(r.index());
            Operands.write(c, mem, 8, v);
            return;
        }
        long[] src = SimdOperands.read(c, i, i.op2());
        long v = switch (m) {
            case MOVHLPS -> src[1];
            default -> src[0];
        };
        int d = ((Operand.Reg) i.op1()).index();
        if (high) {
            c.s.sse.set(d, c.s.sse.low(d), v);
        } else {
            c.s.sse.set(d, v, c.s.sse.high(d));
        }
    }

    /**
     * MOVD/MOVQ with a general register or m32/m64 (zero-extending into the vector register),
     * MOVQ xmm, xmm/m64 and MOVQ xmm/m64, xmm (the high quadword of an XMM destination cleared),
     * MOVQ2DQ and MOVDQ2Q.
     */
    static void movdq(Cpu c, Instruction i) {
        long v = SimdOperands.read(c, i, i.op2())[0]; // general registers and m32 read zero-extended
        if (i.op1() instanceof Operand.Reg r && r.kind() == RegisterKind.GPR || i.op1() instanceof Operand.Mem) {
            Operands.write(c, i.op1(), i.op1().size(), v);
        } else {
            SimdOperands.write(c, i, i.op1(), v, 0);
        }
    }

    /** MOVMSKPS/MOVMSKPD/PMOVMSKB: the sign bits of the elements into a general register (zero-extended). */
    static void moveMask(Cpu c, Instruction i) {
        int size = switch (i.mnemonic()) {
            case MOVMSKPS -> 4;
            case MOVMSKPD -> 8;
            default -> 1;
        };
        int w = i.op2() instanceof Operand.Reg r && r.kind() == RegisterKind.MMX ? 8 : 16;
        long[] e = unpack(SimdOperands.read(c, i, i.op2()), w, size, true);
        long mask = 0;
        for (int k = 0; k < e.length; k++) {
            if (e[k] < 0) {
                mask |= 1L << k;
            }
        }
        Operands.write(c, i.op1(), i.op1().size(), mask);
    }

    /**
     * MASKMOVQ/MASKMOVDQU: the bytes of the first operand whose mask byte (second operand) has its
     * top bit set are stored at DS:rDI (the segment overridable, rDI at the address size). Every
     * selected byte is probed before any is written.
     */
    static void maskedStore(Cpu c, Instruction i) {
        int w = SimdInteger.width(i);
        long[] data = unpack(SimdOperands.read(c, i, i.op1()), w, 1, false);
        long[] mask = unpack(SimdOperands.read(c, i, i.op2()), w, 1, false);
        int segment = i.segmentOverride() >= 0 && !(c.s.mode64() && i.segmentOverride() < 4)
                ? i.segmentOverride() : SegmentRegister.DS;
        long base = c.gpr(CpuState.RDI, i.addressSize());
        long addressMask = Alu.mask(i.addressSize());
        for (int k = 0; k < data.length; k++) {
            if ((mask[k] & 0x80) != 0) {
                c.probeWrite(segment, (base + k) & addressMask, 1);
            }
        }
        for (int k = 0; k < data.length; k++) {
            if ((mask[k] & 0x80) != 0) {
                c.writeMem(segment, (base + k) & addressMask, 1, data[k]);
            }
        }
    }

    /** MOVSLDUP/MOVSHDUP (even/odd singles duplicated) and MOVDDUP (the low double twice), SSE3. */
    static void duplicate(Cpu c, Instruction i) {
        long[] s = SimdOperands.read(c, i, i.op2());
        if (i.mnemonic() == Mnemonic.MOVDDUP) {
            SimdOperands.write(c, i, i.op1(), s[0], s[0]);
            return;
        }
        long[] e = unpack(s, 16, 4, false);
        int odd = i.mnemonic() == Mnemonic.MOVSHDUP ? 1 : 0;
        long[] r = {e[odd], e[odd], e[2 + odd], e[2 + odd]};
        long[] v = pack(r, 4);
        SimdOperands.write(c, i, i.op1(), v[0], v[1]);
    }

    /** PEXTRW: word imm8 (modulo the word count) zero-extended into a general register. */
    static void pextrw(Cpu c, Instruction i) {
        int w = i.op2() instanceof Operand.Reg r && r.kind() == RegisterKind.MMX ? 8 : 16;
        long[] e = unpack(SimdOperands.read(c, i, i.op2()), w, 2, false);
        int index = (int) (((Operand.Imm) i.op3()).value() & (e.length - 1));
        Operands.write(c, i.op1(), i.op1().size(), e[index]);
    }

    /** PINSRW: the low word of a general register or m16 into word imm8 (modulo the word count). */
    static void pinsrw(Cpu c, Instruction i) {
        int w = SimdInteger.width(i);
        long[] e = unpack(SimdOperands.read(c, i, i.op1()), w, 2, false);
        long word = Operands.read(c, i.op2(), i.op2().size()) & 0xFFFF;
        e[(int) (((Operand.Imm) i.op3()).value() & (e.length - 1))] = word;
        long[] v = pack(e, 2);
        SimdOperands.write(c, i, i.op1(), v[0], v[1]);
    }
}
