package dev.hvspec.machine.cpu;

import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.memory.MemorySlots;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The reference {@link Cpu} on 2 MiB of RAM, put straight into flat 64-bit mode (or flat 32-bit
 * protected mode) the way KVM_SET_SREGS would, to run one instruction per case: the registers
 * and flags of a {@link HostAluOracle.Case} go in, {@link Cpu#run} retires one instruction, and
 * the registers and flags come out, or #DE when the instruction went through IDT vector 0.
 *
 * <p>Memory map: page tables at 1000H-3FFFH (one 2 MiB identity page), GDT at 4000H, IDT at
 * 5000H, the #DE handler at 6000H, the stack below 9000H, a memory operand at A000H, and from
 * 10000H one 4 KiB page of code per op, so that no page that has been executed is written again.
 */
final class ReferenceAluMachine implements CpuBus {
    private static final int RAM = 2 << 20;
    private static final long PML4 = 0x1000, PDPT = 0x2000, PD = 0x3000, GDT = 0x4000, IDT = 0x5000;
    private static final long DE_HANDLER = 0x6000, STACK_TOP = 0x9000, OPERAND = 0xA000, FIRST_CODE_PAGE = 0x10000;
    private static final int CODE64 = 0x08, DATA = 0x10, CODE32 = 0x18;

    private final HostMemory host = new HostMemory();
    private final HostMemory.Region ram;
    private final Cpu cpu;
    private final boolean mode64;
    private long nextCodePage = FIRST_CODE_PAGE;

    private ReferenceAluMachine(boolean mode64) {
        this.mode64 = mode64;
        ram = host.mmap(RAM, "ram");
        MemorySlots slots = new MemorySlots();
        slots.put(0, new MemorySlot(0, 0, RAM, ram, ram.base(), false, null));
        cpu = new Cpu(new SlotPhysicalMemory(slots), this);
        ByteBuffer m = ram.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        m.putLong((int) PML4, PDPT | 3).putLong((int) PDPT, PD | 3).putLong((int) PD, 0x83); // P, RW, PS
        m.putLong((int) GDT + CODE64, 0x00AF_9A00_0000_FFFFL); // 64-bit code, DPL 0
        m.putLong((int) GDT + DATA, 0x00CF_9200_0000_FFFFL);   // flat data
        m.putLong((int) GDT + CODE32, 0x00CF_9A00_0000_FFFFL); // 32-bit code, DPL 0
        // IDT vector 0: a present DPL-0 interrupt gate to DE_HANDLER (SDM 3A §6.11, §6.14.1).
        if (mode64) {
            m.putLong((int) IDT, (DE_HANDLER & 0xFFFF) | ((long) CODE64 << 16) | (0x8EL << 40)
                    | ((DE_HANDLER >>> 16 & 0xFFFF) << 48));
            m.putLong((int) IDT + 8, DE_HANDLER >>> 32);
        } else {
            m.putLong((int) IDT, (DE_HANDLER & 0xFFFF) | ((long) CODE32 << 16) | (0x8EL << 40)
                    | ((DE_HANDLER >>> 16 & 0xFFFF) << 48));
        }
        m.put((int) DE_HANDLER, (byte) 0xF4); // HLT, never reached: one instruction per run
        enterFlatMode(cpu.state());
        cpu.stateChanged();
    }

    /** Flat 64-bit mode: CR0.PE|PG, CR4.PAE, EFER.LME|LMA, CS.L (SDM 3A §9.8.5). */
    static ReferenceAluMachine longMode() {
        return new ReferenceAluMachine(true);
    }

    /** Flat 32-bit protected mode without paging, for the instructions that 64-bit mode lacks. */
    static ReferenceAluMachine protectedMode32() {
        return new ReferenceAluMachine(false);
    }

    /** The register width of this mode, in bytes. */
    int registerSize() {
        return mode64 ? 8 : 4;
    }

    /** The code mode for the {@link dev.hvspec.machine.cpu.isa.Assembler}: 8 or 4. */
    int codeMode() {
        return mode64 ? 8 : 4;
    }

    /** The address where the next page of code will go (give it to the assembler as its origin). */
    long nextCodeAddress() {
        return nextCodePage;
    }

    /** Places code at {@link #nextCodeAddress()} on a fresh page and returns its address. */
    long place(byte[] code) {
        if (code.length > 4096 || nextCodePage + 4096 > RAM) {
            throw new IllegalStateException("out of code pages");
        }
        long at = nextCodePage;
        ram.buffer().put((int) at, code);
        nextCodePage += 4096;
        return at;
    }

    /** Executes the one instruction at {@code rip} with the case's registers and status flags. */
    HostAluOracle.Outcome run(long rip, HostAluOracle.Case c) {
        return run(rip, c, -1);
    }

    /**
     * Executes the one instruction at {@code rip} with the case's registers and status flags;
     * with {@code memoryRole} 0, 1 or 2 the value of RAX, RCX or RDX is instead in memory at
     * [RBX] (all {@link #registerSize()} bytes of it, so bytes past the operand are guards), and
     * comes back in that place of the outcome. The register itself then holds a poison value,
     * which must survive.
     */
    HostAluOracle.Outcome run(long rip, HostAluOracle.Case c, int memoryRole) {
        CpuState s = cpu.state();
        java.util.Arrays.fill(s.gpr, 0);
        long regMask = Alu.mask(registerSize());
        long[] in = {c.rax() & regMask, c.rcx() & regMask, c.rdx() & regMask};
        s.gpr[CpuState.RAX] = in[0];
        s.gpr[CpuState.RCX] = in[1];
        s.gpr[CpuState.RDX] = in[2];
        int[] roles = {CpuState.RAX, CpuState.RCX, CpuState.RDX};
        long poison = ~in[Math.max(memoryRole, 0)] & regMask;
        if (memoryRole >= 0) {
            putOperand(in[memoryRole]);
            s.gpr[roles[memoryRole]] = poison;
            s.gpr[CpuState.RBX] = OPERAND;
        }
        s.gpr[CpuState.RSP] = STACK_TOP;
        s.rflags = Rflags.FIXED1 | (c.rflags() & Rflags.STATUS);
        s.rip = rip;
        CpuExit exit = cpu.run(1);
        if (!(exit instanceof CpuExit.BudgetExhausted)) {
            throw new IllegalStateException("unexpected exit " + exit + " for " + c);
        }
        if (s.rip == DE_HANDLER) {
            enterFlatMode(s); // the delivery reloaded CS from the gate
            cpu.stateChanged();
            return new HostAluOracle.Outcome.DivideError();
        }
        long[] out = {s.gpr[CpuState.RAX], s.gpr[CpuState.RCX], s.gpr[CpuState.RDX]};
        if (memoryRole >= 0) {
            if (out[memoryRole] != poison) {
                throw new IllegalStateException("the memory form of " + c + " changed register " + memoryRole);
            }
            out[memoryRole] = getOperand();
        }
        return new HostAluOracle.Outcome.Ran(out[0], out[1], out[2], s.rflags);
    }

    private void putOperand(long value) {
        ByteBuffer m = ram.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (mode64) {
            m.putLong((int) OPERAND, value);
        } else {
            m.putInt((int) OPERAND, (int) value);
        }
    }

    private long getOperand() {
        ByteBuffer m = ram.buffer().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return mode64 ? m.getLong((int) OPERAND) : m.getInt((int) OPERAND) & 0xFFFF_FFFFL;
    }

    private void enterFlatMode(CpuState s) {
        int code = SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_CODE
                | SegmentRegister.TYPE_WRITABLE_OR_READABLE | SegmentRegister.TYPE_ACCESSED | SegmentRegister.G;
        int data = SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_WRITABLE_OR_READABLE
                | SegmentRegister.TYPE_ACCESSED | SegmentRegister.G | SegmentRegister.DB;
        s.cr0 = ControlBits.CR0_PE | ControlBits.CR0_ET | ControlBits.CR0_NE | (mode64 ? ControlBits.CR0_PG : 0);
        s.cr3 = mode64 ? PML4 : 0;
        s.cr4 = mode64 ? ControlBits.CR4_PAE : 0;
        s.efer = mode64 ? ControlBits.EFER_LME | ControlBits.EFER_LMA : 0;
        s.seg[SegmentRegister.CS].load(mode64 ? CODE64 : CODE32, 0, 0xFFFF_FFFFL,
                code | (mode64 ? SegmentRegister.L : SegmentRegister.DB));
        for (int seg : new int[] {SegmentRegister.ES, SegmentRegister.SS, SegmentRegister.DS,
                SegmentRegister.FS, SegmentRegister.GS}) {
            s.seg[seg].load(DATA, 0, 0xFFFF_FFFFL, data);
        }
        s.gdtr.load(GDT, 4 * 8 - 1);
        s.idtr.load(IDT, mode64 ? 15 : 7);
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
