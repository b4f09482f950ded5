package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.net.VirtioNet;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virtio-net receive-side scaling and hash reporting scenarios (virtio 1.3 §5.1.6.4, §5.1.6.5):
 * the RSS_CONFIG and HASH_CONFIG structures built from their fields, test packets named by their
 * flow ({@code tcp4 66.9.149.187:2794 > 161.142.100.80:1766}, {@code udp4 ...}, {@code tcp6
 * [3ffe::7]:2794 > [3ffe::1]:1766}, {@code arp}), and the received header read back with its
 * hash_value and hash_report. Control commands go through {@link VirtioNetSteps}.
 */
public final class VirtioNetRssSteps {
    private final VirtioBench virtio;
    private final VirtioNetSteps netSteps;
    private RecordingNetBackend network;
    private final Map<Integer, Map<Integer, SplitRingDriver.Element>> buffers = new HashMap<>();

    public VirtioNetRssSteps(VirtioBench virtio, VirtioNetSteps netSteps) {
        this.virtio = virtio;
        this.netSteps = netSteps;
    }

    @Given("a virtio-net device with MAC {word} and {int} queue pairs for receive-side scaling on PCI")
    public void device(String mac, int pairs) {
        network = new RecordingNetBackend();
        virtio.attach(new VirtioNet(network, FrameSpec.mac(mac), pairs), false);
    }

    /** le32 hash_types, le16 indirection_table_mask, le16 unclassified_queue, le16 table[], le16 max_tx_vq, u8 key length, key. */
    @When("the driver sends RSS_CONFIG with hash types {word}, indirection table {string}, unclassified queue {int}, max_tx_vq {int} and key {word}")
    public void rssConfig(String types, String table, int unclassified, int maxTxVq, String key) throws GuestMemoryFault {
        String[] entries = table.trim().split("\\s+");
        byte[] k = key.equals("none") ? new byte[0] : Hex.bytes(key);
        ByteBuffer b = ByteBuffer.allocate(8 + 2 * entries.length + 3 + k.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Values.parseInt(types)).putShort((short) (entries.length - 1)).putShort((short) unclassified);
        for (String e : entries) {
            b.putShort((short) Integer.parseInt(e));
        }
        b.putShort((short) maxTxVq).put((byte) k.length).put(k);
        netSteps.control(4, 1, Hex.of(b.array()));
    }

    /** le32 hash_types, le16 reserved[4], u8 hash_key_length, key. */
    @When("the driver sends HASH_CONFIG with hash types {word}, reserved word {word} and key {word}")
    public void hashConfig(String types, String reserved, String key) throws GuestMemoryFault {
        byte[] k = Hex.bytes(key);
        ByteBuffer b = ByteBuffer.allocate(13 + k.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(Values.parseInt(types)).putShort((short) Values.parseInt(reserved)).putShort((short) 0).putInt(0)
                .put((byte) k.length).put(k);
        netSteps.control(4, 2, Hex.of(b.array()));
    }

    @When("the driver posts {int} receive buffers of {int} bytes on each of the virtqueues {string}")
    public void post(int count, int bytes, String queues) throws GuestMemoryFault {
        for (String q : queues.trim().split("\\s+")) {
            int queue = Integer.parseInt(q);
            for (int i = 0; i < count; i++) {
                SplitRingDriver.Element e = virtio.element(bytes, true, null);
                int head = virtio.submit(queue, List.of(e));
                buffers.computeIfAbsent(queue, x -> new HashMap<>()).put(head, e);
            }
        }
    }

    @When("the network delivers the test packet {string}")
    public void deliver(String packet) throws UnknownHostException {
        assertThat(network.deliver(packet(packet))).as("packet taken by the device").isTrue();
    }

    private boolean lastTaken;

    @When("the network offers the test packet {string}")
    public void offer(String packet) throws UnknownHostException {
        lastTaken = network.deliver(packet(packet));
    }

    @Then("the device dropped the test packet")
    public void dropped() {
        assertThat(lastTaken).as("packet taken by the device").isFalse();
    }

    @When("the driver transmits the test packet {string} on virtqueue {int} after a {int}-byte header")
    public void transmit(String packet, int queue, int headerBytes) throws Exception {
        byte[] p = packet(packet);
        virtio.submit(queue, List.of(virtio.element(headerBytes, false, new byte[headerBytes]), virtio.element(p.length, false, p)));
    }

    @Then("the network received the test packet {string} unchanged")
    public void networkGot(String packet) throws UnknownHostException {
        List<byte[]> sent = network.transmitted();
        assertThat(sent).isNotEmpty();
        assertThat(Hex.of(sent.get(sent.size() - 1))).isEqualTo(Hex.of(packet(packet)));
    }

    /** The one packet virtqueue {@code queue} returned: a {@code headerBytes} header, then the packet. */
    private ByteBuffer received(int queue, String packet, int headerBytes) throws Exception {
        List<SplitRingDriver.Used> used = virtio.used(queue);
        assertThat(used).as("used buffers of virtqueue %d", queue).hasSize(1);
        SplitRingDriver.Element e = buffers.getOrDefault(queue, Map.of()).get(used.get(0).id());
        assertThat(e).as("a receive buffer posted on virtqueue %d", queue).isNotNull();
        byte[] expected = packet(packet);
        assertThat(used.get(0).length()).as("used length").isEqualTo(headerBytes + expected.length);
        byte[] got = virtio.ram().read(e.address(), headerBytes + expected.length);
        byte[] payload = new byte[expected.length];
        System.arraycopy(got, headerBytes, payload, 0, payload.length);
        assertThat(Hex.of(payload)).as("packet after the header").isEqualTo(Hex.of(expected));
        ByteBuffer h = ByteBuffer.wrap(got, 0, headerBytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.getShort(10) & 0xFFFF).as("num_buffers").isEqualTo(1);
        return h;
    }

    @Then("virtqueue {int} received {string} after a 12-byte header")
    public void receivedPlain(int queue, String packet) throws Exception {
        received(queue, packet, 12);
    }

    @Then("virtqueue {int} received {string} with hash_value {word} and hash_report {int}")
    public void receivedWithHash(int queue, String packet, String value, int report) throws Exception {
        ByteBuffer h = received(queue, packet, 20);
        assertThat(Values.hex(h.getInt(12) & 0xFFFF_FFFFL)).as("hash_value").isEqualTo(Values.hex(Values.parse(value)));
        assertThat(h.getShort(16) & 0xFFFF).as("hash_report").isEqualTo(report);
        assertThat(h.getShort(18) & 0xFFFF).as("padding_reserved").isZero();
    }

    @Then("virtqueues {string} received nothing")
    public void nothing(String queues) throws GuestMemoryFault {
        for (String q : queues.trim().split("\\s+")) {
            assertThat(virtio.used(Integer.parseInt(q))).as("used buffers of virtqueue %s", q).isEmpty();
        }
    }

    // ---- test packets ----

    static byte[] packet(String text) throws UnknownHostException {
        String[] t = text.trim().split("\\s+");
        ByteBuffer b = ByteBuffer.allocate(1600);
        b.put(FrameSpec.mac("52:54:00:12:34:56")).put(FrameSpec.mac("52:54:00:00:00:99"));
        if (t[0].equals("arp")) {
            b.putShort((short) 0x0806).put(new byte[46]);
            return slice(b);
        }
        int protocol = t[0].startsWith("tcp") ? 6 : 17;
        boolean v6 = t[0].endsWith("6");
        String[] src = endpoint(t[1]);
        String[] dst = endpoint(t[3]);
        byte[] s = InetAddress.getByName(src[0]).getAddress();
        byte[] d = InetAddress.getByName(dst[0]).getAddress();
        int l4 = protocol == 6 ? 20 : 8;
        int payload = 16;
        if (v6) {
            b.putShort((short) 0x86DD).putInt(0x6000_0000).putShort((short) (l4 + payload)).put((byte) protocol).put((byte) 64);
        } else {
            b.putShort((short) 0x0800).put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4 + payload))
                    .putShort((short) 1).putShort((short) 0x4000).put((byte) 64).put((byte) protocol).putShort((short) 0);
        }
        b.put(s).put(d).putShort((short) Integer.parseInt(src[1])).putShort((short) Integer.parseInt(dst[1]));
        if (protocol == 6) {
            b.putInt(1).putInt(0).putShort((short) 0x5010).putShort((short) 0xFFFF).putInt(0); // seq, ack, offset+ACK, window, csum+urg
        } else {
            b.putShort((short) (8 + payload)).putShort((short) 0);
        }
        for (int i = 0; i < payload; i++) {
            b.put((byte) i);
        }
        return slice(b);
    }

    private static String[] endpoint(String text) {
        int colon = text.lastIndexOf(':');
        return new String[] {text.substring(0, colon).replace("[", "").replace("]", ""), text.substring(colon + 1)};
    }

    private static byte[] slice(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }
}
