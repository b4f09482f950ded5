package dev.hvspec.properties.chipset;

import dev.hvspec.machine.chipset.ApicBus;
import dev.hvspec.machine.chipset.DeliveryMode;
import dev.hvspec.machine.chipset.InterruptMessage;
import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.LocalApicConfig;
import dev.hvspec.machine.chipset.LocalApicRegisters;
import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;

/** The reference's {@link LocalApic} and {@link Intel8254} behind the SPI. */
public final class ReferenceInterruptTimerChips implements InterruptTimerChipsSpi {
    @Override
    public LocalApicUnderTest localApic() {
        LocalApic apic = new LocalApic(LocalApicConfig.of(0, true), new ApicBus(), new TimerQueue(new ManualClock()));
        apic.mmioWrite(LocalApicRegisters.SVR, 4, 0x1FF);
        return new LocalApicUnderTest() {
            @Override
            public void fixedInterrupt(int vector) {
                apic.accept(new InterruptMessage(DeliveryMode.FIXED, vector, false, 0, false,
                        InterruptMessage.Shorthand.NONE, false, true));
            }

            @Override
            public void write(int offset, int value) {
                apic.mmioWrite(offset, 4, value & 0xFFFF_FFFFL);
            }

            @Override
            public int read(int offset) {
                return (int) apic.mmioRead(offset, 4);
            }

            @Override
            public boolean hasInterrupt() {
                return apic.hasInterrupt();
            }

            @Override
            public int acknowledge() {
                return apic.acknowledgeInterrupt();
            }
        };
    }

    @Override
    public PitUnderTest pit() {
        ManualClock clock = new ManualClock();
        TimerQueue timers = new TimerQueue(clock);
        boolean[] irq0 = new boolean[1];
        Intel8254 pit = new Intel8254(timers, level -> irq0[0] = level);
        return new PitUnderTest() {
            @Override
            public void ioWrite(int port, int value) {
                pit.ioWrite(port, 1, value);
            }

            @Override
            public int ioRead(int port) {
                return pit.ioRead(port, 1);
            }

            @Override
            public void setGate(int counter, boolean level) {
                pit.setGate(counter, level);
            }

            @Override
            public boolean out(int counter) {
                return pit.output(counter);
            }

            @Override
            public boolean irq0() {
                return irq0[0];
            }

            @Override
            public void pulse() {
                pulses(1);
            }

            @Override
            public void advanceNanos(long nanos) {
                clock.advance(nanos);
                timers.runExpired();
            }

            @Override
            public void pulses(long n) {
                long now = clock.nanos();
                long target = Intel8254.timeOfClockEdge(Intel8254.clockEdgesAt(now) + n);
                clock.advance(target - now);
                timers.runExpired();
            }
        };
    }
}
