package dev.hvspec.machine.cpu;

import dev.hvspec.machine.mmu.Access;

import static dev.hvspec.machine.cpu.SegmentRegister.CS;
import static dev.hvspec.machine.cpu.SegmentRegister.DS;
import static dev.hvspec.machine.cpu.SegmentRegister.ES;
import static dev.hvspec.machine.cpu.SegmentRegister.FS;
import static dev.hvspec.machine.cpu.SegmentRegister.GS;
import static dev.hvspec.machine.cpu.SegmentRegister.SS;

/**
 * Delivery of exceptions and interrupts: through the IVT in real mode (SDM 3A §20.1.4), through
 * 8-byte IDT gates in protected mode (§6.10-6.12) and 16-byte gates in IA-32e mode (§6.14),
 * with the privilege-level stack switch from the TSS, IST stacks, virtual-8086 exits, and the
 * double-fault / triple-fault rules of §6.15 (Table 6-5).
 *
 * <p>Every check and every stack write happens before any register changes, so a fault during
 * delivery leaves the state as it was and is then classified against the first event.
 */
final class InterruptDelivery {
    /** Where an event comes from; decides EXT in error codes, the gate-DPL check and the return address. */
    enum Source {
        EXTERNAL, NMI, EXCEPTION, TRAP,
        /** INT n: gate DPL checked, EXT = 0. */
        SOFTWARE,
        /** INT3, INTO: gate DPL checked, EXT = 0. */
        SOFTWARE_EXCEPTION,
        /** INT1 (ICEBP): delivered like a hardware #DB, no gate DPL check. */
        PRIVILEGED_SOFTWARE;

        boolean checksGateDpl() {
            return this == SOFTWARE || this == SOFTWARE_EXCEPTION;
        }

        int ext() {
            return this == SOFTWARE || this == SOFTWARE_EXCEPTION ? 0 : 1;
        }
    }

    /** Shutdown: an exception while delivering #DF. */
    static final class TripleFault extends RuntimeException {
        TripleFault() {
            super("triple fault", null, false, false);
        }
    }

    private final Cpu c;

    InterruptDelivery(Cpu c) {
        this.c = c;
    }

    /** A fault or abort raised by the instruction at RIP (RIP is still that instruction). */
    void deliverException(CpuException e) {
        deliver(e.vector(), e.errorCode(), Source.EXCEPTION, c.s.rip, e.faultAddress(), 0);
    }

    /** An event at an instruction boundary: external interrupt, NMI, or a trap after an instruction. */
    void deliverEvent(int vector, int errorCode, Source source, long returnRip) {
        deliver(vector, errorCode, source, returnRip, 0, 0);
    }

    /**
     * INT n / INT3 / INTO / INT1 executed as an instruction: the return address is the next
     * instruction; a fault during delivery is a fault of the instruction itself.
     */
    void softwareInterrupt(int vector, Source source) {
        if (source == Source.SOFTWARE && c.s.v86Mode() && Rflags.iopl(c.s.rflags) < 3) {
            throw CpuException.gp(0); // SDM 3A §20.3.3: INT n in V86 mode with IOPL < 3 (no VME)
        }
        c.nextRip = dispatch(vector, CpuException.NO_ERROR_CODE, source, c.nextRip);
    }

    private void deliver(int vector, int errorCode, Source source, long returnRip, long cr2, int depth) {
        if (depth > 4) {
            throw new TripleFault();
        }
        if (vector == Vector.PF) {
            c.s.cr2 = cr2; // SDM 3A §4.7: CR2 receives the faulting linear address
        }
        try {
            c.s.rip = dispatch(vector, errorCode, source, returnRip);
        } catch (CpuException second) {
            if (vector == Vector.DF) {
                throw new TripleFault(); // §6.15 "Interrupt 8": a fault while delivering #DF → shutdown
            }
            int next = second.vector();
            boolean doubleFault = (Vector.isContributory(vector) && Vector.isContributory(next))
                    || (vector == Vector.PF && (Vector.isContributory(next) || next == Vector.PF));
            if (doubleFault) {
                deliver(Vector.DF, 0, Source.EXCEPTION, returnRip, 0, depth + 1);
            } else {
                c.s.rflags |= Rflags.RF; // SDM 3B §17.3.1.1: a fault-class exception pushes RF = 1
                deliver(next, second.errorCode(), Source.EXCEPTION, returnRip, second.faultAddress(), depth + 1);
            }
        }
    }

    /** Performs the delivery and returns the handler's RIP; commits state only on success. */
    private long dispatch(int vector, int errorCode, Source source, long returnRip) {
        boolean pushError = errorCode != CpuException.NO_ERROR_CODE && c.s.protectedMode();
        if (!c.s.protectedMode()) {
            return dispatchReal(vector, returnRip);
        }
        if (c.s.longModeActive()) {
            return dispatchLong(vector, errorCode, pushError, source, returnRip);
        }
        return dispatchProtected(vector, errorCode, pushError, source, returnRip);
    }

    /** Real mode: FLAGS, CS, IP pushed; CS:IP from the 4-byte IVT entry (SDM 3A §20.1.4). */
    private long dispatchReal(int vector, long returnRip) {
        long entry = vector * 4L;
        if (entry + 3 > c.s.idtr.limit) {
            throw CpuException.gp(0);
        }
        long ivt = c.readSystem((c.s.idtr.base + entry) & 0xFFFF_FFFFL, 4);
        SegmentRegister ss = c.s.ss();
        long sp = c.gpr(CpuState.RSP, c.s.stackAddressSize());
        NewStack stack = new NewStack(ss.base, ss.limit, ss.attributes, c.s.stackAddressSize(), sp,
                Access.SUPERVISOR_WRITE, 0);
        stack.push(c.s.rflags & 0xFFFF, 2);
        stack.push(c.s.cs().selector, 2);
        stack.push(returnRip & 0xFFFF, 2);
        c.setGpr(CpuState.RSP, c.s.stackAddressSize(), stack.sp);
        c.s.rflags &= ~(Rflags.IF | Rflags.TF | Rflags.AC | Rflags.RF);
        c.s.cs().loadRealMode((int) (ivt >>> 16));
        c.requestAttention();
        return ivt & 0xFFFF;
    }

    /** Protected mode through an 8-byte IDT gate (SDM 3A §6.12.1, §6.12.2). */
    private long dispatchProtected(int vector, int errorCode, boolean pushError, Source source, long returnRip) {
        int ext = source.ext();
        int idtError = vector * 8 + 2 + ext;
        if (vector * 8L + 7 > c.s.idtr.limit) {
            throw CpuException.gp(idtError);
        }
        long gate = c.readSystem((c.s.idtr.base + vector * 8L) & 0xFFFF_FFFFL, 8);
        Segmentation.Descriptor g = new Segmentation.Descriptor(gate, 0, 0);
        int type = g.type();
        boolean interruptGate = type == Segmentation.TYPE_INTERRUPT_GATE16 || type == Segmentation.TYPE_INTERRUPT_GATE32;
        boolean trapGate = type == Segmentation.TYPE_TRAP_GATE16 || type == Segmentation.TYPE_TRAP_GATE32;
        if (!g.isSystem() || !(interruptGate || trapGate || type == Segmentation.TYPE_TASK_GATE)) {
            throw CpuException.gp(idtError);
        }
        if (source.checksGateDpl() && g.dpl() < c.cpl()) {
            throw CpuException.gp(vector * 8 + 2);
        }
        if (!g.present()) {
            throw CpuException.fault(Vector.NP, idtError);
        }
        if (type == Segmentation.TYPE_TASK_GATE) {
            return TaskSwitch.throughGate(c, g.gateSelector(), ext, errorCode, pushError, returnRip);
        }
        boolean gate32 = (type & 8) != 0;
        int size = gate32 ? 4 : 2;
        int selector = g.gateSelector();
        long offset = gate32 ? g.gateOffset() : g.gateOffset() & 0xFFFF;
        Segmentation.Descriptor code = targetCode(selector, ext);
        int cpl = c.cpl();
        boolean v86 = c.s.v86Mode();
        long flags = c.s.rflags;
        if (!code.conforming() && code.dpl() < cpl) {
            // Inter-privilege-level interrupt: switch to the stack of the new level from the TSS.
            int newCpl = code.dpl();
            if (v86 && newCpl != 0) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            int[] ssSp = legacyTssStack(newCpl, ext);
            int newSsSelector = ssSp[0];
            Segmentation.Descriptor ssDesc = checkNewStack(newSsSelector, newCpl, ext);
            NewStack stack = new NewStack(ssDesc.base(), ssDesc.limit(), ssDesc.attributes(), ssDesc.big() ? 4 : 2,
                    Integer.toUnsignedLong(ssSp[1]), Access.SUPERVISOR_WRITE, (newSsSelector & 0xFFFC) + ext);
            if (v86) {
                stack.push(c.s.seg[GS].selector, size);
                stack.push(c.s.seg[FS].selector, size);
                stack.push(c.s.seg[DS].selector, size);
                stack.push(c.s.seg[ES].selector, size);
            }
            stack.push(c.s.ss().selector, size);
            stack.push(c.gpr(CpuState.RSP, 4), size);
            stack.push(flags, size);
            stack.push(c.s.cs().selector, size);
            stack.push(returnRip, size);
            if (pushError) {
                stack.push(errorCode, size);
            }
            checkOffset(code, offset);
            // Commit.
            if (v86) {
                for (int seg : new int[] {GS, FS, DS, ES}) {
                    Segmentation.loadNull(c.s.seg[seg], 0);
                }
            }
            Segmentation.setAccessed(c, ssDesc);
            Segmentation.loadFromDescriptor(c.s.ss(), (newSsSelector & ~3) | newCpl, ssDesc);
            c.setGpr(CpuState.RSP, ssDesc.big() ? 4 : 2, stack.sp);
            loadCode(code, selector, newCpl);
        } else if (code.conforming() || code.dpl() == cpl) {
            if (v86) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            SegmentRegister ss = c.s.ss();
            NewStack stack = new NewStack(ss.base, ss.limit, ss.attributes, c.s.stackAddressSize(),
                    c.gpr(CpuState.RSP, c.s.stackAddressSize()), cpl == 3 ? Access.USER_WRITE : Access.SUPERVISOR_WRITE, ext);
            stack.push(flags, size);
            stack.push(c.s.cs().selector, size);
            stack.push(returnRip, size);
            if (pushError) {
                stack.push(errorCode, size);
            }
            checkOffset(code, offset);
            c.setGpr(CpuState.RSP, c.s.stackAddressSize(), stack.sp);
            loadCode(code, selector, cpl);
        } else {
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        c.s.rflags &= ~(Rflags.TF | Rflags.VM | Rflags.RF | Rflags.NT);
        if (interruptGate) {
            c.s.rflags &= ~Rflags.IF;
        }
        c.requestAttention();
        return offset;
    }

    /** IA-32e mode through a 16-byte gate: 64-bit code only, IST, 16-byte aligned frame of five quadwords (§6.14). */
    private long dispatchLong(int vector, int errorCode, boolean pushError, Source source, long returnRip) {
        int ext = source.ext();
        int idtError = vector * 8 + 2 + ext;
        if (vector * 16L + 15 > c.s.idtr.limit) {
            throw CpuException.gp(idtError);
        }
        long low = c.readSystem(c.s.idtr.base + vector * 16L, 8);
        long high = c.readSystem(c.s.idtr.base + vector * 16L + 8, 8);
        Segmentation.Descriptor g = new Segmentation.Descriptor(low, 0, 0);
        int type = g.type();
        if (!g.isSystem() || (type != Segmentation.TYPE_INTERRUPT_GATE32 && type != Segmentation.TYPE_TRAP_GATE32)) {
            throw CpuException.gp(idtError);
        }
        if (source.checksGateDpl() && g.dpl() < c.cpl()) {
            throw CpuException.gp(vector * 8 + 2);
        }
        if (!g.present()) {
            throw CpuException.fault(Vector.NP, idtError);
        }
        int selector = g.gateSelector();
        long offset = g.gateOffset() | (high << 32);
        int ist = (int) (low >>> 32) & 7;
        Segmentation.Descriptor code = targetCode(selector, ext);
        if (!code.longCode() || code.big()) {
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        int cpl = c.cpl();
        int newCpl = code.conforming() ? cpl : code.dpl();
        if (!code.conforming() && code.dpl() > cpl) {
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        if (c.s.v86Mode()) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        long rsp;
        if (ist != 0) {
            rsp = readTss64(0x1C + 8 * ist, ext);
        } else if (newCpl < cpl) {
            rsp = readTss64(4 + 8 * newCpl, ext);
        } else {
            rsp = c.s.gpr[CpuState.RSP];
        }
        rsp &= ~0xFL; // SDM 3A §6.14.2: the new RSP is aligned to 16 bytes
        NewStack stack = new NewStack(0, -1, 0, 8, rsp, newCpl == 3 ? Access.USER_WRITE : Access.SUPERVISOR_WRITE, ext);
        stack.push(c.s.ss().selector, 8);
        stack.push(c.s.gpr[CpuState.RSP], 8);
        stack.push(c.s.rflags, 8);
        stack.push(c.s.cs().selector, 8);
        stack.push(returnRip, 8);
        if (pushError) {
            stack.push(errorCode, 8);
        }
        if (!c.isCanonical(offset)) {
            throw CpuException.gp(ext);
        }
        if (newCpl < cpl) {
            // §6.14.4: on a privilege change SS is loaded with a null selector whose RPL is the new CPL.
            Segmentation.loadNull(c.s.ss(), newCpl);
            c.s.ss().attributes |= newCpl << SegmentRegister.DPL_SHIFT;
        }
        c.s.gpr[CpuState.RSP] = stack.sp;
        loadCode(code, selector, newCpl);
        c.s.rflags &= ~(Rflags.TF | Rflags.VM | Rflags.RF | Rflags.NT);
        if (type == Segmentation.TYPE_INTERRUPT_GATE32) {
            c.s.rflags &= ~Rflags.IF;
        }
        c.requestAttention();
        return offset;
    }

    /** The code segment a gate names: present, code, DPL ≤ CPL (§6.12.1.1). */
    private Segmentation.Descriptor targetCode(int selector, int ext) {
        if (Segmentation.isNull(selector)) {
            throw CpuException.gp(ext);
        }
        Segmentation.Descriptor code = Segmentation.tryRead(c, selector);
        if (code == null || !code.isCode() || code.dpl() > c.cpl()) {
            throw CpuException.gp((selector & 0xFFFC) + ext);
        }
        if (!code.present()) {
            throw CpuException.fault(Vector.NP, (selector & 0xFFFC) + ext);
        }
        return code;
    }

    private void checkOffset(Segmentation.Descriptor code, long offset) {
        if (offset > code.limit()) {
            throw CpuException.gp(0);
        }
    }

    private void loadCode(Segmentation.Descriptor code, int selector, int cpl) {
        Segmentation.setAccessed(c, code);
        Segmentation.loadFromDescriptor(c.s.cs(), (selector & ~3) | cpl, code);
    }

    /** SS and ESP for privilege level {@code level} from a 16- or 32-bit TSS (SDM 3A §7.2.1, §7.6). */
    private int[] legacyTssStack(int level, int ext) {
        SegmentRegister tr = c.s.tr;
        boolean tss32 = (tr.type() & 8) != 0;
        long espOffset = tss32 ? 4 + 8L * level : 2 + 4L * level;
        int width = tss32 ? 4 : 2;
        if (espOffset + width + 2 - 1 > tr.limit) {
            throw CpuException.fault(Vector.TS, (tr.selector & 0xFFFC) + ext);
        }
        long sp = c.readSystem((tr.base + espOffset) & 0xFFFF_FFFFL, width);
        long ss = c.readSystem((tr.base + espOffset + width) & 0xFFFF_FFFFL, 2);
        return new int[] {(int) ss, (int) sp};
    }

    private long readTss64(long offset, int ext) {
        SegmentRegister tr = c.s.tr;
        if (offset + 7 > tr.limit) {
            throw CpuException.fault(Vector.TS, (tr.selector & 0xFFFC) + ext);
        }
        long value = c.readSystem(tr.base + offset, 8);
        if (!c.isCanonical(value)) {
            throw CpuException.fault(Vector.SS, ext);
        }
        return value;
    }

    /** §6.12.1.1 checks on the SS from the TSS: #TS for selector/type/privilege, #SS for not present. */
    private Segmentation.Descriptor checkNewStack(int selector, int newCpl, int ext) {
        if (Segmentation.isNull(selector)) {
            throw CpuException.fault(Vector.TS, ext);
        }
        Segmentation.Descriptor d = Segmentation.tryRead(c, selector);
        if (d == null || (selector & 3) != newCpl || d.dpl() != newCpl || !d.isData() || !d.readableOrWritable()) {
            throw CpuException.fault(Vector.TS, (selector & 0xFFFC) + ext);
        }
        if (!d.present()) {
            throw CpuException.fault(Vector.SS, (selector & 0xFFFC) + ext);
        }
        return d;
    }

    /** A stack being built during delivery: pushes are checked and written, the pointer committed later. */
    final class NewStack {
        private final long base;
        private final long limit;
        private final int attributes;
        private final int addressSize;
        private final int kind;
        private final int errorCode;
        long sp;

        NewStack(long base, long limit, int attributes, int addressSize, long sp, int kind, int errorCode) {
            this.base = base;
            this.limit = limit;
            this.attributes = attributes;
            this.addressSize = addressSize;
            this.sp = sp & Alu.mask(addressSize);
            this.kind = kind;
            this.errorCode = errorCode;
        }

        void push(long value, int size) {
            sp = (sp - size) & Alu.mask(addressSize);
            long linear;
            if (addressSize == 8) {
                if (!c.isCanonical(sp)) {
                    throw CpuException.fault(Vector.SS, errorCode);
                }
                linear = sp;
            } else {
                boolean expandDown = (attributes & SegmentRegister.S) != 0 && (attributes & SegmentRegister.TYPE_CODE) == 0
                        && (attributes & SegmentRegister.TYPE_EXPAND_DOWN_OR_CONFORMING) != 0;
                long last = sp + size - 1;
                boolean ok = expandDown
                        ? sp > limit && last <= ((attributes & SegmentRegister.DB) != 0 ? 0xFFFF_FFFFL : 0xFFFF)
                        : last <= limit;
                if (!ok) {
                    throw CpuException.fault(Vector.SS, errorCode);
                }
                linear = (base + sp) & 0xFFFF_FFFFL;
            }
            c.mmu.write(linear, size, value, kind);
        }
    }
}
