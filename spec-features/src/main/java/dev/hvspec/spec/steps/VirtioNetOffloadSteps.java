package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virtio-net transmit segmentation (virtio 1.3 §5.1.6.2, HOST_TSO4/TSO6/UFO/ECN). Packets are
 * built here as a Linux driver hands them over: Ethernet, IPv4 10.0.0.1 -> 10.0.0.2 (ID 4321h)
 * or IPv6 fd00::1 -> fd00::2, then TCP 4096 -> 80 (seq 1000, PSH|ACK) or UDP 5000 -> 6000,
 * payload bytes i mod 251, the transport checksum field seeded with the pseudo-header sum of
 * the whole packet. Checksums of what reaches the network are checked by the RFC 1071 sums
 * below, written independently of the device.
 */
public final class VirtioNetOffloadSteps {
    static final Map<String, Integer> GSO = Map.of("NONE", 0, "TCPV4", 1, "UDP", 3, "TCPV6", 4, "UDP_L4", 5,
            "TCPV4|ECN", 0x81, "TCPV6|ECN", 0x84);
    static final byte[] V4 = {10, 0, 0, 1, 10, 0, 0, 2};
    static final byte[] V6 = {(byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
            (byte) 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};

    private final VirtioBench virtio;
    private final VirtioNetSteps net;

    public VirtioNetOffloadSteps(VirtioBench virtio, VirtioNetSteps net) {
        this.virtio = virtio;
        this.net = net;
    }

    static byte[] packet(String kind, int payload, boolean cwr) {
        boolean v6 = kind.endsWith("IPv6");
        boolean tcp = kind.startsWith("TCP");
        int l4header = tcp ? 20 : 8;
        int l4len = l4header + payload;
        ByteBuffer b = ByteBuffer.allocate(14 + (v6 ? 40 : 20) + l4len);
        b.put(FrameSpec.mac("52:54:00:00:00:99")).put(FrameSpec.mac("52:54:00:12:34:56")).putShort((short) (v6 ? 0x86DD : 0x0800));
        if (v6) {
            b.putInt(0x6000_0000).putShort((short) l4len).put((byte) (tcp ? 6 : 17)).put((byte) 64).put(V6);
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4len)).putShort((short) 0x4321).putShort((short) 0)
                    .put((byte) 64).put((byte) (tcp ? 6 : 17)).putShort((short) 0).put(V4);
        }
        if (tcp) {
            b.putShort((short) 4096).putShort((short) 80).putInt(1000).putInt(1).put((byte) 0x50)
                    .put((byte) (0x18 | (cwr ? 0x80 : 0))).putShort((short) 0xFFFF).putInt(0);
        } else {
            b.putShort((short) 5000).putShort((short) 6000).putShort((short) l4len).putShort((short) 0);
        }
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i % 251));
        }
        byte[] a = b.array();
        int l4 = 14 + (v6 ? 40 : 20);
        int seed = fold(pseudo(a, v6, tcp ? 6 : 17, l4len));
        a[l4 + (tcp ? 16 : 6)] = (byte) (seed >>> 8);
        a[l4 + (tcp ? 16 : 6) + 1] = (byte) seed;
        return a;
    }

    @When("the driver transmits a {word} packet of {int} payload bytes on queue {int} with gso_type {word} and gso_size {int}")
    public void transmit(String kind, int payload, int queue, String gso, int gsoSize) throws GuestMemoryFault {
        send(packet(kind, payload, false), queue, 1, GSO.get(gso), gsoSize, 0);
    }

    @When("the driver transmits a {word} packet with CWR set of {int} payload bytes on queue {int} with gso_type {word} and gso_size {int}")
    public void transmitCwr(String kind, int payload, int queue, String gso, int gsoSize) throws GuestMemoryFault {
        send(packet(kind, payload, true), queue, 1, GSO.get(gso), gsoSize, 0);
    }

    @When("the driver transmits a {word} packet of {int} payload bytes on queue {int} with gso_type {word}, gso_size {int}, flags {int} and hdr_len {int}")
    public void transmitWithFlags(String kind, int payload, int queue, String gso, int gsoSize, int flags, int hdrLen)
            throws GuestMemoryFault {
        send(packet(kind, payload, false), queue, flags, GSO.get(gso), gsoSize, hdrLen);
    }

    private void send(byte[] frame, int queue, int flags, int gsoType, int gsoSize, int hdrLen) throws GuestMemoryFault {
        boolean v6 = (frame[12] & 0xFF) == 0x86;
        boolean tcp = (frame[v6 ? 20 : 23] & 0xFF) == 6;
        int csumStart = 14 + (v6 ? 40 : 20);
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) flags).put((byte) gsoType).putShort((short) hdrLen).putShort((short) gsoSize)
                .putShort((short) csumStart).putShort((short) (tcp ? 16 : 6)).putShort((short) 0);
        byte[] hdr = h.array();
        virtio.submit(queue, List.of(virtio.element(hdr.length, false, hdr), virtio.element(frame.length, false, frame)));
    }

    private List<byte[]> frames() {
        return net.network().transmitted();
    }

    @Then("the network frames carry TCP payloads of {string} bytes with sequence numbers following from 1000")
    public void tcpSegments(String lengths) {
        List<byte[]> f = frames();
        String[] expected = lengths.split(",\\s*");
        assertThat(f).hasSize(expected.length);
        long seq = 1000;
        for (int i = 0; i < f.size(); i++) {
            byte[] s = f.get(i);
            int l4 = l4(s);
            int len = s.length - l4 - 20;
            assertThat(len).as("segment %d payload", i).isEqualTo(Integer.parseInt(expected[i]));
            assertThat(ByteBuffer.wrap(s).getInt(l4 + 4) & 0xFFFF_FFFFL).as("segment %d seq", i).isEqualTo(seq);
            seq += len;
        }
    }

    @Then("every network frame has a valid IPv4 header checksum if IPv4 and a valid TCP or UDP checksum")
    public void checksumsValid() {
        for (byte[] s : frames()) {
            boolean v6 = (s[12] & 0xFF) == 0x86;
            if (!v6) {
                assertThat(fold(add(s, 14, 34))).as("IPv4 header checksum").isEqualTo(0xFFFF);
            }
            int proto = s[v6 ? 20 : 23] & 0xFF;
            assertThat(fold(pseudo(s, v6, proto, s.length - l4(s)) + add(s, l4(s), s.length))).as("TCP/UDP checksum")
                    .isEqualTo(0xFFFF);
        }
    }

    @Then("the IPv4 identifications of the network frames count up from 0x4321")
    public void ipIds() {
        List<byte[]> f = frames();
        for (int i = 0; i < f.size(); i++) {
            assertThat(u16(f.get(i), 18)).isEqualTo(0x4321 + i);
        }
    }

    @Then("the TCP flags of the network frames are {string}")
    public void tcpFlags(String flags) {
        String[] expected = flags.split(",\\s*");
        List<byte[]> f = frames();
        assertThat(f).hasSize(expected.length);
        for (int i = 0; i < f.size(); i++) {
            assertThat(Values.hex(f.get(i)[l4(f.get(i)) + 13] & 0xFF)).isEqualTo(Values.hex(Values.parse(expected[i])));
        }
    }

    @Then("the network frames are IP fragments of {string} payload bytes that reassemble into a datagram with a valid UDP checksum")
    public void fragments(String sizes) {
        List<byte[]> f = frames();
        String[] expected = sizes.split(",\\s*");
        assertThat(f).hasSize(expected.length);
        ByteArrayOutputStream datagram = new ByteArrayOutputStream();
        boolean v6 = (f.get(0)[12] & 0xFF) == 0x86;
        for (int i = 0; i < f.size(); i++) {
            byte[] s = f.get(i);
            int word = v6 ? u16(s, 56) : u16(s, 20);
            int offset = v6 ? word & 0xFFF8 : (word & 0x1FFF) * 8;
            boolean more = v6 ? (word & 1) != 0 : (word & 0x2000) != 0;
            int start = 14 + (v6 ? 48 : 20);
            assertThat(s.length - start).as("fragment %d payload", i).isEqualTo(Integer.parseInt(expected[i]));
            assertThat(offset).as("fragment %d offset", i).isEqualTo(datagram.size());
            assertThat(more).as("fragment %d MF", i).isEqualTo(i < f.size() - 1);
            if (!v6) {
                assertThat(fold(add(s, 14, 34))).as("IPv4 header checksum").isEqualTo(0xFFFF);
            }
            datagram.write(s, start, s.length - start);
        }
        byte[] d = datagram.toByteArray();
        assertThat(u16(d, 4)).as("UDP length").isEqualTo(d.length);
        assertThat(fold(pseudo(f.get(0), v6, 17, d.length) + add(d, 0, d.length))).as("UDP checksum").isEqualTo(0xFFFF);
    }

    private static int l4(byte[] s) {
        return 14 + ((s[12] & 0xFF) == 0x86 ? 40 : 20);
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long add(byte[] b, int from, int to) {
        long s = 0;
        for (int i = from; i < to; i += 2) {
            s += (b[i] & 0xFF) << 8 | (i + 1 < to ? b[i + 1] & 0xFF : 0);
        }
        return s;
    }

    private static int fold(long s) {
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >>> 16);
        }
        return (int) s;
    }

    private static long pseudo(byte[] frame, boolean v6, int proto, int length) {
        long s = v6 ? add(frame, 22, 54) : add(frame, 26, 34);
        return s + proto + (length & 0xFFFF) + (length >>> 16);
    }
}
