package dev.hvspec.machine.chipset;

import java.util.Arrays;
import java.util.List;

import static dev.hvspec.machine.chipset.LocalApicRegisters.LVT_LEVEL_TRIGGERED;
import static dev.hvspec.machine.chipset.LocalApicRegisters.LVT_MASKED;
import static dev.hvspec.machine.chipset.LocalApicRegisters.LVT_REMOTE_IRR;

/**
 * The local vector table of a local APIC (SDM 3A §11.5.1, Figure 11-8) and its two local interrupt
 * pins: six entries (timer, thermal, performance counters, LINT0, LINT1, error) at xAPIC offsets
 * 0x320-0x370, in that order. LINT pin events become fixed, NMI, SMI, INIT or ExtINT interrupts as
 * the entry says; a fixed level-triggered LINT0 sets Remote IRR until the EOI of its vector (LINT1
 * does not support level triggering); ExtINT is level-sensitive and is read at INTA time.
 *
 * <p>Not thread-safe: part of {@link LocalApic}, which holds its lock while calling in.
 */
final class LocalVectorTable {
    static final int TIMER = 0;
    static final int THERMAL = 1;
    static final int PERFORMANCE = 2;
    static final int LINT0 = 3;
    static final int LINT1 = 4;
    static final int ERROR = 5;
    static final int COUNT = 6;

    /** Where local interrupts go: the APIC's acceptance logic (the vector matters for FIXED only). */
    @FunctionalInterface
    interface Sink {
        boolean deliver(DeliveryMode mode, int vector, boolean levelTriggered, List<Runnable> out);
    }

    private final int[] entries = new int[COUNT];
    private final boolean[] pinLevel = new boolean[COUNT];

    LocalVectorTable() {
        reset();
    }

    /** SDM 3A §11.4.7.1: every entry masked, everything else 0. The pin levels are wiring and stay. */
    void reset() {
        Arrays.fill(entries, LVT_MASKED);
    }

    int entry(int index) {
        return entries[index];
    }

    /** Loads an entry as is (restore, virtual-wire setup). */
    void set(int index, int value) {
        entries[index] = value;
    }

    /** SDM 3A §11.4.7.2: software disable sets every mask bit. */
    void maskAll() {
        for (int i = 0; i < COUNT; i++) {
            entries[i] |= LVT_MASKED;
        }
    }

    /**
     * A software write of an already-masked {@code value}: Remote IRR is read-only and kept; while
     * the APIC is software-disabled the mask bit cannot be cleared. A LINT entry is re-evaluated,
     * so unmasking a level-triggered fixed LINT0 whose pin is high interrupts.
     */
    void write(int index, int value, boolean softwareEnabled, Sink sink, List<Runnable> out) {
        if (!softwareEnabled) {
            value |= LVT_MASKED;
        }
        entries[index] = value | (entries[index] & LVT_REMOTE_IRR);
        if (index == LINT0 || index == LINT1) {
            evaluatePin(index, false, sink, out);
        }
    }

    boolean pinLevel(int index) {
        return pinLevel[index];
    }

    void setPinLevel(int index, boolean level) {
        pinLevel[index] = level;
    }

    /** Records a new level on a LINT pin; returns true for a rising edge. */
    boolean drivePin(int index, boolean level) {
        boolean rising = level && !pinLevel[index];
        pinLevel[index] = level;
        return rising;
    }

    /** Turns the pin's state into an interrupt as its LVT entry says. */
    void evaluatePin(int index, boolean rising, Sink sink, List<Runnable> out) {
        int entry = entries[index];
        if ((entry & LVT_MASKED) != 0) {
            return;
        }
        DeliveryMode mode = DeliveryMode.of(entry >>> 8);
        switch (mode) {
            case FIXED -> {
                boolean levelTriggered = index == LINT0 && (entry & LVT_LEVEL_TRIGGERED) != 0;
                if (levelTriggered) {
                    if (pinLevel[index] && (entry & LVT_REMOTE_IRR) == 0
                            && sink.deliver(mode, entry & 0xFF, true, out)) {
                        entries[index] |= LVT_REMOTE_IRR;
                    }
                } else if (rising) {
                    sink.deliver(mode, entry & 0xFF, false, out);
                }
            }
            case NMI, SMI, INIT -> {
                if (rising) {
                    sink.deliver(mode, 0, false, out); // always edge-triggered
                }
            }
            default -> { } // ExtINT: level-sensitive, read at INTA time
        }
    }

    /** LINT0 programmed ExtINT, unmasked, with its pin high: the 8259A's INTR passes through. */
    boolean extIntAsserted() {
        int entry = entries[LINT0];
        return pinLevel[LINT0] && (entry & LVT_MASKED) == 0 && DeliveryMode.of(entry >>> 8) == DeliveryMode.EXTINT;
    }

    /** The EOI of a level-triggered {@code vector} clears Remote IRR of LINT entries with that vector. */
    void endOfInterrupt(int vector, Sink sink, List<Runnable> out) {
        for (int index : new int[] {LINT0, LINT1}) {
            if ((entries[index] & 0xFF) == vector) {
                entries[index] &= ~LVT_REMOTE_IRR;
            }
        }
        evaluatePin(LINT0, false, sink, out); // a still-asserted level LINT0 interrupts again
    }
}
