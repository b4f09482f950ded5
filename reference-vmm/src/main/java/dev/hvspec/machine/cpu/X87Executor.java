package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import java.util.EnumSet;
import java.util.Set;

/**
 * The dispatch of x87 instructions (SDM 1 Chapter 8): the #NM and #MF checks of
 * {@link FpuFaults}, the semantics, and the update of FOP/FIP/FDP for non-control instructions.
 */
final class X87Executor {
    private X87Executor() {
    }

    /** The non-waiting instructions (SDM 1 §8.3.12): they do not check for a pending #MF. */
    private static final Set<Mnemonic> NON_WAITING = EnumSet.of(Mnemonic.FNINIT, Mnemonic.FNCLEX,
            Mnemonic.FNSTSW, Mnemonic.FNSTCW, Mnemonic.FNSTENV, Mnemonic.FNSAVE,
            Mnemonic.FNENI, Mnemonic.FNDISI, Mnemonic.FNSETPM);

    /**
     * The control instructions, which leave FOP, FIP and FDP alone (SDM 1 §8.1.8): the others
     * are "non-control" and record themselves. The 8087/287 no-operations count as control here.
     */
    private static final Set<Mnemonic> CONTROL = EnumSet.of(Mnemonic.FNINIT, Mnemonic.FNCLEX, Mnemonic.FLDCW,
            Mnemonic.FNSTCW, Mnemonic.FNSTSW, Mnemonic.FNSTENV, Mnemonic.FLDENV, Mnemonic.FNSAVE, Mnemonic.FRSTOR,
            Mnemonic.FNENI, Mnemonic.FNDISI, Mnemonic.FNSETPM);

    static void execute(Cpu c, Instruction i) {
        Mnemonic m = i.mnemonic();
        if (m == Mnemonic.FWAIT) {
            FpuFaults.fwait(c);
            return;
        }
        FpuFaults.x87(c, !NON_WAITING.contains(m));
        switch (m) {
            case FLD -> X87DataTransfer.fld(c, i);
            case FST, FSTP -> X87DataTransfer.fst(c, i);
            case FILD -> X87DataTransfer.fild(c, i);
            case FIST, FISTP, FISTTP -> X87DataTransfer.fist(c, i);
            case FBLD -> X87DataTransfer.fbld(c, i);
            case FBSTP -> X87DataTransfer.fbstp(c, i);
            case FXCH -> X87DataTransfer.fxch(c, i);
            case FCMOVCC -> X87DataTransfer.fcmov(c, i);
            case FLD1, FLDZ, FLDPI, FLDL2E, FLDLN2, FLDL2T, FLDLG2 -> X87DataTransfer.loadConstant(c, i);
            case FADD, FADDP, FIADD, FSUB, FSUBP, FISUB, FSUBR, FSUBRP, FISUBR, FMUL, FMULP, FIMUL,
                 FDIV, FDIVP, FIDIV, FDIVR, FDIVRP, FIDIVR -> X87Arithmetic.basic(c, i);
            case FSQRT, FRNDINT, F2XM1 -> X87Arithmetic.unary(c, i);
            case FABS, FCHS -> X87Arithmetic.sign(c, i);
            case FSCALE -> X87Arithmetic.fscale(c);
            case FPREM, FPREM1 -> X87Arithmetic.fprem(c, i);
            case FXTRACT -> X87Arithmetic.fxtract(c);
            case FSIN, FCOS -> X87Arithmetic.sinCos(c, i);
            case FSINCOS -> X87Arithmetic.fsincos(c);
            case FPTAN -> X87Arithmetic.fptan(c);
            case FPATAN, FYL2X, FYL2XP1 -> X87Arithmetic.binaryPop(c, i);
            case FCOM, FCOMP, FCOMPP, FUCOM, FUCOMP, FUCOMPP, FICOM, FICOMP, FTST -> X87Compare.fcom(c, i);
            case FCOMI, FCOMIP, FUCOMI, FUCOMIP -> X87Compare.fcomi(c, i);
            case FXAM -> X87Compare.fxam(c);
            case FNINIT -> X87Control.fninit(c);
            case FNCLEX -> X87Control.fnclex(c);
            case FLDCW -> X87Control.fldcw(c, i);
            case FNSTCW -> X87Control.fnstcw(c, i);
            case FNSTSW -> X87Control.fnstsw(c, i);
            case FNSTENV -> X87Control.fnstenv(c, i);
            case FLDENV -> X87Control.fldenv(c, i);
            case FNSAVE -> X87Control.fnsave(c, i);
            case FRSTOR -> X87Control.frstor(c, i);
            case FFREE -> X87Control.ffree(c, i);
            case FINCSTP -> X87Control.moveTop(c, 1);
            case FDECSTP -> X87Control.moveTop(c, -1);
            case FNOP, FNENI, FNDISI, FNSETPM -> { }
            default -> throw new IllegalStateException("not an x87 instruction: " + m);
        }
        if (!CONTROL.contains(m)) {
            X87Stack.recordPointers(c, i);
        }
    }

    /** The x87 mnemonics (FLD … FNOP in {@link Mnemonic}'s order). */
    static boolean handles(Mnemonic m) {
        return m.compareTo(Mnemonic.FLD) >= 0 && m.compareTo(Mnemonic.FNOP) <= 0;
    }
}
