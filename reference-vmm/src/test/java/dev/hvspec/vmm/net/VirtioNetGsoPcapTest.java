package dev.hvspec.vmm.net;

import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.vmm.virtio.net.Packets;
import dev.hvspec.vmm.virtio.net.VirtioNet;
import dev.hvspec.vmm.virtio.net.VirtioNetSegmentation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virtio-net segmentation (HOST_TSO4/TSO6/UFO/ECN, virtio 1.3 §5.1.6.2) seen by an independent
 * oracle: a driver hands 64 KiB-class packets to the NIC, the pcap backend records the frames the
 * device cut, and tshark, with IP, TCP and UDP checksum validation on, reads them. Every segment's
 * checksums must be "Good" (status 1), lengths and sequence numbers must follow the MSS, and the
 * UDP fragments must reassemble (Wireshark's own IPv4/IPv6 reassembly) into one datagram with a good
 * UDP checksum.
 */
class VirtioNetGsoPcapTest {
    static final long OFFLOADS = 1L << VirtioNet.F_HOST_TSO4 | 1L << VirtioNet.F_HOST_TSO6 | 1L << VirtioNet.F_HOST_UFO
            | 1L << VirtioNet.F_HOST_ECN;

    @TempDir
    Path dir;

    private Path capture(String name, byte[] frame, int gsoType, int mss, int csumStart, int csumOffset) throws Exception {
        Path file = dir.resolve(name);
        ManualClock clock = new ManualClock();
        try (PcapNetBackend pcap = PcapNetBackend.sink(file, clock)) {
            VirtioNetHarness vm = new VirtioNetHarness(pcap, new byte[] {0x52, 0x54, 0, 0, 0, 1}, OFFLOADS);
            vm.transmit(frame, VirtioNet.HDR_F_NEEDS_CSUM, gsoType, mss, csumStart, csumOffset);
            assertThat(vm.nic.statistics()[1]).as("transmit drops").isZero();
        }
        return file;
    }

    private static List<String> tshark(Path file, String... fields) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-r", file.toString(),
                "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE", "-o", "ip.check_checksum:TRUE",
                "-o", "tcp.analyze_sequence_numbers:FALSE", "-T", "fields", "-E", "separator=,"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        return PcapNetBackendTest.run(cmd.toArray(String[]::new));
    }

    @Test
    void tso4SegmentsHaveGoodIpAndTcpChecksums() throws Exception {
        Assumptions.assumeTrue(PcapNetBackendTest.onPath("tshark"), "tshark (Wireshark) is not installed");
        // 20000 bytes at MSS 1460: 13 full segments and one of 20000 - 13 * 1460 = 1020.
        Path file = capture("tso4.pcap", Packets.tcp(false, 20000, 0x80), VirtioNetSegmentation.GSO_TCPV4
                | VirtioNetSegmentation.GSO_ECN, 1460, 34, 16);
        List<String> lines = tshark(file, "ip.len", "ip.id", "ip.checksum.status", "tcp.seq_raw", "tcp.len",
                "tcp.flags.cwr", "tcp.flags.push", "tcp.checksum.status");
        assertThat(lines).hasSize(14);
        for (int n = 0; n < 14; n++) {
            int len = n < 13 ? 1460 : 1020;
            String cwr = n == 0 ? "1" : "0";
            String psh = n == 13 ? "1" : "0";
            assertThat(lines.get(n)).isEqualTo((40 + len) + "," + "0x" + String.format("%04x", 0x4321 + n) + ",1,"
                    + (1000 + 1460L * n) + "," + len + "," + cwr + "," + psh + ",1");
        }
    }

    @Test
    void tso6SegmentsHaveGoodTcpChecksums() throws Exception {
        Assumptions.assumeTrue(PcapNetBackendTest.onPath("tshark"), "tshark (Wireshark) is not installed");
        Path file = capture("tso6.pcap", Packets.tcp(true, 5000, 0), VirtioNetSegmentation.GSO_TCPV6, 1440, 54, 16);
        List<String> lines = tshark(file, "ipv6.plen", "tcp.seq_raw", "tcp.len", "tcp.checksum.status");
        // 5000 = 3 * 1440 + 680
        assertThat(lines).containsExactly("1460,1000,1440,1", "1460,2440,1440,1", "1460,3880,1440,1", "700,5320,680,1");
    }

    @Test
    void ufoFragmentsReassembleIntoADatagramWithAGoodUdpChecksum() throws Exception {
        Assumptions.assumeTrue(PcapNetBackendTest.onPath("tshark"), "tshark (Wireshark) is not installed");
        for (boolean v6 : new boolean[] {false, true}) {
            Path file = capture(v6 ? "ufo6.pcap" : "ufo4.pcap", Packets.udp(v6, 3000), VirtioNetSegmentation.GSO_UDP,
                    1232, v6 ? 54 : 34, 6);
            // 3008 bytes of UDP datagram in IP payloads of 1232: 1232, 1232, 544 (offsets 0, 154, 308 units)
            List<String> lines = tshark(file, "frame.len", "udp.length", "udp.checksum.status");
            int ip = v6 ? 48 : 20;
            assertThat(lines).as(v6 ? "IPv6" : "IPv4").containsExactly(
                    (14 + ip + 1232) + ",,", (14 + ip + 1232) + ",,", (14 + ip + 544) + ",3008,1");
            if (!v6) {
                assertThat(tshark(file, "ip.checksum.status", "ip.frag_offset", "ip.flags.mf"))
                        .containsExactly("1,0,1", "1,154,1", "1,308,0"); // ip.frag_offset in 8-byte units
            }
        }
    }
}
