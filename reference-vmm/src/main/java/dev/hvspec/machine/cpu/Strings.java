package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Prefix;

import static dev.hvspec.machine.cpu.CpuState.RAX;
import static dev.hvspec.machine.cpu.CpuState.RCX;
import static dev.hvspec.machine.cpu.CpuState.RDI;
import static dev.hvspec.machine.cpu.CpuState.RSI;

/**
 * String instructions MOVS CMPS SCAS LODS STOS with REP/REPE/REPNE (SDM 1 §7.3.9; SDM 2 "REP").
 * Source DS:rSI (segment overridable), destination ES:rDI; the address size picks SI/ESI/RSI and
 * CX/ECX/RCX. A repeated instruction commits each iteration; after a bounded number of
 * iterations, or when an iteration caused an exit, it stops with RIP still on the instruction,
 * so interrupts and exits are taken between iterations (SDM 2 REP: "interruptible").
 */
final class Strings {
    /** Iterations per retirement of a repeated string instruction. */
    static final int ITERATIONS_PER_STEP = 4096;

    private Strings() {
    }

    static boolean repeated(Instruction i) {
        return i.has(Prefix.REP) || i.has(Prefix.REPNE);
    }

    static long step(Cpu c, int size) {
        return (c.s.rflags & Rflags.DF) != 0 ? -size : size;
    }

    static void execute(Cpu c, Instruction i) {
        if (!repeated(i)) {
            once(c, i);
            return;
        }
        int asize = i.addressSize();
        for (int n = 0; ; n++) {
            long count = c.gpr(RCX, asize);
            if (count == 0) {
                return;
            }
            once(c, i);
            count = (count - 1) & Alu.mask(asize);
            c.setGpr(RCX, asize, count);
            c.bus.instructionBoundary();
            if (i.mnemonic() == Mnemonic.CMPS || i.mnemonic() == Mnemonic.SCAS) {
                boolean zf = (c.s.rflags & Rflags.ZF) != 0;
                if (i.has(Prefix.REPNE) ? zf : !zf) {
                    return; // REPE stops on ZF = 0, REPNE on ZF = 1
                }
            }
            if (count == 0) {
                return;
            }
            // SDM 3B §17.3.1.2: a data breakpoint traps after the iteration that hit it.
            if (n + 1 >= ITERATIONS_PER_STEP || c.bus.exitRequested() || c.dataBreakpointHits != 0) {
                c.nextRip = c.s.rip; // continue with the remaining iterations later
                // SDM 3B §17.3.1.1: an event after any iteration but the last pushes RF = 1, so
                // the resumed instruction does not hit its own instruction breakpoint again.
                c.s.rflags |= Rflags.RF;
                return;
            }
        }
    }

    private static void once(Cpu c, Instruction i) {
        int size = i.operandSize();
        int asize = i.addressSize();
        long mask = Alu.mask(asize);
        int srcSeg = i.segmentOverride() >= 0 ? i.segmentOverride() : SegmentRegister.DS;
        long delta = step(c, size);
        long si = c.gpr(RSI, asize);
        long di = c.gpr(RDI, asize);
        switch (i.mnemonic()) {
            case MOVS -> {
                long v = c.readMem(srcSeg, si, size);
                c.writeMem(SegmentRegister.ES, di, size, v);
                c.setGpr(RSI, asize, (si + delta) & mask);
                c.setGpr(RDI, asize, (di + delta) & mask);
            }
            case CMPS -> {
                long a = c.readMem(srcSeg, si, size);
                long b = c.readMem(SegmentRegister.ES, di, size);
                long r = (a - b) & Alu.mask(size);
                c.s.rflags = Alu.flagsAfterSub(c.s.rflags, a, b, r, size);
                c.setGpr(RSI, asize, (si + delta) & mask);
                c.setGpr(RDI, asize, (di + delta) & mask);
            }
            case SCAS -> {
                long a = c.gpr(RAX, size);
                long b = c.readMem(SegmentRegister.ES, di, size);
                long r = (a - b) & Alu.mask(size);
                c.s.rflags = Alu.flagsAfterSub(c.s.rflags, a, b, r, size);
                c.setGpr(RDI, asize, (di + delta) & mask);
            }
            case LODS -> {
                long v = c.readMem(srcSeg, si, size);
                c.setGpr(RAX, size, v);
                c.setGpr(RSI, asize, (si + delta) & mask);
            }
            default -> { // STOS
                c.writeMem(SegmentRegister.ES, di, size, c.gpr(RAX, size));
                c.setGpr(RDI, asize, (di + delta) & mask);
            }
        }
    }
}
