package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.time.TimerQueue;

import java.util.ArrayList;
import java.util.List;

import static dev.hvspec.machine.chipset.LocalApicRegisters.*;

/**
 * The local APIC of one logical processor (SDM 3A chapter 11): the xAPIC register page (MMIO at the
 * IA32_APIC_BASE address, relocatable) and the x2APIC MSR interface (0x800-0x8FF), IA32_APIC_BASE
 * and IA32_TSC_DEADLINE, interrupt acceptance and priorities (IRR/ISR/TMR, TPR/PPR/APR), EOI, the
 * local vector table with LINT0/LINT1 pins and the timer, the ICR and the error status register.
 *
 * <p>CPU side: between instructions the CPU asks {@link #takeInit()}, {@link #takeStartup()},
 * {@link #takeSmi()}, {@link #takeNmi()} and, with RFLAGS.IF set, {@link #hasInterrupt()} then
 * {@link #acknowledgeInterrupt()} (the INTA cycle: a vector, from the PIC for ExtINT). A wakeup
 * callback ({@link #setWakeup}) is run, outside any chip lock, whenever something became pending.
 * The CPU performs INIT with {@link #initReset()} and RESET with {@link #reset()}.
 *
 * <p>Locking: every method synchronises on this APIC; calls out of the APIC (to the {@link ApicBus},
 * the external 8259A, the wakeup callback) are made after the lock is released.
 */
public final class LocalApic implements MmioDevice {
    /** SDM 3A §11.4.4: the default APIC page. */
    public static final long DEFAULT_BASE = 0xFEE0_0000L;
    public static final long APIC_BASE_BSP = ApicBaseMsr.BSP;
    public static final long APIC_BASE_EXTD = ApicBaseMsr.EXTD;
    public static final long APIC_BASE_EN = ApicBaseMsr.EN;
    /** SDM 3A §11.4.8: version 0x14 (integrated xAPIC); six LVT entries (max LVT entry 5). */
    public static final int VERSION_NUMBER = 0x14;
    public static final int MAX_LVT_ENTRY = 5;

    /** IA32_APIC_BASE EN/EXTD states (SDM 3A §11.12.5.1). */
    public enum Mode { DISABLED, XAPIC, X2APIC }

    private final LocalApicConfig config;
    private final ApicBus bus;
    private final ApicTimer timer;
    private final LocalVectorTable lvt = new LocalVectorTable();
    private final LocalVectorTable.Sink localSink = this::acceptLocal;
    private final IrqLine lint0 = level -> setLint(LocalVectorTable.LINT0, level);
    private final IrqLine lint1 = level -> setLint(LocalVectorTable.LINT1, level);
    private volatile Runnable wakeup = () -> { };
    private ExternalInterruptController externalController;

    private long apicBase;
    private final ApicRegisterFile regs = new ApicRegisterFile();
    private boolean nmiPending;
    private boolean smiPending;
    private boolean initPending;
    private int startupVector = -1;
    private boolean extIntPending;

    /** A local APIC on {@code bus}, in its RESET state; its timer uses {@code timers}. */
    public LocalApic(LocalApicConfig config, ApicBus bus, TimerQueue timers) {
        this.config = config;
        this.bus = bus;
        this.timer = new ApicTimer(timers, config.busCycleNanos(), config.tsc(), this::onTimerExpiry);
        reset();
        bus.attach(this);
    }

    public LocalApicConfig config() {
        return config;
    }

    public int x2apicId() {
        return config.apicId();
    }

    // =================================================================== wiring

    /** Run, outside any lock, when an event became pending (kick the vCPU out of HLT). */
    public void setWakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** The 8259A whose INTA cycle serves ExtINT interrupts (virtual wire mode). */
    public synchronized void attachExternalController(ExternalInterruptController controller) {
        this.externalController = controller;
    }

    /** The LINT0 pin (on the PC: the 8259A's INTR). */
    public IrqLine lint0() {
        return lint0;
    }

    /** The LINT1 pin (on the PC: NMI). */
    public IrqLine lint1() {
        return lint1;
    }

    // =================================================================== IA32_APIC_BASE and modes

    public synchronized Mode mode() {
        return ApicBaseMsr.mode(apicBase);
    }

    public synchronized boolean hardwareEnabled() {
        return (apicBase & APIC_BASE_EN) != 0;
    }

    /** SVR bit 8 (SDM 3A §11.4.3), and hardware enabled. */
    public synchronized boolean softwareEnabled() {
        return hardwareEnabled() && (regs.svr & SVR_APIC_ENABLED) != 0;
    }

    public synchronized long apicBase() {
        return apicBase;
    }

    /** The guest-physical base of the register page (APIC_BASE bits MAXPHYADDR-1:12). */
    public synchronized long mmioBase() {
        return apicBase & ApicBaseMsr.baseAddressMask(config.maxPhysAddrBits());
    }

    /** True if the MMIO page decodes: xAPIC mode (SDM 3A §11.12.2: not in x2APIC or disabled). */
    public synchronized boolean mmioEnabled() {
        return mode() == Mode.XAPIC;
    }

    /**
     * WRMSR IA32_APIC_BASE ({@link ApicBaseMsr#violation} lists what faults; BSP is read-only). A
     * global disable returns the registers to their power-up state (SDM 3A §11.4.3: "prior
     * initialization ... may be lost"); entering x2APIC mode derives the logical ID in LDR and
     * makes the legacy xAPIC ID the low byte of the x2APIC ID again (a written xAPIC ID does not
     * survive, as in KVM).
     */
    MsrResult writeApicBase(long value, List<Runnable> out) {
        String violation = ApicBaseMsr.violation(apicBase, value, config);
        if (violation != null) {
            return MsrResult.gp(violation);
        }
        Mode old = mode();
        apicBase = (value & ~APIC_BASE_BSP) | (config.bsp() ? APIC_BASE_BSP : 0);
        Mode now = mode();
        if (old != Mode.DISABLED && now == Mode.DISABLED) {
            powerUpRegisters();
        } else if (old == Mode.XAPIC && now == Mode.X2APIC) {
            regs.ldr = ApicBaseMsr.logicalX2apicId(config.apicId());
            regs.xapicId = config.apicId() & 0xFF; // the legacy ID is the x2APIC ID's low byte (§11.12.5.1)
        }
        out.add(wakeup);
        return MsrResult.ok();
    }

    // =================================================================== reset

    /** RESET (SDM 3A §11.4.7.1): xAPIC mode at the default base, all registers at power-up values. */
    public synchronized void reset() {
        apicBase = DEFAULT_BASE | APIC_BASE_EN | (config.bsp() ? APIC_BASE_BSP : 0);
        regs.xapicId = config.apicId() & 0xFF;
        powerUpRegisters();
    }

    /**
     * INIT (SDM 3A §11.4.7.3): like power-up, except that the APIC ID and IA32_APIC_BASE (so the
     * x2APIC mode, §11.12.5) are kept; pending events are dropped.
     */
    public synchronized void initReset() {
        powerUpRegisters();
        if (mode() == Mode.X2APIC) {
            regs.ldr = ApicBaseMsr.logicalX2apicId(config.apicId());
        }
    }

    /** SDM 3A §11.4.7.1 and §11.12.5.1: zeros, LVT masked, SVR 0xFF, DFR all ones. */
    private void powerUpRegisters() {
        regs.powerUp();
        lvt.reset();
        timer.reset();
        nmiPending = false;
        smiPending = false;
        initPending = false;
        startupVector = -1;
        extIntPending = false;
    }

    /**
     * What an MP-specification BIOS leaves on the bootstrap processor for virtual wire mode
     * (MP spec §3.6.2.2): APIC software-enabled, LINT0 as ExtINT (the 8259A's INTR), LINT1 as NMI.
     * The board calls this for the BSP when it loads a kernel without firmware.
     */
    public void configureVirtualWire() {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            regs.svr |= SVR_APIC_ENABLED;
            lvt.set(LocalVectorTable.LINT0, DeliveryMode.EXTINT.code() << 8);
            lvt.set(LocalVectorTable.LINT1, DeliveryMode.NMI.code() << 8);
            out.add(wakeup);
        }
        run(out);
    }

    // =================================================================== priorities (SDM 3A §11.8.3)

    /** Highest vector in {@code set}, or 0 when empty (the SDM's ISRV/IRRV). */
    private static int highestOrZero(ApicVectorSet set) {
        return Math.max(set.highest(), 0);
    }

    public synchronized int processorPriority() {
        return ApicPriority.processorPriority(regs.tpr, highestOrZero(regs.isr));
    }

    public synchronized int arbitrationPriority() {
        return ApicPriority.arbitrationPriority(regs.tpr, highestOrZero(regs.irr), highestOrZero(regs.isr));
    }

    /** The highest IRR vector if it may be delivered now (SDM 3A §11.8.3.1), else -1. */
    public synchronized int deliverableVector() {
        int vector = regs.irr.highest();
        return vector >= 0 && ApicPriority.deliverable(vector, processorPriority()) ? vector : -1;
    }

    /** A focus processor already has the vector in IRR or ISR (SDM 3A §11.6.2.4). */
    synchronized boolean isFocusFor(int vector) {
        return (regs.svr & SVR_FOCUS_DISABLED) == 0 && (regs.irr.get(vector) || regs.isr.get(vector));
    }

    // =================================================================== CPU side

    /** A maskable interrupt is ready for INTA: ExtINT from the 8259A, or a fixed vector above PPR. */
    public synchronized boolean hasInterrupt() {
        if (!hardwareEnabled()) {
            return lvt.pinLevel(LocalVectorTable.LINT0); // SDM 3A §11.4.3: without an APIC, LINT0 is INTR
        }
        return extIntPending || lvt.extIntAsserted() || deliverableVector() >= 0;
    }

    /**
     * The INTA cycle: the vector the CPU dispatches. ExtINT is served by the 8259A's INTA (and has
     * precedence, as the legacy INTR path). Otherwise the highest deliverable IRR vector moves to
     * ISR (SDM 3A §11.8.4). If nothing is deliverable any more, the spurious vector from SVR is
     * returned and no ISR bit is set (§11.9).
     */
    public int acknowledgeInterrupt() {
        ExternalInterruptController controller;
        synchronized (this) {
            if (hardwareEnabled() && !extIntPending && !lvt.extIntAsserted()) {
                int vector = deliverableVector();
                if (vector < 0) {
                    return regs.svr & 0xFF;
                }
                regs.irr.clear(vector);
                regs.isr.set(vector);
                return vector;
            }
            extIntPending = false;
            controller = externalController;
            if (controller == null) {
                return regs.svr & 0xFF;
            }
        }
        return controller.acknowledge(); // outside the lock: the 8259A notifies LINT0 listeners
    }

    public synchronized boolean takeNmi() {
        boolean pending = nmiPending;
        nmiPending = false;
        return pending;
    }

    public synchronized boolean takeSmi() {
        boolean pending = smiPending;
        smiPending = false;
        return pending;
    }

    public synchronized boolean takeInit() {
        boolean pending = initPending;
        initPending = false;
        return pending;
    }

    /** The vector of a received start-up IPI, or -1; the CPU honours it only in wait-for-SIPI state. */
    public synchronized int takeStartup() {
        int vector = startupVector;
        startupVector = -1;
        return vector;
    }

    /** Anything that would wake a halted CPU (a maskable interrupt counts only if {@code ifSet}). */
    public synchronized boolean hasPendingEvent(boolean ifSet) {
        return nmiPending || smiPending || initPending || startupVector >= 0 || (ifSet && hasInterrupt());
    }

    // =================================================================== bus side

    /** Does the message's destination field name this APIC ({@link ApicDestination})? */
    public synchronized boolean matchesDestination(InterruptMessage message) {
        return ApicDestination.matches(message, mode() == Mode.X2APIC, config.apicId(), regs.xapicId, regs.ldr,
                regs.dfr);
    }

    /** A message from the bus; returns whether this APIC accepted it. */
    public boolean accept(InterruptMessage message) {
        List<Runnable> out = new ArrayList<>();
        boolean accepted;
        synchronized (this) {
            accepted = acceptLocked(message, out);
        }
        run(out);
        return accepted;
    }

    private boolean acceptLocked(InterruptMessage message, List<Runnable> out) {
        if (!hardwareEnabled()) {
            return false;
        }
        if (message.deliveryMode() == DeliveryMode.INIT && message.levelTriggered() && !message.assertLevel()) {
            return false; // INIT level de-assert: not supported since the Pentium 4 (§11.6.1)
        }
        return acceptLocal(message.deliveryMode(), message.vector(), message.levelTriggered(), out);
    }

    /** An interrupt of {@code mode} arrives (from the bus or the local vector table). */
    private boolean acceptLocal(DeliveryMode mode, int vector, boolean levelTriggered, List<Runnable> out) {
        switch (mode) {
            case FIXED, LOWEST_PRIORITY -> {
                return acceptVector(vector, levelTriggered, out);
            }
            case NMI -> nmiPending = true;
            case SMI -> smiPending = true;
            case INIT -> initPending = true;
            case STARTUP -> startupVector = vector;
            case EXTINT -> extIntPending = true;
            default -> {
                return false;
            }
        }
        out.add(wakeup);
        return true;
    }

    /**
     * SDM 3A §11.8.4: a fixed interrupt sets its IRR bit (a second one collapses into it) and the
     * TMR bit for its trigger mode. §11.4.7.2: a software-disabled APIC takes none; §11.5.2:
     * vectors 0-15 are illegal and only set the receive-illegal-vector error.
     */
    private boolean acceptVector(int vector, boolean level, List<Runnable> out) {
        if ((regs.svr & SVR_APIC_ENABLED) == 0) {
            return false;
        }
        if (vector < 16) {
            raiseError(ESR_RECEIVE_ILLEGAL_VECTOR, out);
            return false;
        }
        regs.irr.set(vector);
        if (level) {
            regs.tmr.set(vector);
        } else {
            regs.tmr.clear(vector);
        }
        out.add(wakeup);
        return true;
    }

    /** SDM 3A §11.5.3: errors collect until the next ESR write; a new one raises the LVT error interrupt. */
    void raiseError(int bits, List<Runnable> out) {
        int fresh = bits & ~regs.pendingErrors;
        regs.pendingErrors |= bits;
        if (fresh != 0) {
            deliverLocalFixed(lvt.entry(LocalVectorTable.ERROR), out);
        }
    }

    /** A timer or error LVT interrupt: always fixed and edge-triggered (SDM 3A §11.5.1). */
    private void deliverLocalFixed(int entry, List<Runnable> out) {
        if ((entry & LVT_MASKED) == 0) {
            acceptVector(entry & 0xFF, false, out);
        }
    }

    private void onTimerExpiry() {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            if (timer.expire() && hardwareEnabled()) {
                deliverLocalFixed(lvt.entry(LocalVectorTable.TIMER), out);
            }
        }
        run(out);
    }

    /** A LINT pin changed level (SDM 3A §11.5.1). */
    private void setLint(int index, boolean level) {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            boolean rising = lvt.drivePin(index, level);
            if (!hardwareEnabled()) {
                if (index == LocalVectorTable.LINT1 && rising) {
                    nmiPending = true; // without an APIC, LINT1 is the NMI pin
                }
            } else {
                lvt.evaluatePin(index, rising, localSink, out);
            }
            out.add(wakeup);
        }
        run(out);
    }

    // =================================================================== EOI and IPIs

    /** SDM 3A §11.8.5: clear the highest ISR bit; a level-triggered vector is EOIed to the I/O APICs. */
    private void endOfInterrupt(List<Runnable> out) {
        int vector = regs.isr.highest();
        if (vector < 0) {
            return;
        }
        regs.isr.clear(vector);
        if (regs.tmr.get(vector)) {
            if ((regs.svr & SVR_SUPPRESS_EOI_BROADCAST) == 0) {
                out.add(() -> bus.broadcastEoi(vector));
            }
            lvt.endOfInterrupt(vector, localSink, out);
        }
        out.add(wakeup);
    }

    /**
     * SDM 3A §11.6.1: send the IPI the ICR describes ({@link InterruptMessage#fromIcr}). Delivery
     * is immediate, so the delivery status bit always reads 0. A fixed or lowest-priority IPI with
     * a vector below 16 is not sent and sets "send illegal vector" (§11.5.3).
     */
    private void sendIpi(List<Runnable> out) {
        InterruptMessage.fromIcr(regs.icrLow, regs.icrHigh, mode() == Mode.X2APIC).ifPresent(message -> {
            if (message.deliveryMode().carriesVector() && message.vector() < 16) {
                raiseError(ESR_SEND_ILLEGAL_VECTOR, out);
            } else {
                out.add(() -> bus.deliver(this, message));
            }
        });
    }

    // =================================================================== register file

    private int version() {
        return VERSION_NUMBER | (MAX_LVT_ENTRY << 16) | (config.eoiBroadcastSuppression() ? 1 << 24 : 0);
    }

    /** The value of the register at page offset {@code offset} (a multiple of 16). */
    int readRegister(int offset) {
        if (offset >= ISR && offset < TMR) {
            return regs.isr.word((offset - ISR) >>> 4);
        }
        if (offset >= TMR && offset < IRR) {
            return regs.tmr.word((offset - TMR) >>> 4);
        }
        if (offset >= IRR && offset < ESR) {
            return regs.irr.word((offset - IRR) >>> 4);
        }
        if (offset >= LVT_TIMER && offset <= LVT_ERROR) {
            return lvt.entry((offset - LVT_TIMER) >>> 4);
        }
        return switch (offset) {
            case ID -> mode() == Mode.X2APIC ? config.apicId() : regs.xapicId << 24;
            case VERSION -> version();
            case TPR -> regs.tpr;
            case APR -> arbitrationPriority();
            case PPR -> processorPriority();
            case LDR -> regs.ldr;
            case DFR -> regs.dfr;
            case SVR -> regs.svr;
            case ESR -> regs.esr;
            case ICR_LOW -> regs.icrLow;
            case ICR_HIGH -> regs.icrHigh;
            case TIMER_INITIAL_COUNT -> timer.initialCount();
            case TIMER_CURRENT_COUNT -> timer.currentCount();
            case TIMER_DIVIDE_CONFIG -> timer.divideConfig();
            default -> 0;
        };
    }

    /** Writes an already-masked {@code value} to the register at {@code offset}. */
    void writeRegister(int offset, int value, List<Runnable> out) {
        if (offset >= LVT_TIMER && offset <= LVT_ERROR) {
            writeLvt((offset - LVT_TIMER) >>> 4, value, out);
            return;
        }
        switch (offset) {
            case ID -> regs.xapicId = value >>> 24;
            case TPR -> {
                regs.tpr = value & 0xFF;
                out.add(wakeup);
            }
            case EOI -> endOfInterrupt(out);
            case LDR -> regs.ldr = value;
            case DFR -> regs.dfr = value | 0x0FFF_FFFF;
            case SVR -> {
                regs.svr = value;
                if ((regs.svr & SVR_APIC_ENABLED) == 0) {
                    lvt.maskAll(); // SDM 3A §11.4.7.2: software disable masks every LVT entry
                }
                out.add(wakeup);
            }
            case ESR -> { // SDM 3A §11.5.3: a write latches the errors seen since the last write
                regs.esr = regs.pendingErrors;
                regs.pendingErrors = 0;
            }
            case ICR_LOW -> {
                regs.icrLow = value;
                sendIpi(out);
            }
            case ICR_HIGH -> regs.icrHigh = value;
            case TIMER_INITIAL_COUNT -> timer.writeInitialCount(value);
            case TIMER_DIVIDE_CONFIG -> timer.writeDivideConfig(value);
            case SELF_IPI -> { // SDM 3A §11.12.11: a self-targeted, edge-triggered fixed IPI
                if (value < 16) {
                    raiseError(ESR_SEND_ILLEGAL_VECTOR, out);
                } else {
                    acceptVector(value, false, out);
                }
            }
            default -> { }
        }
    }

    private void writeLvt(int index, int value, List<Runnable> out) {
        lvt.write(index, value, (regs.svr & SVR_APIC_ENABLED) != 0, localSink, out);
        if (index == LocalVectorTable.TIMER) {
            timer.setMode(ApicTimer.Mode.of(lvt.entry(index)));
        }
        out.add(wakeup);
    }

    /** An x2APIC 64-bit ICR write: destination in bits 63:32, then send (SDM 3A §11.12.9). */
    void writeIcr64(long value, List<Runnable> out) {
        regs.icrHigh = (int) (value >>> 32);
        regs.icrLow = (int) value & writableBits(ICR_LOW, true);
        sendIpi(out);
    }

    long tscDeadline() {
        return timer.tscDeadline();
    }

    void writeTscDeadline(long value) {
        timer.writeTscDeadline(value);
    }

    int writableBits(int offset, boolean x2apic) {
        return LocalApicRegisters.writableBits(offset, x2apic, config.tscDeadlineSupported(),
                config.eoiBroadcastSuppression());
    }

    // =================================================================== register interfaces

    /** A read of the xAPIC page at {@code offset} from the APIC base ({@link ApicRegisterInterfaces}). */
    @Override
    public long mmioRead(long offset, int size) {
        List<Runnable> out = new ArrayList<>();
        long value;
        synchronized (this) {
            value = ApicRegisterInterfaces.mmioRead(this, offset, size, out);
        }
        run(out);
        return value;
    }

    /** A write to the xAPIC page; only aligned 32-bit writes have an effect. */
    @Override
    public void mmioWrite(long offset, int size, long value) {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            ApicRegisterInterfaces.mmioWrite(this, offset, size, value, out);
        }
        run(out);
    }

    // =================================================================== CR8

    /** MOV from CR8 in 64-bit mode: CR8[3:0] = TPR[7:4] (SDM 3A §11.8.6.1). */
    public synchronized long cr8() {
        return (regs.tpr >>> 4) & 0xF;
    }

    /** MOV to CR8: TPR[7:4] = CR8[3:0], TPR[3:0] = 0 (SDM 3A §11.8.6.1). */
    public void setCr8(long value) {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            writeRegister(TPR, (int) (value & 0xF) << 4, out);
        }
        run(out);
    }

    /** The MSRs this APIC implements: IA32_APIC_BASE, IA32_TSC_DEADLINE and 0x800-0x8FF. */
    public static boolean handlesMsr(int msr) {
        return msr == IA32_APIC_BASE || msr == IA32_TSC_DEADLINE
                || (msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST);
    }

    /** RDMSR of one of {@link #handlesMsr} (SDM 3A §11.12.1-§11.12.2). */
    public synchronized MsrResult readMsr(int msr) {
        return ApicRegisterInterfaces.readMsr(this, msr);
    }

    /** WRMSR of one of {@link #handlesMsr} (SDM 3A §11.12.1.3, §11.4.4, §11.5.4.1). */
    public MsrResult writeMsr(int msr, long value) {
        List<Runnable> out = new ArrayList<>();
        MsrResult result;
        synchronized (this) {
            result = ApicRegisterInterfaces.writeMsr(this, msr, value, out);
        }
        run(out);
        return result;
    }

    // =================================================================== save / restore

    /** The state for KVM_GET_LAPIC (register page), kvm_sregs.apic_base, the TSC-deadline MSR and events. */
    public synchronized LocalApicState save() {
        byte[] page = new byte[PAGE_SIZE];
        for (int offset = 0; offset < PAGE_SIZE; offset += 16) {
            if (LocalApicRegisters.access(offset, false).readable()) {
                KvmLapicState.putInt(page, offset, readRegister(offset));
            }
        }
        return new LocalApicState(new KvmLapicState(page), apicBase, timer.tscDeadline(), regs.pendingErrors,
                lvt.pinLevel(LocalVectorTable.LINT0), lvt.pinLevel(LocalVectorTable.LINT1), nmiPending, smiPending,
                initPending, startupVector, extIntPending, timer.startNanos());
    }

    /** Loads {@code state} (as KVM_SET_LAPIC etc. do); the timer continues from the saved current count. */
    public void restore(LocalApicState state) {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            KvmLapicState page = state.registers();
            apicBase = (state.apicBase() & ~APIC_BASE_BSP) | (config.bsp() ? APIC_BASE_BSP : 0);
            if (mode() != Mode.X2APIC) {
                regs.xapicId = page.getInt(ID) >>> 24;
            }
            regs.load(page);
            for (int i = 0; i < LocalVectorTable.COUNT; i++) {
                lvt.set(i, page.getInt(LVT_TIMER + 16 * i));
            }
            timer.restore(ApicTimer.Mode.of(lvt.entry(LocalVectorTable.TIMER)), page.getInt(TIMER_INITIAL_COUNT),
                    page.getInt(TIMER_DIVIDE_CONFIG), page.getInt(TIMER_CURRENT_COUNT), state.tscDeadline(),
                    state.timerStart());
            regs.pendingErrors = state.pendingErrors();
            lvt.setPinLevel(LocalVectorTable.LINT0, state.lint0Level());
            lvt.setPinLevel(LocalVectorTable.LINT1, state.lint1Level());
            nmiPending = state.nmiPending();
            smiPending = state.smiPending();
            initPending = state.initPending();
            startupVector = state.startupVector();
            extIntPending = state.extIntPending();
            out.add(wakeup);
        }
        run(out);
    }

    private static void run(List<Runnable> actions) {
        for (Runnable action : actions) {
            action.run();
        }
    }

    /** For tests: the register at {@code offset} as the xAPIC page shows it. */
    public synchronized int register(int offset) {
        return readRegister(offset);
    }
}
