package dev.hvspec.properties.chipset;

import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.math.BigInteger;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The 8254's lazily evaluated counter (closed-form arithmetic on CLK edges) against a direct
 * model that steps the datasheet's rules one CLK pulse at a time (Intel 8254 datasheet, "Mode 0"
 * to "Mode 5", "Gate" table, "Write Operations"): after every step, the counting element read
 * through the counter latch command, the OUT pin, and the level on IRQ 0 (driven through virtual
 * timers) must agree with the stepped model.
 */
class Intel8254CounterProperties {

    sealed interface Op {
        record Pulses(int n) implements Op { }
        record Gate(boolean level) implements Op { }
        record NewCount(int count) implements Op { }
    }

    @Provide
    Arbitrary<Op> ops() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 40).map(n -> (Op) new Op.Pulses(n))),
                Tuple.of(2, Arbitraries.of(true, false).map(g -> (Op) new Op.Gate(g))),
                Tuple.of(1, Arbitraries.integers().between(2, 30).map(c -> (Op) new Op.NewCount(c))));
    }

    /** The datasheet's modes, one CLK pulse at a time; binary counting, counts 2..65535. */
    static final class SteppedCounter {
        final int mode;
        int cr;
        int n;                   // the count CE is working with (CR as of the last load)
        int ce;
        boolean out;
        boolean gate = true;
        boolean loaded;          // CE holds a count (modes 0, 2, 3, 4) / a trigger happened (1, 5)
        boolean loadNextPulse;   // a count or a reload is due on the next pulse
        boolean armed;           // terminal count not yet signalled since the load
        boolean strobe;          // modes 4, 5: OUT is low for this one clock
        boolean highHalf;        // mode 3

        SteppedCounter(int mode, int count) {
            this.mode = mode;
            this.out = mode != 0; // after the control word
            writeCount(count);
        }

        void writeCount(int count) {
            cr = count;
            switch (mode) {
                case 0 -> {
                    out = false;
                    loaded = false;
                    loadNextPulse = true;
                }
                case 2, 3 -> {
                    if (!loaded) {
                        loadNextPulse = true;
                    } // otherwise CR is picked up by the next reload
                }
                case 4 -> loadNextPulse = true;
                default -> { } // 1, 5 wait for a trigger
            }
        }

        void setGate(boolean level) {
            boolean rising = level && !gate;
            gate = level;
            switch (mode) {
                case 1, 5 -> {
                    if (rising) {
                        loadNextPulse = true; // trigger
                    }
                }
                case 2, 3 -> {
                    if (!level) {
                        out = true; // GATE low forces OUT high and stops counting
                    } else if (rising && (loaded || loadNextPulse)) {
                        loadNextPulse = true; // reload on the next pulse
                    }
                }
                default -> { } // 0, 4: GATE only enables counting
            }
        }

        void pulse() {
            if (loadNextPulse && (mode != 2 && mode != 3 || gate)) {
                loadNextPulse = false;
                loaded = true;
                armed = true;
                if (strobe) {
                    strobe = false;
                    out = true;
                }
                switch (mode) {
                    case 1 -> {
                        ce = cr;
                        out = false;
                    }
                    case 3 -> {
                        n = cr;
                        ce = n % 2 == 0 ? n : n - 1;
                        highHalf = true;
                        out = true;
                    }
                    default -> ce = cr;
                }
                return;
            }
            if (!loaded) {
                return;
            }
            switch (mode) {
                case 0 -> {
                    if (gate) {
                        ce = (ce - 1) & 0xFFFF;
                        if (ce == 0 && armed) {
                            out = true;
                            armed = false;
                        }
                    }
                }
                case 1 -> {
                    ce = (ce - 1) & 0xFFFF;
                    if (ce == 0 && armed) {
                        out = true;
                        armed = false;
                    }
                }
                case 2 -> {
                    if (gate) {
                        if (ce == 1) {
                            ce = cr;
                            out = true;
                        } else {
                            ce--;
                            if (ce == 1) {
                                out = false;
                            }
                        }
                    }
                }
                case 3 -> {
                    if (gate) {
                        squareWavePulse();
                    }
                }
                default -> { // 4, 5
                    if (mode == 5 || gate) {
                        if (strobe) {
                            strobe = false;
                            out = true;
                        }
                        ce = (ce - 1) & 0xFFFF;
                        if (ce == 0 && armed) {
                            out = false;
                            strobe = true;
                            armed = false;
                        }
                    }
                }
            }
        }

        /**
         * "Mode 3": by twos; odd counts load N-1; OUT falls one pulse after the high half expires.
         * A new CR is picked up when a half-cycle ends.
         */
        private void squareWavePulse() {
            boolean odd = n % 2 == 1;
            if (highHalf && odd && ce == 0) {
                highHalf = false;
                out = false;
                reloadHalf();
                return;
            }
            ce -= 2;
            if (ce == 0 && !(highHalf && odd)) {
                highHalf = !highHalf;
                out = highHalf;
                reloadHalf();
            }
        }

        private void reloadHalf() {
            n = cr;
            ce = n % 2 == 0 ? n : n - 1;
        }
    }

    @Property(tries = 2000)
    @Label("lazy counter arithmetic equals a pulse-by-pulse model in every mode")
    @Tag("i8254-mode-0") @Tag("i8254-mode-1") @Tag("i8254-mode-2") @Tag("i8254-mode-3")
    @Tag("i8254-mode-4") @Tag("i8254-mode-5") @Tag("i8254-gate") @Tag("i8254-counter-latch")
    void lazyCounterMatchesSteppedModel(@ForAll @IntRange(min = 0, max = 5) int mode,
                                        @ForAll @IntRange(min = 2, max = 40) int count,
                                        @ForAll @IntRange(min = 0, max = 30) int startNanos,
                                        @ForAll @Size(max = 25) List<@From("ops") Op> ops) {
        ManualClock clock = new ManualClock();
        TimerQueue timers = new TimerQueue(clock);
        boolean[] irq0 = new boolean[1];
        Intel8254 pit = new Intel8254(timers, level -> irq0[0] = level);
        clock.advance(startNanos); // anywhere between two pulses
        timers.runExpired();

        pit.ioWrite(Intel8254.CONTROL_WORD, 1, 0x30 | mode << 1); // counter 0, LSB then MSB, binary
        pit.ioWrite(Intel8254.COUNTER0, 1, count & 0xFF);
        pit.ioWrite(Intel8254.COUNTER0, 1, count >>> 8);
        SteppedCounter model = new SteppedCounter(mode, count);
        check(pit, model, irq0, "after programming");

        for (Op op : ops) {
            switch (op) {
                case Op.Pulses p -> {
                    for (int i = 0; i < p.n(); i++) {
                        long now = clock.nanos();
                        long next = Intel8254.timeOfClockEdge(Intel8254.clockEdgesAt(now) + 1);
                        clock.advance(next - now);
                        model.pulse();
                    }
                    timers.runExpired();
                }
                case Op.Gate g -> {
                    pit.setGate(0, g.level());
                    model.setGate(g.level());
                }
                case Op.NewCount c -> {
                    pit.ioWrite(Intel8254.COUNTER0, 1, c.count() & 0xFF);
                    pit.ioWrite(Intel8254.COUNTER0, 1, c.count() >>> 8);
                    model.writeCount(c.count());
                }
            }
            check(pit, model, irq0, "after " + op);
        }
    }

    private static void check(Intel8254 pit, SteppedCounter model, boolean[] irq0, String when) {
        assertThat(pit.output(0)).as("OUT0 %s", when).isEqualTo(model.out);
        assertThat(irq0[0]).as("IRQ 0 %s", when).isEqualTo(model.out);
        if (model.loaded) {
            pit.ioWrite(Intel8254.CONTROL_WORD, 1, 0x00); // counter latch command
            int lsb = pit.ioRead(Intel8254.COUNTER0, 1);
            int msb = pit.ioRead(Intel8254.COUNTER0, 1);
            assertThat(msb << 8 | lsb).as("CE %s", when).isEqualTo(model.ce & 0xFFFF);
        }
    }

    @Property(tries = 1000)
    @Label("CLK edges and their times are inverse: edge n happens at ceil(n / 1.193182 MHz)")
    @Tag("i8254-read-operations")
    void edgeGridIsConsistent(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int edgeLow,
                              @ForAll @IntRange(min = 0, max = 5000) int highBits) {
        long edge = (long) highBits << 31 | edgeLow;
        long time = Intel8254.timeOfClockEdge(edge);
        assertThat(Intel8254.clockEdgesAt(time)).isEqualTo(edge);
        if (time > 0) {
            assertThat(Intel8254.clockEdgesAt(time - 1)).isEqualTo(edge - 1);
        }
        // independent check with exact arithmetic: time = ceil(edge * 1e9 / 1193182)
        BigInteger hz = BigInteger.valueOf(Intel8254.CLOCK_HZ);
        BigInteger exact = BigInteger.valueOf(edge).multiply(BigInteger.valueOf(1_000_000_000L))
                .add(hz.subtract(BigInteger.ONE)).divide(hz);
        assertThat(time).isEqualTo(exact.longValueExact());
    }
}
