package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.PortIoDevice;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.machine.time.VirtualTimer;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * The Motorola MC146818A real-time clock with 128 bytes of CMOS RAM, as the PC/AT wires it: index
 * port 0x70 (bit 7 = NMI disable), data port 0x71, IRQ# on IRQ 8 (asserted while IRQF is set).
 * Section names in comments are the datasheet's: "Address Map", "Time, Calendar and Alarm
 * Locations", "Interrupts", "Divider Stages", "Periodic Interrupt Selection", "Update Cycle" and
 * "Registers" (A to D).
 *
 * <p>Time: the 32.768 kHz time base ticks on a grid that starts when the divider chain last left
 * reset (at virtual time 0 at power-on). The first update cycle begins 500 ms (16384 ticks) after
 * that and then every second; UIP is set 244 µs (8 ticks) before an update begins and stays set
 * for the 1984 µs (65 ticks) update cycle; the time registers advance, and UF and AF are set, when
 * the update ends. Periodic interrupts come every 2^(RS-1) ticks (RS = 1 and 2 act as 8 and 9).
 * Only DV = 010 (the PC's 32.768 kHz crystal) runs; DV = 11x holds the divider in reset and any
 * other value stops it.
 *
 * <p>Time and date are kept as binary values and shown in the format register B selects when
 * read, so changing DM or 24/12 re-presents the time (the datasheet asks software to re-initialise
 * the time after a format change; QEMU behaves the same way). Values the guest writes are kept as
 * written until the next update, which normalises them. Years 00-99 are 2000-2099 (the chip's
 * leap-year rule, year % 4 = 0, agrees there); the century byte is plain RAM. Daylight saving (DSE)
 * and the square-wave pin (SQWE) are stored but not modelled.
 *
 * <p>Thread-safety: methods synchronise on this object; IRQ 8 is driven with the lock held.
 */
public final class Mc146818Rtc implements PortIoDevice {
    public static final int INDEX_PORT = 0x70;
    public static final int DATA_PORT = 0x71;
    public static final int RAM_SIZE = 128;

    public static final int SECONDS = 0x00;
    public static final int SECONDS_ALARM = 0x01;
    public static final int MINUTES = 0x02;
    public static final int MINUTES_ALARM = 0x03;
    public static final int HOURS = 0x04;
    public static final int HOURS_ALARM = 0x05;
    public static final int DAY_OF_WEEK = 0x06;
    public static final int DAY_OF_MONTH = 0x07;
    public static final int MONTH = 0x08;
    public static final int YEAR = 0x09;
    public static final int REGISTER_A = 0x0A;
    public static final int REGISTER_B = 0x0B;
    public static final int REGISTER_C = 0x0C;
    public static final int REGISTER_D = 0x0D;

    static final int A_UIP = 0x80;
    static final int B_SET = 0x80;
    static final int B_PIE = 0x40;
    static final int B_AIE = 0x20;
    static final int B_UIE = 0x10;
    static final int B_DM_BINARY = 0x04;
    static final int B_24_HOUR = 0x02;
    static final int C_IRQF = 0x80;
    static final int C_PF = 0x40;
    static final int C_AF = 0x20;
    static final int C_UF = 0x10;
    static final int D_VRT = 0x80;

    static final long TICK_HZ = 32_768;
    static final long FIRST_UPDATE_BEGIN = 16_384;    // 500 ms after the divider leaves reset
    static final long UPDATE_PERIOD = 32_768;         // one second
    static final long UIP_LEAD = 8;                   // tBUC = 244 µs
    static final long UPDATE_CYCLE = 65;              // tUC = 1984 µs
    static final long FIRST_UPDATE_END = FIRST_UPDATE_BEGIN + UPDATE_CYCLE;

    private final TimerQueue timers;
    private final IrqLine irq;
    private final VirtualTimer updateTimer;
    private final VirtualTimer periodicTimer;
    private final byte[] ram = new byte[RAM_SIZE]; // alarms and user RAM; clock registers live below
    private final RtcCalendar calendar = new RtcCalendar();

    private int index;
    private boolean nmiDisabled;
    private int registerA;
    private int registerB;
    private int flags;                 // PF | AF | UF
    private long dividerOrigin;        // virtual ns at which the divider chain left reset
    private long fieldsTick;           // the tick at which the calendar fields were exact
    private long periodicCheckedTick;  // PF accounts for periodic ticks up to here
    private long armedUpdateTick;
    private long armedPeriodicTick;
    private boolean irqLevel;

    /**
     * @param start the date and time the battery-backed clock shows at virtual time 0 (24-hour,
     *              BCD, register A = 0x26 as a PC BIOS leaves it)
     */
    public Mc146818Rtc(TimerQueue timers, IrqLine irq, LocalDateTime start) {
        this.timers = timers;
        this.irq = irq;
        this.updateTimer = timers.newTimer(this::onUpdateTimer);
        this.periodicTimer = timers.newTimer(this::onPeriodicTimer);
        calendar.set(start);
        registerA = 0x26;
        registerB = B_24_HOUR;
        dividerOrigin = timers.clock().nanos();
        fieldsTick = tickNow();
        periodicCheckedTick = fieldsTick;
        reschedule();
    }

    /** NMI disable, bit 7 of the last write to port 0x70 (the board gates NMI with it). */
    public synchronized boolean nmiDisabled() {
        return nmiDisabled;
    }

    // ============================================================ time base

    private boolean dividerRunning() {
        return (registerA & 0x70) == 0x20;
    }

    private boolean updating() {
        return dividerRunning() && (registerB & B_SET) == 0;
    }

    private long tickAt(long nanos) {
        long n = Math.max(0, nanos - dividerOrigin);
        return (n / 1_000_000_000L) * TICK_HZ + (n % 1_000_000_000L) * TICK_HZ / 1_000_000_000L;
    }

    private long timeOfTick(long tick) {
        return dividerOrigin + (tick / TICK_HZ) * 1_000_000_000L
                + ((tick % TICK_HZ) * 1_000_000_000L + TICK_HZ - 1) / TICK_HZ;
    }

    private long tickNow() {
        return tickAt(timers.clock().nanos());
    }

    /** Update ends at or before {@code tick}: m = 0, 1, ... with end tick FIRST_UPDATE_END + m * period. */
    private static long updatesThrough(long tick) {
        return Math.max(0, Math.floorDiv(tick - FIRST_UPDATE_END, UPDATE_PERIOD) + 1);
    }

    private static long nextUpdateEndAfter(long tick) {
        return FIRST_UPDATE_END + updatesThrough(tick) * UPDATE_PERIOD;
    }

    /** "Periodic Interrupt Selection": 2^(RS-1) ticks; RS 1 and 2 act as 8 and 9; 0 is none. */
    private long periodicTicks() {
        int rs = registerA & 0x0F;
        if (rs == 0) {
            return 0;
        }
        if (rs < 3) {
            rs += 7;
        }
        return 1L << (rs - 1);
    }

    /** Brings the calendar fields up to {@code tick}: one second per update cycle that ended. */
    private void advanceFields(long tick) {
        if (updating() && tick > fieldsTick) {
            calendar.advance(updatesThrough(tick) - updatesThrough(fieldsTick));
        }
        fieldsTick = Math.max(fieldsTick, tick);
    }

    /** PF is set by every periodic tick since the last check. */
    private void advancePeriodicFlag(long tick) {
        long period = periodicTicks();
        if (dividerRunning() && period > 0 && tick > periodicCheckedTick
                && Math.floorDiv(tick, period) > Math.floorDiv(periodicCheckedTick, period)) {
            flags |= C_PF;
        }
        periodicCheckedTick = Math.max(periodicCheckedTick, tick);
    }

    private void catchUp(long tick) {
        advanceFields(tick);
        advancePeriodicFlag(tick);
    }

    // ============================================================ timers

    /**
     * An update cycle ends at the armed tick: the time advances, UF is set, AF if the alarm
     * matches. Evaluated at the armed tick, not the current time, so that when virtual time jumps
     * over several seconds every update (and alarm) still happens, in order.
     */
    private synchronized void onUpdateTimer() {
        long tick = armedUpdateTick;
        catchUp(tick);
        if (updating()) {
            flags |= C_UF;
            if (alarmMatches()) {
                flags |= C_AF;
            }
        }
        updateIrq();
        reschedule(tick);
    }

    private synchronized void onPeriodicTimer() {
        long tick = armedPeriodicTick;
        catchUp(tick);
        updateIrq();
        reschedule(tick);
    }

    private void reschedule() {
        reschedule(tickNow());
    }

    /** Update cycles are timed while the clock updates; periodic ticks only while PIE needs them. */
    private void reschedule(long fromTick) {
        if (updating()) {
            armedUpdateTick = nextUpdateEndAfter(Math.max(fromTick, fieldsTick));
            updateTimer.armAt(timeOfTick(armedUpdateTick));
        } else {
            updateTimer.cancel();
        }
        long period = periodicTicks();
        if (dividerRunning() && period > 0 && (registerB & B_PIE) != 0) {
            armedPeriodicTick = (Math.floorDiv(periodicCheckedTick, period) + 1) * period;
            periodicTimer.armAt(timeOfTick(armedPeriodicTick));
        } else {
            periodicTimer.cancel();
        }
    }

    // ============================================================ interrupts

    private int irqFlag() {
        boolean irqf = ((flags & C_PF) != 0 && (registerB & B_PIE) != 0)
                || ((flags & C_AF) != 0 && (registerB & B_AIE) != 0)
                || ((flags & C_UF) != 0 && (registerB & B_UIE) != 0);
        return irqf ? C_IRQF : 0;
    }

    private void updateIrq() {
        boolean level = irqFlag() != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }

    /** "Interrupts": an alarm byte with its two high bits set (0xC0-0xFF) matches any value. */
    private boolean alarmMatches() {
        return alarmByteMatches(SECONDS_ALARM, SECONDS) && alarmByteMatches(MINUTES_ALARM, MINUTES)
                && alarmByteMatches(HOURS_ALARM, HOURS);
    }

    private boolean alarmByteMatches(int alarmRegister, int timeRegister) {
        int alarm = ram[alarmRegister] & 0xFF;
        return (alarm & 0xC0) == 0xC0 || alarm == presentTimeRegister(timeRegister);
    }

    // ============================================================ ports

    @Override
    public synchronized int ioRead(int port, int size) {
        int value = port == DATA_PORT ? readRegister(index) : 0xFF; // the index port is write-only
        return size == 1 ? value : value | (PortIoDevice.allOnes(size) & ~0xFF);
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        if (port == INDEX_PORT) {
            index = value & 0x7F;
            nmiDisabled = (value & 0x80) != 0;
        } else if (port == DATA_PORT) {
            writeRegister(index, value & 0xFF);
        }
    }

    private int readRegister(int register) {
        long tick = tickNow();
        catchUp(tick);
        return switch (register) {
            case SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR -> presentTimeRegister(register);
            case REGISTER_A -> registerA | (updateInProgress(tick) ? A_UIP : 0);
            case REGISTER_B -> registerB;
            case REGISTER_C -> {
                int value = irqFlag() | flags;
                flags = 0; // "Register C": all flags are cleared when it is read
                updateIrq();
                yield value;
            }
            case REGISTER_D -> D_VRT; // valid RAM and time: the battery is good
            default -> ram[register] & 0xFF;
        };
    }

    /** "Update Cycle": UIP is 1 from 244 µs before an update begins until the update ends. */
    private boolean updateInProgress(long tick) {
        if (!updating() || tick < FIRST_UPDATE_BEGIN - UIP_LEAD) {
            return false;
        }
        return Math.floorMod(tick - (FIRST_UPDATE_BEGIN - UIP_LEAD), UPDATE_PERIOD) < UIP_LEAD + UPDATE_CYCLE;
    }

    private void writeRegister(int register, int value) {
        long tick = tickNow();
        catchUp(tick);
        switch (register) {
            case SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR ->
                    calendar.setField(register, decodeTimeRegister(register, value));
            case REGISTER_A -> writeRegisterA(tick, value);
            case REGISTER_B -> {
                if ((value & B_SET) != 0) {
                    value &= ~B_UIE; // "the SET bit going high clears UIE"
                }
                registerB = value;
            }
            case REGISTER_C, REGISTER_D -> { } // read-only
            default -> ram[register] = (byte) value;
        }
        updateIrq();
        reschedule();
    }

    /** "Divider Stages": DV = 11x holds the chain in reset; leaving reset restarts the time base. */
    private void writeRegisterA(long tick, int value) {
        boolean wasRunning = dividerRunning();
        registerA = value & 0x7F; // UIP is read-only
        if (!wasRunning && dividerRunning()) {
            dividerOrigin = timers.clock().nanos();
            fieldsTick = 0;
            periodicCheckedTick = 0;
        }
    }

    // ============================================================ formats

    private boolean binary() {
        return (registerB & B_DM_BINARY) != 0;
    }

    private int encode(int value) {
        return binary() ? value : (value / 10 % 10) << 4 | value % 10;
    }

    private int decode(int raw) {
        return binary() ? raw : (raw >>> 4) * 10 + (raw & 0xF);
    }

    /** A time or date register in the format register B selects (BCD/binary, 12/24 hour). */
    private int presentTimeRegister(int register) {
        int value = calendar.field(register);
        if (register == HOURS && (registerB & B_24_HOUR) == 0) {
            int hour12 = value % 12 == 0 ? 12 : value % 12;
            return (value >= 12 ? 0x80 : 0) | encode(hour12);
        }
        return encode(value) & 0xFF;
    }

    private int decodeTimeRegister(int register, int raw) {
        if (register == HOURS && (registerB & B_24_HOUR) == 0) {
            int hour = decode(raw & 0x7F) % 12;
            return (raw & 0x80) != 0 ? hour + 12 : hour;
        }
        return decode(raw);
    }

    // ============================================================ save / restore

    /** The whole chip state; the RTC is a userspace device in KVM, so this is the VMM's snapshot. */
    public record State(int index, boolean nmiDisabled, int registerA, int registerB, int flags, long dividerOrigin,
                        long fieldsTick, long periodicCheckedTick, List<Integer> calendarFields, List<Integer> ram) {
        public State {
            calendarFields = List.copyOf(calendarFields);
            ram = List.copyOf(ram);
        }
    }

    public synchronized State save() {
        catchUp(tickNow());
        List<Integer> bytes = new ArrayList<>(RAM_SIZE);
        for (byte b : ram) {
            bytes.add(b & 0xFF);
        }
        return new State(index, nmiDisabled, registerA, registerB, flags, dividerOrigin, fieldsTick,
                periodicCheckedTick, calendar.fields(), bytes);
    }

    public synchronized void restore(State state) {
        index = state.index();
        nmiDisabled = state.nmiDisabled();
        registerA = state.registerA();
        registerB = state.registerB();
        flags = state.flags();
        dividerOrigin = state.dividerOrigin();
        fieldsTick = state.fieldsTick();
        periodicCheckedTick = state.periodicCheckedTick();
        calendar.setFields(state.calendarFields());
        for (int i = 0; i < RAM_SIZE; i++) {
            ram[i] = (byte) (int) state.ram().get(i);
        }
        updateIrq();
        reschedule();
    }
}
