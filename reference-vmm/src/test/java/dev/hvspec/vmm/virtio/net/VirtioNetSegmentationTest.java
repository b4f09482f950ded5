package dev.hvspec.vmm.virtio.net;

import dev.hvspec.vmm.virtio.net.VirtioNetSegmentation.GsoRequest;
import dev.hvspec.vmm.virtio.net.VirtioNetSegmentation.Refused;
import dev.hvspec.vmm.virtio.net.VirtioNetSegmentation.Segments;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device-side segmentation for virtio-net (virtio 1.3 §5.1.6.2) against values worked out by hand
 * from RFC 791/793/768 and against an independent checksum check written here (sum of the
 * pseudo-header and the transport bytes must fold to FFFFh). tshark checks the same through the
 * pcap backend in {@code dev.hvspec.vmm.net.VirtioNetGsoPcapTest}.
 */
class VirtioNetSegmentationTest {
    static final long TSO = 1L << VirtioNet.F_CSUM | 1L << VirtioNet.F_HOST_TSO4 | 1L << VirtioNet.F_HOST_TSO6
            | 1L << VirtioNet.F_HOST_UFO | 1L << VirtioNet.F_HOST_ECN;

    /**
     * Ethernet 52:54:00:00:00:01 -> :02, IPv4 10.0.0.1 -> 10.0.0.2, ID 1234h, DF, TTL 64; TCP
     * 4096 -> 80, seq 100h, data offset 5, flags PSH|ACK (18h), window 2000h; payload "ABCDEF".
     * The driver left garbage in both checksum fields: the device must not use them.
     */
    static byte[] smallTcp4() {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 20 + 6);
        b.put(new byte[] {0x52, 0x54, 0, 0, 0, 2, 0x52, 0x54, 0, 0, 0, 1}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 46).putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 6).putShort((short) 0xBEEF).put(new byte[] {10, 0, 0, 1, 10, 0, 0, 2});
        b.putShort((short) 4096).putShort((short) 80).putInt(0x100).putInt(0).put((byte) 0x50).put((byte) 0x18)
                .putShort((short) 0x2000).putShort((short) 0xDEAD).putShort((short) 0);
        b.put("ABCDEF".getBytes());
        return b.array();
    }

    static byte[] header(int flags, int gsoType, int gsoSize) {
        return new byte[] {(byte) flags, (byte) gsoType, 0, 0, (byte) gsoSize, (byte) (gsoSize >>> 8), 0, 0, 0, 0, 0, 0};
    }

    static List<byte[]> cut(byte[] frame, int gsoType, int mss, long features) {
        var r = VirtioNetSegmentation.segment(GsoRequest.of(header(1, gsoType, mss)), frame, features, 7);
        assertThat(r).isInstanceOf(Segments.class);
        return ((Segments) r).frames();
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    @Test
    void tcpv4SegmentsMatchTheHandComputedHeaders() {
        List<byte[]> s = cut(smallTcp4(), VirtioNetSegmentation.GSO_TCPV4, 4, TSO);
        assertThat(s).hasSize(2);
        byte[] a = s.get(0);
        byte[] b = s.get(1);
        assertThat(a).hasSize(14 + 40 + 4);
        assertThat(b).hasSize(14 + 40 + 2);
        // IPv4: Total Length 44 / 42, ID 1234h / 1235h.
        assertThat(u16(a, 16)).isEqualTo(44);
        assertThat(u16(b, 16)).isEqualTo(42);
        assertThat(u16(a, 18)).isEqualTo(0x1234);
        assertThat(u16(b, 18)).isEqualTo(0x1235);
        // Header checksum by hand, segment 1: 4500+002C+1234+4000+4006+0A00+0001+0A00+0002 = EB69, ~ = 1496.
        assertThat(u16(a, 24)).isEqualTo(0x1496);
        // Segment 2: total length 002A and ID 1235: sum EB68, ~ = 1497.
        assertThat(u16(b, 24)).isEqualTo(0x1497);
        // TCP: seq 100h then 104h; PSH only in the last segment (flags 10h then 18h).
        assertThat(ByteBuffer.wrap(a).getInt(38)).isEqualTo(0x100);
        assertThat(ByteBuffer.wrap(b).getInt(38)).isEqualTo(0x104);
        assertThat(a[47]).isEqualTo((byte) 0x10);
        assertThat(b[47]).isEqualTo((byte) 0x18);
        // TCP checksum by hand, segment 1: pseudo 0A00+0001+0A00+0002+0006+0018 = 1421; header
        // 1000+0050+0100+5010+2000 = 8160; data 4142+4344 = 8486; 1421+8160+8486 = 11A07 -> 1A08; ~ = E5F7.
        assertThat(u16(a, 50)).isEqualTo(0xE5F7);
        // Segment 2: pseudo with length 16h = 141F; header with seq 104h, flags 18h = 816C; data 4546;
        // total DAD1; ~ = 252E.
        assertThat(u16(b, 50)).isEqualTo(0x252E);
        assertThat(new String(a, 54, 4)).isEqualTo("ABCD");
        assertThat(new String(b, 54, 2)).isEqualTo("EF");
    }

    @Test
    void ecnKeepsCwrInTheFirstSegmentOnly() {
        byte[] f = smallTcp4();
        f[47] = (byte) 0x98; // CWR | PSH | ACK
        List<byte[]> s = cut(f, VirtioNetSegmentation.GSO_TCPV4 | VirtioNetSegmentation.GSO_ECN, 2, TSO);
        assertThat(s).hasSize(3);
        assertThat(s.get(0)[47]).isEqualTo((byte) 0x90);
        assertThat(s.get(1)[47]).isEqualTo((byte) 0x10);
        assertThat(s.get(2)[47]).isEqualTo((byte) 0x18);
        s.forEach(seg -> assertThat(Checksums.transportValid(seg)).isTrue());
    }

    @Test
    void everyGsoTypeGivesValidChecksumsForLargePackets() {
        for (boolean v6 : new boolean[] {false, true}) {
            List<byte[]> tcp = cut(Packets.tcp(v6, 9000, 0), v6 ? VirtioNetSegmentation.GSO_TCPV6 : VirtioNetSegmentation.GSO_TCPV4,
                    1448, TSO);
            assertThat(tcp).hasSize(7); // 9000 = 6 * 1448 + 312
            assertThat(tcp).allSatisfy(seg -> assertThat(Checksums.transportValid(seg)).as("TCP checksum").isTrue());
            assertThat(tcp.get(6).length).isEqualTo(14 + (v6 ? 40 : 20) + 20 + 312);
            List<byte[]> frags = cut(Packets.udp(v6, 4000), VirtioNetSegmentation.GSO_UDP, 1480, TSO);
            // 4008 bytes of UDP datagram in pieces of 1480: 1480 + 1480 + 1048
            assertThat(frags).hasSize(3);
            assertThat(Checksums.reassembledUdpValid(frags, v6)).isTrue();
        }
    }

    @Test
    void requestsTheDriverMustNotMakeAreRefused() {
        byte[] f = smallTcp4();
        long csumOnly = 1L << VirtioNet.F_CSUM;
        assertThat(VirtioNetSegmentation.segment(GsoRequest.of(header(1, 1, 4)), f, csumOnly, 1)).isInstanceOf(Refused.class);
        assertThat(VirtioNetSegmentation.segment(GsoRequest.of(header(0, 1, 4)), f, TSO, 1)).isInstanceOf(Refused.class);
        assertThat(VirtioNetSegmentation.segment(GsoRequest.of(header(1, 1, 0)), f, TSO, 1)).isInstanceOf(Refused.class);
        assertThat(VirtioNetSegmentation.segment(GsoRequest.of(header(1, 4, 4)), f, TSO, 1)).isInstanceOf(Refused.class);
        assertThat(VirtioNetSegmentation.segment(GsoRequest.of(header(1, 5, 4)), f, TSO, 1)).isInstanceOf(Refused.class);
        assertThat(VirtioNetSegmentation.segment(GsoRequest.of(header(1, 0x81, 4)), f,
                TSO & ~(1L << VirtioNet.F_HOST_ECN), 1)).isInstanceOf(Refused.class);
        // truncated headers: every prefix of the packet is refused or cut, never an exception
        for (int n = 0; n < f.length; n++) {
            byte[] p = java.util.Arrays.copyOf(f, n);
            assertThat(VirtioNetSegmentation.segment(GsoRequest.of(header(1, 1, 4)), p, TSO, 1)).isNotNull();
        }
    }
}
