package dev.hvspec.machine.cpu;

import static dev.hvspec.machine.cpu.SegmentRegister.CS;
import static dev.hvspec.machine.cpu.SegmentRegister.SS;

/**
 * Hardware task switching with 32-bit TSSs (SDM 3A §7.3): through a task gate in the IDT, by
 * JMP/CALL to a TSS descriptor or task gate, and back by IRET with EFLAGS.NT = 1. Not available in
 * IA-32e mode (#GP). 16-bit TSSs are not supported as switch targets (#TS).
 *
 * <p>32-bit TSS layout (§7.2.1, Figure 7-2): 0 link, 4-24 ESP0-2/SS0-2, 28 CR3, 32 EIP,
 * 36 EFLAGS, 40-68 EAX…EDI, 72-92 ES CS SS DS FS GS, 96 LDT, 100 T, 102 I/O map base.
 */
final class TaskSwitch {
    enum Reason { JMP, CALL, IRET, INTERRUPT }

    private static final int[] SEGMENT_OFFSETS = {72, 76, 80, 84, 88, 92}; // ES CS SS DS FS GS

    private TaskSwitch() {
    }

    /** A task gate in the IDT: switch to the TSS it names, then push the error code if any. */
    static long throughGate(Cpu c, int tssSelector, int ext, int errorCode, boolean pushError, long returnRip) {
        long eip = switchTo(c, tssSelector, Reason.INTERRUPT, returnRip, ext);
        if (pushError) {
            c.push(errorCode, (c.s.tr.type() & 8) != 0 ? 4 : 2);
        }
        return eip;
    }

    /**
     * Switches from the current task to the TSS {@code selector} and returns the new task's EIP.
     * {@code returnEip} is saved in the old TSS.
     */
    static long switchTo(Cpu c, int selector, Reason reason, long returnEip, int ext) {
        if (c.s.longModeActive()) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if ((selector & 4) != 0 || Segmentation.isNull(selector)) {
            throw CpuException.fault(Vector.TS, (selector & 0xFFFC) + ext);
        }
        Segmentation.Descriptor next = Segmentation.tryRead(c, selector);
        if (next == null) {
            throw CpuException.fault(Vector.TS, (selector & 0xFFFC) + ext);
        }
        int type = next.type();
        boolean busy = type == Segmentation.TYPE_TSS32_BUSY;
        if (!next.isSystem() || (type != Segmentation.TYPE_TSS32_AVAILABLE && type != Segmentation.TYPE_TSS32_BUSY)) {
            throw CpuException.fault(Vector.TS, (selector & 0xFFFC) + ext);
        }
        if (reason == Reason.IRET ? !busy : busy) {
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        if (!next.present()) {
            throw CpuException.fault(Vector.NP, (selector & 0xFFFC) + ext);
        }
        if (next.limit() < 0x67) {
            throw CpuException.fault(Vector.TS, (selector & 0xFFFC) + ext);
        }
        SegmentRegister tr = c.s.tr;
        if (tr.limit < 0x67) {
            throw CpuException.fault(Vector.TS, (tr.selector & 0xFFFC) + ext);
        }
        long newBase = next.base();
        long oldBase = tr.base;

        // Read the whole new state first (faults here leave the old task untouched).
        long[] image = new long[26];
        for (int k = 0; k < 26; k++) {
            image[k] = c.readSystem((newBase + 4L * k) & 0xFFFF_FFFFL, 4);
        }

        // Save the current task's dynamic state into the old TSS (§7.3 step 7).
        long flags = c.s.rflags;
        if (reason == Reason.IRET) {
            flags &= ~Rflags.NT;
        }
        c.writeSystem((oldBase + 32) & 0xFFFF_FFFFL, 4, returnEip);
        c.writeSystem((oldBase + 36) & 0xFFFF_FFFFL, 4, flags);
        for (int r = 0; r < 8; r++) {
            c.writeSystem((oldBase + 40 + 4L * r) & 0xFFFF_FFFFL, 4, c.s.gpr[r]);
        }
        for (int seg = 0; seg < 6; seg++) {
            c.writeSystem((oldBase + SEGMENT_OFFSETS[seg]) & 0xFFFF_FFFFL, 2, c.s.seg[seg].selector);
        }

        // Busy bits and the link field (§7.3 steps 5, 8, 9).
        if (reason == Reason.JMP || reason == Reason.IRET) {
            Segmentation.Descriptor old = Segmentation.read(c, tr.selector);
            c.writeSystem(old.tableLinear() + 5, 1, ((old.raw() >>> 40) & ~2L) & 0xFF);
        }
        if (reason != Reason.IRET) {
            c.writeSystem(next.tableLinear() + 5, 1, ((next.raw() >>> 40) | 2) & 0xFF);
        }
        if (reason == Reason.CALL || reason == Reason.INTERRUPT) {
            c.writeSystem(newBase & 0xFFFF_FFFFL, 2, tr.selector);
        }

        // Switch: TR, CR0.TS, CR3, registers, then the segment loads in the context of the new task.
        c.s.tr.load(selector, newBase, next.limit(), next.attributes() | 2);
        c.s.cr0 |= ControlBits.CR0_TS;
        if ((c.s.cr0 & ControlBits.CR0_PG) != 0 && image[7] != c.s.cr3) {
            c.s.cr3 = image[7];
            ControlRegisters.loadPdptesIfPae(c);
            c.mmu.cr3Written();
        }
        long newFlags = image[9] | Rflags.FIXED1;
        if (reason == Reason.CALL || reason == Reason.INTERRUPT) {
            newFlags |= Rflags.NT;
        }
        c.s.rflags = newFlags;
        for (int r = 0; r < 8; r++) {
            c.s.gpr[r] = image[10 + r];
        }
        int ldt = (int) image[24] & 0xFFFF;
        int[] selectors = new int[6];
        for (int seg = 0; seg < 6; seg++) {
            selectors[seg] = (int) (image[18 + seg] & 0xFFFF);
        }
        // Load the selectors first so that faults below are reported in the new task (§7.3 step 11).
        for (int seg = 0; seg < 6; seg++) {
            c.s.seg[seg].selector = selectors[seg];
        }
        loadLdt(c, ldt);
        if (c.s.v86Mode()) {
            for (int seg = 0; seg < 6; seg++) {
                c.s.seg[seg].loadRealMode(selectors[seg]);
                c.s.seg[seg].limit = 0xFFFF;
                c.s.seg[seg].attributes = SegmentRegister.P | SegmentRegister.S | (3 << SegmentRegister.DPL_SHIFT)
                        | SegmentRegister.TYPE_WRITABLE_OR_READABLE | SegmentRegister.TYPE_ACCESSED
                        | (seg == CS ? SegmentRegister.TYPE_CODE : 0);
            }
        } else {
            loadCodeSegment(c, selectors[CS]);
            Segmentation.loadDataOrStack(c, SS, selectors[SS]);
            for (int seg : new int[] {SegmentRegister.ES, SegmentRegister.DS, SegmentRegister.FS, SegmentRegister.GS}) {
                Segmentation.loadDataOrStack(c, seg, selectors[seg]);
            }
        }
        c.mmu.pagingControlsChanged();
        c.requestAttention();
        long eip = image[8];
        if (eip > c.s.cs().limit) {
            throw CpuException.gp(0);
        }
        return eip;
    }

    private static void loadLdt(Cpu c, int selector) {
        if (Segmentation.isNull(selector)) {
            Segmentation.loadNull(c.s.ldtr, selector);
            return;
        }
        Segmentation.Descriptor d = (selector & 4) == 0 ? Segmentation.tryRead(c, selector) : null;
        if (d == null || !d.isSystem() || d.type() != Segmentation.TYPE_LDT) {
            throw CpuException.fault(Vector.TS, selector & 0xFFFC);
        }
        if (!d.present()) {
            throw CpuException.fault(Vector.TS, selector & 0xFFFC);
        }
        c.s.ldtr.load(selector, d.base(), d.limit(), d.attributes());
    }

    /** The new task's CS: a present code segment; CPL becomes its RPL (§7.3 step 11, #TS on errors). */
    private static void loadCodeSegment(Cpu c, int selector) {
        if (Segmentation.isNull(selector)) {
            throw CpuException.fault(Vector.TS, 0);
        }
        Segmentation.Descriptor d = Segmentation.tryRead(c, selector);
        if (d == null || !d.isCode()) {
            throw CpuException.fault(Vector.TS, selector & 0xFFFC);
        }
        int rpl = selector & 3;
        if (d.conforming() ? d.dpl() > rpl : d.dpl() != rpl) {
            throw CpuException.fault(Vector.TS, selector & 0xFFFC);
        }
        if (!d.present()) {
            throw CpuException.fault(Vector.NP, selector & 0xFFFC);
        }
        Segmentation.setAccessed(c, d);
        Segmentation.loadFromDescriptor(c.s.cs(), selector, d);
        // The stack's DPL must follow; SS is loaded next with CPL = RPL of CS.
        c.s.ss().attributes = (c.s.ss().attributes & ~(3 << SegmentRegister.DPL_SHIFT)) | (rpl << SegmentRegister.DPL_SHIFT);
    }
}
