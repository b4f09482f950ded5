package dev.hvspec.vmm.e1000;

import java.util.Set;

/**
 * The statistics registers at 04000h-040FCh (8254x SDM §13.7): "All Statistics registers reset
 * when read. In addition, they stick at FFFFFFFFh when the maximum value is reached." The octet
 * counters GORC, GOTC, TOR and TOT are 64-bit, split into a low and a high register; the pair
 * "resets each time the upper 32 bits are read" (§13.7.31, §13.7.32) and sticks at all ones.
 *
 * <p>Frame sizes counted here are wire sizes, "from &lt;Destination Address&gt; through &lt;CRC&gt;,
 * inclusively": the backend's frames carry no FCS, so the device adds 4.
 */
final class Statistics {
    // §13.7.1 - §13.7.15 error and collision counters (only those the model can produce move).
    static final int CRCERRS = 0x4000;
    static final int MPC = 0x4010;
    static final int RLEC = 0x4040;
    // §13.7.21 - §13.7.26 receive size bins; §13.7.27 - §13.7.33.
    static final int PRC64 = 0x405C;
    static final int PRC127 = 0x4060;
    static final int PRC255 = 0x4064;
    static final int PRC511 = 0x4068;
    static final int PRC1023 = 0x406C;
    static final int PRC1522 = 0x4070;
    static final int GPRC = 0x4074;
    static final int BPRC = 0x4078;
    static final int MPRC = 0x407C;
    static final int GPTC = 0x4080;
    static final int GORCL = 0x4088;
    static final int GORCH = 0x408C;
    static final int GOTCL = 0x4090;
    static final int GOTCH = 0x4094;
    static final int RNBC = 0x40A0;
    static final int RUC = 0x40A4;
    static final int ROC = 0x40AC;
    static final int TORL = 0x40C0;
    static final int TORH = 0x40C4;
    static final int TOTL = 0x40C8;
    static final int TOTH = 0x40CC;
    static final int TPR = 0x40D0;
    static final int TPT = 0x40D4;
    static final int PTC64 = 0x40D8;
    static final int PTC127 = 0x40DC;
    static final int PTC255 = 0x40E0;
    static final int PTC511 = 0x40E4;
    static final int PTC1023 = 0x40E8;
    static final int PTC1522 = 0x40EC;
    static final int MPTC = 0x40F0;
    static final int BPTC = 0x40F4;
    static final int TSCTC = 0x40F8;
    static final int TSCTFC = 0x40FC;

    /** The low halves of the 64-bit octet counters. */
    private static final Set<Integer> LOW_HALVES = Set.of(GORCL, GOTCL, TORL, TOTL);

    private final long[] counts = new long[(E1000Registers.STATISTICS_LAST - E1000Registers.STATISTICS_FIRST) / 4 + 1];

    static boolean contains(int offset) {
        return offset >= E1000Registers.STATISTICS_FIRST && offset <= E1000Registers.STATISTICS_LAST;
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
    }

    /** Adds {@code n} to a counter (for a 64-bit pair, name the low half), sticking at the maximum. */
    void add(int offset, long n) {
        int i = index(offset);
        if (LOW_HALVES.contains(offset)) {
            long sum = counts[i] + n;
            counts[i] = Long.compareUnsigned(sum, counts[i]) < 0 ? -1L : sum;
        } else {
            counts[i] = Math.min(0xFFFF_FFFFL, counts[i] + n);
        }
    }

    void increment(int offset) {
        add(offset, 1);
    }

    /** A software read: the value, then the register (or the 64-bit pair, for a high half) clears. */
    int read(int offset) {
        int i = index(offset & ~3);
        if (LOW_HALVES.contains(offset & ~3)) {
            return (int) counts[i];
        }
        if (LOW_HALVES.contains((offset & ~3) - 4)) {
            long pair = counts[i - 1];
            counts[i - 1] = 0;
            return (int) (pair >>> 32);
        }
        long value = counts[i];
        counts[i] = 0;
        return (int) value;
    }

    /** The current value without clearing it (for the model's own accounting and tests). */
    long peek(int offset) {
        return counts[index(offset)];
    }

    /** Counts a frame of {@code wireBytes} (FCS included) into the receive or transmit size bins. */
    void countSize(boolean receive, int wireBytes) {
        int bin;
        if (wireBytes <= 64) {
            bin = receive ? PRC64 : PTC64;
        } else if (wireBytes <= 127) {
            bin = receive ? PRC127 : PTC127;
        } else if (wireBytes <= 255) {
            bin = receive ? PRC255 : PTC255;
        } else if (wireBytes <= 511) {
            bin = receive ? PRC511 : PTC511;
        } else if (wireBytes <= 1023) {
            bin = receive ? PRC1023 : PTC1023;
        } else {
            bin = receive ? PRC1522 : PTC1522;
        }
        increment(bin);
    }

    private static int index(int offset) {
        return (offset - E1000Registers.STATISTICS_FIRST) >>> 2;
    }
}
