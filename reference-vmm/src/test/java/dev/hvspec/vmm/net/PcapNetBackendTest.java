package dev.hvspec.vmm.net;

import dev.hvspec.machine.time.ManualClock;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pcap backend against an independent reader: tshark (Wireshark) must open the file, see the
 * frames with their lengths, addresses and timestamps, and find the UDP checksum the virtio-net
 * device completed correct.
 */
class PcapNetBackendTest {
    @TempDir
    Path dir;

    /** An IPv4/UDP frame 10.0.0.1:1234 -> 10.0.0.2:5678 whose UDP checksum field holds only the pseudo-header sum. */
    static byte[] partialUdpFrame(int payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + payload);
        b.put(new byte[] {0x52, 0x54, 0, 0, 0, 2}).put(new byte[] {0x52, 0x54, 0, 0, 0, 1}).putShort((short) 0x0800);
        int ipStart = b.position();
        b.put((byte) 0x45).put((byte) 0).putShort((short) (28 + payload)).putShort((short) 7).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        byte[] a = b.array();
        int ipSum = fold(sum(a, ipStart, ipStart + 20));
        b.putShort(ipStart + 10, (short) ~ipSum);
        b.putShort((short) 1234).putShort((short) 5678).putShort((short) (8 + payload)).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) i);
        }
        long pseudo = sum(new byte[] {10, 0, 0, 1, 10, 0, 0, 2, 0, 17, 0, (byte) (8 + payload)}, 0, 12);
        b.putShort(ipStart + 26, (short) fold(pseudo));
        return b.array();
    }

    private static long sum(byte[] b, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i += 2) {
            s += (b[i] & 0xFF) << 8 | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        return s;
    }

    private static int fold(long s) {
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >> 16);
        }
        return (int) s;
    }

    @Test
    void fileHasTheClassicPcapHeaderAndRecords() throws IOException {
        Path file = dir.resolve("plain.pcap");
        ManualClock clock = new ManualClock();
        try (PcapNetBackend pcap = PcapNetBackend.sink(file, clock)) {
            clock.advance(1_500_000_000L);
            pcap.transmit(new byte[60]);
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        // pcap(5): magic, version 2.4, thiszone, sigfigs, snaplen, network (1 = Ethernet)
        assertThat(b.getInt(0)).isEqualTo(0xA1B2C3D4);
        assertThat(b.getShort(4)).isEqualTo((short) 2);
        assertThat(b.getShort(6)).isEqualTo((short) 4);
        assertThat(b.getInt(16)).isEqualTo(65535);
        assertThat(b.getInt(20)).isEqualTo(1);
        // record: ts_sec 1, ts_usec 500000, incl_len 60, orig_len 60
        assertThat(b.getInt(24)).isEqualTo(1);
        assertThat(b.getInt(28)).isEqualTo(500_000);
        assertThat(b.getInt(32)).isEqualTo(60);
        assertThat(b.getInt(36)).isEqualTo(60);
        assertThat(b.capacity()).isEqualTo(24 + 16 + 60);
    }

    @Test
    void tsharkReadsWhatVirtioNetTransmitted() throws Exception {
        Assumptions.assumeTrue(onPath("tshark"), "tshark (Wireshark) is not installed");
        Path file = dir.resolve("virtio-net.pcap");
        ManualClock clock = new ManualClock();
        try (PcapNetBackend pcap = PcapNetBackend.sink(file, clock)) {
            VirtioNetHarness vm = new VirtioNetHarness(pcap, new byte[] {0x52, 0x54, 0, 0, 0, 1});
            clock.advance(2_000_000_000L);
            vm.transmit(partialUdpFrame(37), 1, 34, 6); // NEEDS_CSUM: csum_start 34, csum_offset 6 (virtio 1.3 §5.1.6.2)
            clock.advance(1_000);
            vm.transmit(partialUdpFrame(100), 1, 34, 6);
        }
        List<String> lines = run("tshark", "-r", file.toString(), "-o", "udp.check_checksum:TRUE", "-T", "fields",
                "-E", "separator=,", "-e", "frame.len", "-e", "frame.time_relative", "-e", "eth.dst", "-e", "ip.src",
                "-e", "udp.dstport", "-e", "udp.checksum.status");
        assertThat(lines).hasSize(2);
        // udp.checksum.status 1 = "Good" in Wireshark's checksum status enumeration
        assertThat(lines.get(0)).isEqualTo("79,0.000000000,52:54:00:00:00:02,10.0.0.1,5678,1");
        assertThat(lines.get(1)).isEqualTo("142,0.000001000,52:54:00:00:00:02,10.0.0.1,5678,1");
    }

    @Test
    void tsharkReadsBothDirectionsOfATap() throws Exception {
        Assumptions.assumeTrue(onPath("tshark"), "tshark (Wireshark) is not installed");
        Path file = dir.resolve("tap.pcap");
        ManualClock clock = new ManualClock();
        try (PcapNetBackend tap = PcapNetBackend.tap(file, clock, new LoopbackNetBackend())) {
            VirtioNetHarness vm = new VirtioNetHarness(tap, new byte[] {0x52, 0x54, 0, 0, 0, 1});
            vm.transmit(partialUdpFrame(10), 1, 34, 6);
            assertThat(vm.received()).hasSize(1);
        }
        List<String> lines = run("tshark", "-r", file.toString(), "-T", "fields", "-e", "frame.len");
        assertThat(lines).containsExactly("52", "52");
    }

    @Test
    void theLoopbackPcapSpecIsALoopbackRecordedInBothDirections() throws Exception {
        Path file = dir.resolve("spec.pcap");
        byte[] frame = partialUdpFrame(10);
        List<byte[]> received = new java.util.ArrayList<>();
        try (NetBackend backend = NetBackends.create("loopback,pcap:" + file, new ManualClock())) {
            backend.connect(f -> received.add(f));
            backend.transmit(frame);
        }
        assertThat(received).singleElement().isEqualTo(frame);
        // The 24-byte file header, then two records (16-byte header + frame): sent and received back.
        assertThat(Files.size(file)).isEqualTo(24 + 2 * (16 + frame.length));
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    static List<String> run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("tshark finished").isTrue();
        assertThat(p.exitValue()).as("tshark exit status").isZero();
        return new String(out, StandardCharsets.UTF_8).lines().toList();
    }
}
