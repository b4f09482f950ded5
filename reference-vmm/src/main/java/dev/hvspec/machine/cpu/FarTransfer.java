package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.mmu.Access;

import static dev.hvspec.machine.cpu.SegmentRegister.SS;

/**
 * Far JMP, CALL and RET (SDM 2 pages "JMP", "CALL", "RET"; SDM 3A §5.8 call gates): real and
 * virtual-8086 mode loads, direct transfers between code segments with the conforming /
 * non-conforming rules, call gates (16, 32 and 64-bit) with the inner-privilege stack switch and
 * parameter copy, returns to outer privilege, and task switches through TSS descriptors or task
 * gates. IRET is in {@link InterruptReturn}.
 */
final class FarTransfer {
    private FarTransfer() {
    }

    /** The selector:offset of a far pointer operand (immediate or m16:16/32/64). */
    private static long[] farPointer(Cpu c, Instruction i) {
        if (i.op1() instanceof Operand.FarPtr p) {
            return new long[] {p.selector(), p.offset()};
        }
        if (!(i.op1() instanceof Operand.Mem m)) {
            throw CpuException.ud(); // FF /3 or /5 with a register operand
        }
        int size = i.operandSize();
        long ea = Operands.effectiveAddress(c, m);
        long offset = c.readMem(m.segment(), ea, size);
        long selector = c.readMem(m.segment(), (ea + size) & Alu.mask(m.addressSize()), 2);
        return new long[] {selector, offset};
    }

    static void jmpf(Cpu c, Instruction i) {
        long[] p = farPointer(c, i);
        transfer(c, i, (int) p[0], p[1], false);
    }

    static void callf(Cpu c, Instruction i) {
        long[] p = farPointer(c, i);
        transfer(c, i, (int) p[0], p[1], true);
    }

    private static void transfer(Cpu c, Instruction i, int selector, long offset, boolean call) {
        int size = i.operandSize();
        offset &= Alu.mask(size);
        if (!c.s.protectedMode() || c.s.v86Mode()) {
            if (offset > c.s.cs().limit) {
                throw CpuException.gp(0);
            }
            if (call) {
                pushPair(c, c.s.cs().selector, c.nextRip, size);
            }
            c.s.cs().loadRealMode(selector);
            c.nextRip = offset;
            return;
        }
        if (Segmentation.isNull(selector)) {
            throw CpuException.gp(0);
        }
        Segmentation.Descriptor d = Segmentation.read(c, selector);
        int cpl = c.cpl();
        int rpl = selector & 3;
        if (d.isCode()) {
            if (d.conforming() ? d.dpl() > cpl : (rpl > cpl || d.dpl() != cpl)) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            if (!d.present()) {
                throw CpuException.fault(Vector.NP, selector & 0xFFFC);
            }
            checkCodeMode(c, d, selector);
            checkOffset(c, d, offset);
            if (call) {
                pushPair(c, c.s.cs().selector, c.nextRip, size);
            }
            Segmentation.setAccessed(c, d);
            Segmentation.loadFromDescriptor(c.s.cs(), (selector & ~3) | cpl, d);
            c.nextRip = offset;
            return;
        }
        int type = d.type();
        if (d.isSystem() && (type == Segmentation.TYPE_CALL_GATE16 || type == Segmentation.TYPE_CALL_GATE32)) {
            throughCallGate(c, d, selector, size, call);
            return;
        }
        if (d.isSystem() && !c.s.longModeActive() && (type == Segmentation.TYPE_TSS32_AVAILABLE
                || type == Segmentation.TYPE_TASK_GATE)) {
            if (d.dpl() < cpl || d.dpl() < rpl) {
                throw CpuException.gp(selector & 0xFFFC);
            }
            if (!d.present()) {
                throw CpuException.fault(Vector.NP, selector & 0xFFFC);
            }
            int tss = type == Segmentation.TYPE_TASK_GATE ? d.gateSelector() : selector;
            c.nextRip = TaskSwitch.switchTo(c, tss, call ? TaskSwitch.Reason.CALL : TaskSwitch.Reason.JMP, c.nextRip, 0);
            return;
        }
        throw CpuException.gp(selector & 0xFFFC);
    }

    /** SDM 3A §5.8.3-5.8.5: JMP/CALL through a call gate, switching stacks on a CALL to an inner level. */
    private static void throughCallGate(Cpu c, Segmentation.Descriptor gate, int gateSelector, int size, boolean call) {
        int cpl = c.cpl();
        if (gate.dpl() < cpl || gate.dpl() < (gateSelector & 3)) {
            throw CpuException.gp(gateSelector & 0xFFFC);
        }
        if (!gate.present()) {
            throw CpuException.fault(Vector.NP, gateSelector & 0xFFFC);
        }
        boolean longGate = c.s.longModeActive();
        long offset = gate.gateOffset();
        if (longGate) {
            long high = Segmentation.readHigh(c, gate);
            if (((high >>> 40) & 0x1F) != 0) {
                throw CpuException.gp(gateSelector & 0xFFFC); // §5.8.3.1: the upper type field must be 0
            }
            offset |= (high & 0xFFFF_FFFFL) << 32;
        } else if (gate.type() == Segmentation.TYPE_CALL_GATE16) {
            offset &= 0xFFFF;
        }
        int targetSelector = gate.gateSelector();
        if (Segmentation.isNull(targetSelector)) {
            throw CpuException.gp(0);
        }
        Segmentation.Descriptor code = Segmentation.read(c, targetSelector);
        if (!code.isCode() || code.dpl() > cpl) {
            throw CpuException.gp(targetSelector & 0xFFFC);
        }
        if (!call && (code.conforming() ? false : code.dpl() != cpl)) {
            throw CpuException.gp(targetSelector & 0xFFFC);
        }
        if (!code.present()) {
            throw CpuException.fault(Vector.NP, targetSelector & 0xFFFC);
        }
        if (longGate && (!code.longCode() || code.big())) {
            throw CpuException.gp(targetSelector & 0xFFFC);
        }
        checkOffset(c, code, offset);
        int gateSize = longGate ? 8 : gate.type() == Segmentation.TYPE_CALL_GATE32 ? 4 : 2;
        if (call && !code.conforming() && code.dpl() < cpl) {
            callToInnerLevel(c, gate, code, targetSelector, offset, gateSize);
            return;
        }
        if (call) {
            pushPair(c, c.s.cs().selector, c.nextRip, gateSize);
        }
        Segmentation.setAccessed(c, code);
        Segmentation.loadFromDescriptor(c.s.cs(), (targetSelector & ~3) | cpl, code);
        c.nextRip = offset;
    }

    private static void callToInnerLevel(Cpu c, Segmentation.Descriptor gate, Segmentation.Descriptor code,
                                         int targetSelector, long offset, int gateSize) {
        int newCpl = code.dpl();
        SegmentRegister tr = c.s.tr;
        long newSp;
        int newSs;
        Segmentation.Descriptor ssDesc = null;
        if (gateSize == 8) {
            long at = 4 + 8L * newCpl;
            if (at + 7 > tr.limit) {
                throw CpuException.fault(Vector.TS, tr.selector & 0xFFFC);
            }
            newSp = c.readSystem(tr.base + at, 8);
            newSs = newCpl; // null selector with RPL = new CPL
        } else {
            boolean tss32 = (tr.type() & 8) != 0;
            long at = tss32 ? 4 + 8L * newCpl : 2 + 4L * newCpl;
            int width = tss32 ? 4 : 2;
            if (at + width + 1 > tr.limit) {
                throw CpuException.fault(Vector.TS, tr.selector & 0xFFFC);
            }
            newSp = c.readSystem((tr.base + at) & 0xFFFF_FFFFL, width);
            newSs = (int) c.readSystem((tr.base + at + width) & 0xFFFF_FFFFL, 2);
            ssDesc = Segmentation.isNull(newSs) ? null : Segmentation.tryRead(c, newSs);
            if (ssDesc == null || (newSs & 3) != newCpl || ssDesc.dpl() != newCpl || !ssDesc.isData()
                    || !ssDesc.readableOrWritable()) {
                throw CpuException.fault(Vector.TS, newSs & 0xFFFC);
            }
            if (!ssDesc.present()) {
                throw CpuException.fault(Vector.SS, newSs & 0xFFFC);
            }
        }
        int stackSize = gateSize == 8 ? 8 : ssDesc.big() ? 4 : 2;
        InterruptDelivery.NewStack stack = c.delivery.new NewStack(ssDesc == null ? 0 : ssDesc.base(),
                ssDesc == null ? -1 : ssDesc.limit(), ssDesc == null ? 0 : ssDesc.attributes(), stackSize, newSp,
                Access.SUPERVISOR_WRITE, newSs & 0xFFFC);
        int oldStackSize = c.s.stackAddressSize();
        long oldSp = c.gpr(CpuState.RSP, oldStackSize);
        stack.push(c.s.ss().selector, gateSize);
        stack.push(oldSp, gateSize);
        if (gateSize != 8) {
            // §5.8.5: copy the gate's parameter count of words/doublewords from the caller's stack.
            int count = gate.gateParameterCount();
            for (int k = count - 1; k >= 0; k--) {
                long param = c.readMem(SS, (oldSp + (long) k * gateSize) & Alu.mask(oldStackSize), gateSize);
                stack.push(param, gateSize);
            }
        }
        stack.push(c.s.cs().selector, gateSize);
        stack.push(c.nextRip, gateSize);
        // Commit.
        if (ssDesc != null) {
            Segmentation.setAccessed(c, ssDesc);
            Segmentation.loadFromDescriptor(c.s.ss(), newSs, ssDesc);
        } else {
            Segmentation.loadNull(c.s.ss(), newSs);
            c.s.ss().attributes |= newCpl << SegmentRegister.DPL_SHIFT;
        }
        c.setGpr(CpuState.RSP, stackSize, stack.sp);
        Segmentation.setAccessed(c, code);
        Segmentation.loadFromDescriptor(c.s.cs(), (targetSelector & ~3) | newCpl, code);
        c.nextRip = offset;
    }

    /** RETF [imm16] (SDM 2 RET, far return): same level, or to an outer level popping SS:eSP. */
    static void retf(Cpu c, Instruction i) {
        int size = i.operandSize();
        long release = i.op1() == null ? 0 : Operands.read(c, i.op1(), 2);
        long offset = c.peek(0, size);
        int selector = (int) c.peek(size, size) & 0xFFFF;
        int asize = c.s.stackAddressSize();
        if (!c.s.protectedMode() || c.s.v86Mode()) {
            if (offset > c.s.cs().limit) {
                throw CpuException.gp(0);
            }
            c.setGpr(CpuState.RSP, asize, (c.gpr(CpuState.RSP, asize) + 2L * size + release) & Alu.mask(asize));
            c.s.cs().loadRealMode(selector);
            c.nextRip = offset;
            return;
        }
        int cpl = c.cpl();
        int rpl = selector & 3;
        if (Segmentation.isNull(selector)) {
            throw CpuException.gp(0);
        }
        Segmentation.Descriptor code = Segmentation.read(c, selector);
        if (!code.isCode() || rpl < cpl || (code.conforming() ? code.dpl() > rpl : code.dpl() != rpl)) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if (!code.present()) {
            throw CpuException.fault(Vector.NP, selector & 0xFFFC);
        }
        checkCodeMode(c, code, selector);
        if (rpl == cpl) {
            checkOffset(c, code, offset);
            c.setGpr(CpuState.RSP, asize, (c.gpr(CpuState.RSP, asize) + 2L * size + release) & Alu.mask(asize));
            Segmentation.setAccessed(c, code);
            Segmentation.loadFromDescriptor(c.s.cs(), selector, code);
            c.nextRip = offset;
            return;
        }
        long newSp = c.peek(2L * size + release, size);
        int newSs = (int) c.peek(3L * size + release, size) & 0xFFFF;
        Segmentation.Descriptor ssDesc = checkReturnStack(c, newSs, rpl, code);
        checkOffset(c, code, offset);
        Segmentation.setAccessed(c, code);
        Segmentation.loadFromDescriptor(c.s.cs(), selector, code);
        if (ssDesc == null) {
            Segmentation.loadNull(c.s.ss(), newSs);
            c.s.ss().attributes |= rpl << SegmentRegister.DPL_SHIFT;
        } else {
            Segmentation.setAccessed(c, ssDesc);
            Segmentation.loadFromDescriptor(c.s.ss(), newSs, ssDesc);
        }
        int newAsize = c.s.stackAddressSize();
        c.setGpr(CpuState.RSP, newAsize, (newSp + release) & Alu.mask(newAsize));
        Segmentation.nullInaccessibleDataSegments(c);
        c.nextRip = offset;
    }

    /** Checks the SS popped by a return to an outer level; null (returned as null) only for 64-bit code at RPL < 3. */
    static Segmentation.Descriptor checkReturnStack(Cpu c, int selector, int rpl, Segmentation.Descriptor code) {
        if (Segmentation.isNull(selector)) {
            if (c.s.longModeActive() && code.longCode() && rpl != 3) {
                return null;
            }
            throw CpuException.gp(0);
        }
        Segmentation.Descriptor d = Segmentation.read(c, selector);
        if ((selector & 3) != rpl || d.dpl() != rpl || !d.isData() || !d.readableOrWritable()) {
            throw CpuException.gp(selector & 0xFFFC);
        }
        if (!d.present()) {
            throw CpuException.fault(Vector.SS, selector & 0xFFFC);
        }
        return d;
    }

    /** In IA-32e mode a code segment with L = 1 and D = 1 is reserved (SDM 3A §5.2.1). */
    static void checkCodeMode(Cpu c, Segmentation.Descriptor code, int selector) {
        if (c.s.longModeActive() && code.longCode() && code.big()) {
            throw CpuException.gp(selector & 0xFFFC);
        }
    }

    static void checkOffset(Cpu c, Segmentation.Descriptor code, long offset) {
        boolean to64 = c.s.longModeActive() && code.longCode();
        if (to64 ? !c.isCanonical(offset) : offset > code.limit()) {
            throw CpuException.gp(0);
        }
    }

    /** Pushes CS then the return offset, each {@code size} bytes, atomically. */
    private static void pushPair(Cpu c, long selector, long offset, int size) {
        int asize = c.s.stackAddressSize();
        long sp = c.gpr(CpuState.RSP, asize);
        long first = (sp - size) & Alu.mask(asize);
        long second = (sp - 2L * size) & Alu.mask(asize);
        c.probeWrite(SS, second, size);
        c.writeMem(SS, first, size, selector);
        c.writeMem(SS, second, size, offset);
        c.setGpr(CpuState.RSP, asize, second);
    }
}
