package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;

import static dev.hvspec.machine.cpu.CpuState.RAX;
import static dev.hvspec.machine.cpu.CpuState.RCX;
import static dev.hvspec.machine.cpu.CpuState.RDI;
import static dev.hvspec.machine.cpu.CpuState.RDX;
import static dev.hvspec.machine.cpu.CpuState.RSI;

/** IN, OUT, INS, OUTS (SDM 1 §18.2-18.5) with the I/O privilege level and the TSS I/O permission bitmap. */
final class InputOutput {
    private InputOutput() {
    }

    /**
     * SDM 1 §18.5.1-18.5.2: in protected mode with CPL > IOPL, or in virtual-8086 mode, every
     * port of the access must have a clear bit in the I/O permission bitmap of a 32-bit TSS.
     */
    static void checkPermission(Cpu c, int port, int size) {
        if (!c.s.protectedMode()) {
            return;
        }
        if (!c.s.v86Mode() && c.cpl() <= Rflags.iopl(c.s.rflags)) {
            return;
        }
        SegmentRegister tr = c.s.tr;
        boolean tss32 = tr.type() == Segmentation.TYPE_TSS32_AVAILABLE || tr.type() == Segmentation.TYPE_TSS32_BUSY;
        if (!tss32 || tr.limit < 0x67) {
            throw CpuException.gp(0);
        }
        long bitmap = c.readSystem(c.s.longModeActive() ? tr.base + 0x66 : (tr.base + 0x66) & 0xFFFF_FFFFL, 2);
        long byteOffset = bitmap + (port >>> 3);
        if (byteOffset + 1 > tr.limit) {
            throw CpuException.gp(0);
        }
        long linear = c.s.longModeActive() ? tr.base + byteOffset : (tr.base + byteOffset) & 0xFFFF_FFFFL;
        long bits = c.readSystem(linear, 2);
        long mask = ((1L << size) - 1) << (port & 7);
        if ((bits & mask) != 0) {
            throw CpuException.gp(0);
        }
    }

    private static int port(Cpu c, Operand op) {
        return op instanceof Operand.Imm imm ? (int) (imm.value() & 0xFF) : (int) (c.s.gpr[RDX] & 0xFFFF);
    }

    /**
     * How long a port access keeps the processor: an ISA I/O bus cycle, about 1 µs (an 8-bit I/O
     * cycle is 6 clocks of the 8.33 MHz ISA bus, plus the bridge). PC software counts on it:
     * Linux's io_delay writes port 0x80 as a 1-µs delay, and its quick PIT calibration reads the
     * 8254 once "to delay for a microsecond" before the new count is loaded on the next 838-ns CLK.
     * Charged once the access has been performed, so a device sees the time before the cycle.
     */
    public static final long IO_CYCLE_NANOS = 1000;

    static void in(Cpu c, Instruction i) {
        int size = i.op1().size();
        int port = port(c, i.op2());
        checkPermission(c, port, size);
        int value = c.bus.ioRead(port, size);
        c.ioNanos += IO_CYCLE_NANOS;
        c.setGpr(RAX, size, Integer.toUnsignedLong(value) & Alu.mask(size));
    }

    static void out(Cpu c, Instruction i) {
        int size = i.op2().size();
        int port = port(c, i.op1());
        checkPermission(c, port, size);
        c.bus.ioWrite(port, size, (int) c.gpr(RAX, size));
        c.ioNanos += IO_CYCLE_NANOS;
    }

    /** INS/OUTS, optionally repeated; each iteration commits, exits stop the repetition. */
    static void string(Cpu c, Instruction i) {
        int size = i.operandSize();
        int asize = i.addressSize();
        int port = (int) (c.s.gpr[RDX] & 0xFFFF);
        checkPermission(c, port, size);
        boolean repeated = Strings.repeated(i);
        for (int n = 0; ; n++) {
            if (repeated && c.gpr(RCX, asize) == 0) {
                return;
            }
            long delta = Strings.step(c, size);
            if (i.mnemonic() == Mnemonic.INS) {
                long di = c.gpr(RDI, asize);
                c.probeWrite(SegmentRegister.ES, di, size);
                int value = c.bus.ioRead(port, size);
                c.ioNanos += IO_CYCLE_NANOS;
                c.writeMem(SegmentRegister.ES, di, size, value);
                c.setGpr(RDI, asize, (di + delta) & Alu.mask(asize));
            } else {
                int seg = i.segmentOverride() >= 0 ? i.segmentOverride() : SegmentRegister.DS;
                long si = c.gpr(RSI, asize);
                long value = c.readMem(seg, si, size);
                c.bus.ioWrite(port, size, (int) value);
                c.ioNanos += IO_CYCLE_NANOS;
                c.setGpr(RSI, asize, (si + delta) & Alu.mask(asize));
            }
            if (!repeated) {
                return;
            }
            long count = (c.gpr(RCX, asize) - 1) & Alu.mask(asize);
            c.setGpr(RCX, asize, count);
            c.bus.instructionBoundary();
            if (count == 0) {
                return;
            }
            if (n + 1 >= Strings.ITERATIONS_PER_STEP || c.bus.exitRequested()) {
                c.nextRip = c.s.rip;
                return;
            }
        }
    }
}
