package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.FloatFormat;
import dev.hvspec.machine.cpu.fp.FpFlags;
import dev.hvspec.machine.cpu.fp.SseMath;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;

/**
 * SSE/SSE2/SSE3 floating-point instructions (SDM 1 §10.4.2, §11.4.1, §12.3; SDM 2 pages): packed
 * and scalar arithmetic, square root, minimum/maximum, comparisons, the horizontal and
 * add/subtract forms, and the reciprocal approximations. Each element is computed by
 * {@link SseMath}; {@link #commit} then either raises #XM for an unmasked exception (the
 * destination unchanged) or sets the MXCSR flags, and only then is the destination written.
 */
final class SseFloat {
    private SseFloat() {
    }

    static SseMath.Mxcsr mxcsr(Cpu c) {
        return new SseMath.Mxcsr(c.s.sse.mxcsr);
    }

    /**
     * Reports the flags of an instruction (SDM 1 §11.5.2.1-2): without unmasked exceptions they
     * are ORed into MXCSR. With an unmasked pre-computation exception (IE, DE, ZE) in any element
     * only the pre-computation flags are recorded; otherwise, with an unmasked OE, UE or PE, all
     * flags; then #XM (or #UD without CR4.OSXMMEXCPT) and no result.
     */
    static void commit(Cpu c, int flags) {
        commit(c, null, flags);
    }

    /**
     * As {@link #commit(Cpu, int)}; for an instruction with MMX operands the x87 state changes to
     * MMX (SDM 3A §12.2) also when it raises #XM (as observed on the host for CVTPS2PI/CVTPD2PI),
     * though not when an operand access faults.
     */
    static void commit(Cpu c, Instruction i, int flags) {
        int masks = (c.s.sse.mxcsr >>> SseMath.Mxcsr.MASK_SHIFT) & FpFlags.ALL;
        int unmasked = flags & ~masks;
        int pre = FpFlags.INVALID | FpFlags.DENORMAL | FpFlags.ZERO_DIVIDE;
        if (unmasked != 0 && i != null && SimdOperands.usesMmx(i)) {
            SimdOperands.mmxTransition(c);
        }
        if ((unmasked & pre) != 0) {
            c.s.sse.mxcsr |= flags & pre;
            throw FpuFaults.simdFloatingPoint(c);
        }
        c.s.sse.mxcsr |= flags;
        if (unmasked != 0) {
            throw FpuFaults.simdFloatingPoint(c);
        }
    }

    /** Element layout of an instruction: the format, and whether all elements or only element 0 are computed. */
    record Shape(FloatFormat format, boolean scalar) {
        int size() {
            return format == FloatFormat.SINGLE ? 4 : 8;
        }

        int count() {
            return scalar ? 1 : 16 / size();
        }
    }

    static Shape shape(Mnemonic m) {
        String n = m.name();
        boolean doubles = n.endsWith("PD") || n.endsWith("SD");
        boolean scalar = n.endsWith("SS") || n.endsWith("SD");
        return new Shape(doubles ? FloatFormat.DOUBLE : FloatFormat.SINGLE, scalar);
    }

    static long element(long[] v, int size, int i) {
        long half = v[(i * size) / 8];
        if (size == 8) {
            return half;
        }
        return (half >>> (8 * ((i * size) % 8))) & 0xFFFF_FFFFL;
    }

    static void setElement(long[] v, int size, int i, long value) {
        if (size == 8) {
            v[i] = value;
            return;
        }
        int half = (i * size) / 8;
        int shift = 8 * ((i * size) % 8);
        v[half] = (v[half] & ~(0xFFFF_FFFFL << shift)) | ((value & 0xFFFF_FFFFL) << shift);
    }

    @FunctionalInterface
    interface ElementOp {
        SseMath.Element apply(FloatFormat f, long a, long b, SseMath.Mxcsr m);
    }

    /**
     * dest ← dest ∘ src elementwise (packed) or in element 0 (scalar, the other elements of the
     * destination unchanged).
     */
    static void binary(Cpu c, Instruction i, ElementOp op) {
        Shape s = shape(i.mnemonic());
        long[] dest = SimdOperands.read(c, i, i.op1());
        long[] src = SimdOperands.read(c, i, i.op2());
        SseMath.Mxcsr m = mxcsr(c);
        long[] out = dest.clone();
        int flags = 0;
        for (int k = 0; k < s.count(); k++) {
            SseMath.Element e = op.apply(s.format, element(dest, s.size(), k), element(src, s.size(), k), m);
            setElement(out, s.size(), k, e.bits());
            flags |= e.flags();
        }
        commit(c, flags);
        SimdOperands.write(c, i, i.op1(), out[0], out[1]);
    }

    static void arithmetic(Cpu c, Instruction i) {
        String n = i.mnemonic().name();
        SseMath.Arithmetic op = n.startsWith("ADD") ? SseMath.Arithmetic.ADD : n.startsWith("SUB") ? SseMath.Arithmetic.SUB
                : n.startsWith("MUL") ? SseMath.Arithmetic.MUL : SseMath.Arithmetic.DIV;
        binary(c, i, (f, a, b, m) -> SseMath.arithmetic(op, f, a, b, m));
    }

    static void minMax(Cpu c, Instruction i) {
        boolean max = i.mnemonic().name().startsWith("MAX");
        binary(c, i, (f, a, b, m) -> SseMath.minMax(max, f, a, b, m));
    }

    /** CMPPS/CMPPD/CMPSS/CMPSD with the predicate in imm8[2:0]. */
    static void compare(Cpu c, Instruction i) {
        int predicate = (int) ((Operand.Imm) i.op3()).value();
        binary(c, i, (f, a, b, m) -> SseMath.compare(predicate, f, a, b, m));
    }

    /** SQRTPS/PD/SS/SD: the source's elements; scalar forms keep the destination's upper elements. */
    static void sqrt(Cpu c, Instruction i) {
        Shape s = shape(i.mnemonic());
        long[] dest = SimdOperands.read(c, i, i.op1());
        long[] src = SimdOperands.read(c, i, i.op2());
        SseMath.Mxcsr m = mxcsr(c);
        long[] out = dest.clone();
        int flags = 0;
        for (int k = 0; k < s.count(); k++) {
            SseMath.Element e = SseMath.sqrt(s.format, element(src, s.size(), k), m);
            setElement(out, s.size(), k, e.bits());
            flags |= e.flags();
        }
        commit(c, flags);
        SimdOperands.write(c, i, i.op1(), out[0], out[1]);
    }

    /** RCPPS/RCPSS/RSQRTPS/RSQRTSS: no flags, no exceptions (SDM 2 RCPPS). */
    static void approximate(Cpu c, Instruction i) {
        boolean sqrt = i.mnemonic() == Mnemonic.RSQRTPS || i.mnemonic() == Mnemonic.RSQRTSS;
        Shape s = shape(i.mnemonic());
        long[] dest = SimdOperands.read(c, i, i.op1());
        long[] src = SimdOperands.read(c, i, i.op2());
        long[] out = dest.clone();
        for (int k = 0; k < s.count(); k++) {
            setElement(out, 4, k, SseMath.approximate(sqrt, element(src, 4, k)));
        }
        SimdOperands.write(c, i, i.op1(), out[0], out[1]);
    }

    /**
     * ADDSUBPS/PD (even elements subtract, odd add), HADDPS/PD and HSUBPS/PD (pairs of the
     * destination, then pairs of the source), SDM 2 ADDSUBPS, HADDPS, HSUBPS.
     */
    static void horizontal(Cpu c, Instruction i) {
        Mnemonic mn = i.mnemonic();
        FloatFormat f = mn.name().endsWith("PD") ? FloatFormat.DOUBLE : FloatFormat.SINGLE;
        int size = f == FloatFormat.SINGLE ? 4 : 8;
        int n = 16 / size;
        long[] dest = SimdOperands.read(c, i, i.op1());
        long[] src = SimdOperands.read(c, i, i.op2());
        SseMath.Mxcsr m = mxcsr(c);
        long[] out = new long[2];
        int flags = 0;
        for (int k = 0; k < n; k++) {
            SseMath.Element e;
            if (mn == Mnemonic.ADDSUBPS || mn == Mnemonic.ADDSUBPD) {
                SseMath.Arithmetic op = (k & 1) == 0 ? SseMath.Arithmetic.SUB : SseMath.Arithmetic.ADD;
                e = SseMath.arithmetic(op, f, element(dest, size, k), element(src, size, k), m);
            } else {
                long[] from = k < n / 2 ? dest : src;
                int pair = 2 * (k % (n / 2));
                SseMath.Arithmetic op = mn == Mnemonic.HADDPS || mn == Mnemonic.HADDPD
                        ? SseMath.Arithmetic.ADD : SseMath.Arithmetic.SUB;
                e = SseMath.arithmetic(op, f, element(from, size, pair), element(from, size, pair + 1), m);
            }
            setElement(out, size, k, e.bits());
            flags |= e.flags();
        }
        commit(c, flags);
        SimdOperands.write(c, i, i.op1(), out[0], out[1]);
    }

    /**
     * COMISS/COMISD (signal on QNaN) and UCOMISS/UCOMISD: ZF, PF, CF = 111 unordered, 000
     * greater, 001 less, 100 equal; OF, SF, AF cleared (SDM 2 COMISS).
     */
    static void compareFlags(Cpu c, Instruction i) {
        Mnemonic mn = i.mnemonic();
        FloatFormat f = mn == Mnemonic.COMISS || mn == Mnemonic.UCOMISS ? FloatFormat.SINGLE : FloatFormat.DOUBLE;
        int size = f == FloatFormat.SINGLE ? 4 : 8;
        boolean signals = mn == Mnemonic.COMISS || mn == Mnemonic.COMISD;
        long a = element(SimdOperands.read(c, i, i.op1()), size, 0);
        long b = element(SimdOperands.read(c, i, i.op2()), size, 0);
        SseMath.Ordering o = SseMath.compareOrdered(signals, f, a, b, mxcsr(c));
        commit(c, o.flags());
        long result = switch (o.order()) {
            case GREATER -> 0;
            case LESS -> Rflags.CF;
            case EQUAL -> Rflags.ZF;
            case UNORDERED -> Rflags.ZF | Rflags.PF | Rflags.CF;
        };
        long status = Rflags.ZF | Rflags.PF | Rflags.CF | Rflags.OF | Rflags.SF | Rflags.AF;
        c.s.rflags = (c.s.rflags & ~status) | result;
    }
}
