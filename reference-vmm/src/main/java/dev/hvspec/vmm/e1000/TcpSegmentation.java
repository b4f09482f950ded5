package dev.hvspec.vmm.e1000;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.hvspec.vmm.e1000.InternetChecksum.get16;
import static dev.hvspec.vmm.e1000.InternetChecksum.put16;

/**
 * TCP segmentation offload as the 8254x SDM §3.5 describes it, as a pure function of the packet
 * software handed over (HDRLEN bytes of headers, then the payload) and the offload context.
 *
 * <p>Each segment is the header followed by at most MSS bytes of payload, in order. In the copy of
 * the header of segment {@code n} (§3.5.9):
 * <ul>
 *   <li>IPv4 (TUCMD.IP): Total Length = HDRLEN - IPCSS + payload, Identification = the original
 *       + n (mod 2^16);</li>
 *   <li>IPv6: Payload Length = HDRLEN - IPCSS + payload, the SDM's formula taken as written;</li>
 *   <li>TCP (TUCMD.TCP): Sequence Number = the original + n * MSS; PSH and FIN are cleared in every
 *       segment but the last;</li>
 *   <li>UDP: Length = HDRLEN - TUCSS + payload;</li>
 *   <li>with POPTS.IXSM the IP checksum and with POPTS.TXSM the TCP/UDP checksum are computed
 *       per segment. Software seeds the TCP/UDP checksum field with the pseudo-header sum without
 *       the length, and the device adds "TCP Length = Payload + HDRLEN - TUCSS" (§3.5 Figure 3-13
 *       text).</li>
 * </ul>
 * A context the segmentation cannot follow (MSS 0, HDRLEN 0 or beyond the packet, header fields
 * outside the header) is refused as a whole: nothing is sent. A packet without payload gives one
 * header-only segment.
 */
public final class TcpSegmentation {
    private static final int TCP_FLAGS = 13;
    private static final int TCP_FIN = 0x01;
    private static final int TCP_PSH = 0x08;

    private TcpSegmentation() {
    }

    /** Why the context cannot segment a packet of {@code length} bytes, or empty if it can. */
    public static Optional<String> refusal(OffloadContext c, int length) {
        if (c.mss() == 0) {
            return Optional.of("MSS is 0");
        }
        if (c.hdrlen() == 0) {
            return Optional.of("HDRLEN is 0");
        }
        if (c.hdrlen() > length) {
            return Optional.of("HDRLEN " + c.hdrlen() + " beyond the packet of " + length + " bytes");
        }
        if (c.ipcss() + 6 > c.hdrlen()) {
            return Optional.of("IP length/identification fields beyond HDRLEN");
        }
        if (c.tucss() + (c.tcp() ? TCP_FLAGS + 1 : 6) > c.hdrlen()) {
            return Optional.of("TCP/UDP fields beyond HDRLEN");
        }
        return Optional.empty();
    }

    /**
     * The segments of {@code packet[0..length)}; the context must have passed {@link #refusal}.
     *
     * @param ipChecksum POPTS.IXSM: insert the IP header checksum in each segment
     * @param l4Checksum POPTS.TXSM: insert the TCP/UDP checksum in each segment
     */
    public static List<byte[]> segment(byte[] packet, int length, OffloadContext c, boolean ipChecksum, boolean l4Checksum) {
        if (refusal(c, length).isPresent()) {
            throw new IllegalArgumentException("context cannot segment: " + refusal(c, length).get());
        }
        int hdrlen = c.hdrlen();
        int payload = length - hdrlen;
        int count = Math.max(1, (payload + c.mss() - 1) / c.mss());
        byte[] header = Arrays.copyOf(packet, hdrlen);
        int ipId = get16(header, c.ipcss() + 4);
        long sequence = c.tcp() ? (get16(header, c.tucss() + 4) & 0xFFFFL) << 16 | get16(header, c.tucss() + 6) : 0;
        int flags = c.tcp() ? header[c.tucss() + TCP_FLAGS] & 0xFF : 0;
        List<byte[]> segments = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            int from = hdrlen + n * c.mss();
            int chunk = Math.min(c.mss(), length - from);
            chunk = Math.max(chunk, 0);
            boolean last = n == count - 1;
            byte[] seg = new byte[hdrlen + chunk];
            System.arraycopy(header, 0, seg, 0, hdrlen);
            System.arraycopy(packet, from, seg, hdrlen, chunk);
            if (c.ipv4()) {
                put16(seg, c.ipcss() + 2, hdrlen - c.ipcss() + chunk);
                put16(seg, c.ipcss() + 4, (ipId + n) & 0xFFFF);
            } else {
                put16(seg, c.ipcss() + 4, hdrlen - c.ipcss() + chunk);
            }
            if (c.tcp()) {
                long seq = (sequence + (long) n * c.mss()) & 0xFFFF_FFFFL;
                put16(seg, c.tucss() + 4, (int) (seq >>> 16));
                put16(seg, c.tucss() + 6, (int) seq);
                seg[c.tucss() + TCP_FLAGS] = (byte) (last ? flags : flags & ~(TCP_PSH | TCP_FIN));
            } else {
                put16(seg, c.tucss() + 4, hdrlen - c.tucss() + chunk);
            }
            if (ipChecksum && c.ipv4()) {
                InternetChecksum.insert(seg, seg.length, c.ipcss(), c.ipcse(), c.ipcso(), 0);
            }
            if (l4Checksum) {
                InternetChecksum.insert(seg, seg.length, c.tucss(), c.tucse(), c.tucso(), hdrlen - c.tucss() + chunk);
            }
            segments.add(seg);
        }
        return segments;
    }
}
