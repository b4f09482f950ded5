package dev.hvspec.properties.chipset;

import dev.hvspec.machine.chipset.Intel8254;
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
 * timers) must agree with the stepped model. The properties run against {@link InterruptTimerChipsSpi}.
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
        InterruptTimerChipsSpi.PitUnderTest pit = ChipsUnderTest.get().pit();
        pit.advanceNanos(startNanos); // anywhere between two pulses

        pit.ioWrite(Intel8254.CONTROL_WORD, 0x30 | mode << 1); // counter 0, LSB then MSB, binary
        pit.ioWrite(Intel8254.COUNTER0, count & 0xFF);
        pit.ioWrite(Intel8254.COUNTER0, count >>> 8);
        SteppedCounter model = new SteppedCounter(mode, count);
        check(pit, model, "after programming");

        for (Op op : ops) {
            switch (op) {
                case Op.Pulses p -> {
                    for (int i = 0; i < p.n(); i++) {
                        pit.pulse();
                        model.pulse();
                    }
                }
                case Op.Gate g -> {
                    pit.setGate(0, g.level());
                    model.setGate(g.level());
                }
                case Op.NewCount c -> {
                    pit.ioWrite(Intel8254.COUNTER0, c.count() & 0xFF);
                    pit.ioWrite(Intel8254.COUNTER0, c.count() >>> 8);
                    model.writeCount(c.count());
                }
            }
            check(pit, model, "after " + op);
        }
    }

    private static void check(InterruptTimerChipsSpi.PitUnderTest pit, SteppedCounter model, String when) {
        assertThat(pit.out(0)).as("OUT0 %s", when).isEqualTo(model.out);
        assertThat(pit.irq0()).as("IRQ 0 %s", when).isEqualTo(model.out);
        if (model.loaded) {
            pit.ioWrite(Intel8254.CONTROL_WORD, 0x00); // counter latch command
            int lsb = pit.ioRead(Intel8254.COUNTER0);
            int msb = pit.ioRead(Intel8254.COUNTER0);
            assertThat(msb << 8 | lsb).as("CE %s", when).isEqualTo(model.ce & 0xFFFF);
        }
    }

    /** How a count is written and read: the control word's RW field (8254 datasheet, Control Word Format). */
    enum Access {
        LSB_ONLY(1), MSB_ONLY(2), LSB_THEN_MSB(3);

        final int rw;

        Access(int rw) {
            this.rw = rw;
        }
    }

    /**
     * Mode 0 counting arithmetic in both number systems, for any count and any access mode (8254
     * datasheet: "Mode 0: Interrupt on Terminal Count" — the count is loaded on the CLK pulse after
     * it is written and then decremented on every pulse, continuing past terminal count;
     * "Counter Latch Command" and "Read Operations" read in the access mode programmed; a count of
     * 0 is the maximum, 2^16 in binary and 10^4 in BCD; "Read-Back Command" status: OUTPUT, NULL
     * COUNT, RW, M, BCD). After the load pulse and k more pulses, CE = (N - k) mod base and OUT is
     * high from the pulse that brought CE to 0.
     */
    @Property(tries = 1500)
    @Label("mode 0 counter arithmetic in binary and BCD, every access mode, with read-back status")
    @Tag("i8254-mode-0") @Tag("i8254-control-word") @Tag("i8254-counter-latch") @Tag("i8254-read-back")
    void modeZeroArithmeticInBinaryAndBcd(@ForAll boolean bcd, @ForAll Access access,
                                          @ForAll @IntRange(min = 0, max = 0xFFFF) int raw,
                                          @ForAll @IntRange(min = 0, max = 40_000) int k) {
        int base = bcd ? 10_000 : 0x1_0000;
        // What the guest writes: the bytes its access mode carries, each a valid BCD pair when BCD.
        int lsb = access == Access.MSB_ONLY ? 0 : encode(raw & 0xFF, bcd, 100);
        int msb = access == Access.LSB_ONLY ? 0 : encode(raw >>> 8, bcd, 100);
        int written = bcd ? decodeBcd(msb) * 100 + decodeBcd(lsb) : msb << 8 | lsb;
        int n = written == 0 ? base : written;

        InterruptTimerChipsSpi.PitUnderTest pit = ChipsUnderTest.get().pit();
        pit.ioWrite(Intel8254.CONTROL_WORD, access.rw << 4 | (bcd ? 1 : 0)); // counter 0, mode 0
        if (access != Access.MSB_ONLY) {
            pit.ioWrite(Intel8254.COUNTER0, lsb);
        }
        if (access != Access.LSB_ONLY) {
            pit.ioWrite(Intel8254.COUNTER0, msb);
        }
        int status = readBackStatus(pit);
        assertThat(status & 0x3F).as("RW, M, BCD").isEqualTo(access.rw << 4 | (bcd ? 1 : 0));
        assertThat(status & 0x40).as("NULL COUNT before the load pulse").isEqualTo(0x40);
        assertThat(status & 0x80).as("OUTPUT low after the count is written").isZero();

        pit.pulse(); // the count moves from CR to CE
        pit.pulses(k);
        int ce = Math.floorMod(n - k, base);
        int expected = bcd ? (ce / 1000 << 12 | ce / 100 % 10 << 8 | ce / 10 % 10 << 4 | ce % 10) : ce;
        boolean out = k >= n;

        pit.ioWrite(Intel8254.CONTROL_WORD, 0x00); // counter latch command, counter 0
        int read = switch (access) {
            case LSB_ONLY -> pit.ioRead(Intel8254.COUNTER0);
            case MSB_ONLY -> pit.ioRead(Intel8254.COUNTER0) << 8;
            case LSB_THEN_MSB -> pit.ioRead(Intel8254.COUNTER0) | pit.ioRead(Intel8254.COUNTER0) << 8;
        };
        int mask = switch (access) {
            case LSB_ONLY -> 0x00FF;
            case MSB_ONLY -> 0xFF00;
            case LSB_THEN_MSB -> 0xFFFF;
        };
        assertThat(read).as("CE %d pulses after loading %d (%s)", k, n, bcd ? "BCD" : "binary").isEqualTo(expected & mask);
        assertThat(pit.out(0)).as("OUT0").isEqualTo(out);
        assertThat(pit.irq0()).as("IRQ 0").isEqualTo(out);
        status = readBackStatus(pit);
        assertThat(status & 0x40).as("NULL COUNT after the load pulse").isZero();
        assertThat((status & 0x80) != 0).as("OUTPUT in the status").isEqualTo(out);
    }

    /** Read-back command (D7-D6 = 11), COUNT# = 1 (no count latch), STATUS# = 0, counter 0. */
    private static int readBackStatus(InterruptTimerChipsSpi.PitUnderTest pit) {
        pit.ioWrite(Intel8254.CONTROL_WORD, 0b1110_0010);
        return pit.ioRead(Intel8254.COUNTER0);
    }

    /** A byte of the count: binary as is, or the value mod 100 as two BCD digits. */
    private static int encode(int value, boolean bcd, int modulus) {
        if (!bcd) {
            return value;
        }
        int v = value % modulus;
        return v / 10 << 4 | v % 10;
    }

    private static int decodeBcd(int b) {
        return (b >> 4) * 10 + (b & 0xF);
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
