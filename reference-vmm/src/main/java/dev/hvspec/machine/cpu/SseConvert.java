package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.FloatFormat;
import dev.hvspec.machine.cpu.fp.SseMath;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import static dev.hvspec.machine.cpu.SseFloat.element;
import static dev.hvspec.machine.cpu.SseFloat.setElement;

/**
 * SSE/SSE2 conversions (SDM 1 §10.4.6, §11.4.5; SDM 2 CVT*): between single, double, 32/64-bit
 * integers in general registers or memory, packed doublewords in XMM registers, and packed
 * doublewords in MMX registers. Rounding is under MXCSR.RC, or toward zero for the CVTT forms;
 * out-of-range and NaN values give the integer indefinite with IE.
 */
final class SseConvert {
    private SseConvert() {
    }

    private static final FloatFormat S = FloatFormat.SINGLE, D = FloatFormat.DOUBLE;

    static void execute(Cpu c, Instruction i) {
        SseMath.Mxcsr m = SseFloat.mxcsr(c);
        Mnemonic mn = i.mnemonic();
        long[] dest = SimdOperands.read(c, i, i.op1());
        long[] src = SimdOperands.read(c, i, i.op2());
        long[] out;
        int flags = 0;
        switch (mn) {
            case CVTSI2SS, CVTSI2SD -> {
                // The integer source: a 32- or 64-bit register or memory operand, signed.
                long v = Alu.signExtend(src[0], i.op2().size());
                SseMath.Element e = SseMath.fromInteger(mn == Mnemonic.CVTSI2SS ? S : D, v, m);
                out = dest.clone();
                setElement(out, mn == Mnemonic.CVTSI2SS ? 4 : 8, 0, e.bits());
                flags = e.flags();
            }
            case CVTSS2SI, CVTTSS2SI, CVTSD2SI, CVTTSD2SI -> {
                boolean single = mn == Mnemonic.CVTSS2SI || mn == Mnemonic.CVTTSS2SI;
                boolean truncate = mn == Mnemonic.CVTTSS2SI || mn == Mnemonic.CVTTSD2SI;
                SseMath.Element e = SseMath.toInteger(single ? S : D, element(src, single ? 4 : 8, 0),
                        i.op1().size(), truncate, m);
                SseFloat.commit(c, e.flags());
                Operands.write(c, i.op1(), i.op1().size(), e.bits());
                return;
            }
            case CVTSS2SD, CVTSD2SS -> {
                boolean widen = mn == Mnemonic.CVTSS2SD;
                SseMath.Element e = SseMath.convert(widen ? S : D, widen ? D : S, element(src, widen ? 4 : 8, 0), m);
                out = dest.clone();
                setElement(out, widen ? 8 : 4, 0, e.bits());
                flags = e.flags();
            }
            case CVTPS2PD, CVTPD2PS -> {
                boolean widen = mn == Mnemonic.CVTPS2PD;
                out = new long[2];
                for (int k = 0; k < 2; k++) {
                    SseMath.Element e = SseMath.convert(widen ? S : D, widen ? D : S, element(src, widen ? 4 : 8, k), m);
                    setElement(out, widen ? 8 : 4, k, e.bits());
                    flags |= e.flags();
                }
            }
            case CVTDQ2PS, CVTDQ2PD, CVTPI2PS, CVTPI2PD -> {
                boolean toSingle = mn == Mnemonic.CVTDQ2PS || mn == Mnemonic.CVTPI2PS;
                int n = mn == Mnemonic.CVTDQ2PS ? 4 : 2;
                // CVTPI2PS writes the low two singles and keeps the high quadword (SDM 2 CVTPI2PS).
                out = mn == Mnemonic.CVTPI2PS ? dest.clone() : new long[2];
                for (int k = 0; k < n; k++) {
                    long v = (int) element(src, 4, k);
                    SseMath.Element e = SseMath.fromInteger(toSingle ? S : D, v, m);
                    setElement(out, toSingle ? 4 : 8, k, e.bits());
                    flags |= e.flags();
                }
            }
            case CVTPS2DQ, CVTTPS2DQ, CVTPD2DQ, CVTTPD2DQ, CVTPS2PI, CVTTPS2PI, CVTPD2PI, CVTTPD2PI -> {
                boolean fromSingle = switch (mn) {
                    case CVTPS2DQ, CVTTPS2DQ, CVTPS2PI, CVTTPS2PI -> true;
                    default -> false;
                };
                boolean truncate = switch (mn) {
                    case CVTTPS2DQ, CVTTPD2DQ, CVTTPS2PI, CVTTPD2PI -> true;
                    default -> false;
                };
                int n = mn == Mnemonic.CVTPS2DQ || mn == Mnemonic.CVTTPS2DQ ? 4 : 2;
                out = new long[2]; // the PD2DQ forms zero the high quadword
                for (int k = 0; k < n; k++) {
                    SseMath.Element e = SseMath.toInteger(fromSingle ? S : D, element(src, fromSingle ? 4 : 8, k), 4, truncate, m);
                    setElement(out, 4, k, e.bits());
                    flags |= e.flags();
                }
            }
            default -> throw new IllegalStateException("not a conversion: " + mn);
        }
        SseFloat.commit(c, i, flags);
        SimdOperands.write(c, i, i.op1(), out[0], out[1]);
    }
}
