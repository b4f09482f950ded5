package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.Unpacked;
import dev.hvspec.machine.cpu.fp.X87Functions;
import dev.hvspec.machine.cpu.fp.X87Math;
import dev.hvspec.machine.cpu.fp.X87Transcendental;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;

import java.math.BigInteger;

import static dev.hvspec.machine.cpu.X87Registers.FSW_C0;
import static dev.hvspec.machine.cpu.X87Registers.FSW_C1;
import static dev.hvspec.machine.cpu.X87Registers.FSW_C2;
import static dev.hvspec.machine.cpu.X87Registers.FSW_C3;

/**
 * x87 arithmetic and transcendental instructions (SDM 1 §8.3.5-8.3.10; SDM 2 FADD … FDIVR and
 * their P and I forms, FSQRT, FABS, FCHS, FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1, FSIN, FCOS,
 * FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1). The values come from {@link X87Math},
 * {@link X87Functions} and {@link X87Transcendental}; this class reads the stack, handles empty
 * registers, writes the result and the condition codes, and pops.
 */
final class X87Arithmetic {
    private X87Arithmetic() {
    }

    /**
     * FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR with a memory operand (ST(0) ∘ m32fp/m64fp), the register
     * forms (op1 ← op1 ∘ op2), the popping forms (ST(i) ← ST(i) ∘ ST(0), pop) and the integer
     * forms (ST(0) ∘ m16int/m32int). The R forms swap the operands of ∘.
     */
    static void basic(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        boolean reversed;
        boolean pop;
        Operation op;
        switch (i.mnemonic()) {
            case FADD, FADDP, FIADD -> op = X87Math::add;
            case FSUB, FSUBP, FISUB, FSUBR, FSUBRP, FISUBR -> op = X87Math::subtract;
            case FMUL, FMULP, FIMUL -> op = X87Math::multiply;
            default -> op = X87Math::divide;
        }
        reversed = switch (i.mnemonic()) {
            case FSUBR, FSUBRP, FISUBR, FDIVR, FDIVRP, FIDIVR -> true;
            default -> false;
        };
        pop = switch (i.mnemonic()) {
            case FADDP, FSUBP, FSUBRP, FMULP, FDIVP, FDIVRP -> true;
            default -> false;
        };
        int dest;
        Unpacked source;
        if (i.op1() instanceof Operand.Mem m) {
            dest = 0;
            boolean integer = switch (i.mnemonic()) {
                case FIADD, FISUB, FISUBR, FIMUL, FIDIV, FIDIVR -> true;
                default -> false;
            };
            source = integer ? X87Math.ofInteger(X87Stack.readInteger(c, m)) : X87Stack.readReal(c, m);
            if (x.isEmpty(0)) {
                underflowInto(c, 0, false);
                return;
            }
        } else {
            dest = ((Operand.Reg) i.op1()).index();
            int src = ((Operand.Reg) i.op2()).index();
            if (x.isEmpty(dest) || x.isEmpty(src)) {
                underflowInto(c, dest, pop);
                return;
            }
            source = x.st(src);
        }
        Unpacked d = x.st(dest);
        X87Math.Control control = X87Stack.control(c);
        X87Math.Result r = reversed ? op.apply(source, d, control) : op.apply(d, source, control);
        X87Stack.deliver(c, dest, r, pop);
    }

    @FunctionalInterface
    private interface Operation {
        X87Math.Result apply(Unpacked a, Unpacked b, X87Math.Control c);
    }

    /** Stack underflow with ST(dest) as the destination: the indefinite there when masked (and the pop). */
    private static void underflowInto(Cpu c, int dest, boolean pop) {
        if (X87Stack.underflow(c)) {
            X87Stack.regs(c).setSt(dest, Unpacked.indefinite());
            if (pop) {
                X87Stack.regs(c).pop();
            }
        }
    }

    /** FSQRT, FRNDINT, F2XM1 on ST(0). */
    static void unary(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        if (x.isEmpty(0)) {
            underflowInto(c, 0, false);
            return;
        }
        X87Math.Control control = X87Stack.control(c);
        Unpacked a = x.st(0);
        X87Math.Result r = switch (i.mnemonic()) {
            case FSQRT -> X87Math.sqrt(a, control);
            case FRNDINT -> X87Math.roundToIntegral(a, control);
            default -> X87Transcendental.twoToXMinusOne(a, control);
        };
        X87Stack.deliver(c, 0, r, false);
    }

    /** FABS and FCHS: the sign bit of ST(0) only, whatever it holds (SDM 2 FABS, FCHS); C1 = 0. */
    static void sign(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        if (x.isEmpty(0)) {
            underflowInto(c, 0, false);
            return;
        }
        int p = x.physical(0);
        x.signExponent[p] = switch (i.mnemonic()) {
            case FABS -> x.signExponent[p] & 0x7FFF;
            default -> x.signExponent[p] ^ 0x8000;
        };
        X87Stack.setC1(c, false);
    }

    /** FSCALE: ST(0) ← ST(0) × 2^trunc(ST(1)). */
    static void fscale(Cpu c) {
        X87Registers x = X87Stack.regs(c);
        if (x.isEmpty(0) || x.isEmpty(1)) {
            underflowInto(c, 0, false);
            return;
        }
        X87Stack.deliver(c, 0, X87Functions.scale(x.st(0), x.st(1), X87Stack.control(c)), false);
    }

    /**
     * FPREM/FPREM1: ST(0) ← partial remainder of ST(0) / ST(1); C2 = 1 while incomplete, else C0,
     * C3, C1 = the quotient's bits 2, 1, 0 (SDM 2 FPREM "FPU Flags Affected").
     */
    static void fprem(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        x.fsw &= ~FSW_C2; // C2 = 0 unless the reduction is incomplete (C0, C1, C3 stay after errors)
        if (x.isEmpty(0) || x.isEmpty(1)) {
            underflowInto(c, 0, false);
            return;
        }
        X87Functions.Remainder rem = X87Functions.remainder(x.st(0), x.st(1),
                i.mnemonic() == dev.hvspec.machine.cpu.isa.Mnemonic.FPREM1, X87Stack.control(c));
        X87Math.Result r = rem.result();
        X87Stack.raise(c, r.flags());
        if (!rem.computed()) {
            X87Stack.setC1(c, false); // C0 and C3 stay (as on the host)
        }
        if (!r.delivered()) {
            return;
        }
        x.setSt(0, r.value());
        if (!rem.computed()) {
            return;
        }
        int q = rem.quotient();
        int cc = (rem.incomplete() ? FSW_C2 : 0) | ((q & 4) != 0 ? FSW_C0 : 0) | ((q & 2) != 0 ? FSW_C3 : 0)
                | ((q & 1) != 0 ? FSW_C1 : 0);
        x.fsw = (x.fsw & ~X87Registers.FSW_CONDITION) | cc;
    }

    /** FXTRACT: ST(0) ← exponent, then push the significand (SDM 2 FXTRACT). */
    static void fxtract(Cpu c) {
        X87Registers x = X87Stack.regs(c);
        if (x.isEmpty(0)) {
            if (X87Stack.underflow(c)) {
                x.setSt(0, Unpacked.indefinite());
                x.push(Unpacked.indefinite()); // over ST(7) whatever it holds (as on the host)
            }
            return;
        }
        if (!x.isEmpty(7)) {
            if (X87Stack.overflow(c)) {
                x.setSt(0, Unpacked.indefinite());
                x.push(Unpacked.indefinite());
            }
            return;
        }
        X87Functions.Extraction e = X87Functions.extract(x.st(0), X87Stack.control(c));
        X87Stack.raise(c, e.flags());
        X87Stack.setC1(c, false);
        if (e.delivered()) {
            x.setSt(0, e.exponent());
            x.push(e.significand());
        }
    }

    // ---- transcendental (SDM 1 §8.3.10) ----

    /** FSIN, FCOS: C2 = 1 and ST(0) unchanged when |ST(0)| ≥ 2^63 (SDM 2 FSIN). */
    static void sinCos(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        x.fsw &= ~FSW_C2;
        if (x.isEmpty(0)) {
            underflowInto(c, 0, false);
            return;
        }
        Unpacked a = x.st(0);
        if (!X87Transcendental.inRange(a)) {
            x.fsw |= FSW_C2;
            return;
        }
        x.fsw &= ~FSW_C2;
        boolean cosine = i.mnemonic() == dev.hvspec.machine.cpu.isa.Mnemonic.FCOS;
        X87Stack.deliver(c, 0, X87Transcendental.sinCos(a, cosine, X87Stack.control(c)), false);
    }

    /** FSINCOS: ST(0) ← sine, then push the cosine (SDM 2 FSINCOS). */
    static void fsincos(Cpu c) {
        X87Registers x = X87Stack.regs(c);
        if (!pushTwoResultsAllowed(c)) {
            return;
        }
        Unpacked a = x.st(0);
        if (!X87Transcendental.inRange(a)) {
            x.fsw |= FSW_C2;
            return;
        }
        x.fsw &= ~FSW_C2;
        X87Math.Control control = X87Stack.control(c);
        X87Math.Result sin = X87Transcendental.sinCos(a, false, control);
        X87Math.Result cos = X87Transcendental.sinCos(a, true, control);
        deliverTwo(c, sin, cos);
    }

    /** FPTAN: ST(0) ← tangent, then push 1.0 (SDM 2 FPTAN). */
    static void fptan(Cpu c) {
        X87Registers x = X87Stack.regs(c);
        if (!pushTwoResultsAllowed(c)) {
            return;
        }
        Unpacked a = x.st(0);
        if (!X87Transcendental.inRange(a)) {
            x.fsw |= FSW_C2;
            return;
        }
        x.fsw &= ~FSW_C2;
        X87Math.Result tan = X87Transcendental.tan(a, X87Stack.control(c));
        // A NaN operand (or the indefinite of an invalid one) is pushed in place of 1.0 (as on the host).
        boolean nanResult = tan.delivered() && tan.value().isNaN();
        X87Math.Result one = nanResult ? tan : new X87Math.Result(Unpacked.finite(false, BigInteger.ONE, 0), 0, false);
        if (!tan.delivered()) {
            X87Stack.raise(c, tan.flags());
            return;
        }
        deliverTwo(c, tan, one);
    }

    /**
     * For FSINCOS and FPTAN, which replace ST(0) and push: underflow when ST(0) is empty, overflow
     * when ST(7) is not (the masked response fills both with the indefinite).
     */
    private static boolean pushTwoResultsAllowed(Cpu c) {
        X87Registers x = X87Stack.regs(c);
        if (x.isEmpty(0) || !x.isEmpty(7)) {
            x.fsw &= ~FSW_C2;
            boolean masked = x.isEmpty(0) ? X87Stack.underflow(c) : X87Stack.overflow(c);
            if (masked) {
                x.setSt(0, Unpacked.indefinite());
                x.push(Unpacked.indefinite());
            }
            return false;
        }
        return true;
    }

    private static void deliverTwo(Cpu c, X87Math.Result first, X87Math.Result pushed) {
        X87Registers x = X87Stack.regs(c);
        X87Stack.raise(c, first.flags() | pushed.flags());
        X87Stack.setC1(c, pushed.delivered() ? pushed.roundedUp() : first.roundedUp());
        if (first.delivered() && pushed.delivered()) {
            x.setSt(0, first.value());
            x.push(pushed.value());
        }
    }

    /** FPATAN, FYL2X, FYL2XP1: ST(1) ← f(ST(1), ST(0)), then pop. */
    static void binaryPop(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        if (x.isEmpty(0) || x.isEmpty(1)) {
            underflowInto(c, 1, true);
            return;
        }
        X87Math.Control control = X87Stack.control(c);
        Unpacked st0 = x.st(0);
        Unpacked st1 = x.st(1);
        X87Math.Result r = switch (i.mnemonic()) {
            case FPATAN -> X87Transcendental.atan2(st1, st0, control);
            case FYL2X -> X87Transcendental.yLog2X(st1, st0, control);
            default -> X87Transcendental.yLog2XPlus1(st1, st0, control);
        };
        X87Stack.deliver(c, 1, r, true);
    }
}
