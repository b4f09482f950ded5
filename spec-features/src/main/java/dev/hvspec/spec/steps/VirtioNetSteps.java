package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.net.EthernetSwitch;
import dev.hvspec.vmm.net.LoopbackNetBackend;
import dev.hvspec.vmm.net.NetBackend;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.net.VirtioNet;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virtio-net scenarios (virtio 1.3 §5.1) through the reference PCI driver, with a recording
 * backend on the network side unless a step plugs the NIC into a loopback or a switch. Frames
 * are described with {@link FrameSpec}. The virtio_net_hdr is 12 bytes: flags, gso_type,
 * hdr_len, gso_size, csum_start, csum_offset, num_buffers.
 */
public final class VirtioNetSteps {
    private final VirtioBench virtio;
    private RecordingNetBackend network;
    private VirtioNet net;
    private final Map<Integer, List<SplitRingDriver.Element>> receiveBuffers = new HashMap<>();
    private final Map<Integer, Map<Integer, SplitRingDriver.Element>> heads = new HashMap<>();
    private boolean lastDelivery;
    private long commandAck;
    private byte[] lastTransmitted;

    public VirtioNetSteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    @Given("a virtio-net device with MAC {word} on PCI")
    public void device(String mac) {
        attach(mac, 1, network = new RecordingNetBackend(), false);
    }

    @Given("a virtio-net device with MAC {word} and {int} queue pairs on PCI")
    public void deviceMq(String mac, int pairs) {
        attach(mac, pairs, network = new RecordingNetBackend(), false);
    }

    @Given("a virtio-net device with MAC {word} on PCI with a loopback cable")
    public void loopback(String mac) {
        attach(mac, 1, new LoopbackNetBackend(), false);
    }

    @Given("a transitional virtio-net device with MAC {word} on PCI")
    public void transitional(String mac) {
        attach(mac, 1, network = new RecordingNetBackend(), true);
    }

    private void attach(String mac, int pairs, NetBackend backend, boolean transitional) {
        net = new VirtioNet(backend, FrameSpec.mac(mac), pairs);
        virtio.attach(net, transitional);
    }

    VirtioNet net() {
        return net;
    }

    /** The recording backend, or null if the NIC is on a loopback or a switch. */
    RecordingNetBackend network() {
        return network;
    }

    @When("the driver adds {int} receive buffers of {int} bytes to queue {int}")
    public void receiveBuffers(int count, int bytes, int queue) throws GuestMemoryFault {
        for (int i = 0; i < count; i++) {
            SplitRingDriver.Element e = virtio.element(bytes, true, null);
            int head = virtio.submit(queue, List.of(e));
            receiveBuffers.computeIfAbsent(queue, q -> new ArrayList<>()).add(e);
            heads.computeIfAbsent(queue, q -> new HashMap<>()).put(head, e);
        }
    }

    private static byte[] header(int flags, int gso, int csumStart, int csumOffset) {
        ByteBuffer h = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        h.put((byte) flags).put((byte) gso).putShort((short) 0).putShort((short) 0)
                .putShort((short) csumStart).putShort((short) csumOffset).putShort((short) 0);
        return h.array();
    }

    @When("the driver transmits {string} on queue {int}")
    public void transmit(String frame, int queue) throws GuestMemoryFault {
        transmitWithHeader(frame, queue, 0, 0, 0, 0);
    }

    @When("the driver transmits {string} on queue {int} with header flags {int} gso {int} csum {int}+{int}")
    public void transmitWithHeader(String frame, int queue, int flags, int gso, int start, int offset) throws GuestMemoryFault {
        byte[] f = FrameSpec.parse(frame);
        lastTransmitted = f;
        byte[] h = header(flags, gso, start, offset);
        virtio.submit(queue, List.of(virtio.element(h.length, false, h), virtio.element(f.length, false, f)));
    }

    @When("the driver transmits {string} on queue {int} as one descriptor with the header")
    public void transmitOneDescriptor(String frame, int queue) throws GuestMemoryFault {
        byte[] f = FrameSpec.parse(frame);
        lastTransmitted = f;
        byte[] both = new byte[12 + f.length];
        System.arraycopy(f, 0, both, 12, f.length);
        virtio.submit(queue, List.of(virtio.element(both.length, false, both)));
    }

    @Then("the network received {int} frames from virtio-net")
    public void networkReceived(int count) {
        assertThat(network.transmitted()).hasSize(count);
    }

    @Then("the network received the frame as transmitted")
    public void networkReceivedSame() {
        List<byte[]> got = network.transmitted();
        assertThat(got).isNotEmpty();
        assertThat(Hex.of(got.get(got.size() - 1))).isEqualTo(Hex.of(lastTransmitted));
    }

    @Then("the frame on the network has a valid UDP checksum")
    public void validUdpChecksum() {
        List<byte[]> got = network.transmitted();
        assertThat(FrameSpec.udpChecksumValid(got.get(got.size() - 1))).as("UDP checksum (RFC 768)").isTrue();
    }

    @When("the network delivers {string}")
    public void deliver(String frame) {
        lastDelivery = network.deliver(FrameSpec.parse(frame));
    }

    @When("the network delivers {int} frames {string}")
    public void deliverMany(int count, String frame) {
        for (int i = 0; i < count; i++) {
            deliver(frame);
        }
    }

    @Then("the frame was taken by the device")
    public void taken() {
        assertThat(lastDelivery).isTrue();
    }

    @Then("the frame was dropped for lack of buffers")
    public void droppedNoBuffer() {
        assertThat(lastDelivery).isFalse();
    }

    @Then("queue {int} returned {int} used buffers")
    public void usedCount(int queue, int count) throws GuestMemoryFault {
        assertThat(virtio.used(queue)).hasSize(count);
    }

    /** Checks the used buffers of a receive queue: total length, header fields, payload. */
    @Then("queue {int} delivered {string} in {int} buffers with num_buffers {int}")
    public void received(int queue, String frame, int buffers, int numBuffers) throws GuestMemoryFault {
        List<SplitRingDriver.Used> used = virtio.used(queue);
        assertThat(used).as("used receive buffers").hasSize(buffers);
        byte[] expected = FrameSpec.parse(frame);
        ByteBuffer stream = ByteBuffer.allocate(12 + expected.length + (1 << 16));
        List<SplitRingDriver.Element> all = receiveBuffers.get(queue);
        for (SplitRingDriver.Used u : used) {
            SplitRingDriver.Element e = elementFor(queue, u.id());
            stream.put(virtio.ram().read(e.address(), (int) u.length()));
        }
        byte[] got = new byte[stream.position()];
        stream.flip().get(got);
        assertThat(got.length).as("bytes written").isEqualTo(12 + expected.length);
        ByteBuffer h = ByteBuffer.wrap(got, 0, 12).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(h.get(0)).as("flags").isZero();
        assertThat(h.get(1)).as("gso_type").isZero();
        assertThat(h.getShort(10) & 0xFFFF).as("num_buffers").isEqualTo(numBuffers);
        byte[] payload = new byte[expected.length];
        System.arraycopy(got, 12, payload, 0, payload.length);
        assertThat(Hex.of(payload)).isEqualTo(Hex.of(expected));
        assertThat(all).isNotNull();
    }

    @Then("every used buffer of queue {int} but the last was filled completely")
    public void filledCompletely(int queue) throws GuestMemoryFault {
        // checked on the entries collected by the previous step: re-read the used ring from the start
        var ring = virtio.splitQueue(queue);
        int idx = ring.usedIdx();
        for (int i = 0; i < idx - 1; i++) {
            SplitRingDriver.Used u = ring.usedEntry(i % ring.layout().size());
            assertThat(u.length()).as("used length of buffer %d", i).isEqualTo(elementFor(queue, u.id()).length());
        }
    }

    private SplitRingDriver.Element elementFor(int queue, int head) {
        SplitRingDriver.Element e = heads.getOrDefault(queue, Map.of()).get(head);
        assertThat(e).as("receive buffer with head %d on queue %d", head, queue).isNotNull();
        return e;
    }

    @When("the driver sends the control command class {int} command {int} with data {word}")
    public void control(int cls, int cmd, String data) throws GuestMemoryFault {
        byte[] d = data.equals("none") ? new byte[0] : Hex.bytes(data);
        byte[] command = new byte[2 + d.length];
        command[0] = (byte) cls;
        command[1] = (byte) cmd;
        System.arraycopy(d, 0, command, 2, d.length);
        SplitRingDriver.Element ack = virtio.element(1, true, new byte[] {(byte) 0xFF});
        int ctrl = controlQueue();
        int head = virtio.submit(ctrl, List.of(virtio.element(command.length, false, command), ack));
        List<SplitRingDriver.Used> used = virtio.used(ctrl);
        assertThat(used).as("control command used").extracting(SplitRingDriver.Used::id).contains(head);
        commandAck = virtio.ram().readU8(ack.address());
    }

    private int controlQueue() {
        int queues = (int) virtio.driver.common(0x12, 2);
        boolean mq = (virtio.driver.negotiatedFeatures() & (1L << VirtioNet.F_MQ | 1L << VirtioNet.F_RSS)) != 0; // §5.1.2
        return mq ? queues - 1 : 2;
    }

    @Then("the control command is acknowledged with {word}")
    public void ack(String expected) {
        assertThat(commandAck == 0 ? "OK" : commandAck == 1 ? "ERR" : Values.hex(commandAck)).isEqualTo(expected);
    }

    @When("the host takes the link {word}")
    public void link(String state) {
        net.setLinkUp(state.equals("up"));
    }

    @When("the host asks the driver to announce itself")
    public void announce() {
        net.requestAnnouncement();
    }

    @Then("the device has transmitted {int} and dropped {int} frames")
    public void txStats(long sent, long dropped) {
        long[] s = net.statistics();
        assertThat(s[0]).as("transmitted").isEqualTo(sent);
        assertThat(s[1]).as("transmit drops").isEqualTo(dropped);
    }

    @Then("the device has received {int} and dropped {int} frames")
    public void rxStats(long received, long dropped) {
        long[] s = net.statistics();
        assertThat(s[2]).as("received").isEqualTo(received);
        assertThat(s[3]).as("receive drops").isEqualTo(dropped);
    }
}
