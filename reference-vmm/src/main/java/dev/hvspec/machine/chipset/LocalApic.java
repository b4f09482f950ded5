package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.chipset.InterruptMessage.Shorthand;
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
    public static final long APIC_BASE_BSP = 1L << 8;
    public static final long APIC_BASE_EXTD = 1L << 10;
    public static final long APIC_BASE_EN = 1L << 11;
    /** SDM 3A §11.4.8: version 0x14 (integrated xAPIC); six LVT entries (max LVT entry 5). */
    public static final int VERSION_NUMBER = 0x14;
    public static final int MAX_LVT_ENTRY = 5;

    /**
     * Fixed properties of the part.
     *
     * @param apicId                  initial (x2APIC) ID; its low 8 bits are the xAPIC ID
     * @param bsp                     the bootstrap processor flag of IA32_APIC_BASE
     * @param busCycleNanos           one cycle of the timer's input clock (1 = 1 GHz, KVM's default)
     * @param maxPhysAddrBits         MAXPHYADDR: APIC_BASE bits at and above it are reserved
     * @param x2apicSupported         CPUID.01H:ECX.x2APIC[bit 21]
     * @param tscDeadlineSupported    CPUID.01H:ECX.TSC_Deadline[bit 24]
     * @param eoiBroadcastSuppression version bit 24: SVR bit 12 may suppress EOI broadcasts
     * @param tsc                     the TSC as a function of virtual time
     */
    public record Config(int apicId, boolean bsp, long busCycleNanos, int maxPhysAddrBits, boolean x2apicSupported,
                         boolean tscDeadlineSupported, boolean eoiBroadcastSuppression, TscTimebase tsc) {
        /** Defaults: 1 GHz timer clock, MAXPHYADDR 46, x2APIC and TSC deadline, 1 GHz TSC. */
        public static Config of(int apicId, boolean bsp) {
            return new Config(apicId, bsp, 1, 46, true, true, false, TscTimebase.fixedRate(1_000_000_000L));
        }

        public Config withTsc(TscTimebase tsc) {
            return new Config(apicId, bsp, busCycleNanos, maxPhysAddrBits, x2apicSupported, tscDeadlineSupported,
                    eoiBroadcastSuppression, tsc);
        }

        public Config withEoiBroadcastSuppression(boolean supported) {
            return new Config(apicId, bsp, busCycleNanos, maxPhysAddrBits, x2apicSupported, tscDeadlineSupported,
                    supported, tsc);
        }
    }

    /** IA32_APIC_BASE EN/EXTD states (SDM 3A §11.12.5.1). */
    public enum Mode { DISABLED, XAPIC, X2APIC }

    // LVT table order: index = (offset - LVT_TIMER) / 16.
    static final int LVT_COUNT = 6;
    static final int LINT0_INDEX = 3;
    static final int LINT1_INDEX = 4;
    static final int ERROR_INDEX = 5;
    static final int TIMER_INDEX = 0;

    private final Config config;
    private final ApicBus bus;
    private final ApicTimer timer;
    private final IrqLine lint0 = level -> setLint(LINT0_INDEX, level);
    private final IrqLine lint1 = level -> setLint(LINT1_INDEX, level);
    private volatile Runnable wakeup = () -> { };
    private ExternalInterruptController externalController;

    private long apicBase;
    private int xapicId;
    private int tpr;
    private int ldr;
    private int dfr;
    private int svr;
    final ApicVectorSet irr = new ApicVectorSet();
    final ApicVectorSet isr = new ApicVectorSet();
    final ApicVectorSet tmr = new ApicVectorSet();
    private int esr;
    private int pendingErrors;
    private int icrLow;
    private int icrHigh;
    private final int[] lvt = new int[LVT_COUNT];
    private final boolean[] lintLevel = new boolean[LVT_COUNT];
    private boolean nmiPending;
    private boolean smiPending;
    private boolean initPending;
    private int startupVector = -1;
    private boolean extIntPending;

    /** A local APIC on {@code bus}, in its RESET state; its timer uses {@code timers}. */
    public LocalApic(Config config, ApicBus bus, TimerQueue timers) {
        this.config = config;
        this.bus = bus;
        this.timer = new ApicTimer(timers, config.busCycleNanos(), config.tsc(), this::onTimerExpiry);
        reset();
        bus.attach(this);
    }

    public Config config() {
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
        if ((apicBase & APIC_BASE_EN) == 0) {
            return Mode.DISABLED;
        }
        return (apicBase & APIC_BASE_EXTD) != 0 ? Mode.X2APIC : Mode.XAPIC;
    }

    public synchronized boolean hardwareEnabled() {
        return (apicBase & APIC_BASE_EN) != 0;
    }

    /** SVR bit 8 (SDM 3A §11.4.3), and hardware enabled. */
    public synchronized boolean softwareEnabled() {
        return hardwareEnabled() && (svr & SVR_APIC_ENABLED) != 0;
    }

    public synchronized long apicBase() {
        return apicBase;
    }

    /** The guest-physical base of the register page (APIC_BASE bits MAXPHYADDR-1:12). */
    public synchronized long mmioBase() {
        return apicBase & baseAddressMask();
    }

    /** True if the MMIO page decodes: xAPIC mode (SDM 3A §11.12.2: not in x2APIC or disabled). */
    public synchronized boolean mmioEnabled() {
        return mode() == Mode.XAPIC;
    }

    private long baseAddressMask() {
        return ((1L << config.maxPhysAddrBits()) - 1) & ~0xFFFL;
    }

    /**
     * WRMSR IA32_APIC_BASE (SDM 3A §11.4.4, §11.12.5): reserved bits, EN=0 with EXTD=1, x2APIC to
     * xAPIC and disabled to x2APIC fault; BSP is read-only. A global disable returns the registers
     * to their power-up state (§11.4.3: "prior initialization ... may be lost"); entering x2APIC
     * mode derives the logical x2APIC ID in LDR (§11.12.10.2).
     */
    private MsrResult writeApicBase(long value, List<Runnable> out) {
        long allowed = APIC_BASE_BSP | APIC_BASE_EN | baseAddressMask()
                | (config.x2apicSupported() ? APIC_BASE_EXTD : 0);
        if ((value & ~allowed) != 0) {
            return MsrResult.gp("IA32_APIC_BASE reserved bits set");
        }
        boolean en = (value & APIC_BASE_EN) != 0;
        boolean extd = (value & APIC_BASE_EXTD) != 0;
        Mode old = mode();
        if (!en && extd) {
            return MsrResult.gp("EN=0 with EXTD=1 is the invalid state");
        }
        if (old == Mode.X2APIC && en && !extd) {
            return MsrResult.gp("x2APIC mode to xAPIC mode is not a valid transition");
        }
        if (old == Mode.DISABLED && en && extd) {
            return MsrResult.gp("disabled to x2APIC mode must go through xAPIC mode");
        }
        apicBase = (value & ~APIC_BASE_BSP) | (config.bsp() ? APIC_BASE_BSP : 0);
        Mode now = mode();
        if (old != Mode.DISABLED && now == Mode.DISABLED) {
            powerUpRegisters();
        } else if (old == Mode.XAPIC && now == Mode.X2APIC) {
            ldr = logicalX2apicId(config.apicId());
        }
        out.add(wakeup);
        return MsrResult.ok();
    }

    /** SDM 3A §11.12.10.2: cluster ID = x2APIC ID[19:4] in bits 31:16, 1 << ID[3:0] in bits 15:0. */
    static int logicalX2apicId(int x2apicId) {
        return ((x2apicId >>> 4) << 16) | (1 << (x2apicId & 0xF));
    }

    // =================================================================== reset

    /** RESET (SDM 3A §11.4.7.1): xAPIC mode at the default base, all registers at power-up values. */
    public synchronized void reset() {
        apicBase = DEFAULT_BASE | APIC_BASE_EN | (config.bsp() ? APIC_BASE_BSP : 0);
        xapicId = config.apicId() & 0xFF;
        powerUpRegisters();
    }

    /**
     * INIT (SDM 3A §11.4.7.3): like power-up, except that the APIC ID and IA32_APIC_BASE (so the
     * x2APIC mode, §11.12.5) are kept; pending events are dropped.
     */
    public synchronized void initReset() {
        powerUpRegisters();
        if (mode() == Mode.X2APIC) {
            ldr = logicalX2apicId(config.apicId());
        }
    }

    /** SDM 3A §11.4.7.1 and §11.12.5.1: zeros, LVT masked, SVR 0xFF, DFR all ones. */
    private void powerUpRegisters() {
        irr.clearAll();
        isr.clearAll();
        tmr.clearAll();
        tpr = 0;
        ldr = 0;
        dfr = 0xFFFF_FFFF;
        svr = 0xFF;
        esr = 0;
        pendingErrors = 0;
        icrLow = 0;
        icrHigh = 0;
        java.util.Arrays.fill(lvt, LVT_MASKED);
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
            svr |= SVR_APIC_ENABLED;
            lvt[LINT0_INDEX] = DeliveryMode.EXTINT.code() << 8;
            lvt[LINT1_INDEX] = DeliveryMode.NMI.code() << 8;
            out.add(wakeup);
        }
        run(out);
    }

    // =================================================================== priorities (SDM 3A §11.8.3)

    /** Highest vector in {@code set}, or 0 when empty (the SDM's ISRV/IRRV). */
    private static int highestOrZero(ApicVectorSet set) {
        return Math.max(set.highest(), 0);
    }

    /** SDM 3A §11.8.3.1: PPR = TPR if TPR[7:4] >= ISRV[7:4], else ISRV[7:4]:0000. */
    public synchronized int processorPriority() {
        int isrv = highestOrZero(isr);
        return (tpr & 0xF0) >= (isrv & 0xF0) ? tpr : isrv & 0xF0;
    }

    /**
     * SDM 3A §11.6.2.4 (P6 APR): TPR if TPR[7:4] >= IRRV[7:4] and TPR[7:4] > ISRV[7:4], else
     * the largest of TPR[7:4], ISRV[7:4], IRRV[7:4] with bits 3:0 clear.
     */
    public synchronized int arbitrationPriority() {
        int t = tpr & 0xF0;
        int irrv = highestOrZero(irr) & 0xF0;
        int isrv = highestOrZero(isr) & 0xF0;
        if (t >= irrv && t > isrv) {
            return tpr;
        }
        return Math.max(t, Math.max(irrv, isrv));
    }

    /** SDM 3A §11.8.3.1: the highest IRR vector if its class is above PPR's, else -1. */
    public synchronized int deliverableVector() {
        int vector = irr.highest();
        if (vector < 0 || (vector & 0xF0) <= (processorPriority() & 0xF0)) {
            return -1;
        }
        return vector;
    }

    /** A focus processor already has the vector in IRR or ISR (SDM 3A §11.6.2.4). */
    synchronized boolean isFocusFor(int vector) {
        return (svr & SVR_FOCUS_DISABLED) == 0 && (irr.get(vector) || isr.get(vector));
    }

    // =================================================================== CPU side

    /** A maskable interrupt is ready for INTA: ExtINT from the 8259A, or a fixed vector above PPR. */
    public synchronized boolean hasInterrupt() {
        if (!hardwareEnabled()) {
            return lintLevel[LINT0_INDEX]; // SDM 3A §11.4.3: without an APIC, LINT0 is INTR
        }
        return extIntPending || extIntThroughLint0() || deliverableVector() >= 0;
    }

    private boolean extIntThroughLint0() {
        int entry = lvt[LINT0_INDEX];
        return lintLevel[LINT0_INDEX] && (entry & LVT_MASKED) == 0
                && DeliveryMode.of(entry >>> 8) == DeliveryMode.EXTINT;
    }

    /**
     * The INTA cycle: the vector the CPU dispatches. ExtINT is served by the 8259A's INTA (and has
     * precedence, as the legacy INTR path). Otherwise the highest deliverable IRR vector moves to
     * ISR (SDM 3A §11.8.4). If nothing is deliverable any more, the spurious vector from SVR is
     * returned and no ISR bit is set (§11.9).
     */
    public int acknowledgeInterrupt() {
        ExternalInterruptController controller;
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            if (hardwareEnabled() && !extIntPending && !extIntThroughLint0()) {
                int vector = deliverableVector();
                if (vector < 0) {
                    return svr & 0xFF;
                }
                irr.clear(vector);
                isr.set(vector);
                return vector;
            }
            extIntPending = false;
            controller = externalController;
            if (controller == null) {
                return svr & 0xFF;
            }
        }
        int vector = controller.acknowledge();
        run(out);
        return vector;
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

    /** SDM 3A §11.6.2.1/§11.6.2.2 and §11.12.10: does the destination field name this APIC? */
    public synchronized boolean matchesDestination(InterruptMessage message) {
        if (message.broadcastDestination()) {
            return true;
        }
        int destination = message.destination();
        if (mode() == Mode.X2APIC) {
            if (!message.logical()) {
                return destination == config.apicId();
            }
            return (destination >>> 16) == (ldr >>> 16) && (destination & ldr & 0xFFFF) != 0;
        }
        if (message.x2apicDestination() && (destination & ~0xFF) != 0) {
            return false;
        }
        int mda = destination & 0xFF;
        if (!message.logical()) {
            return mda == xapicId;
        }
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xF) { // flat model
            return (mda & logicalId) != 0;
        }
        return (mda >>> 4) == (logicalId >>> 4) && (mda & logicalId & 0xF) != 0; // cluster model
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
        switch (message.deliveryMode()) {
            case FIXED, LOWEST_PRIORITY -> {
                return acceptVector(message.vector(), message.levelTriggered(), out);
            }
            case NMI -> nmiPending = true;
            case SMI -> smiPending = true;
            case INIT -> {
                if (message.levelTriggered() && !message.assertLevel()) {
                    return false; // INIT level de-assert: not supported since the Pentium 4 (§11.6.1)
                }
                initPending = true;
            }
            case STARTUP -> startupVector = message.vector();
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
        if ((svr & SVR_APIC_ENABLED) == 0) {
            return false;
        }
        if (vector < 16) {
            raiseError(ESR_RECEIVE_ILLEGAL_VECTOR, out);
            return false;
        }
        irr.set(vector);
        if (level) {
            tmr.set(vector);
        } else {
            tmr.clear(vector);
        }
        out.add(wakeup);
        return true;
    }

    /** SDM 3A §11.5.3: errors collect until the next ESR write; a new one raises the LVT error interrupt. */
    private void raiseError(int bits, List<Runnable> out) {
        int fresh = bits & ~pendingErrors;
        pendingErrors |= bits;
        if (fresh != 0) {
            deliverLocalFixed(lvt[ERROR_INDEX], out);
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
                deliverLocalFixed(lvt[TIMER_INDEX], out);
            }
        }
        run(out);
    }

    /** A LINT pin changed level (SDM 3A §11.5.1; LINT1 does not support level triggering). */
    private void setLint(int index, boolean level) {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            boolean rising = level && !lintLevel[index];
            lintLevel[index] = level;
            if (!hardwareEnabled()) {
                if (index == LINT1_INDEX && rising) {
                    nmiPending = true; // without an APIC, LINT1 is the NMI pin
                }
                out.add(wakeup);
            } else {
                evaluateLint(index, rising, out);
            }
        }
        run(out);
    }

    private void evaluateLint(int index, boolean rising, List<Runnable> out) {
        int entry = lvt[index];
        if ((entry & LVT_MASKED) != 0) {
            return;
        }
        switch (DeliveryMode.of(entry >>> 8)) {
            case FIXED -> {
                boolean levelTriggered = index == LINT0_INDEX && (entry & LVT_LEVEL_TRIGGERED) != 0;
                if (levelTriggered) {
                    if (lintLevel[index] && (entry & LVT_REMOTE_IRR) == 0 && acceptVector(entry & 0xFF, true, out)) {
                        lvt[index] |= LVT_REMOTE_IRR; // cleared by the EOI of this vector
                    }
                } else if (rising) {
                    acceptVector(entry & 0xFF, false, out);
                }
            }
            case NMI -> nmiPending |= rising;
            case SMI -> smiPending |= rising;
            case INIT -> initPending |= rising;
            default -> { } // ExtINT is level-sensitive and read at INTA time
        }
        out.add(wakeup);
    }

    // =================================================================== EOI and IPIs

    /** SDM 3A §11.8.5: clear the highest ISR bit; a level-triggered vector is EOIed to the I/O APICs. */
    private void endOfInterrupt(List<Runnable> out) {
        int vector = isr.highest();
        if (vector < 0) {
            return;
        }
        isr.clear(vector);
        if (tmr.get(vector)) {
            for (int index : new int[] {LINT0_INDEX, LINT1_INDEX}) {
                if ((lvt[index] & 0xFF) == vector) {
                    lvt[index] &= ~LVT_REMOTE_IRR;
                }
            }
            if ((svr & SVR_SUPPRESS_EOI_BROADCAST) == 0) {
                out.add(() -> bus.broadcastEoi(vector));
            }
            evaluateLint(LINT0_INDEX, false, out); // a still-asserted level LINT0 interrupts again
        }
        out.add(wakeup);
    }

    /** SDM 3A §11.6.1: send the IPI the ICR describes. Delivery is immediate; ICR.BUSY reads 0. */
    private void sendIpi(List<Runnable> out) {
        DeliveryMode mode = DeliveryMode.of(icrLow >>> 8);
        int vector = icrLow & 0xFF;
        boolean levelBit = (icrLow & (1 << 15)) != 0;
        boolean assertBit = (icrLow & (1 << 14)) != 0;
        if (mode == DeliveryMode.RESERVED_3 || mode == DeliveryMode.EXTINT) {
            return; // reserved ICR delivery modes
        }
        if (mode == DeliveryMode.INIT && levelBit && !assertBit) {
            return; // INIT level de-assert: not supported since the Pentium 4
        }
        if (mode.carriesVector() && vector < 16) {
            raiseError(ESR_SEND_ILLEGAL_VECTOR, out);
            return;
        }
        boolean x2apic = mode() == Mode.X2APIC;
        int destination = x2apic ? icrHigh : icrHigh >>> 24;
        // The trigger mode bit only matters for INIT de-assert; IPIs are edge-triggered (§11.6.1).
        InterruptMessage message = new InterruptMessage(mode, vector, (icrLow & (1 << 11)) != 0, destination,
                x2apic, Shorthand.of(icrLow >>> 18), false, true);
        out.add(() -> bus.deliver(this, message));
    }

    // =================================================================== register file

    private int version() {
        return VERSION_NUMBER | (MAX_LVT_ENTRY << 16) | (config.eoiBroadcastSuppression() ? 1 << 24 : 0);
    }

    /** The value of the register at page offset {@code offset} (a multiple of 16). */
    private int readRegister(int offset) {
        if (offset >= ISR && offset < TMR) {
            return isr.word((offset - ISR) >>> 4);
        }
        if (offset >= TMR && offset < IRR) {
            return tmr.word((offset - TMR) >>> 4);
        }
        if (offset >= IRR && offset < ESR) {
            return irr.word((offset - IRR) >>> 4);
        }
        if (offset >= LVT_TIMER && offset <= LVT_ERROR) {
            return lvt[(offset - LVT_TIMER) >>> 4];
        }
        return switch (offset) {
            case ID -> mode() == Mode.X2APIC ? config.apicId() : xapicId << 24;
            case VERSION -> version();
            case TPR -> tpr;
            case APR -> arbitrationPriority();
            case PPR -> processorPriority();
            case LDR -> ldr;
            case DFR -> dfr;
            case SVR -> svr;
            case ESR -> esr;
            case ICR_LOW -> icrLow;
            case ICR_HIGH -> icrHigh;
            case TIMER_INITIAL_COUNT -> timer.initialCount();
            case TIMER_CURRENT_COUNT -> timer.currentCount();
            case TIMER_DIVIDE_CONFIG -> timer.divideConfig();
            default -> 0;
        };
    }

    /** Writes an already-masked {@code value} to the register at {@code offset}. */
    private void writeRegister(int offset, int value, List<Runnable> out) {
        if (offset >= LVT_TIMER && offset <= LVT_ERROR) {
            writeLvt((offset - LVT_TIMER) >>> 4, value, out);
            return;
        }
        switch (offset) {
            case ID -> xapicId = value >>> 24;
            case TPR -> {
                tpr = value & 0xFF;
                out.add(wakeup);
            }
            case EOI -> endOfInterrupt(out);
            case LDR -> ldr = value;
            case DFR -> dfr = value | 0x0FFF_FFFF;
            case SVR -> {
                svr = value;
                if ((svr & SVR_APIC_ENABLED) == 0) {
                    for (int i = 0; i < LVT_COUNT; i++) {
                        lvt[i] |= LVT_MASKED; // SDM 3A §11.4.7.2: software disable masks every LVT entry
                    }
                }
                out.add(wakeup);
            }
            case ESR -> { // SDM 3A §11.5.3: a write latches the errors seen since the last write
                esr = pendingErrors;
                pendingErrors = 0;
            }
            case ICR_LOW -> {
                icrLow = value;
                sendIpi(out);
            }
            case ICR_HIGH -> icrHigh = value;
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
        int keep = lvt[index] & LVT_REMOTE_IRR;
        if ((svr & SVR_APIC_ENABLED) == 0) {
            value |= LVT_MASKED; // SDM 3A §11.4.7.2: mask bits cannot be cleared while disabled
        }
        lvt[index] = value | keep;
        if (index == TIMER_INDEX) {
            timer.setMode(ApicTimer.Mode.of(value));
        }
        if (index == LINT0_INDEX || index == LINT1_INDEX) {
            evaluateLint(index, false, out);
        }
    }

    private int writableBits(int offset, boolean x2apic) {
        return LocalApicRegisters.writableBits(offset, x2apic, config.tscDeadlineSupported(),
                config.eoiBroadcastSuppression());
    }

    // =================================================================== xAPIC MMIO

    /**
     * A read of the register page at {@code offset} (relative to the APIC base). Registers are
     * 32 bits at 16-byte alignment (SDM 3A §11.4.1); narrower reads return the addressed bytes,
     * bytes 4-15 of a slot read 0. A reserved register reads 0 and sets ESR "illegal register
     * address". Outside xAPIC mode the page does not decode and reads 0.
     */
    @Override
    public long mmioRead(long offset, int size) {
        List<Runnable> out = new ArrayList<>();
        long result;
        synchronized (this) {
            int slot = (int) (offset & 0xFF0);
            int within = (int) (offset & 0xF);
            if (mode() != Mode.XAPIC || offset < 0 || offset >= 0x1000 || within + size > 4) {
                return 0;
            }
            Access access = offset >= PAGE_SIZE ? Access.RESERVED : LocalApicRegisters.access(slot, false);
            if (access == Access.RESERVED) {
                raiseError(ESR_ILLEGAL_REGISTER_ADDRESS, out);
                result = 0;
            } else {
                int value = access.readable() ? readRegister(slot) : 0;
                long shifted = Integer.toUnsignedLong(value) >>> (8 * within);
                result = size >= 4 ? shifted : shifted & ((1L << (8 * size)) - 1);
            }
        }
        run(out);
        return result;
    }

    /** A write to the register page; only aligned 32-bit writes have an effect (SDM 3A §11.4.1). */
    @Override
    public void mmioWrite(long offset, int size, long value) {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            if (mode() != Mode.XAPIC || offset < 0 || offset >= 0x1000 || (offset & 0xF) != 0 || size != 4) {
                return;
            }
            int slot = (int) offset;
            Access access = offset >= PAGE_SIZE ? Access.RESERVED : LocalApicRegisters.access(slot, false);
            if (access == Access.RESERVED) {
                raiseError(ESR_ILLEGAL_REGISTER_ADDRESS, out);
            } else if (access.writable()) {
                writeRegister(slot, (int) value & writableBits(slot, false), out);
            }
        }
        run(out);
    }

    // =================================================================== CR8

    /** MOV from CR8 in 64-bit mode: CR8[3:0] = TPR[7:4] (SDM 3A §11.8.6.1). */
    public synchronized long cr8() {
        return (tpr >>> 4) & 0xF;
    }

    /** MOV to CR8: TPR[7:4] = CR8[3:0], TPR[3:0] = 0 (SDM 3A §11.8.6.1). */
    public void setCr8(long value) {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            writeRegister(TPR, (int) (value & 0xF) << 4, out);
        }
        run(out);
    }

    // =================================================================== MSRs

    /** The MSRs this APIC implements: IA32_APIC_BASE, IA32_TSC_DEADLINE and 0x800-0x8FF. */
    public static boolean handlesMsr(int msr) {
        return msr == IA32_APIC_BASE || msr == IA32_TSC_DEADLINE
                || (msr >= X2APIC_MSR_FIRST && msr <= X2APIC_MSR_LAST);
    }

    /** RDMSR; SDM 3A §11.12.1-§11.12.2: x2APIC registers fault outside x2APIC mode and when not readable. */
    public synchronized MsrResult readMsr(int msr) {
        if (msr == IA32_APIC_BASE) {
            return MsrResult.ok(apicBase);
        }
        if (msr == IA32_TSC_DEADLINE) {
            return config.tscDeadlineSupported() ? MsrResult.ok(timer.tscDeadline())
                    : MsrResult.gp("TSC-deadline timer not supported");
        }
        if (mode() != Mode.X2APIC) {
            return MsrResult.gp("x2APIC MSR while not in x2APIC mode");
        }
        int offset = offsetOfMsr(msr);
        Access access = LocalApicRegisters.access(offset, true);
        if (!access.readable()) {
            return MsrResult.gp("RDMSR of a " + access + " x2APIC register");
        }
        if (offset == ICR_LOW) {
            return MsrResult.ok((Integer.toUnsignedLong(icrHigh) << 32) | Integer.toUnsignedLong(icrLow));
        }
        return MsrResult.ok(Integer.toUnsignedLong(readRegister(offset)));
    }

    /** WRMSR; SDM 3A §11.12.1.3: non-zero reserved bits, including bits 63:32 of 32-bit registers, #GP. */
    public MsrResult writeMsr(int msr, long value) {
        List<Runnable> out = new ArrayList<>();
        MsrResult result;
        synchronized (this) {
            result = writeMsrLocked(msr, value, out);
        }
        run(out);
        return result;
    }

    private MsrResult writeMsrLocked(int msr, long value, List<Runnable> out) {
        if (msr == IA32_APIC_BASE) {
            return writeApicBase(value, out);
        }
        if (msr == IA32_TSC_DEADLINE) {
            if (!config.tscDeadlineSupported()) {
                return MsrResult.gp("TSC-deadline timer not supported");
            }
            timer.writeTscDeadline(value);
            return MsrResult.ok();
        }
        if (mode() != Mode.X2APIC) {
            return MsrResult.gp("x2APIC MSR while not in x2APIC mode");
        }
        int offset = offsetOfMsr(msr);
        Access access = LocalApicRegisters.access(offset, true);
        if (!access.writable()) {
            return MsrResult.gp("WRMSR of a " + access + " x2APIC register");
        }
        if (offset == ICR_LOW) {
            if ((value & ~X2APIC_ICR_VALID) != 0) {
                return MsrResult.gp("x2APIC ICR reserved bits set");
            }
            icrHigh = (int) (value >>> 32);
            icrLow = (int) value & writableBits(ICR_LOW, true);
            sendIpi(out);
            return MsrResult.ok();
        }
        int writable = writableBits(offset, true);
        int defined = writable | readOnlyBits(offset);
        if ((value >>> 32) != 0 || ((int) value & ~defined) != 0) {
            return MsrResult.gp("x2APIC register reserved bits set");
        }
        writeRegister(offset, (int) value & writable, out);
        return MsrResult.ok();
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
        return new LocalApicState(new KvmLapicState(page), apicBase, timer.tscDeadline(), pendingErrors,
                lintLevel[LINT0_INDEX], lintLevel[LINT1_INDEX], nmiPending, smiPending, initPending, startupVector,
                extIntPending);
    }

    /** Loads {@code state} (as KVM_SET_LAPIC etc. do); the timer continues from the saved current count. */
    public void restore(LocalApicState state) {
        List<Runnable> out = new ArrayList<>();
        synchronized (this) {
            KvmLapicState page = state.registers();
            apicBase = (state.apicBase() & ~APIC_BASE_BSP) | (config.bsp() ? APIC_BASE_BSP : 0);
            if (mode() != Mode.X2APIC) {
                xapicId = page.getInt(ID) >>> 24;
            }
            tpr = page.getInt(TPR) & 0xFF;
            ldr = page.getInt(LDR);
            dfr = page.getInt(DFR) | 0x0FFF_FFFF;
            svr = page.getInt(SVR);
            for (int w = 0; w < 8; w++) {
                isr.setWord(w, page.getInt(ISR + 16 * w));
                tmr.setWord(w, page.getInt(TMR + 16 * w));
                irr.setWord(w, page.getInt(IRR + 16 * w));
            }
            esr = page.getInt(ESR);
            icrLow = page.getInt(ICR_LOW);
            icrHigh = page.getInt(ICR_HIGH);
            for (int i = 0; i < LVT_COUNT; i++) {
                lvt[i] = page.getInt(LVT_TIMER + 16 * i);
            }
            timer.restore(ApicTimer.Mode.of(lvt[TIMER_INDEX]), page.getInt(TIMER_INITIAL_COUNT),
                    page.getInt(TIMER_DIVIDE_CONFIG), page.getInt(TIMER_CURRENT_COUNT), state.tscDeadline());
            pendingErrors = state.pendingErrors();
            lintLevel[LINT0_INDEX] = state.lint0Level();
            lintLevel[LINT1_INDEX] = state.lint1Level();
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
