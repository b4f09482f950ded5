package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;

import static dev.hvspec.machine.cpu.SegmentRegister.DS;
import static dev.hvspec.machine.cpu.SegmentRegister.ES;
import static dev.hvspec.machine.cpu.SegmentRegister.FS;
import static dev.hvspec.machine.cpu.SegmentRegister.GS;

/**
 * IRET/IRETD/IRETQ (SDM 2 "IRET/IRETD/IRETQ", Operation): real mode, virtual-8086 mode, task
 * return with NT, protected-mode returns to the same or an outer level or to virtual-8086 mode,
 * and the IA-32e forms that always pop SS:RSP in 64-bit mode. Every IRET unblocks NMIs
 * (SDM 3A §6.7.1).
 */
final class InterruptReturn {
    private InterruptReturn() {
    }

    static void iret(Cpu c, Instruction i) {
        int size = i.operandSize();
        if (!c.s.protectedMode()) {
            real(c, size);
        } else if (c.s.v86Mode()) {
            virtual8086(c, size);
        } else if (c.s.longModeActive()) {
            ia32e(c, size);
        } else if ((c.s.rflags & Rflags.NT) != 0) {
            int link = (int) c.readSystem(c.s.tr.base & 0xFFFF_FFFFL, 2);
            c.nextRip = TaskSwitch.switchTo(c, link, TaskSwitch.Reason.IRET, c.nextRip, 0);
        } else {
            protectedMode(c, size);
        }
        c.s.nmiBlocked = false;
        c.requestAttention();
    }

    private static void real(Cpu c, int size) {
        long ip = c.peek(0, size);
        int cs = (int) c.peek(size, size) & 0xFFFF;
        long flags = c.peek(2L * size, size);
        if (ip > c.s.cs().limit) {
            throw CpuException.gp(0);
        }
        release(c, 3L * size);
        c.s.cs().loadRealMode(cs);
        c.nextRip = ip;
        if (size == 4) {
            c.s.rflags = (flags & 0x257FD5L) | (c.s.rflags & 0x1A_0000L) | Rflags.FIXED1;
        } else {
            c.s.rflags = (c.s.rflags & ~0xFFFFL) | (flags & 0xFFFF) | Rflags.FIXED1;
        }
    }

    /** SDM 3A §20.2.7: IRET in virtual-8086 mode requires IOPL = 3 (no VME) and keeps IOPL. */
    private static void virtual8086(Cpu c, int size) {
        if (Rflags.iopl(c.s.rflags) != 3) {
            throw CpuException.gp(0);
        }
        long ip = c.peek(0, size);
        int cs = (int) c.peek(size, size) & 0xFFFF;
        long flags = c.peek(2L * size, size);
        if (ip > c.s.cs().limit) {
            throw CpuException.gp(0);
        }
        release(c, 3L * size);
        c.s.cs().loadRealMode(cs);
        c.nextRip = ip;
        if (size == 4) {
            c.s.rflags = (flags & 0x257FD5L & ~Rflags.IOPL) | (c.s.rflags & (0x1A_0000L | Rflags.IOPL)) | Rflags.FIXED1;
        } else {
            c.s.rflags = (c.s.rflags & ~(0xFFFFL & ~Rflags.IOPL)) | (flags & 0xFFFF & ~Rflags.IOPL) | Rflags.FIXED1;
        }
    }

    private static void protectedMode(Cpu c, int size) {
        long eip = c.peek(0, size);
        int cs = (int) c.peek(size, size) & 0xFFFF;
        long flags = c.peek(2L * size, size);
        int oldCpl = c.cpl();
        if ((flags & Rflags.VM) != 0 && oldCpl == 0 && size == 4) {
            returnToVirtual8086(c, eip, cs, flags);
            return;
        }
        int rpl = cs & 3;
        Segmentation.Descriptor code = returnCodeSegment(c, cs, oldCpl);
        FarTransfer.checkOffset(c, code, eip);
        if (rpl == oldCpl) {
            release(c, 3L * size);
            Segmentation.setAccessed(c, code);
            Segmentation.loadFromDescriptor(c.s.cs(), cs, code);
        } else {
            long esp = c.peek(3L * size, size);
            int ss = (int) c.peek(4L * size, size) & 0xFFFF;
            Segmentation.Descriptor ssDesc = FarTransfer.checkReturnStack(c, ss, rpl, code);
            Segmentation.setAccessed(c, code);
            Segmentation.loadFromDescriptor(c.s.cs(), cs, code);
            Segmentation.setAccessed(c, ssDesc);
            Segmentation.loadFromDescriptor(c.s.ss(), ss, ssDesc);
            c.setGpr(CpuState.RSP, c.s.stackAddressSize(), esp);
        }
        c.nextRip = eip;
        c.s.rflags = mergeFlags(c.s.rflags, flags, size, oldCpl);
        if (rpl != oldCpl) {
            Segmentation.nullInaccessibleDataSegments(c);
        }
    }

    /** SDM 2 IRET "RETURN-TO-VIRTUAL-8086-MODE": pops ESP, SS, ES, DS, FS, GS (doublewords). */
    private static void returnToVirtual8086(Cpu c, long eip, int cs, long flags) {
        long esp = c.peek(12, 4);
        int ss = (int) c.peek(16, 4) & 0xFFFF;
        int es = (int) c.peek(20, 4) & 0xFFFF;
        int ds = (int) c.peek(24, 4) & 0xFFFF;
        int fs = (int) c.peek(28, 4) & 0xFFFF;
        int gs = (int) c.peek(32, 4) & 0xFFFF;
        c.s.rflags = (flags & Rflags.DEFINED) | Rflags.FIXED1;
        int[][] loads = {{SegmentRegister.CS, cs}, {SegmentRegister.SS, ss}, {ES, es}, {DS, ds}, {FS, fs}, {GS, gs}};
        for (int[] load : loads) {
            SegmentRegister sr = c.s.seg[load[0]];
            sr.loadRealMode(load[1]);
            sr.limit = 0xFFFF;
            sr.attributes = SegmentRegister.P | SegmentRegister.S | (3 << SegmentRegister.DPL_SHIFT)
                    | SegmentRegister.TYPE_WRITABLE_OR_READABLE | SegmentRegister.TYPE_ACCESSED
                    | (load[0] == SegmentRegister.CS ? SegmentRegister.TYPE_CODE : 0);
        }
        c.s.gpr[CpuState.RSP] = esp & 0xFFFF_FFFFL;
        c.nextRip = eip & 0xFFFF;
    }

    /** SDM 2 IRET "IA-32e-MODE": NT must be 0; 64-bit mode always pops SS:RSP. */
    private static void ia32e(Cpu c, int size) {
        if ((c.s.rflags & Rflags.NT) != 0) {
            throw CpuException.gp(0);
        }
        boolean from64 = c.s.mode64();
        long rip = c.peek(0, size);
        int cs = (int) c.peek(size, size) & 0xFFFF;
        long flags = c.peek(2L * size, size);
        int oldCpl = c.cpl();
        if ((flags & Rflags.VM) != 0) {
            throw CpuException.gp(0); // no return to virtual-8086 mode in IA-32e mode
        }
        int rpl = cs & 3;
        Segmentation.Descriptor code = returnCodeSegment(c, cs, oldCpl);
        FarTransfer.checkCodeMode(c, code, cs);
        FarTransfer.checkOffset(c, code, rip & (code.longCode() ? -1L : 0xFFFF_FFFFL));
        if (from64 || rpl != oldCpl) {
            long rsp = c.peek(3L * size, size);
            int ss = (int) c.peek(4L * size, size) & 0xFFFF;
            Segmentation.Descriptor ssDesc = FarTransfer.checkReturnStack(c, ss, rpl, code);
            Segmentation.setAccessed(c, code);
            Segmentation.loadFromDescriptor(c.s.cs(), cs, code);
            if (ssDesc == null) {
                Segmentation.loadNull(c.s.ss(), ss);
                c.s.ss().attributes |= rpl << SegmentRegister.DPL_SHIFT;
            } else {
                Segmentation.setAccessed(c, ssDesc);
                Segmentation.loadFromDescriptor(c.s.ss(), ss, ssDesc);
            }
            c.s.gpr[CpuState.RSP] = code.longCode() ? rsp : rsp & Alu.mask(Math.min(size, 4));
        } else {
            release(c, 3L * size);
            Segmentation.setAccessed(c, code);
            Segmentation.loadFromDescriptor(c.s.cs(), cs, code);
        }
        c.nextRip = code.longCode() ? rip : rip & 0xFFFF_FFFFL;
        c.s.rflags = mergeFlags(c.s.rflags, flags, size, oldCpl);
        if (rpl != oldCpl) {
            Segmentation.nullInaccessibleDataSegments(c);
        }
    }

    /**
     * The code segment IRET returns to (SDM 2 IRET, "PROTECTED-MODE-RETURN"): not null, a code
     * segment, RPL ≥ CPL, DPL = RPL (non-conforming) or DPL ≤ RPL (conforming), present.
     */
    private static Segmentation.Descriptor returnCodeSegment(Cpu c, int cs, int oldCpl) {
        if (Segmentation.isNull(cs)) {
            throw CpuException.gp(0);
        }
        int rpl = cs & 3;
        Segmentation.Descriptor code = Segmentation.read(c, cs);
        if (!code.isCode() || rpl < oldCpl || (code.conforming() ? code.dpl() > rpl : code.dpl() != rpl)) {
            throw CpuException.gp(cs & 0xFFFC);
        }
        if (!code.present()) {
            throw CpuException.fault(Vector.NP, cs & 0xFFFC);
        }
        return code;
    }

    /** Which popped EFLAGS bits take effect (SDM 2 IRET, "RETURN-TO-SAME-PRIVILEGE-LEVEL"). */
    static long mergeFlags(long current, long popped, int size, int oldCpl) {
        long changeable = Rflags.STATUS | Rflags.TF | Rflags.DF | Rflags.NT;
        if (size >= 4) {
            changeable |= Rflags.RF | Rflags.AC | Rflags.ID;
        }
        if (oldCpl <= Rflags.iopl(current)) {
            changeable |= Rflags.IF;
        }
        if (oldCpl == 0) {
            changeable |= Rflags.IOPL;
            if (size >= 4) {
                changeable |= Rflags.VIF | Rflags.VIP;
            }
        }
        if (size == 2) {
            changeable &= 0xFFFF;
        }
        return (current & ~changeable) | (popped & changeable) | Rflags.FIXED1;
    }

    private static void release(Cpu c, long bytes) {
        int asize = c.s.stackAddressSize();
        c.setGpr(CpuState.RSP, asize, (c.gpr(CpuState.RSP, asize) + bytes) & Alu.mask(asize));
    }
}
