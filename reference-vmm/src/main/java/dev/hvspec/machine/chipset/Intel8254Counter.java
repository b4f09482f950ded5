package dev.hvspec.machine.chipset;

/**
 * One counter of the Intel 8254 (datasheet order no. 231164, "Operational Description"): the
 * control logic, the count register CR, the counting element CE, the output latch OL and the
 * status latch, evaluated lazily on a grid of CLK edges.
 *
 * <p>Time: CLK runs at {@link #CLOCK_HZ}; edge n (n &ge; 1) happens at virtual time
 * {@code ceil(n * 1e9 / CLOCK_HZ)} ns, so {@link #edgeAt(long)} counts the edges up to a time. The
 * counter's behaviour since its last load is a closed-form function of the number of edges k
 * since that load ("segment": start edge S, value V loaded at S). Loads that the datasheet defers
 * to a later edge (the next CLK, the end of a period or half-cycle, the CLK after a trigger) wait
 * as a pending load and are applied when time reaches them.
 *
 * <p>Modes ("Mode Definitions"): 0 interrupt on terminal count, 1 hardware retriggerable one-shot,
 * 2 rate generator, 3 square wave, 4 software triggered strobe, 5 hardware triggered strobe. The
 * counter keeps decrementing after terminal count in modes 0, 1, 4 and 5 (wrapping), but OUT's
 * terminal event happens once per load. Mode 2 with the illegal count 1 keeps OUT low; mode 3
 * with count 1 keeps OUT high.
 *
 * <p>Not thread-safe: {@link Intel8254} synchronises.
 */
final class Intel8254Counter {
    /** The PC's PIT input clock: 14.31818 MHz / 12, as KVM and QEMU round it. */
    static final long CLOCK_HZ = 1_193_182;
    private static final long SECOND = 1_000_000_000L;

    // Read/write byte states, numbered as in Linux's i8254 (and kvm_pit_channel_state).
    static final int RW_LSB = 1;
    static final int RW_MSB = 2;
    static final int RW_WORD0 = 3;
    static final int RW_WORD1 = 4;

    /** CLK edges at or before virtual time {@code nanos}. */
    static long edgeAt(long nanos) {
        long n = Math.max(nanos, 0);
        return (n / SECOND) * CLOCK_HZ + (n % SECOND) * CLOCK_HZ / SECOND;
    }

    /** The virtual time of CLK edge {@code edge}: the first nanosecond at which {@link #edgeAt} reaches it. */
    static long timeOfEdge(long edge) {
        return (edge / CLOCK_HZ) * SECOND + ((edge % CLOCK_HZ) * SECOND + CLOCK_HZ - 1) / CLOCK_HZ;
    }

    // ---- programming and byte access (all in kvm_pit_channel_state)
    int count = 0x10000;   // CR as written; 0 is stored as 0x10000 (the largest count)
    int latchedCount;
    int countLatched;      // 0, or the RW state of the next byte of OL to read
    boolean statusLatched;
    int status;
    int readState = RW_LSB;
    int writeState = RW_LSB;
    int writeLatch;
    int rwMode = RW_LSB;
    int mode;
    boolean bcd;
    boolean gate = true;

    // ---- counting element (model state beyond kvm_pit_channel_state)
    boolean crValid;       // a complete count was written since the control word
    boolean loaded;        // CE has been loaded since the control word (false: waiting, CE frozen)
    boolean running;       // CE decrements on CLK edges (false: held by GATE)
    long segmentStart;     // edge S at which CE held segmentValue
    int segmentValue;      // V: CE at S (in counts, 0..modulus); the held value when not counting
    boolean armed;         // the terminal-count event of this load is still ahead (modes 0, 1, 4, 5)
    boolean lowHalf;       // mode 3: the segment starts with the low half-cycle
    boolean heldOut;       // OUT while held by GATE
    long pendingEdge = -1; // a deferred load: at this edge CE takes CR (as it is then)
    boolean pendingLowHalf;
    boolean nullCount = true;

    int modulus() {
        return bcd ? 10_000 : 0x10000;
    }

    /** The count CR holds, in counts: 0 means the modulus; BCD digits are decoded. */
    int initialValue() {
        int raw = count & 0xFFFF;
        if (raw == 0) {
            return modulus();
        }
        int value = bcd ? fromBcd(raw) % modulus() : raw;
        return value == 0 ? modulus() : value;
    }

    static int fromBcd(int raw) {
        return ((raw >>> 12) & 0xF) * 1000 + ((raw >>> 8) & 0xF) * 100 + ((raw >>> 4) & 0xF) * 10 + (raw & 0xF);
    }

    static int toBcd(int value) {
        return (value / 1000 % 10) << 12 | (value / 100 % 10) << 8 | (value / 10 % 10) << 4 | value % 10;
    }

    // ================================================================== evaluation at edge e

    /** Applies a pending load whose edge has come. */
    void sync(long e) {
        if (pendingEdge >= 0 && e >= pendingEdge) {
            long at = pendingEdge;
            pendingEdge = -1;
            load(at, initialValue(), pendingLowHalf);
        }
    }

    private void load(long edge, int value, boolean startLow) {
        loaded = true;
        segmentStart = edge;
        segmentValue = value;
        armed = true;
        lowHalf = startLow;
        nullCount = false; // "NULL COUNT ... 0 when CR is transferred to CE"
        running = mode == 1 || mode == 5 || gate; // GATE low disables counting in modes 0, 2, 3, 4
        if (!running) {
            heldOut = mode != 0; // a held count: mode 0 OUT low (terminal count ahead), others high
        }
    }

    /** Edges since the segment started (0 if a restored segment starts in the future). */
    private long since(long e) {
        return Math.max(0, e - segmentStart);
    }

    /** The counting element at edge {@code e} (after {@link #sync}), in counts 0..modulus-1. */
    int countingElement(long e) {
        if (!loaded || !running) {
            return segmentValue % modulus();
        }
        long k = since(e);
        int v = segmentValue;
        return switch (mode) {
            case 2 -> (int) (v - k % v) % modulus();
            case 3 -> squareWaveCount(k);
            default -> (int) Math.floorMod(v - k, (long) modulus());
        };
    }

    /** The OUT pin at edge {@code e} (after {@link #sync}). */
    boolean out(long e) {
        if (!loaded) {
            return mode != 0; // "OUT goes low" after a mode 0 control word, high in the others
        }
        if (!running) {
            return heldOut;
        }
        long k = since(e);
        int v = segmentValue;
        return switch (mode) {
            case 0 -> !(armed && k < v);             // low until terminal count, then high
            case 1 -> !(armed && k < v);             // low from the load after the trigger until 0
            case 2 -> v != 1 && k % v != v - 1;      // low for the one clock at count 1
            case 3 -> squareWaveHigh(k);
            default -> !(armed && k == v);           // 4, 5: low for one clock at count 0
        };
    }

    // Mode 3 ("Mode 3: Square Wave Mode"): even N: N/2 high, N/2 low, CE counts N, N-2, ..., 2.
    // Odd N: (N+1)/2 high with CE N-1, N-3, ..., 0; (N-1)/2 low with CE N-1, ..., 2.
    private int highLength() {
        return (segmentValue + 1) / 2;
    }

    private int lowLength() {
        return segmentValue / 2;
    }

    /** Position in the cycle: {high?, index within the half}. */
    private long[] squarePosition(long k) {
        int high = highLength();
        int low = lowLength();
        if (low == 0) {
            return new long[] {1, 0};
        }
        long pos = k % segmentValue;
        if (!lowHalf) {
            return pos < high ? new long[] {1, pos} : new long[] {0, pos - high};
        }
        return pos < low ? new long[] {0, pos} : new long[] {1, pos - low};
    }

    private boolean squareWaveHigh(long k) {
        return squarePosition(k)[0] == 1;
    }

    private int squareWaveCount(long k) {
        long j = squarePosition(k)[1];
        int n = segmentValue;
        long value = (n % 2 == 0 ? n : n - 1) - 2 * j;
        return (int) (value % modulus());
    }

    /** The first edge after {@code e} at which OUT may change, or -1 if it never will on its own. */
    long nextOutputChange(long e) {
        long next = -1;
        if (loaded && running) {
            long k = since(e);
            int v = segmentValue;
            next = switch (mode) {
                case 0, 1 -> armed && k < v ? segmentStart + v : -1;
                case 4, 5 -> !armed ? -1 : k < v ? segmentStart + v : k == v ? segmentStart + v + 1 : -1;
                case 2 -> v == 1 ? -1 : (k % v == v - 1 ? e + 1 : e + (v - 1 - k % v));
                default -> nextHalfBoundary(e);
            };
        }
        if (pendingEdge > e && (next < 0 || pendingEdge < next)) {
            next = pendingEdge;
        }
        return next;
    }

    /** Mode 3: the edge that ends the current half-cycle, or -1 when OUT stays high (count 1). */
    private long nextHalfBoundary(long e) {
        if (lowLength() == 0) {
            return -1;
        }
        long k = since(e);
        long[] position = squarePosition(k);
        long length = position[0] == 1 ? highLength() : lowLength();
        return e + (length - position[1]);
    }

    // ================================================================== operations at edge e

    /** "Control Word Format": a new mode resets the counter's control logic at once. */
    void writeControlWord(long e, int rw, int newMode, boolean newBcd) {
        sync(e);
        segmentValue = countingElement(e); // CE holds its value until a count is loaded
        loaded = false;
        running = false;
        pendingEdge = -1;
        crValid = false;
        armed = false;
        nullCount = true;
        rwMode = rw;
        readState = rw;
        writeState = rw;
        mode = newMode;
        bcd = newBcd;
        countLatched = 0;
        statusLatched = false;
    }

    /** A write to the counter's port ("Write Operations"). */
    void writeByte(long e, int value) {
        sync(e);
        value &= 0xFF;
        switch (writeState) {
            case RW_LSB -> writeCount(e, value);
            case RW_MSB -> writeCount(e, value << 8);
            case RW_WORD0 -> {
                writeLatch = value;
                writeState = RW_WORD1;
                if (mode == 0) {
                    hold(e); // mode 0: "writing the first byte disables counting; OUT is set low"
                }
            }
            default -> {
                writeState = RW_WORD0;
                writeCount(e, writeLatch | value << 8);
            }
        }
    }

    private void hold(long e) {
        if (loaded) {
            segmentValue = countingElement(e);
            loaded = false;
        }
        pendingEdge = -1;
    }

    private void writeCount(long e, int raw) {
        count = raw == 0 ? 0x10000 : raw;
        crValid = true;
        nullCount = true;
        switch (mode) {
            case 0 -> { // loaded on the next CLK; OUT low until the new terminal count
                hold(e);
                defer(e + 1, false);
            }
            case 2 -> {
                if (gate) { // with GATE low the count waits for GATE's rising edge, which reloads CR
                    defer(loaded && running ? nextPeriodStart(e) : e + 1, false);
                }
            }
            case 3 -> {
                if (!gate) {
                    return; // loaded by GATE's rising edge
                }
                if (loaded && running) {
                    long boundary = nextHalfBoundary(e);
                    if (boundary < 0) {
                        boundary = e + 1;
                    }
                    defer(boundary, squareWaveHigh(since(e)));
                } else {
                    defer(e + 1, false);
                }
            }
            case 4 -> defer(e + 1, false); // a new count restarts the strobe on the next CLK
            default -> { } // 1, 5: waits for a GATE trigger
        }
    }

    /** Mode 2: "a new count is loaded at the end of the current counting cycle". */
    private long nextPeriodStart(long e) {
        long k = since(e);
        return segmentStart + (k / segmentValue + 1) * segmentValue;
    }

    /** CR is transferred to CE at {@code edge} (the value CR holds then). */
    private void defer(long edge, boolean startLow) {
        pendingEdge = edge;
        pendingLowHalf = startLow;
    }

    /** The GATE input ("Gate" table: modes 0/4 enable, 2/3 enable and reload, 1/5 trigger). */
    void setGate(long e, boolean level) {
        sync(e);
        if (level == gate) {
            return;
        }
        gate = level;
        if (!level) {
            if (mode == 2 || mode == 3) {
                pendingEdge = -1; // counting and loading stop; GATE's rising edge reloads CR
            }
            if (mode == 1 || mode == 5 || !loaded || !running) {
                return;
            }
            boolean outNow = out(e);
            long k = since(e);
            int v = segmentValue;
            segmentValue = countingElement(e);
            armed = armed && k <= v; // a strobe under way at this pulse ends with the next counted pulse
            running = false;
            heldOut = mode == 2 || mode == 3 || outNow; // modes 2, 3: GATE low forces OUT high
            return;
        }
        switch (mode) {
            case 0, 4 -> {
                if (loaded && !running) {
                    segmentStart = e; // counting resumes from the held value on the next CLK
                    running = true;
                }
            }
            default -> { // 1, 2, 3, 5: the rising edge (re)loads CR on the next CLK
                if (crValid) {
                    defer(e + 1, false);
                }
            }
        }
    }

    /** "Counter Latch Command" and read-back COUNT: latches CE into OL unless already latched. */
    void latchCount(long e) {
        sync(e);
        if (countLatched == 0) {
            latchedCount = readableCount(e);
            countLatched = rwMode;
        }
    }

    /** "Read-Back Command" STATUS: OUT, NULL COUNT, RW1 RW0 M2 M1 M0 BCD. */
    void latchStatus(long e) {
        sync(e);
        if (!statusLatched) {
            status = (out(e) ? 0x80 : 0) | (nullCount ? 0x40 : 0) | rwMode << 4 | mode << 1 | (bcd ? 1 : 0);
            statusLatched = true;
        }
    }

    private int readableCount(long e) {
        int value = countingElement(e);
        return bcd ? toBcd(value) : value & 0xFFFF;
    }

    /** A read of the counter's port ("Read Operations"): status, then latched count, then CE. */
    int readByte(long e) {
        sync(e);
        if (statusLatched) {
            statusLatched = false;
            return status;
        }
        if (countLatched != 0) {
            int value = latchedCount;
            return switch (countLatched) {
                case RW_LSB -> {
                    countLatched = 0;
                    yield value & 0xFF;
                }
                case RW_MSB -> {
                    countLatched = 0;
                    yield value >>> 8 & 0xFF;
                }
                case RW_WORD0 -> {
                    countLatched = RW_WORD1;
                    yield value & 0xFF;
                }
                default -> {
                    countLatched = 0;
                    yield value >>> 8 & 0xFF;
                }
            };
        }
        int value = readableCount(e);
        return switch (readState) {
            case RW_LSB -> value & 0xFF;
            case RW_MSB -> value >>> 8 & 0xFF;
            case RW_WORD0 -> {
                readState = RW_WORD1;
                yield value & 0xFF;
            }
            default -> {
                readState = RW_WORD0;
                yield value >>> 8 & 0xFF;
            }
        };
    }
}
