package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.fp.Extended80;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;

/**
 * x87 control instructions (SDM 1 §8.3.11-8.3.13; SDM 2 FINIT/FNINIT, FCLEX/FNCLEX, FLDCW,
 * FSTCW/FNSTCW, FSTSW/FNSTSW, FLDENV, FSTENV/FNSTENV, FSAVE/FNSAVE, FRSTOR, FFREE,
 * FINCSTP/FDECSTP, FNOP, WAIT/FWAIT) and the x87 environment image.
 *
 * <p>The environment (SDM 1 §8.1.10, Figures 8-9 to 8-12) is 28 bytes with a 32-bit (or 64-bit)
 * operand size and 14 bytes with a 16-bit one, in a protected-mode layout (offsets and
 * selectors) or, in real and virtual-8086 mode, a real-mode layout (20-bit linear pointers split
 * around the opcode). Reserved fields of the 28-byte images are written as ones in the upper
 * halves of the control, status and tag dwords and as zeros elsewhere; they are ignored on load.
 */
final class X87Control {
    private X87Control() {
    }

    /** FNINIT (SDM 2 FINIT). */
    static void fninit(Cpu c) {
        c.s.x87.init();
    }

    /** FNCLEX (SDM 2 FCLEX): clears the exception flags, SF, ES and B. */
    static void fnclex(Cpu c) {
        c.s.x87.fsw &= ~(0x3F | X87Registers.FSW_SF | X87Registers.FSW_ES | X87Registers.FSW_B);
    }

    /** FLDCW m2byte: a newly unmasked pending exception sets ES, raising #MF at the next waiting instruction. */
    static void fldcw(Cpu c, Instruction i) {
        c.s.x87.loadFcw((int) Operands.read(c, i.op1(), 2));
        c.s.x87.updateErrorSummary();
    }

    static void fnstcw(Cpu c, Instruction i) {
        Operands.write(c, i.op1(), 2, c.s.x87.fcw);
    }

    /** FNSTSW m2byte or AX (with TOP in bits 13:11). */
    static void fnstsw(Cpu c, Instruction i) {
        Operands.write(c, i.op1(), 2, c.s.x87.fsw & 0xFFFF);
    }

    /** FFREE ST(i): tags the register empty; TOP and the contents stay; C1 = 0 (as on the host). */
    static void ffree(Cpu c, Instruction i) {
        X87Registers x = c.s.x87;
        x.tagValid &= ~(1 << x.physical(((Operand.Reg) i.op1()).index()));
        X87Stack.setC1(c, false);
    }

    /** FINCSTP/FDECSTP: TOP ± 1 without touching tags or contents; C1 = 0. */
    static void moveTop(Cpu c, int delta) {
        c.s.x87.setTop(c.s.x87.top() + delta);
        X87Stack.setC1(c, false);
    }

    // ---- environment and state images ----

    /** Whether the real-mode layout applies: real-address or virtual-8086 mode (SDM 1 §8.1.10). */
    private static boolean realModeLayout(Cpu c) {
        return !c.s.protectedMode() || c.s.v86Mode();
    }

    /** The environment image for an operand size of 2 (14 bytes) or 4/8 (28 bytes). */
    static byte[] environment(Cpu c, int operandSize) {
        X87Registers x = c.s.x87;
        boolean wide = operandSize != 2;
        boolean real = realModeLayout(c);
        int w = wide ? 4 : 2;
        byte[] b = new byte[wide ? 28 : 14];
        long reservedOnes = wide ? 0xFFFF_0000L : 0;
        VectorMemory.putLong(b, 0, w, reservedOnes | x.fcw);
        VectorMemory.putLong(b, w, w, reservedOnes | (x.fsw & 0xFFFF));
        VectorMemory.putLong(b, 2 * w, w, reservedOnes | x.fullTagWord());
        int fop = x.fop & 0x7FF;
        if (!real) {
            VectorMemory.putLong(b, 3 * w, w, x.fip);
            VectorMemory.putLong(b, 4 * w, w, wide ? (x.fcs & 0xFFFF) | ((long) fop << 16) : x.fcs & 0xFFFF);
            VectorMemory.putLong(b, 5 * w, w, x.fdp);
            VectorMemory.putLong(b, 6 * w, w, reservedOnes | (x.fds & 0xFFFF));
        } else {
            // Real mode: 20-bit (wide: 32-bit) linear pointers, CS × 16 + IP (SDM 1 Figures 8-10, 8-12).
            long ip = (((long) x.fcs << 4) + x.fip) & 0xFFFF_FFFFL;
            long dp = (((long) x.fds << 4) + x.fdp) & 0xFFFF_FFFFL;
            VectorMemory.putLong(b, 3 * w, w, ip & 0xFFFF);
            VectorMemory.putLong(b, 4 * w, w, wide ? ((ip >>> 16) << 12) | fop : ((ip >>> 16) & 0xF) << 12 | fop);
            VectorMemory.putLong(b, 5 * w, w, dp & 0xFFFF);
            VectorMemory.putLong(b, 6 * w, w, wide ? (dp >>> 16) << 12 : ((dp >>> 16) & 0xF) << 12);
        }
        return b;
    }

    /** Loads an environment image (FLDENV, FRSTOR). */
    static void loadEnvironment(Cpu c, byte[] b, int operandSize) {
        X87Registers x = c.s.x87;
        boolean wide = operandSize != 2;
        int w = wide ? 4 : 2;
        x.loadFcw((int) VectorMemory.readLong(b, 0, 2));
        x.fsw = (int) VectorMemory.readLong(b, w, 2);
        x.loadFullTagWord((int) VectorMemory.readLong(b, 2 * w, 2));
        long field4 = VectorMemory.readLong(b, 4 * w, w);
        if (!realModeLayout(c)) {
            x.fip = VectorMemory.readLong(b, 3 * w, w);
            x.fcs = (int) (field4 & 0xFFFF);
            x.fop = wide ? (int) (field4 >>> 16) & 0x7FF : x.fop;
            x.fdp = VectorMemory.readLong(b, 5 * w, w);
            x.fds = (int) VectorMemory.readLong(b, 6 * w, 2);
        } else {
            long ipHigh = wide ? (field4 >>> 12) & 0xFFFF : (field4 >>> 12) & 0xF;
            long dpHigh = wide ? (VectorMemory.readLong(b, 6 * w, w) >>> 12) & 0xFFFF
                    : (VectorMemory.readLong(b, 6 * w, w) >>> 12) & 0xF;
            x.fip = (ipHigh << 16) | VectorMemory.readLong(b, 3 * w, 2);
            x.fop = (int) (field4 & 0x7FF);
            x.fdp = (dpHigh << 16) | VectorMemory.readLong(b, 5 * w, 2);
            x.fcs = 0;
            x.fds = 0;
        }
        x.updateErrorSummary();
    }

    /** FNSTENV: stores the environment, then masks all exceptions (SDM 2 FSTENV). */
    static void fnstenv(Cpu c, Instruction i) {
        VectorMemory.write(c, (Operand.Mem) i.op1(), 0, environment(c, i.operandSize()));
        c.s.x87.fcw |= 0x3F;
        c.s.x87.updateErrorSummary();
    }

    static void fldenv(Cpu c, Instruction i) {
        int size = i.operandSize() == 2 ? 14 : 28;
        loadEnvironment(c, VectorMemory.read(c, (Operand.Mem) i.op1(), 0, size), i.operandSize());
    }

    /** FNSAVE: the environment and ST(0)-ST(7) (ten bytes each), then FNINIT (SDM 2 FSAVE). */
    static void fnsave(Cpu c, Instruction i) {
        byte[] env = environment(c, i.operandSize());
        byte[] image = new byte[env.length + 80];
        System.arraycopy(env, 0, image, 0, env.length);
        X87Registers x = c.s.x87;
        for (int k = 0; k < 8; k++) {
            System.arraycopy(x.raw(x.physical(k)).toBytes(), 0, image, env.length + 10 * k, 10);
        }
        VectorMemory.write(c, (Operand.Mem) i.op1(), 0, image);
        x.init();
    }

    /** FRSTOR: the inverse of FNSAVE. */
    static void frstor(Cpu c, Instruction i) {
        int envSize = i.operandSize() == 2 ? 14 : 28;
        byte[] image = VectorMemory.read(c, (Operand.Mem) i.op1(), 0, envSize + 80);
        byte[] env = java.util.Arrays.copyOf(image, envSize);
        loadEnvironment(c, env, i.operandSize());
        X87Registers x = c.s.x87;
        for (int k = 0; k < 8; k++) {
            x.setRaw(x.physical(k), Extended80.fromBytes(image, envSize + 10 * k));
        }
    }
}
