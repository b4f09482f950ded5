package dev.hvspec.vmm.e1000;

/**
 * The Internet checksum of RFC 1071: the 16-bit one's complement of the one's complement sum of
 * the data taken as big-endian 16-bit words, an odd last byte padded with a zero byte. It is what
 * the 82540EM inserts for IP, TCP and UDP checksum offload (8254x SDM §3.3.5, §3.5).
 */
public final class InternetChecksum {
    private InternetChecksum() {
    }

    /**
     * The one's complement sum (not complemented, folded to 16 bits) of {@code data[from..to]}
     * inclusive, words aligned at {@code from}, plus {@code initial}.
     */
    public static int sum(byte[] data, int from, int toInclusive, int initial) {
        long s = initial & 0xFFFF;
        int i = from;
        for (; i + 1 <= toInclusive; i += 2) {
            s += (data[i] & 0xFF) << 8 | (data[i + 1] & 0xFF);
        }
        if (i == toInclusive) {
            s += (data[i] & 0xFF) << 8;
        }
        return fold(s);
    }

    /** Adds two 16-bit values in one's complement arithmetic. */
    public static int add(int a, int b) {
        return fold((a & 0xFFFFL) + (b & 0xFFFFL));
    }

    /** Folds the carries of a sum back into 16 bits (RFC 1071 §4.1 "end around carry"). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Reads a big-endian 16-bit field. */
    static int get16(byte[] data, int at) {
        return (data[at] & 0xFF) << 8 | (data[at + 1] & 0xFF);
    }

    /** Writes a big-endian 16-bit field. */
    static void put16(byte[] data, int at, int value) {
        data[at] = (byte) (value >>> 8);
        data[at + 1] = (byte) value;
    }

    /**
     * Checksum offload as the 82540EM does it (§3.3.3 CSO/CSS, §3.3.5 IPCSS/IPCSO/IPCSE and
     * TUCSS/TUCSO/TUCSE): sums the frame from {@code start} through {@code end} inclusive (0 means
     * "to the end of the packet"), with whatever software left in the checksum field as the seed,
     * adds {@code extra} (the TCP/UDP length of a TSO segment, else 0) and stores the complement
     * at {@code offset}. A range or offset outside the frame is the driver's error: nothing is
     * inserted, and the frame goes out as it is.
     */
    static void insert(byte[] frame, int length, int start, int end, int offset, int extra) {
        int last = end == 0 || end >= length ? length - 1 : end;
        if (start >= length || start > last || offset + 2 > length) {
            return;
        }
        int s = add(sum(frame, start, last, 0), extra);
        put16(frame, offset, ~s & 0xFFFF);
    }
}
