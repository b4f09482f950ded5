package dev.hvspec.spec.steps;

import java.util.zip.CRC32;

/**
 * Frames for e1000 scenarios, built by hand from IEEE 802.3, RFC 791 and RFC 793, with the glue's
 * own RFC 1071 arithmetic (independent of the model's).
 */
final class EthernetFrames {
    /** The test network's station, 02:00:00:00:00:01 (locally administered). */
    private static final String SOURCE = "02:00:00:00:00:01";
    /** IEEE 802 "Local Experimental EtherType 1", for frames that are not IP. */
    static final int EXPERIMENTAL_ETHERTYPE = 0x88B5;
    /** CRC-32 (IEEE 802.3 §3.2.9) over a frame followed by its FCS leaves the residue 0xDEBB20E3; complemented, as the final XOR of CRC32 gives it, 0x2144DF1C. */
    static final long FCS_RESIDUE = 0x2144DF1CL;

    private EthernetFrames() {
    }

    static byte[] mac(String text) {
        String[] parts = text.split(":");
        byte[] mac = new byte[6];
        for (int i = 0; i < 6; i++) {
            mac[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return mac;
    }

    /** {@code length} bytes: destination, source, EtherType 88B5h, then bytes counting up from 0. */
    static byte[] frame(byte[] destination, int length) {
        byte[] f = new byte[length];
        System.arraycopy(destination, 0, f, 0, 6);
        System.arraycopy(mac(SOURCE), 0, f, 6, 6);
        put16(f, 12, EXPERIMENTAL_ETHERTYPE);
        for (int i = 14; i < length; i++) {
            f[i] = (byte) (i - 14);
        }
        return f;
    }

    /**
     * Ethernet + IPv4 (20 bytes, DF set, TTL 64, protocol 6, 10.0.0.1 -> 10.0.0.2) + TCP (20 bytes,
     * port 1234 -> 80, the given sequence number and flags, window 65535) + payload counting up.
     * The IP checksum field is 0 and the TCP checksum field holds {@code tcpSeed}.
     */
    static byte[] tcp(byte[] destination, int ipId, long sequence, int flags, int payload, int tcpSeed) {
        byte[] f = new byte[54 + payload];
        System.arraycopy(destination, 0, f, 0, 6);
        System.arraycopy(mac(SOURCE), 0, f, 6, 6);
        put16(f, 12, 0x0800);
        f[14] = 0x45;
        put16(f, 16, 40 + payload);
        put16(f, 18, ipId);
        put16(f, 20, 0x4000);
        f[22] = 64;
        f[23] = 6;
        byte[] addresses = {10, 0, 0, 1, 10, 0, 0, 2};
        System.arraycopy(addresses, 0, f, 26, 8);
        put16(f, 34, 1234);
        put16(f, 36, 80);
        put16(f, 38, (int) (sequence >>> 16));
        put16(f, 40, (int) sequence);
        f[46] = 0x50;
        f[47] = (byte) flags;
        put16(f, 48, 0xFFFF);
        put16(f, 50, tcpSeed);
        for (int i = 54; i < f.length; i++) {
            f[i] = (byte) (i - 54);
        }
        return f;
    }

    /** The IPv4 pseudo-header sum (RFC 793) of a frame built by {@link #tcp}, with the given TCP length. */
    static int pseudoHeaderSum(byte[] frame, int tcpLength) {
        long s = sum(frame, 26, 33) + 6 + tcpLength;
        return fold(s);
    }

    /** One's complement sum of {@code data[from..to]} (inclusive), RFC 1071 §1, folded to 16 bits. */
    static int sum(byte[] data, int from, int to) {
        long s = 0;
        for (int i = from; i <= to; i += 2) {
            int hi = data[i] & 0xFF;
            int lo = i + 1 <= to ? data[i + 1] & 0xFF : 0;
            s += hi << 8 | lo;
        }
        return fold(s);
    }

    static int fold(long s) {
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /** RFC 1071 §1 (verification): the sum over the header including its checksum is all ones. */
    static boolean ipv4HeaderVerifies(byte[] frame) {
        int ihl = (frame[14] & 0x0F) * 4;
        return sum(frame, 14, 14 + ihl - 1) == 0xFFFF;
    }

    /** The TCP checksum verifies over the pseudo-header and the segment (RFC 793). */
    static boolean tcpVerifies(byte[] frame) {
        int ihl = (frame[14] & 0x0F) * 4;
        int total = get16(frame, 16);
        int tcpLength = total - ihl;
        int start = 14 + ihl;
        long s = sum(frame, start, start + tcpLength - 1) + (long) pseudoHeaderSum(frame, tcpLength);
        return fold(s) == 0xFFFF;
    }

    /** CRC-32 over the frame and its 4 FCS bytes gives the residue of a good frame. */
    static boolean fcsVerifies(byte[] frameWithFcs) {
        CRC32 crc = new CRC32();
        crc.update(frameWithFcs);
        return crc.getValue() == FCS_RESIDUE;
    }

    static int get16(byte[] d, int at) {
        return (d[at] & 0xFF) << 8 | (d[at + 1] & 0xFF);
    }

    static void put16(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 8);
        d[at + 1] = (byte) v;
    }
}
