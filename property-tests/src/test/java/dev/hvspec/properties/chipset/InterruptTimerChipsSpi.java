package dev.hvspec.properties.chipset;

/**
 * What the priority and counter properties need from an implementation of the local APIC and the
 * 8254, in the guest's vocabulary (register offsets of SDM 3A Table 11-1, the 8254's ports 0x40-0x43).
 * The reference implements it in {@link ReferenceInterruptTimerChips}; another Java implementation
 * can be checked by implementing it and naming the class in the system property
 * {@value ChipsUnderTest#PROPERTY}.
 */
public interface InterruptTimerChipsSpi {
    /** A fresh local APIC, APIC ID 0, hardware-enabled in xAPIC mode and software-enabled (SVR = 0x1FF). */
    LocalApicUnderTest localApic();

    /** A fresh 8254 whose CLK runs at 1.193182 MHz on a clock that only moves when told to. */
    PitUnderTest pit();

    /** One local APIC. */
    interface LocalApicUnderTest {
        /** A fixed, edge-triggered interrupt message with this vector arrives (SDM 3A §11.6.1). */
        void fixedInterrupt(int vector);

        /** A 32-bit write of a register at its offset in the APIC page (TPR 0x80, EOI 0xB0, ...). */
        void write(int offset, int value);

        /** A 32-bit read of a register at its offset in the APIC page (PPR 0xA0, ISR 0x100, IRR 0x200, ...). */
        int read(int offset);

        /** Whether the processor would be interrupted now (EFLAGS.IF = 1). */
        boolean hasInterrupt();

        /** The INTA cycle: the vector the processor receives (the spurious vector if none is deliverable). */
        int acknowledge();
    }

    /** One 8254 and its clock. */
    interface PitUnderTest {
        void ioWrite(int port, int value);

        int ioRead(int port);

        /** Drives GATE of counter n (counter 2's gate is port 0x61 bit 0 on a PC). */
        void setGate(int counter, boolean level);

        /** OUT of counter n. */
        boolean out(int counter);

        /** The level the 8254 drives on IRQ 0 (OUT0 as delivered through the implementation's timers). */
        boolean irq0();

        /** Moves time to just after the next CLK edge. */
        void pulse();

        /** Moves time to just after the n-th CLK edge from now, in one step (n >= 0). */
        void pulses(long n);

        /** Moves time by this many nanoseconds, whatever the CLK edges (to start between two edges). */
        void advanceNanos(long nanos);
    }
}
