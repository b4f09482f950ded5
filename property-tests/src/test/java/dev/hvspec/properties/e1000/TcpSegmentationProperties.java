package dev.hvspec.properties.e1000;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static dev.hvspec.properties.e1000.E1000Harness.get16;
import static dev.hvspec.properties.e1000.E1000Harness.onesComplementSum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP segmentation offload of the 82540EM (8254x SDM §3.5, §3.5.9) on random IPv4/TCP packets,
 * with IP and TCP options, random addresses, ports, flags, identification and sequence numbers
 * (including wrap-around), as the Linux driver hands them over (e1000_tso: IP total length and
 * checksum 0, the TCP checksum seeded with the pseudo-header sum without the length; IPCSS at the
 * IP header, IPCSE just before the TCP header, TUCSE 0). Invariants:
 * <ul>
 *   <li>the concatenated segment payloads are the original payload; every segment carries at most
 *       MSS bytes, all but the last exactly MSS;</li>
 *   <li>sequence numbers are contiguous: each is the previous plus the previous payload;
 *       identifications count up by one from the original; IP Total Length is the segment's IP
 *       datagram length;</li>
 *   <li>PSH and FIN appear only in the last segment, the other flags in every one;</li>
 *   <li>each IP header checksum and each TCP checksum (over the pseudo-header with the segment's
 *       TCP length, RFC 793) verify by RFC 1071;</li>
 *   <li>all other header bytes are the original's.</li>
 * </ul>
 */
class TcpSegmentationProperties {
    private static final int FIN = 0x01;
    private static final int PSH = 0x08;

    record Packet(byte[] frame, int ipHeader, int tcpHeader, int mss) {
        int hdrlen() {
            return 14 + ipHeader + tcpHeader;
        }
    }

    @Property(tries = 1000)
    @Label("TSO segments reassemble to the payload, stay within MSS, and carry consistent, valid headers")
    @Tag("e1000-sdm-3.5") @Tag("e1000-sdm-3.5.9")
    void segmentation(@ForAll("packets") Packet p) throws Exception {
        E1000Harness nic = new E1000Harness();
        byte[] original = p.frame();
        int hdrlen = p.hdrlen();
        int tucss = 14 + p.ipHeader();
        nic.sendWithContext(original, 14, 24, tucss - 1, tucss, tucss + 16, 0, 0x07, hdrlen, p.mss(), true, 0x03);

        List<byte[]> segments = nic.sent;
        int payload = original.length - hdrlen;
        int expectedCount = Math.max(1, (payload + p.mss() - 1) / p.mss());
        assertThat(segments).hasSize(expectedCount);

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        long sequence = readU32(original, tucss + 4);
        int id = get16(original, 18);
        int flags = original[tucss + 13] & 0xFF;
        for (int n = 0; n < segments.size(); n++) {
            byte[] s = segments.get(n);
            boolean last = n == segments.size() - 1;
            int chunk = s.length - hdrlen;
            assertThat(chunk).as("payload of segment %d", n).isBetween(0, p.mss());
            if (!last) {
                assertThat(chunk).as("payload of segment %d", n).isEqualTo(p.mss());
            }
            joined.write(s, hdrlen, chunk);

            assertThat(get16(s, 16)).as("IP total length").isEqualTo(s.length - 14);
            assertThat(get16(s, 18)).as("IP identification").isEqualTo((id + n) & 0xFFFF);
            assertThat(readU32(s, tucss + 4)).as("sequence number").isEqualTo(sequence);
            sequence = (sequence + chunk) & 0xFFFF_FFFFL;
            int segmentFlags = s[tucss + 13] & 0xFF;
            assertThat(segmentFlags).as("flags").isEqualTo(last ? flags : flags & ~(PSH | FIN));

            assertThat(onesComplementSum(s, 14, tucss - 1)).as("IP header checksum verifies").isEqualTo(0xFFFF);
            int tcpLength = s.length - tucss;
            long sum = onesComplementSum(s, tucss, s.length - 1) + (long) onesComplementSum(s, 26, 33) + 6 + tcpLength;
            while (sum > 0xFFFF) {
                sum = (sum & 0xFFFF) + (sum >>> 16);
            }
            assertThat((int) sum).as("TCP checksum verifies").isEqualTo(0xFFFF);

            for (int i = 0; i < hdrlen; i++) {
                boolean updated = (i >= 16 && i < 20) || (i >= 24 && i < 26)
                        || (i >= tucss + 4 && i < tucss + 8) || i == tucss + 13 || (i >= tucss + 16 && i < tucss + 18);
                if (!updated) {
                    assertThat(s[i]).as("header byte %d of segment %d", i, n).isEqualTo(original[i]);
                }
            }
        }
        byte[] expectedPayload = new byte[payload];
        System.arraycopy(original, hdrlen, expectedPayload, 0, payload);
        assertThat(joined.toByteArray()).isEqualTo(expectedPayload);
    }

    @Provide
    Arbitrary<Packet> packets() {
        Arbitrary<Integer> ipWords = Arbitraries.integers().between(5, 15);
        Arbitrary<Integer> tcpWords = Arbitraries.integers().between(5, 15);
        Arbitrary<Integer> payload = Arbitraries.integers().between(0, 6000);
        Arbitrary<Integer> mss = Arbitraries.integers().between(8, 1460);
        return Combinators.combine(ipWords, tcpWords, payload, mss).flatAs((ihl, doff, length, m) ->
                Arbitraries.bytes().array(byte[].class).ofSize(14 + ihl * 4 + doff * 4 + length)
                        .map(bytes -> new Packet(shape(bytes, ihl, doff), ihl * 4, doff * 4, m)));
    }

    /** Makes random bytes an Ethernet/IPv4/TCP packet as Linux hands it to e1000_tso. */
    private static byte[] shape(byte[] f, int ihl, int doff) {
        E1000Harness.put16(f, 12, 0x0800);
        int ip = 14;
        f[ip] = (byte) (0x40 | ihl);
        E1000Harness.put16(f, ip + 2, 0);       // total length: the device fills it in
        f[ip + 9] = 6;                          // TCP
        E1000Harness.put16(f, ip + 10, 0);      // header checksum 0
        int tcp = ip + ihl * 4;
        f[tcp + 12] = (byte) (doff << 4);
        int pseudo = onesComplementSum(f, ip + 12, ip + 19) + 6; // without the TCP length
        while (pseudo > 0xFFFF) {
            pseudo = (pseudo & 0xFFFF) + (pseudo >>> 16);
        }
        E1000Harness.put16(f, tcp + 16, pseudo);
        return f;
    }

    private static long readU32(byte[] d, int at) {
        return (long) get16(d, at) << 16 | get16(d, at + 2);
    }
}
