package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.RegisterKind;

/**
 * Packed integer instructions on MMX (64-bit) and XMM (128-bit) registers (SDM 1 §9.4, §11.4.3;
 * SDM 2 pages): wrap-around and saturating add/subtract, multiplies, compares, bitwise logic
 * (including the ANDPS … XORPD forms, which are the same bit operations), shifts, and the SSE
 * additions PMIN/PMAX, PAVG, PSADBW. The operands are split into elements, combined lane by lane,
 * and packed back.
 */
final class SimdInteger {
    private SimdInteger() {
    }

    /** The register width of the instruction: 8 bytes for MMX forms, 16 for XMM forms. */
    static int width(Instruction i) {
        return i.op1() instanceof Operand.Reg r && r.kind() == RegisterKind.MMX ? 8 : 16;
    }

    /** The elements of a 64- or 128-bit value, zero- or sign-extended. */
    static long[] unpack(long[] v, int width, int size, boolean signed) {
        int n = width / size;
        long[] e = new long[n];
        for (int k = 0; k < n; k++) {
            long half = v[(k * size) / 8];
            long x = size == 8 ? half : (half >>> (8 * ((k * size) % 8))) & ((1L << (8 * size)) - 1);
            e[k] = signed ? Alu.signExtend(x, size) : x;
        }
        return e;
    }

    /** Packs elements (truncated to {@code size} bytes) back into {low, high}. */
    static long[] pack(long[] e, int size) {
        long[] v = new long[2];
        for (int k = 0; k < e.length; k++) {
            long x = size == 8 ? e[k] : e[k] & ((1L << (8 * size)) - 1);
            v[(k * size) / 8] |= x << (8 * ((k * size) % 8));
        }
        return v;
    }

    static long saturateSigned(long v, int size) {
        long max = (1L << (8 * size - 1)) - 1;
        return Math.max(-max - 1, Math.min(max, v));
    }

    static long saturateUnsigned(long v, int size) {
        long max = (1L << (8 * size)) - 1;
        return Math.max(0, Math.min(max, v));
    }

    private static void writeResult(Cpu c, Instruction i, long[] v) {
        SimdOperands.write(c, i, i.op1(), v[0], v[1]);
    }

    /** Lane-wise arithmetic, compares, min/max and averages. */
    static void lanes(Cpu c, Instruction i) {
        Mnemonic m = i.mnemonic();
        int w = width(i);
        long[] a = SimdOperands.read(c, i, i.op1());
        long[] b = SimdOperands.read(c, i, i.op2());
        String n = m.name();
        int size = switch (n.charAt(n.length() - 1)) {
            case 'B' -> 1;
            case 'W' -> 2;
            case 'D' -> 4;
            default -> 8;
        };
        boolean signed = switch (m) {
            case PADDSB, PADDSW, PSUBSB, PSUBSW, PCMPGTB, PCMPGTW, PCMPGTD, PMINSW, PMAXSW, PMULHW -> true;
            default -> false;
        };
        long[] x = unpack(a, w, size, signed);
        long[] y = unpack(b, w, size, signed);
        long ones = size == 8 ? -1L : (1L << (8 * size)) - 1;
        long[] r = new long[x.length];
        for (int k = 0; k < x.length; k++) {
            r[k] = switch (m) {
                case PADDB, PADDW, PADDD, PADDQ -> x[k] + y[k];
                case PSUBB, PSUBW, PSUBD, PSUBQ -> x[k] - y[k];
                case PADDSB, PADDSW -> saturateSigned(x[k] + y[k], size);
                case PSUBSB, PSUBSW -> saturateSigned(x[k] - y[k], size);
                case PADDUSB, PADDUSW -> saturateUnsigned(x[k] + y[k], size);
                case PSUBUSB, PSUBUSW -> saturateUnsigned(x[k] - y[k], size);
                case PCMPEQB, PCMPEQW, PCMPEQD -> x[k] == y[k] ? ones : 0;
                case PCMPGTB, PCMPGTW, PCMPGTD -> x[k] > y[k] ? ones : 0;
                case PMINUB, PMINSW -> Math.min(x[k], y[k]);
                case PMAXUB, PMAXSW -> Math.max(x[k], y[k]);
                case PAVGB, PAVGW -> (x[k] + y[k] + 1) >>> 1;
                case PMULLW -> x[k] * y[k];
                case PMULHW -> (x[k] * y[k]) >> 16;
                case PMULHUW -> (x[k] * y[k]) >>> 16;
                default -> throw new IllegalStateException("not a lane operation: " + m);
            };
        }
        writeResult(c, i, pack(r, size));
    }

    /** PMULUDQ: the unsigned products of the even doublewords, as quadwords (SDM 2 PMULUDQ). */
    static void pmuludq(Cpu c, Instruction i) {
        int w = width(i);
        long[] x = unpack(SimdOperands.read(c, i, i.op1()), w, 4, false);
        long[] y = unpack(SimdOperands.read(c, i, i.op2()), w, 4, false);
        long[] r = new long[w / 8];
        for (int k = 0; k < r.length; k++) {
            r[k] = x[2 * k] * y[2 * k];
        }
        writeResult(c, i, pack(r, 8));
    }

    /** PMADDWD: signed word products, adjacent pairs summed into doublewords (wrapping, SDM 2 PMADDWD). */
    static void pmaddwd(Cpu c, Instruction i) {
        int w = width(i);
        long[] x = unpack(SimdOperands.read(c, i, i.op1()), w, 2, true);
        long[] y = unpack(SimdOperands.read(c, i, i.op2()), w, 2, true);
        long[] r = new long[w / 4];
        for (int k = 0; k < r.length; k++) {
            r[k] = x[2 * k] * y[2 * k] + x[2 * k + 1] * y[2 * k + 1];
        }
        writeResult(c, i, pack(r, 4));
    }

    /** PSADBW: the sum of absolute byte differences of each quadword, in its low word (SDM 2 PSADBW). */
    static void psadbw(Cpu c, Instruction i) {
        int w = width(i);
        long[] x = unpack(SimdOperands.read(c, i, i.op1()), w, 1, false);
        long[] y = unpack(SimdOperands.read(c, i, i.op2()), w, 1, false);
        long[] r = new long[w / 8];
        for (int k = 0; k < x.length; k++) {
            r[k / 8] += Math.abs(x[k] - y[k]);
        }
        writeResult(c, i, pack(r, 8));
    }

    /** PAND, PANDN (NOT dest AND src), POR, PXOR and the ANDPS/ANDNPS/ORPS/XORPS/…PD forms. */
    static void logic(Cpu c, Instruction i) {
        long[] a = SimdOperands.read(c, i, i.op1());
        long[] b = SimdOperands.read(c, i, i.op2());
        long[] r = new long[2];
        for (int k = 0; k < 2; k++) {
            r[k] = switch (i.mnemonic()) {
                case PAND, ANDPS, ANDPD -> a[k] & b[k];
                case PANDN, ANDNPS, ANDNPD -> ~a[k] & b[k];
                case POR, ORPS, ORPD -> a[k] | b[k];
                default -> a[k] ^ b[k];
            };
        }
        if (width(i) == 8) {
            r[1] = 0;
        }
        writeResult(c, i, r);
    }

    /**
     * PSLLW/D/Q, PSRLW/D/Q, PSRAW/D by an immediate or by the low 64 bits of a register or memory
     * operand: counts beyond the element width clear it (logical) or fill it with the sign
     * (arithmetic), SDM 2 PSLLW.
     */
    static void shift(Cpu c, Instruction i) {
        Mnemonic m = i.mnemonic();
        int w = width(i);
        long[] a = SimdOperands.read(c, i, i.op1());
        long count = i.op2() instanceof Operand.Imm imm ? imm.value() & 0xFF : SimdOperands.read(c, i, i.op2())[0];
        String n = m.name();
        int size = switch (n.charAt(n.length() - 1)) {
            case 'W' -> 2;
            case 'D' -> 4;
            default -> 8;
        };
        boolean arithmetic = n.startsWith("PSRA");
        boolean left = n.startsWith("PSLL");
        int bits = 8 * size;
        long[] e = unpack(a, w, size, arithmetic);
        for (int k = 0; k < e.length; k++) {
            if (Long.compareUnsigned(count, bits - 1) > 0) {
                e[k] = arithmetic ? (e[k] < 0 ? -1 : 0) : 0;
            } else if (left) {
                e[k] = e[k] << count;
            } else {
                e[k] = arithmetic ? e[k] >> count : e[k] >>> count;
            }
        }
        writeResult(c, i, pack(e, size));
    }

    /** PSLLDQ/PSRLDQ: the whole register shifted by imm8 bytes; above 15, zero (SDM 2 PSLLDQ). */
    static void byteShift(Cpu c, Instruction i) {
        long[] a = SimdOperands.read(c, i, i.op1());
        int count = (int) (((Operand.Imm) i.op2()).value() & 0xFF);
        long[] bytes = unpack(a, 16, 1, false);
        long[] r = new long[16];
        boolean left = i.mnemonic() == Mnemonic.PSLLDQ;
        for (int k = 0; k < 16; k++) {
            int from = left ? k - count : k + count;
            r[k] = from >= 0 && from < 16 ? bytes[from] : 0;
        }
        writeResult(c, i, pack(r, 1));
    }
}
