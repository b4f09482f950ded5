package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.Unpacked;
import dev.hvspec.machine.cpu.fp.X87Functions;
import dev.hvspec.machine.cpu.fp.X87Functions.Order;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;

import static dev.hvspec.machine.cpu.X87Registers.FSW_C0;
import static dev.hvspec.machine.cpu.X87Registers.FSW_C1;
import static dev.hvspec.machine.cpu.X87Registers.FSW_C2;
import static dev.hvspec.machine.cpu.X87Registers.FSW_C3;

/**
 * x87 comparison and classification (SDM 1 §8.3.6-8.3.7; SDM 2 FCOM/FCOMP/FCOMPP,
 * FUCOM/FUCOMP/FUCOMPP, FICOM/FICOMP, FCOMI/FCOMIP/FUCOMI/FUCOMIP, FTST, FXAM).
 */
final class X87Compare {
    private X87Compare() {
    }

    /** C3 C2 C0 for each order (SDM 2 FCOM Table 3-21). */
    private static int conditionCodes(Order o) {
        return switch (o) {
            case GREATER -> 0;
            case LESS -> FSW_C0;
            case EQUAL -> FSW_C3;
            case UNORDERED -> FSW_C3 | FSW_C2 | FSW_C0;
        };
    }

    /** ZF PF CF for each order (SDM 2 FCOMI Table 3-22). */
    private static long eflags(Order o) {
        return switch (o) {
            case GREATER -> 0;
            case LESS -> Rflags.CF;
            case EQUAL -> Rflags.ZF;
            case UNORDERED -> Rflags.ZF | Rflags.PF | Rflags.CF;
        };
    }

    /**
     * FCOM/FUCOM/FICOM and their popping forms, FTST: ST(0) against ST(i), a memory operand, or
     * +0.0; the result in C3, C2, C0; C1 cleared.
     */
    static void fcom(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        Mnemonic m = i.mnemonic();
        int pops = switch (m) {
            case FCOMP, FUCOMP, FICOMP -> 1;
            case FCOMPP, FUCOMPP -> 2;
            default -> 0;
        };
        boolean ordered = switch (m) {
            case FUCOM, FUCOMP, FUCOMPP -> false;
            default -> true;
        };
        Unpacked other;
        boolean otherEmpty = false;
        if (i.op1() instanceof Operand.Mem mem) {
            other = m == Mnemonic.FICOM || m == Mnemonic.FICOMP
                    ? dev.hvspec.machine.cpu.fp.X87Math.ofInteger(X87Stack.readInteger(c, mem)) : X87Stack.readReal(c, mem);
        } else if (m == Mnemonic.FTST) {
            other = Unpacked.zero(false);
        } else {
            int sti = i.op1() instanceof Operand.Reg r ? r.index() : 1; // FCOMPP/FUCOMPP compare with ST(1)
            otherEmpty = x.isEmpty(sti);
            other = otherEmpty ? null : x.st(sti);
        }
        if (x.isEmpty(0) || otherEmpty) {
            // Unordered also when IE is unmasked (then without the pops), as Intel processors do.
            boolean masked = X87Stack.underflow(c);
            x.fsw = (x.fsw & ~(FSW_C3 | FSW_C2 | FSW_C0)) | conditionCodes(Order.UNORDERED);
            if (masked) {
                popTimes(x, pops);
            }
            return;
        }
        X87Functions.Comparison r = X87Functions.compare(x.st(0), other, ordered, X87Stack.control(c));
        X87Stack.raise(c, r.flags());
        x.fsw = (x.fsw & ~(FSW_C3 | FSW_C2 | FSW_C1 | FSW_C0)) | conditionCodes(r.order());
        if (r.delivered()) {
            popTimes(x, pops);
        }
    }

    /** FCOMI/FCOMIP/FUCOMI/FUCOMIP: the result in ZF, PF, CF; OF, SF, AF cleared; FSW.C1 cleared. */
    static void fcomi(Cpu c, Instruction i) {
        X87Registers x = X87Stack.regs(c);
        Mnemonic m = i.mnemonic();
        boolean pop = m == Mnemonic.FCOMIP || m == Mnemonic.FUCOMIP;
        boolean ordered = m == Mnemonic.FCOMI || m == Mnemonic.FCOMIP;
        int sti = ((Operand.Reg) i.op2()).index();
        Order order;
        boolean completes;
        if (x.isEmpty(0) || x.isEmpty(sti)) {
            completes = X87Stack.underflow(c);
            order = Order.UNORDERED;
        } else {
            X87Functions.Comparison r = X87Functions.compare(x.st(0), x.st(sti), ordered, X87Stack.control(c));
            X87Stack.raise(c, r.flags());
            completes = r.delivered();
            order = r.order();
        }
        // EFLAGS are set also under an unmasked exception, and C1 is left alone (as on the host;
        // SDM 2 FCOMI says C1 is cleared).
        long status = Rflags.ZF | Rflags.PF | Rflags.CF | Rflags.OF | Rflags.SF | Rflags.AF;
        c.s.rflags = (c.s.rflags & ~status) | eflags(order);
        if (completes) {
            popTimes(x, pop ? 1 : 0);
        }
    }

    private static void popTimes(X87Registers x, int n) {
        for (int k = 0; k < n; k++) {
            x.pop();
        }
    }

    /**
     * FXAM (SDM 2 FXAM Table 3-43): the class of ST(0) in C3 C2 C0 — unsupported 000, NaN 001,
     * normal 010, infinity 011, zero 100, empty 101, denormal 110 — and its sign in C1, also for an
     * empty register.
     */
    static void fxam(Cpu c) {
        X87Registers x = X87Stack.regs(c);
        int p = x.physical(0);
        boolean negative = (x.signExponent[p] & 0x8000) != 0;
        int cls;
        if (x.isEmpty(0)) {
            cls = FSW_C3 | FSW_C0;
        } else {
            Unpacked u = x.st(0);
            cls = switch (u.kind()) {
                case UNSUPPORTED -> 0;
                case QNAN, SNAN -> FSW_C0;
                case INFINITY -> FSW_C2 | FSW_C0;
                case ZERO -> FSW_C3;
                case FINITE -> u.denormal() ? FSW_C3 | FSW_C2 : FSW_C2;
            };
        }
        x.fsw = (x.fsw & ~X87Registers.FSW_CONDITION) | cls | (negative ? FSW_C1 : 0);
    }
}
