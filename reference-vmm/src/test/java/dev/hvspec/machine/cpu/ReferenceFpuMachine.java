package dev.hvspec.machine.cpu;

import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.memory.MemorySlots;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The reference {@link Cpu} in flat 64-bit mode, set up the way {@code fpu-oracle/oracle.c} runs
 * the host: CR0.NE and MP, CR4.OSFXSR and OSXMMEXCPT, a CPUID table with FPU, MMX, FXSR, SSE,
 * SSE2 and SSE3, the state of an {@link FpuCase} loaded as FXRSTOR64 would, one instruction
 * retired, and the state read back as FXSAVE64 would write it. Every exception vector 0-31 has an
 * interrupt gate to a handler of its own, so a fault is recognised by where RIP lands.
 *
 * <p>Memory: page tables at 1000H-3FFFH (one 2 MiB identity page), GDT at 4000H, IDT at 5000H,
 * handlers from 6000H (16 bytes apart), the stack below 9000H, the 512-byte memory area at A000H
 * (RBX and RDI), the code page at 10000H.
 */
final class ReferenceFpuMachine implements CpuBus {
    private static final int RAM = 2 << 20;
    private static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, GDT = 0x4000, IDT = 0x5000;
    private static final long HANDLERS = 0x6000, STACK_TOP = 0x9000, MEM = 0xA000, CODE = 0x10000;
    private static final int CODE64 = 0x08, DATA = 0x10;

    private final HostMemory.Region ram;
    private final Cpu cpu;

    ReferenceFpuMachine() {
        ram = new HostMemory().mmap(RAM, "ram");
        MemorySlots slots = new MemorySlots();
        slots.put(0, new MemorySlot(0, 0, RAM, ram, ram.base(), false, null));
        cpu = new Cpu(new SlotPhysicalMemory(slots), this);
        cpu.setCpuid(withFloatingPoint(CpuidModel.supported()));
        ByteBuffer m = buffer();
        m.putLong((int) PML4, PDPT | 3).putLong((int) PDPT, PD | 3).putLong((int) PD, 0x83);
        m.putLong((int) GDT + CODE64, 0x00AF_9A00_0000_FFFFL);
        m.putLong((int) GDT + DATA, 0x00CF_9200_0000_FFFFL);
        for (int v = 0; v < 32; v++) {
            long handler = HANDLERS + 16L * v;
            m.putLong((int) IDT + 16 * v, (handler & 0xFFFF) | ((long) CODE64 << 16) | (0x8EL << 40)
                    | ((handler >>> 16 & 0xFFFF) << 48));
            m.putLong((int) IDT + 16 * v + 8, handler >>> 32);
            m.put((int) handler, (byte) 0xF4);
        }
        enterFlatMode(cpu.state());
        cpu.stateChanged();
    }

    /** The supported CPUID table with the x87/MMX/FXSR/SSE/SSE2/SSE3 bits set in leaf 1. */
    static List<CpuidModel.Entry> withFloatingPoint(List<CpuidModel.Entry> table) {
        List<CpuidModel.Entry> out = new ArrayList<>();
        for (CpuidModel.Entry e : table) {
            if (e.function() == 1) {
                int edx = e.edx() | CpuidModel.EDX1_FPU | CpuidModel.EDX1_MMX | CpuidModel.EDX1_FXSR
                        | CpuidModel.EDX1_SSE | CpuidModel.EDX1_SSE2;
                e = new CpuidModel.Entry(1, 0, false, e.eax(), e.ebx(), e.ecx() | CpuidModel.ECX1_SSE3, edx);
            }
            out.add(e);
        }
        return out;
    }

    private ByteBuffer buffer() {
        return ram.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    Cpu cpu() {
        return cpu;
    }

    /** Runs one case's instruction; the outcome in the same record layout as the host's. */
    FpuCase run(FpuCase c) {
        return run(c, s -> { });
    }

    /**
     * Runs one case's instruction after {@code setup} has changed the loaded state (control
     * registers, pending exceptions …); the flat-mode control registers are restored afterwards.
     */
    FpuCase run(FpuCase c, java.util.function.Consumer<CpuState> setup) {
        ByteBuffer m = buffer();
        m.put((int) CODE, c.code());
        ram.codeWritten((int) (CODE >>> 12));
        m.put((int) MEM, c.mem());
        CpuState s = cpu.state();
        java.util.Arrays.fill(s.gpr, 0);
        s.gpr[CpuState.RAX] = c.gpr()[0];
        s.gpr[CpuState.RCX] = c.gpr()[1];
        s.gpr[CpuState.RDX] = c.gpr()[2];
        s.gpr[CpuState.RSI] = c.gpr()[3];
        s.gpr[CpuState.RBX] = MEM;
        s.gpr[CpuState.RDI] = MEM;
        s.gpr[CpuState.RSP] = STACK_TOP;
        s.rflags = Rflags.FIXED1 | (c.rflags() & Rflags.STATUS);
        FxsaveImage.load(s, c.fx(), true, true);
        s.rip = CODE;
        setup.accept(s);
        CpuExit exit = cpu.run(1);
        if (!(exit instanceof CpuExit.BudgetExhausted)) {
            throw new IllegalStateException("unexpected exit " + exit + " for " + c.codeHex());
        }
        int trap = -1;
        long rflags = s.rflags;
        if (s.rip >= HANDLERS && s.rip < HANDLERS + 32 * 16) {
            trap = (int) ((s.rip - HANDLERS) / 16);
            // The interrupted RFLAGS are in the exception frame (after the error code, RIP and CS).
            long frame = s.gpr[CpuState.RSP] + (Vector.pushesErrorCode(trap) ? 8 : 0);
            rflags = m.getLong((int) frame + 16);
        }
        enterFlatMode(s);
        cpu.stateChanged();
        byte[] fx = FxsaveImage.save(s, true, true);
        System.arraycopy(c.fx(), FxsaveImage.WRITTEN_64, fx, FxsaveImage.WRITTEN_64, 512 - FxsaveImage.WRITTEN_64);
        byte[] mem = new byte[FpuCase.MEM_SIZE];
        m.get((int) MEM, mem);
        long[] gpr = {s.gpr[CpuState.RAX], s.gpr[CpuState.RCX], s.gpr[CpuState.RDX], s.gpr[CpuState.RSI]};
        return new FpuCase(c.code(), trap, fx, gpr, rflags, mem);
    }

    private void enterFlatMode(CpuState s) {
        int code = SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_CODE
                | SegmentRegister.TYPE_WRITABLE_OR_READABLE | SegmentRegister.TYPE_ACCESSED | SegmentRegister.G;
        int data = SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_WRITABLE_OR_READABLE
                | SegmentRegister.TYPE_ACCESSED | SegmentRegister.G | SegmentRegister.DB;
        s.cr0 = ControlBits.CR0_PE | ControlBits.CR0_ET | ControlBits.CR0_NE | ControlBits.CR0_MP | ControlBits.CR0_PG;
        s.cr3 = PML4;
        s.cr4 = ControlBits.CR4_PAE | ControlBits.CR4_OSFXSR | ControlBits.CR4_OSXMMEXCPT;
        s.efer = ControlBits.EFER_LME | ControlBits.EFER_LMA;
        s.seg[SegmentRegister.CS].load(CODE64, 0, 0xFFFF_FFFFL, code | SegmentRegister.L);
        for (int seg : new int[] {SegmentRegister.ES, SegmentRegister.SS, SegmentRegister.DS,
                SegmentRegister.FS, SegmentRegister.GS}) {
            s.seg[seg].load(DATA, 0, 0xFFFF_FFFFL, data);
        }
        s.gdtr.load(GDT, 3 * 8 - 1);
        s.idtr.load(IDT, 32 * 16 - 1);
    }

    @Override
    public int ioRead(int port, int size) {
        throw new IllegalStateException("no I/O expected");
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        throw new IllegalStateException("no I/O expected");
    }

    @Override
    public long mmioRead(long address, int size) {
        throw new IllegalStateException("no MMIO expected");
    }

    @Override
    public void mmioWrite(long address, int size, long value) {
        throw new IllegalStateException("no MMIO expected");
    }

    @Override
    public boolean exitRequested() {
        return false;
    }
}
