package dev.hvspec.vmm.e1000;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * tshark (Wireshark's dissectors) as an independent oracle: frames the 82540EM produces are written
 * to a pcap file and tshark checks their IPv4, TCP and Ethernet FCS fields.
 */
class TsharkOracleTest {
    private static boolean tsharkPresent;

    @TempDir
    Path dir;

    @BeforeAll
    static void findTshark() {
        try {
            Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            tsharkPresent = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            tsharkPresent = false;
        }
    }

    @Test
    void tcpSegmentationOffloadProducesSegmentsTsharkAccepts() throws Exception {
        assumeTrue(tsharkPresent, "tshark (Wireshark) is needed as the oracle");
        E1000TestBench bench = new E1000TestBench(E1000Config.of(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}));
        byte[] packet = tcpPacket(3000);
        // As Linux's e1000_tso: IP total length and checksum 0, TCP checksum = pseudo-header sum without length.
        bench.sendWithContext(packet, 14, 24, 33, 34, 50, 0x07, 54, 1200, true, 0x03);
        assertThat(bench.sent).hasSize(3);

        List<String> lines = tshark(bench.sent, false,
                "ip.checksum.status", "tcp.checksum.status", "ip.len", "ip.id", "tcp.seq_raw", "tcp.len",
                "tcp.flags.push", "tcp.flags.fin");
        assertThat(lines).containsExactly(
                // checksum status 1 = Good; IP length 1200 + 40; id 0x1234 + n; seq 0x12345678 + n x 1200
                "1\t1\t1240\t0x1234\t305419896\t1200\t0\t0",
                "1\t1\t1240\t0x1235\t305421096\t1200\t0\t0",
                "1\t1\t640\t0x1236\t305422296\t600\t1\t1");
    }

    @Test
    void receivedFramesCarryAnFcsTsharkAccepts() throws Exception {
        assumeTrue(tsharkPresent, "tshark (Wireshark) is needed as the oracle");
        E1000TestBench bench = new E1000TestBench(E1000Config.of(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}));
        bench.setUpReceive(1 << 1 | 1 << 15);   // EN, BAM; SECRC clear: the FCS is stored
        List<byte[]> stored = new ArrayList<>();
        for (int length : new int[] {60, 61, 100, 1514}) {
            byte[] frame = new byte[length];
            for (int i = 0; i < 6; i++) {
                frame[i] = (byte) 0xFF;
            }
            frame[6] = 2;
            frame[11] = 1;
            frame[12] = (byte) 0x88;
            frame[13] = (byte) 0xB5;
            for (int i = 14; i < length; i++) {
                frame[i] = (byte) (i * 7);
            }
            assertThat(bench.deliver(frame)).isTrue();
            int index = stored.size();
            int written = bench.ram.readU16(E1000TestBench.RX_RING + 16L * index + 8);
            stored.add(bench.ram.read(E1000TestBench.RX_BUFFERS + 2048L * index, written));
        }
        List<String> lines = tshark(stored, true, "eth.fcs.status");
        assertThat(lines).containsExactly("1", "1", "1", "1");
    }

    private List<String> tshark(List<byte[]> frames, boolean withFcs, String... fields) throws Exception {
        Path pcap = dir.resolve("frames.pcap");
        Files.write(pcap, pcap(frames));
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
                "-o", "eth.fcs:" + (withFcs ? "Always" : "Never"), "-o", "eth.check_fcs:TRUE", "-T", "fields"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        Path errors = dir.resolve("tshark.err");
        Process p = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("tshark: %s", Files.readString(errors)).isZero();
        return out.lines().toList();
    }

    /** A classic libpcap file (magic a1b2c3d4, version 2.4, LINKTYPE_ETHERNET). */
    private static byte[] pcap(List<byte[]> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
        out.writeBytes(header.array());
        int second = 0;
        for (byte[] f : frames) {
            ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(second++).putInt(0).putInt(f.length).putInt(f.length);
            out.writeBytes(record.array());
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    /** Ethernet + IPv4 (id 1234h, 10.0.0.1 -> 10.0.0.2) + TCP (seq 12345678h, ACK|PSH|FIN) + payload, as e1000_tso prepares it. */
    private static byte[] tcpPacket(int payload) {
        byte[] f = new byte[54 + payload];
        byte[] dst = {0x52, 0x54, 0, 0x12, 0x34, 0x57};
        System.arraycopy(dst, 0, f, 0, 6);
        f[6] = 2;
        f[11] = 1;
        f[12] = 0x08;
        f[14] = 0x45;
        f[18] = 0x12;
        f[19] = 0x34;
        f[20] = 0x40;
        f[22] = 64;
        f[23] = 6;
        f[26] = 10;
        f[29] = 1;
        f[30] = 10;
        f[33] = 2;
        f[34] = 0x04;
        f[35] = (byte) 0xD2;
        f[37] = 80;
        f[38] = 0x12;
        f[39] = 0x34;
        f[40] = 0x56;
        f[41] = 0x78;
        f[46] = 0x50;
        f[47] = 0x19;
        f[48] = (byte) 0xFF;
        f[49] = (byte) 0xFF;
        // pseudo-header without length: 0a00 + 0001 + 0a00 + 0002 + 0006 = 1409h
        f[50] = 0x14;
        f[51] = 0x09;
        for (int i = 54; i < f.length; i++) {
            f[i] = (byte) i;
        }
        return f;
    }
}
