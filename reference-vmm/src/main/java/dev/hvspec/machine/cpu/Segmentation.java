package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;

import static dev.hvspec.machine.cpu.SegmentRegister.DS;
import static dev.hvspec.machine.cpu.SegmentRegister.ES;
import static dev.hvspec.machine.cpu.SegmentRegister.FS;
import static dev.hvspec.machine.cpu.SegmentRegister.GS;
import static dev.hvspec.machine.cpu.SegmentRegister.SS;

/**
 * Segment descriptors and segment-register loads with their protection checks (SDM 3A §3.4-3.5,
 * §5.5-5.8), and the instructions about segments: LDS/LES/LFS/LGS/LSS, LLDT, LTR, ARPL, LAR, LSL,
 * VERR, VERW.
 */
final class Segmentation {
    private Segmentation() {
    }

    // System descriptor types (SDM 3A §3.5, Table 3-2).
    static final int TYPE_LDT = 0x2;
    static final int TYPE_TSS16_AVAILABLE = 0x1;
    static final int TYPE_TSS16_BUSY = 0x3;
    static final int TYPE_CALL_GATE16 = 0x4;
    static final int TYPE_TASK_GATE = 0x5;
    static final int TYPE_INTERRUPT_GATE16 = 0x6;
    static final int TYPE_TRAP_GATE16 = 0x7;
    static final int TYPE_TSS32_AVAILABLE = 0x9;
    static final int TYPE_TSS32_BUSY = 0xB;
    static final int TYPE_CALL_GATE32 = 0xC;
    static final int TYPE_INTERRUPT_GATE32 = 0xE;
    static final int TYPE_TRAP_GATE32 = 0xF;

    /** An 8-byte descriptor as read from the GDT or LDT, with where it was read from. */
    record Descriptor(long raw, long tableLinear, int selector) {
        long base() {
            return ((raw >>> 16) & 0xFF_FFFFL) | ((raw >>> 32) & 0xFF00_0000L);
        }

        long limit() {
            long limit = (raw & 0xFFFF) | ((raw >>> 32) & 0xF_0000L);
            return (raw & (1L << 55)) != 0 ? (limit << 12) | 0xFFF : limit;
        }

        /** The attribute word in {@link SegmentRegister} layout (descriptor bits 40-47 and 52-55). */
        int attributes() {
            return (int) ((raw >>> 40) & 0xF0FF);
        }

        int type() {
            return (int) (raw >>> 40) & 0xF;
        }

        boolean isSystem() {
            return (raw & (1L << 44)) == 0;
        }

        boolean isCode() {
            return !isSystem() && (type() & 8) != 0;
        }

        boolean isData() {
            return !isSystem() && (type() & 8) == 0;
        }

        boolean conforming() {
            return isCode() && (type() & 4) != 0;
        }

        boolean readableOrWritable() {
            return (type() & 2) != 0;
        }

        int dpl() {
            return (int) (raw >>> 45) & 3;
        }

        boolean present() {
            return (raw & (1L << 47)) != 0;
        }

        boolean longCode() {
            return (raw & (1L << 53)) != 0;
        }

        boolean big() {
            return (raw & (1L << 54)) != 0;
        }

        /** Gate fields (call, interrupt, trap, task gates). */
        int gateSelector() {
            return (int) (raw >>> 16) & 0xFFFF;
        }

        long gateOffset() {
            return (raw & 0xFFFF) | ((raw >>> 32) & 0xFFFF_0000L);
        }

        int gateParameterCount() {
            return (int) (raw >>> 32) & 0x1F;
        }
    }

    static boolean isNull(int selector) {
        return (selector & 0xFFFC) == 0;
    }

    /**
     * Reads the descriptor a selector names from the GDT (TI = 0) or LDT (TI = 1). A selector
     * beyond the table limit, or TI = 1 with no usable LDT, raises #GP(selector) — callers that
     * need another vector use {@link #tryRead}.
     */
    static Descriptor read(Cpu c, int selector) {
        Descriptor d = tryRead(c, selector);
        if (d == null) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        return d;
    }

    /** The descriptor, or null if the selector lies outside its table. */
    static Descriptor tryRead(Cpu c, int selector) {
        long base;
        long limit;
        if ((selector & 4) != 0) {
            if (c.s.ldtr.unusable() || isNull(c.s.ldtr.selector)) {
                return null;
            }
            base = c.s.ldtr.base;
            limit = c.s.ldtr.limit;
        } else {
            base = c.s.gdtr.base;
            limit = c.s.gdtr.limit;
        }
        long offset = selector & 0xFFF8L;
        if (offset + 7 > limit) {
            return null;
        }
        long linear = c.s.mode64() || c.s.longModeActive() ? base + offset : (base + offset) & 0xFFFF_FFFFL;
        return new Descriptor(c.readSystem(linear, 8), linear, selector);
    }

    /** The upper 8 bytes of a 16-byte system descriptor in IA-32e mode (SDM 3A §3.5, Figure 7-4). */
    static long readHigh(Cpu c, Descriptor d) {
        long limit = (d.selector() & 4) != 0 ? c.s.ldtr.limit : c.s.gdtr.limit;
        if ((d.selector() & 0xFFF8L) + 15 > limit) {
            throw CpuException.gp(d.selector() & 0xFFFC);
        }
        return c.readSystem(d.tableLinear() + 8, 8);
    }

    /** Sets the accessed bit of a code or data descriptor in memory (SDM 3A §3.4.5.1). */
    static void setAccessed(Cpu c, Descriptor d) {
        if (!d.isSystem() && (d.raw() & (1L << 40)) == 0) {
            c.writeSystem(d.tableLinear() + 5, 1, (d.raw() >>> 40 | 1) & 0xFF);
        }
    }

    static void loadFromDescriptor(SegmentRegister sr, int selector, Descriptor d) {
        sr.load(selector, d.base(), d.limit(), d.attributes() | SegmentRegister.TYPE_ACCESSED);
    }

    /** A null selector in a data-segment register: the register becomes unusable (SDM 3A §3.4.2). */
    static void loadNull(SegmentRegister sr, int selector) {
        sr.selector = selector & 0xFFFF;
        sr.attributes = SegmentRegister.UNUSABLE;
        // Base is kept: FS/GS bases are written through MSRs in 64-bit mode after null loads.
    }

    /** MOV/POP/Lxx to DS, ES, FS, GS or SS (SDM 2 MOV "Operation", protected-mode checks). */
    static void loadDataOrStack(Cpu c, int seg, int selector) {
        SegmentRegister sr = c.s.seg[seg];
        if (!c.s.protectedMode() || c.s.v86Mode()) {
            sr.loadRealMode(selector);
            if (c.s.v86Mode()) {
                sr.limit = 0xFFFF;
                sr.attributes = SegmentRegister.P | SegmentRegister.S | (3 << SegmentRegister.DPL_SHIFT)
                        | SegmentRegister.TYPE_WRITABLE_OR_READABLE | SegmentRegister.TYPE_ACCESSED;
            }
            return;
        }
        int cpl = c.cpl();
        int rpl = selector & 3;
        if (seg == SS) {
            if (isNull(selector)) {
                // SDM 3A §5.4.1.1 / MOV: a null SS is allowed only in 64-bit mode at CPL < 3 with RPL = CPL.
                if (c.s.mode64() && cpl != 3 && rpl == cpl) {
                    loadNull(sr, selector);
                    sr.attributes |= cpl << SegmentRegister.DPL_SHIFT;
                    return;
                }
                throw CpuException.gp(0);
            }
            Descriptor d = read(c, selector);
            if (rpl != cpl || !d.isData() || !d.readableOrWritable() || d.dpl() != cpl) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            if (!d.present()) {
                throw CpuException.fault(Vector.SS, selector & 0xFFFC);
            }
            setAccessed(c, d);
            loadFromDescriptor(sr, selector, d);
            return;
        }
        if (isNull(selector)) {
            loadNull(sr, selector);
            return;
        }
        Descriptor d = read(c, selector);
        if (d.isSystem() || (d.isCode() && !d.readableOrWritable())) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if ((d.isData() || !d.conforming()) && (rpl > d.dpl() || cpl > d.dpl())) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if (!d.present()) {
            throw CpuException.fault(Vector.NP, selector & 0xFFFC);
        }
        setAccessed(c, d);
        loadFromDescriptor(sr, selector, d);
    }

    /**
     * After a return to an outer privilege level, data-segment registers the new CPL may not use
     * are nulled (SDM 2 RET/IRET: "FOR each of segment register (ES, FS, GS, and DS)").
     */
    static void nullInaccessibleDataSegments(Cpu c) {
        int cpl = c.cpl();
        for (int seg : new int[] {ES, DS, FS, GS}) {
            SegmentRegister sr = c.s.seg[seg];
            boolean dataOrNonConformingCode = !sr.isCode()
                    || (sr.attributes & SegmentRegister.TYPE_EXPAND_DOWN_OR_CONFORMING) == 0;
            if (!sr.unusable() && dataOrNonConformingCode && sr.dpl() < cpl) {
                loadNull(sr, 0);
            }
        }
    }

    /** LDS/LES/LFS/LGS/LSS r, m16:16/32/64: the segment is loaded first, then the register. */
    static void loadFarPointer(Cpu c, Instruction i) {
        if (!(i.op2() instanceof Operand.Mem m)) {
            throw CpuException.ud();
        }
        int size = i.operandSize();
        long ea = Operands.effectiveAddress(c, m);
        long offset = c.readMem(m.segment(), ea, size);
        int selector = (int) c.readMem(m.segment(), (ea + size) & Alu.mask(m.addressSize()), 2);
        int seg = switch (i.mnemonic()) {
            case LDS -> DS;
            case LES -> ES;
            case LFS -> FS;
            case LGS -> GS;
            default -> SS;
        };
        loadDataOrStack(c, seg, selector);
        Operands.write(c, i.op1(), size, offset);
    }

    private static void requireProtectedMode(Cpu c) {
        if (!c.s.protectedMode() || c.s.v86Mode()) {
            throw CpuException.ud();
        }
    }

    /** LLDT r/m16 (SDM 2 LLDT): CPL 0; null selector makes LDTR unusable; else an LDT descriptor in the GDT. */
    static void lldt(Cpu c, Instruction i) {
        requireProtectedMode(c);
        SystemInstructions.requireCpl0(c);
        int selector = (int) Operands.read(c, i.op1(), 2);
        if (isNull(selector)) {
            loadNull(c.s.ldtr, selector);
            return;
        }
        if ((selector & 4) != 0) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        Descriptor d = read(c, selector);
        if (!d.isSystem() || d.type() != TYPE_LDT) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if (!d.present()) {
            throw CpuException.fault(Vector.NP, selector & 0xFFFC);
        }
        long base = d.base();
        if (c.s.longModeActive()) {
            long high = readHigh(c, d);
            base |= (high & 0xFFFF_FFFFL) << 32;
        }
        c.s.ldtr.load(selector, base, d.limit(), d.attributes());
    }

    /** LTR r/m16 (SDM 2 LTR): an available TSS in the GDT, which becomes busy. */
    static void ltr(Cpu c, Instruction i) {
        requireProtectedMode(c);
        SystemInstructions.requireCpl0(c);
        int selector = (int) Operands.read(c, i.op1(), 2);
        if (isNull(selector)) {
            throw CpuException.gp(0);
        }
        if ((selector & 4) != 0) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        Descriptor d = read(c, selector);
        boolean available = d.isSystem() && (d.type() == TYPE_TSS32_AVAILABLE
                || (!c.s.longModeActive() && d.type() == TYPE_TSS16_AVAILABLE));
        if (!available) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if (!d.present()) {
            throw CpuException.fault(Vector.NP, selector & 0xFFFC);
        }
        long base = d.base();
        if (c.s.longModeActive()) {
            base |= (readHigh(c, d) & 0xFFFF_FFFFL) << 32;
        }
        c.writeSystem(d.tableLinear() + 5, 1, ((d.raw() >>> 40) | 2) & 0xFF); // mark busy
        c.s.tr.load(selector, base, d.limit(), d.attributes() | 2);
    }

    /** ARPL r/m16, r16: raise the destination's RPL to the source's, ZF = changed. */
    static void arpl(Cpu c, Instruction i) {
        requireProtectedMode(c);
        long dest = Operands.read(c, i.op1(), 2);
        long src = Operands.read(c, i.op2(), 2);
        if ((dest & 3) < (src & 3)) {
            Operands.write(c, i.op1(), 2, (dest & ~3) | (src & 3));
            c.s.rflags |= Rflags.ZF;
        } else {
            c.s.rflags &= ~Rflags.ZF;
        }
    }

    /** Whether LAR/LSL/VERR/VERW may see the descriptor (SDM 2 LAR: privilege and type rules). */
    private static boolean visible(Cpu c, Descriptor d, int selector, boolean lsl) {
        if (d.isSystem()) {
            int t = d.type();
            boolean ok = c.s.longModeActive()
                    ? t == TYPE_LDT || t == TYPE_TSS32_AVAILABLE || t == TYPE_TSS32_BUSY || (!lsl && t == TYPE_CALL_GATE32)
                    : t == TYPE_TSS16_AVAILABLE || t == TYPE_LDT || t == TYPE_TSS16_BUSY || t == TYPE_TSS32_AVAILABLE
                    || t == TYPE_TSS32_BUSY || (!lsl && (t == TYPE_CALL_GATE16 || t == TYPE_TASK_GATE || t == TYPE_CALL_GATE32));
            if (!ok) {
                return false;
            }
        }
        if (d.conforming()) {
            return true;
        }
        return d.dpl() >= c.cpl() && d.dpl() >= (selector & 3);
    }

    /** LAR / LSL: access rights or limit into the destination, ZF = success. */
    static void larLsl(Cpu c, Instruction i) {
        requireProtectedMode(c);
        int selector = (int) Operands.read(c, i.op2(), 2);
        Descriptor d = isNull(selector) ? null : tryRead(c, selector);
        boolean lsl = i.mnemonic() == Mnemonic.LSL;
        if (d == null || !visible(c, d, selector, lsl)) {
            c.s.rflags &= ~Rflags.ZF;
            return;
        }
        long value = lsl ? d.limit() : (d.raw() >>> 32) & 0x00F0_FF00L;
        Operands.write(c, i.op1(), i.op1().size(), value);
        c.s.rflags |= Rflags.ZF;
    }

    /** VERR / VERW: ZF = the segment is readable / writable at the current privilege. */
    static void verify(Cpu c, Instruction i) {
        requireProtectedMode(c);
        int selector = (int) Operands.read(c, i.op1(), 2);
        Descriptor d = isNull(selector) ? null : tryRead(c, selector);
        boolean ok = d != null && !d.isSystem() && (d.conforming() || (d.dpl() >= c.cpl() && d.dpl() >= (selector & 3)));
        if (ok) {
            ok = i.mnemonic() == Mnemonic.VERR ? (d.isData() || d.readableOrWritable())
                    : d.isData() && d.readableOrWritable();
        }
        c.s.rflags = ok ? c.s.rflags | Rflags.ZF : c.s.rflags & ~Rflags.ZF;
    }
}
