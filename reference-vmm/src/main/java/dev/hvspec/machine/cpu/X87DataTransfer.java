package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.Extended80;
import dev.hvspec.machine.cpu.fp.FloatFormat;
import dev.hvspec.machine.cpu.fp.FpFlags;
import dev.hvspec.machine.cpu.fp.Rounding;
import dev.hvspec.machine.cpu.fp.Unpacked;
import dev.hvspec.machine.cpu.fp.X87Functions;
import dev.hvspec.machine.cpu.fp.X87Math;
import dev.hvspec.machine.cpu.fp.X87Transcendental;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;

/**
 * x87 data transfer (SDM 1 §8.3.3; SDM 2 FLD, FST/FSTP, FILD, FIST/FISTP, FISTTP, FBLD, FBSTP,
 * FXCH, FCMOVcc) and the load-constant instructions (§8.3.8). Memory is read before and written
 * before any register or status change, so that a fault leaves the FPU as it was.
 */
final class X87DataTransfer {
    private X87DataTransfer() {
    }

    /**
     * FLD m32fp/m64fp (converted, SNaN → IE, denormal → DE) and FLD m80fp / FLD ST(i) (the 80 bits
     * unchanged, no exception but the stack's, SDM 2 FLD).
     */
    static void fld(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        Extended80 raw = null;
        X87Math.Result loaded = null;
        if (i.op1() instanceof Operand.Mem m) {
            if (m.size() == 10) {
                raw = Extended80.fromBytes(VectorMemory.read(c, m, 0, 10), 0);
            } else {
                loaded = X87Math.load(X87Stack.readReal(c, m), X87Stack.control(c));
            }
        } else {
            int sti = ((Operand.Reg) i.op1()).index();
            if (x.isEmpty(sti)) {
                // The source is read before the push: underflow wins over overflow (as on the host).
                if (X87Stack.underflow(c)) {
                    x.push(Unpacked.indefinite());
                }
                return;
            }
            raw = x.raw(x.physical(sti));
        }
        if (!x.isEmpty(7)) {
            if (X87Stack.overflow(c)) {
                x.push(Unpacked.indefinite());
            }
            return;
        }
        X87Stack.setC1(c, false);
        if (raw != null) {
            x.pushRaw(raw);
            return;
        }
        X87Stack.raise(c, loaded.flags());
        if (loaded.delivered()) {
            x.push(loaded.value());
        }
    }

    /** FILD m16int/m32int/m64int: exact (SDM 2 FILD). */
    static void fild(Cpu c, Instruction i) {
        Unpacked v = X87Math.ofInteger(X87Stack.readInteger(c, (Operand.Mem) i.op1()));
        pushConstant(c, v);
    }

    /** FBLD m80bcd (SDM 2 FBLD). */
    static void fbld(Cpu c, Instruction i) {
        byte[] bcd = VectorMemory.read(c, (Operand.Mem) i.op1(), 0, 10);
        pushConstant(c, X87Functions.fromBcd(bcd));
    }

    /** FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ (SDM 2): only #IS, C1 = 0 unless overflow. */
    static void loadConstant(Cpu c, Instruction i) {
        X87Transcendental.Constant k = switch (i.mnemonic()) {
            case FLD1 -> X87Transcendental.Constant.ONE;
            case FLDL2T -> X87Transcendental.Constant.L2T;
            case FLDL2E -> X87Transcendental.Constant.L2E;
            case FLDPI -> X87Transcendental.Constant.PI;
            case FLDLG2 -> X87Transcendental.Constant.LG2;
            case FLDLN2 -> X87Transcendental.Constant.LN2;
            default -> X87Transcendental.Constant.ZERO;
        };
        pushConstant(c, X87Transcendental.constant(k, X87Stack.control(c).rounding()));
    }

    private static void pushConstant(Cpu c, Unpacked v) {
        if (!X87Stack.regs(c).isEmpty(7)) {
            if (X87Stack.overflow(c)) {
                X87Stack.regs(c).push(Unpacked.indefinite());
            }
            return;
        }
        X87Stack.setC1(c, false);
        X87Stack.regs(c).push(v);
    }

    /** FST/FSTP to memory (m32fp, m64fp, m80fp) or to ST(i). */
    static void fst(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        boolean pop = i.mnemonic() == Mnemonic.FSTP;
        if (i.op1() instanceof Operand.Reg r) {
            if (x.isEmpty(0)) {
                if (!X87Stack.underflow(c)) {
                    return;
                }
                x.setSt(r.index(), Unpacked.indefinite());
            } else {
                // A register copy: no conversion, no exception (SDM 2 FST "ST(i) ← ST(0)").
                int from = x.physical(0);
                int to = x.physical(r.index());
                x.signExponent[to] = x.signExponent[from];
                x.significand[to] = x.significand[from];
                x.tagValid |= 1 << to;
                X87Stack.setC1(c, false);
            }
            if (pop) {
                x.pop();
            }
            return;
        }
        Operand.Mem m = (Operand.Mem) i.op1();
        if (x.isEmpty(0)) {
            if (X87Stack.masked(c, FpFlags.INVALID)) {
                writeReal(c, m, Unpacked.indefinite(), m.size());
            }
            if (X87Stack.underflow(c) && pop) {
                x.pop();
            }
            return;
        }
        if (m.size() == 10) {
            VectorMemory.write(c, m, 0, x.raw(x.physical(0)).toBytes());
            X87Stack.setC1(c, false);
        } else {
            FloatFormat format = m.size() == 4 ? FloatFormat.SINGLE : FloatFormat.DOUBLE;
            X87Math.Result r = X87Math.store(x.st(0), format, X87Stack.control(c));
            if (r.delivered()) {
                writeReal(c, m, r.value(), m.size());
            }
            X87Stack.raise(c, r.flags());
            X87Stack.setC1(c, r.roundedUp());
            if (!r.delivered()) {
                return;
            }
        }
        if (pop) {
            x.pop();
        }
    }

    private static void writeReal(Cpu c, Operand.Mem m, Unpacked v, int size) {
        switch (size) {
            case 4 -> Operands.write(c, m, 4, v.toSingle() & 0xFFFF_FFFFL);
            case 8 -> Operands.write(c, m, 8, v.toDouble());
            default -> VectorMemory.write(c, m, 0, v.toExtended().toBytes());
        }
    }

    /** FIST/FISTP (rounding under RC) and FISTTP (SSE3: truncation), to m16int/m32int/m64int. */
    static void fist(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        Operand.Mem m = (Operand.Mem) i.op1();
        boolean pop = i.mnemonic() != Mnemonic.FIST;
        X87Math.Control control = X87Stack.control(c);
        int size = m.size();
        long indefinite = 1L << (8 * size - 1);
        if (x.isEmpty(0)) {
            if (X87Stack.masked(c, FpFlags.INVALID)) {
                Operands.write(c, m, size, indefinite);
            }
            if (X87Stack.underflow(c) && pop) {
                x.pop();
            }
            return;
        }
        Rounding rc = i.mnemonic() == Mnemonic.FISTTP ? Rounding.TOWARD_ZERO : control.rounding();
        X87Math.Result r = X87Math.toInteger(x.st(0), size, rc, control);
        if (r.delivered()) {
            Unpacked v = r.value();
            long value = v.isZero() ? 0 : v.significand().shiftLeft(v.exponent()).longValue();
            Operands.write(c, m, size, (v.negative() ? -value : value) & Alu.mask(size));
        }
        X87Stack.raise(c, r.flags());
        X87Stack.setC1(c, r.roundedUp());
        if (r.delivered() && pop) {
            x.pop();
        }
    }

    /** FBSTP m80bcd (SDM 2 FBSTP). */
    static void fbstp(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        Operand.Mem m = (Operand.Mem) i.op1();
        if (x.isEmpty(0)) {
            if (X87Stack.masked(c, FpFlags.INVALID)) {
                VectorMemory.write(c, m, 0, X87Functions.BCD_INDEFINITE.clone());
            }
            if (X87Stack.underflow(c)) {
                x.pop();
            }
            return;
        }
        X87Functions.BcdStore r = X87Functions.toBcd(x.st(0), X87Stack.control(c));
        if (r.bytes() != null) {
            VectorMemory.write(c, m, 0, r.bytes());
        }
        X87Stack.raise(c, r.flags());
        X87Stack.setC1(c, r.roundedUp());
        if (r.bytes() != null) {
            x.pop();
        }
    }

    /** FXCH ST(i): empty registers take the indefinite first when IE is masked (SDM 2 FXCH). */
    static void fxch(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        int sti = ((Operand.Reg) i.op1()).index();
        if (x.isEmpty(0) || x.isEmpty(sti)) {
            if (!X87Stack.underflow(c)) {
                return;
            }
            for (int k : new int[] {0, sti}) {
                if (x.isEmpty(k)) {
                    x.setSt(k, Unpacked.indefinite());
                }
            }
        } else {
            X87Stack.setC1(c, false);
        }
        int a = x.physical(0);
        int b = x.physical(sti);
        Extended80 t = x.raw(a);
        x.setRaw(a, x.raw(b));
        x.setRaw(b, t);
    }

    /** FCMOVcc ST(0), ST(i) (SDM 2 FCMOVcc): moves when the EFLAGS condition holds. */
    static void fcmov(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        int sti = ((Operand.Reg) i.op2()).index();
        if (x.isEmpty(0) || x.isEmpty(sti)) {
            if (X87Stack.underflow(c)) {
                x.setSt(0, Unpacked.indefinite());
            }
            return;
        }
        // C1 is cleared only by a stack underflow; otherwise it stays (as on the host).
        if (ConditionCodes.holds(c.s.rflags, i.condition())) {
            x.setRaw(x.physical(0), x.raw(x.physical(sti)));
        }
    }
}
