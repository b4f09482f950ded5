package dev.hvspec.vmm.virtio.net;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * An independent check of Internet checksums (RFC 1071): a correct header or segment sums, with
 * its checksum field and (for TCP/UDP) the pseudo-header, to FFFFh. Written for the tests, with
 * no code shared with the device.
 */
public final class Checksums {
    static final byte[] V4_SRC = {10, 0, 0, 1};
    static final byte[] V4_DST = {10, 0, 0, 2};
    static final byte[] V6_SRC = {(byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    static final byte[] V6_DST = {(byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    private Checksums() {
    }

    static long add(byte[] b, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i += 2) {
            s += (b[i] & 0xFF) << 8 | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        return s;
    }

    static int fold(long s) {
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    /** The pseudo-header sum taken from the packet's own addresses. */
    static long pseudo(byte[] frame, boolean v6, int proto, int length) {
        long s = v6 ? add(frame, 14 + 8, 14 + 40) : add(frame, 14 + 12, 14 + 20);
        return s + proto + (length & 0xFFFF) + (length >>> 16);
    }

    /** Whether the IPv4 header (if any) and the TCP/UDP checksum of a whole segment are right. */
    public static boolean transportValid(byte[] seg) {
        boolean v6 = (seg[12] & 0xFF) == 0x86;
        int l4 = 14 + (v6 ? 40 : 20);
        int proto = seg[v6 ? 14 + 6 : 14 + 9] & 0xFF;
        if (!v6 && fold(add(seg, 14, 34)) != 0xFFFF) {
            return false;
        }
        return fold(pseudo(seg, v6, proto, seg.length - l4) + add(seg, l4, seg.length)) == 0xFFFF;
    }

    /** Reassembles IP fragments in order (RFC 791 / RFC 8200) and checks the UDP checksum of the datagram. */
    public static boolean reassembledUdpValid(List<byte[]> fragments, boolean v6) {
        ByteArrayOutputStream datagram = new ByteArrayOutputStream();
        int expectedOffset = 0;
        for (int i = 0; i < fragments.size(); i++) {
            byte[] f = fragments.get(i);
            int word = v6 ? (f[14 + 40 + 2] & 0xFF) << 8 | (f[14 + 40 + 3] & 0xFF) : (f[14 + 6] & 0xFF) << 8 | (f[14 + 7] & 0xFF);
            int offset = v6 ? (word & 0xFFF8) : (word & 0x1FFF) * 8;
            boolean more = v6 ? (word & 1) != 0 : (word & 0x2000) != 0;
            if (offset != expectedOffset || more != (i < fragments.size() - 1)) {
                return false;
            }
            if (!v6 && fold(add(f, 14, 34)) != 0xFFFF) {
                return false;
            }
            int start = 14 + (v6 ? 48 : 20);
            datagram.write(f, start, f.length - start);
            expectedOffset += f.length - start;
        }
        byte[] d = datagram.toByteArray();
        byte[] first = fragments.get(0);
        long pseudo = pseudo(first, v6, 17, d.length);
        return fold(pseudo + add(d, 0, d.length)) == 0xFFFF && ((d[4] & 0xFF) << 8 | (d[5] & 0xFF)) == d.length;
    }
}
