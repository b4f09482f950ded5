package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Decoder;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.Prefix;
import dev.hvspec.machine.mmu.Access;
import dev.hvspec.machine.mmu.Mmu;
import dev.hvspec.machine.mmu.PhysicalMemory;
import dev.hvspec.machine.time.TscFrequency;

import java.lang.invoke.VarHandle;
import java.util.List;

import java.util.function.LongSupplier;

import static dev.hvspec.machine.cpu.SegmentRegister.CS;
import static dev.hvspec.machine.cpu.SegmentRegister.SS;

/**
 * One logical x86-64 processor: the instruction loop (fetch through the decoded-instruction
 * cache, execute, retire), event delivery at instruction boundaries, and the operand, memory and
 * stack accesses every instruction uses. The semantics of the instructions live in the classes
 * named after their SDM groups ({@link DataTransfer}, {@link BinaryArithmetic} …), dispatched by
 * {@link Executor}.
 *
 * <p>Threading: a processor is driven by one thread (its vCPU thread); other threads only call
 * {@link #kick()}.
 */
public final class Cpu {
    final CpuState s = new CpuState();
    final Mmu mmu;
    final CpuBus bus;
    /** Instruction fetch through the decoded-instruction cache. */
    private final InstructionFetch fetcher = new InstructionFetch(this);
    private List<CpuidModel.Entry> cpuid;
    InterruptPins pins = InterruptPins.NONE;
    PlatformRegisters platform = PlatformRegisters.none();
    LongSupplier clockNanos = () -> 0;
    /** The TSC's rate on the virtual clock (KVM_SET_TSC_KHZ: the hypervisor's TSC scaling). */
    private volatile TscFrequency tscFrequency = TscFrequency.ONE_GHZ;

    /** Instructions retired since creation: the base of virtual time. */
    long retired;
    /** Nanoseconds the processor spent in I/O bus cycles ({@link InputOutput#IO_CYCLE_NANOS} per port access). */
    long ioNanos;
    private volatile boolean attention = true;
    private volatile boolean kickRequested;
    boolean interruptWindowExiting;
    /** The address of the next instruction; control transfers overwrite it. */
    long nextRip;
    /** The instruction being executed. */
    Instruction current;
    /** DR6.B0–B3 of the data breakpoints the current instruction has hit so far. */
    long dataBreakpointHits;
    /** DR6 bits of a debug trap held back by a MOV SS/POP SS shadow (SDM 3A §6.8.3). */
    private long pendingDebugTrap;
    final InterruptDelivery delivery = new InterruptDelivery(this);
    private InstructionTrace trace;

    /** Told when a host page first holds decoded code, so other processors revoke their write permissions. */
    @FunctionalInterface
    public interface CodePageListener {
        void codePageCreated();
    }

    /** Receives one call per retired instruction (hvspec run --trace). */
    @FunctionalInterface
    public interface InstructionTrace {
        void retired(long rip, Instruction insn, CpuState before, CpuState after);
    }

    /**
     * Held while this processor executes a locked read-modify-write; shared by all processors of a
     * machine ({@link #setBusLock}) so that their locked operations are atomic with respect to each
     * other (SDM 3A §9.1.2.2, "Software Controlled Bus Locking").
     */
    private Object busLock = new Object();

    public Cpu(PhysicalMemory memory, CpuBus bus) {
        this.bus = bus;
        this.mmu = new Mmu(s, memory, bus);
        setCpuid(CpuidModel.supported());
        s.reset();
    }

    // ---- configuration by the hypervisor ----

    public CpuState state() {
        return s;
    }

    public Mmu mmu() {
        return mmu;
    }

    /** The lock that makes LOCK-prefixed instructions and XCHG with memory atomic across the machine's processors. */
    public void setBusLock(Object lock) {
        this.busLock = lock;
    }

    public void setCpuid(List<CpuidModel.Entry> table) {
        this.cpuid = List.copyOf(table);
        fetcher.setDecoder(new Decoder(CpuidModel.isaFeatures(table)));
        mmu.flushAll();
    }

    public List<CpuidModel.Entry> cpuid() {
        return cpuid;
    }

    public void setInterruptPins(InterruptPins pins) {
        this.pins = pins;
    }

    public void setPlatformRegisters(PlatformRegisters platform) {
        this.platform = platform;
    }

    /** Virtual time in nanoseconds; the TSC counts on it at {@link #tscFrequency()} (plus the IA32_TSC offset). */
    public void setClock(LongSupplier clockNanos) {
        this.clockNanos = clockNanos;
    }

    public TscFrequency tscFrequency() {
        return tscFrequency;
    }

    /** The TSC's rate, as a TSC multiplier sets it (SDM 3C §26.6.5); the IA32_TSC offset is kept. */
    public void setTscFrequency(TscFrequency frequency) {
        this.tscFrequency = java.util.Objects.requireNonNull(frequency);
    }

    /** The TSC at virtual time {@code nanos}: the scaled time plus the IA32_TSC offset. */
    public long tscAt(long nanos) {
        return tscFrequency.ticksAt(nanos) + s.tscOffset;
    }

    public void setCodePageListener(CodePageListener listener) {
        fetcher.setCodePageListener(listener);
    }

    public void setTrace(InstructionTrace trace) {
        this.trace = trace;
    }

    public void setInterruptWindowExiting(boolean on) {
        this.interruptWindowExiting = on;
        attention = true;
    }

    public long retired() {
        return retired;
    }

    /**
     * Virtual nanoseconds this processor has spent: one per retired instruction plus its I/O bus
     * cycles (a port access takes as long as an ISA I/O cycle, {@link InputOutput#IO_CYCLE_NANOS}).
     */
    public long elapsedNanos() {
        return retired + ioNanos;
    }

    /** Asks the processor to look at its inputs (and leave guest mode if asked to) at the next boundary. */
    public void kick() {
        kickRequested = true;
        attention = true;
    }

    /** Re-examine interrupt inputs at the next instruction boundary (an input line changed). */
    public void poke() {
        attention = true;
    }

    /** The state was replaced from outside (KVM_SET_SREGS …): drop translations and cached decodes. */
    public void stateChanged() {
        mmu.flushAll();
        attention = true;
    }

    /** RDMSR as the hypervisor does it for KVM_GET_MSRS: empty where the guest would get #GP. */
    public java.util.OptionalLong readMsr(int msr) {
        try {
            return java.util.OptionalLong.of(SystemInstructions.readMsr(this, msr));
        } catch (CpuException e) {
            return java.util.OptionalLong.empty();
        }
    }

    /** WRMSR as the hypervisor does it for KVM_SET_MSRS: false where the guest would get #GP. */
    public boolean writeMsr(int msr, long value) {
        try {
            SystemInstructions.writeMsr(this, msr, value);
            return true;
        } catch (CpuException e) {
            return false;
        }
    }

    public long tsc() {
        return tscAt(clockNanos.getAsLong());
    }

    /** WRMSR IA32_TSC (SDM 3B §17.17): the offset that makes the TSC read {@code value} now. */
    void writeTsc(long value) {
        s.tscOffset = value - tscFrequency.ticksAt(clockNanos.getAsLong());
    }

    // ---- the instruction loop ----

    /**
     * Runs until an exit or until {@code budget} virtual nanoseconds have passed (one per retired
     * instruction plus I/O bus cycles: {@link #elapsedNanos()}).
     */
    public CpuExit run(long budget) {
        long limit = elapsedNanos() + budget;
        attention = true;
        try {
            while (true) {
                if (attention) {
                    CpuExit exit = serviceEvents();
                    if (exit != null) {
                        return exit;
                    }
                }
                if (retired + ioNanos >= limit) {
                    return new CpuExit.BudgetExhausted();
                }
                try {
                    step();
                } catch (VmExit e) {
                    return new CpuExit.BusExit(e.reason());
                }
                if (bus.exitRequested()) {
                    return new CpuExit.BusExit(null);
                }
            }
        } catch (InterruptDelivery.TripleFault e) {
            return new CpuExit.TripleFault();
        }
    }

    /** Looks at kick requests, NMI and INTR at an instruction boundary (SDM 3A §6.9 priorities). */
    private CpuExit serviceEvents() {
        attention = false;
        if (kickRequested) {
            kickRequested = false;
            return new CpuExit.Kicked();
        }
        boolean shadow = s.stiShadow || s.movSsShadow;
        if (shadow) {
            attention = true; // look again after the shadowed instruction
        }
        if (!shadow && !s.nmiBlocked && pins.nmiPending()) {
            pins.acknowledgeNmi();
            s.halted = false;
            s.nmiBlocked = true;
            delivery.deliverEvent(Vector.NMI, CpuException.NO_ERROR_CODE, InterruptDelivery.Source.NMI, s.rip);
            return null;
        }
        boolean interruptible = !shadow && (s.rflags & Rflags.IF) != 0;
        if (pins.intrPending()) {
            if (interruptible) {
                if (interruptWindowExiting) {
                    return new CpuExit.InterruptWindow();
                }
                int vector = pins.acknowledgeIntr();
                if (vector >= 0) {
                    s.halted = false;
                    delivery.deliverEvent(vector, CpuException.NO_ERROR_CODE, InterruptDelivery.Source.EXTERNAL, s.rip);
                }
                attention = true; // more may be pending
                return null;
            }
            attention = true; // masked now; IF=1 (STI, POPF, IRET) pokes us
        }
        if (interruptWindowExiting && interruptible) {
            return new CpuExit.InterruptWindow();
        }
        if (s.halted) {
            attention = true;
            return new CpuExit.Halt();
        }
        return null;
    }

    /** Fetches, executes and retires one instruction, delivering any exception it raises. */
    private void step() {
        boolean singleStep = (s.rflags & Rflags.TF) != 0;
        s.stiShadow = false;
        s.movSsShadow = false;
        long rip = s.rip;
        CpuState before = trace == null ? null : snapshot();
        try {
            boolean breakpoints = (s.dr[7] & DebugRegisters.DR7_ENABLES) != 0;
            if (breakpoints) {
                dataBreakpointHits = 0;
                if ((s.rflags & Rflags.RF) == 0 && instructionBreakpoint(rip)) {
                    return;
                }
            }
            // SDM 3B §17.3.1.1: RF is cleared at the start of the instruction, after the code-breakpoint check.
            s.rflags &= ~Rflags.RF;
            Instruction insn = fetcher.fetch();
            current = insn;
            nextRip = truncateIp(rip + insn.length());
            if (insn.locked()) {
                // SDM 3A §9.1.2.2: a locked operation is atomic against every other processor (one bus
                // lock per VM); §10.2.2 (2023 numbering): loads and stores are not reordered with
                // locked instructions — guest memory is shared with VMM threads too (virtio on the
                // I/O thread), which do not take the bus lock, hence the fences.
                VarHandle.fullFence();
                synchronized (busLock) {
                    Executor.execute(this, insn);
                }
                VarHandle.fullFence();
            } else {
                Executor.execute(this, insn);
            }
            s.rip = nextRip;
            retired++;
            bus.instructionBoundary();
            if (trace != null) {
                trace.retired(rip, insn, before, s);
            }
            long debug = pendingDebugTrap;
            if (singleStep) {
                debug |= DebugRegisters.DR6_BS;
            }
            if (breakpoints) {
                debug |= dataBreakpointHits;
            }
            pendingDebugTrap = 0;
            if (debug != 0) {
                if (s.movSsShadow) {
                    // SDM 3A §6.8.3: MOV SS / POP SS hold debug traps until the next instruction ends.
                    pendingDebugTrap = debug;
                } else {
                    debugTrap(debug);
                }
            }
        } catch (CpuException e) {
            pendingDebugTrap = 0;
            s.rip = rip;
            retired++; // faulting instructions advance virtual time too, so a fault loop cannot stop time
            // SDM 3B §17.3.1.1: for any fault-class exception the RF image pushed is 1 (the
            // instruction-breakpoint #DB is raised above, not here).
            s.rflags |= Rflags.RF;
            delivery.deliverException(e);
        }
    }

    /**
     * SDM 3A §9.1.2.2: the LOCK prefix, and XCHG with a memory operand (locked whether or not the
     * prefix is present), make the read-modify-write atomic. The decoder only accepts LOCK on
     * lockable forms with a memory destination.
     */

    /** SDM 3B §17.3.1.1: an enabled instruction breakpoint at CS:RIP faults before the instruction. */
    private boolean instructionBreakpoint(long rip) {
        long hits = DebugRegisters.instructionHits(s.dr, codeLinear(rip));
        if (hits == 0) {
            return false;
        }
        // SDM 3B §17.2.3: B0–B3 report the conditions met; the pushed RF is the current 0.
        s.dr[6] = (s.dr[6] & ~DebugRegisters.DR6_HITS) | hits;
        retired++;
        delivery.deliverEvent(Vector.DB, CpuException.NO_ERROR_CODE, InterruptDelivery.Source.EXCEPTION, rip);
        return true;
    }

    /**
     * The #DB trap after an instruction (SDM 3B §17.3.1.2, §17.3.1.4): data breakpoints the
     * instruction hit (B0–B3 replace the old ones) and single-step (BS) share one delivery.
     */
    private void debugTrap(long conditions) {
        long dr6 = s.dr[6];
        if ((conditions & DebugRegisters.DR6_HITS) != 0) {
            dr6 &= ~DebugRegisters.DR6_HITS;
        }
        s.dr[6] = dr6 | conditions;
        delivery.deliverEvent(Vector.DB, CpuException.NO_ERROR_CODE, InterruptDelivery.Source.TRAP, s.rip);
    }

    private CpuState snapshot() {
        CpuState copy = new CpuState();
        System.arraycopy(s.gpr, 0, copy.gpr, 0, 16);
        copy.rip = s.rip;
        copy.rflags = s.rflags;
        for (int i = 0; i < 6; i++) {
            copy.seg[i].copyFrom(s.seg[i]);
        }
        copy.cr0 = s.cr0;
        copy.cr2 = s.cr2;
        copy.cr3 = s.cr3;
        copy.cr4 = s.cr4;
        copy.efer = s.efer;
        return copy;
    }

    long truncateIp(long ip) {
        return switch (s.codeSize()) {
            case 2 -> ip & 0xFFFF;
            case 4 -> ip & 0xFFFF_FFFFL;
            default -> ip;
        };
    }

    long codeLinear(long ip) {
        if (s.mode64()) {
            return ip;
        }
        if (ip > s.cs().limit) {
            throw CpuException.gp(0);
        }
        return (s.cs().base + ip) & 0xFFFF_FFFFL;
    }

    // ---- registers ----

    long gpr(int index, int size) {
        long v = s.gpr[index];
        return size == 8 ? v : v & Alu.mask(size);
    }

    void setGpr(int index, int size, long value) {
        switch (size) {
            case 1 -> s.gpr[index] = (s.gpr[index] & ~0xFFL) | (value & 0xFF);
            case 2 -> s.gpr[index] = (s.gpr[index] & ~0xFFFFL) | (value & 0xFFFF);
            case 4 -> s.gpr[index] = value & 0xFFFF_FFFFL; // SDM 1 §3.4.1.1: 32-bit results zero-extend
            default -> s.gpr[index] = value;
        }
    }

    long flag(long bit) {
        return (s.rflags & bit) != 0 ? 1 : 0;
    }

    int cpl() {
        return s.cpl();
    }

    // ---- memory through segmentation (SDM 3A §3.4, §5.3) ----

    /** Data-access kinds for the current privilege level and EFLAGS.AC. */
    int dataKind(int type) {
        return Access.kind(type, s.cpl() == 3, (s.rflags & Rflags.AC) != 0);
    }

    /**
     * The linear address of {@code seg:offset} for an access of {@code size} bytes, after the
     * segment checks of the current mode: canonical form in 64-bit mode (SDM 3A §3.3.7.1),
     * usability, type and limit otherwise. Violations raise #SS for SS and #GP otherwise.
     */
    long linear(int seg, long offset, int size, boolean write) {
        SegmentRegister sr = s.seg[seg];
        if (s.mode64()) {
            long linear = (seg >= SegmentRegister.FS ? sr.base : 0) + offset;
            if (!isCanonical(linear) || !isCanonical(linear + size - 1)) {
                throw seg == SS ? CpuException.fault(Vector.SS, 0) : CpuException.gp(0);
            }
            return linear;
        }
        if (s.protectedMode() && !s.v86Mode()) {
            if (sr.unusable() || (sr.attributes & SegmentRegister.P) == 0) {
                throw seg == SS ? CpuException.fault(Vector.SS, 0) : CpuException.gp(0);
            }
            boolean code = sr.isCode();
            boolean rw = (sr.attributes & SegmentRegister.TYPE_WRITABLE_OR_READABLE) != 0;
            if (write ? (code || !rw) : (code && !rw)) {
                throw seg == SS ? CpuException.fault(Vector.SS, 0) : CpuException.gp(0);
            }
        }
        checkLimit(seg, sr, offset, size);
        return (sr.base + offset) & 0xFFFF_FFFFL;
    }

    void checkLimit(int seg, SegmentRegister sr, long offset, int size) {
        long last = offset + size - 1;
        boolean expandDown = !sr.isCode() && (sr.attributes & SegmentRegister.TYPE_EXPAND_DOWN_OR_CONFORMING) != 0
                && (sr.attributes & SegmentRegister.S) != 0;
        boolean ok;
        if (expandDown) {
            long upper = sr.defaultBig() ? 0xFFFF_FFFFL : 0xFFFF;
            ok = offset > sr.limit && last <= upper;
        } else {
            ok = last <= sr.limit;
        }
        if (!ok) {
            throw seg == SS ? CpuException.fault(Vector.SS, 0) : CpuException.gp(0);
        }
    }

    boolean isCanonical(long linear) {
        int bits = (s.cr4 & ControlBits.CR4_LA57) != 0 ? 57 : 48;
        return (linear << (64 - bits)) >> (64 - bits) == linear;
    }

    /** SDM 3A §6.15 #AC: CR0.AM, EFLAGS.AC, CPL 3 and a misaligned data access. */
    private void alignmentCheck(long linear, int size) {
        if (size > 1 && (linear & (size - 1)) != 0 && (s.cr0 & ControlBits.CR0_AM) != 0
                && (s.rflags & Rflags.AC) != 0 && s.cpl() == 3) {
            throw CpuException.fault(Vector.AC, 0);
        }
    }

    long readMem(int seg, long offset, int size) {
        long linear = linear(seg, offset, size, false);
        alignmentCheck(linear, size);
        if ((s.dr[7] & DebugRegisters.DR7_ENABLES) != 0) {
            dataBreakpointHits |= DebugRegisters.dataHits(s.dr, linear, size, false);
        }
        return mmu.read(linear, size, dataKind(Access.READ));
    }

    void writeMem(int seg, long offset, int size, long value) {
        long linear = linear(seg, offset, size, true);
        alignmentCheck(linear, size);
        if ((s.dr[7] & DebugRegisters.DR7_ENABLES) != 0) {
            dataBreakpointHits |= DebugRegisters.dataHits(s.dr, linear, size, true);
        }
        mmu.write(linear, size, value, dataKind(Access.WRITE));
    }

    /** Checks that {@code seg:offset} is writable for {@code size} bytes without writing (read-modify-write, string setup). */
    void probeWrite(int seg, long offset, int size) {
        long linear = linear(seg, offset, size, true);
        mmu.translate(linear, dataKind(Access.WRITE));
    }

    /** Implicit supervisor-mode accesses to system structures (GDT, LDT, IDT, TSS) at linear addresses. */
    long readSystem(long linear, int size) {
        return mmu.read(linear, size, Access.SUPERVISOR_READ);
    }

    void writeSystem(long linear, int size, long value) {
        mmu.write(linear, size, value, Access.SUPERVISOR_WRITE);
    }

    // ---- the stack (SDM 1 §6.2) ----

    long stackPointer() {
        return gpr(CpuState.RSP, s.stackAddressSize());
    }

    void setStackPointer(long value) {
        setGpr(CpuState.RSP, s.stackAddressSize(), value);
    }

    void push(long value, int size) {
        int asize = s.stackAddressSize();
        long sp = (gpr(CpuState.RSP, asize) - size) & Alu.mask(asize);
        writeMem(SS, sp, size, value);
        setGpr(CpuState.RSP, asize, sp);
    }

    long pop(int size) {
        int asize = s.stackAddressSize();
        long sp = gpr(CpuState.RSP, asize);
        long value = readMem(SS, sp, size);
        setGpr(CpuState.RSP, asize, (sp + size) & Alu.mask(asize));
        return value;
    }

    /** Reads the stack {@code depth} bytes above the stack pointer without popping. */
    long peek(long depth, int size) {
        int asize = s.stackAddressSize();
        return readMem(SS, (gpr(CpuState.RSP, asize) + depth) & Alu.mask(asize), size);
    }

    // ---- exits requested by instructions ----

    void halt() {
        s.halted = true;
        attention = true;
    }

    void requestAttention() {
        attention = true;
    }

    Decoder decoder() {
        return fetcher.decoder();
    }
}
