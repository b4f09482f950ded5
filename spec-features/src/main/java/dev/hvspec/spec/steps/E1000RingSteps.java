package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transmit and receive ring steps for the 82540EM: the driver writes descriptors and buffers into
 * guest RAM and rings the doorbell; the test network records what leaves and injects what
 * arrives. Frames are built by {@link EthernetFrames}.
 */
public final class E1000RingSteps {
    private static final byte CANARY = (byte) 0xA5;

    private final E1000Bench e1000;
    private int nextTxBuffer;
    private byte[] lastDelivered;
    private boolean lastAccepted;

    public E1000RingSteps(E1000Bench e1000) {
        this.e1000 = e1000;
    }

    // ---- transmit ----

    @Given("the driver has set up a transmit ring of {int} descriptors")
    public void txRing(int descriptors) {
        e1000.driver.configureTx(descriptors);
    }

    @When("the driver queues a {int}-byte frame to {word} in a legacy descriptor with command {word}")
    public void queueLegacyFrame(int length, String mac, String cmd) throws GuestMemoryFault {
        byte[] frame = EthernetFrames.frame(EthernetFrames.mac(mac), length);
        e1000.driver.queueLegacy(buffer(frame), length, Values.parseInt(cmd), 0, 0, 0);
    }

    @When("the driver queues a {int}-byte frame to {word} in {int} legacy descriptors, the last with command {word}")
    public void queueSplitFrame(int length, String mac, int parts, String cmd) throws GuestMemoryFault {
        byte[] frame = EthernetFrames.frame(EthernetFrames.mac(mac), length);
        int chunk = (length + parts - 1) / parts;
        for (int p = 0; p < parts; p++) {
            int from = p * chunk;
            int to = Math.min(length, from + chunk);
            long buffer = buffer(Arrays.copyOfRange(frame, from, to));
            e1000.driver.queueLegacy(buffer, to - from, p == parts - 1 ? Values.parseInt(cmd) : 0, 0, 0, 0);
        }
    }

    @When("the driver queues a {int}-byte frame to {word} in a legacy descriptor with command {word} and special {word}")
    public void queueTaggedFrame(int length, String mac, String cmd, String special) throws GuestMemoryFault {
        byte[] frame = EthernetFrames.frame(EthernetFrames.mac(mac), length);
        e1000.driver.queueLegacy(buffer(frame), length, Values.parseInt(cmd), 0, 0, Values.parseInt(special));
    }

    @When("the driver queues the bytes {word} in a legacy descriptor with command {word}, CSO {int} and CSS {int}")
    public void queueLegacyChecksum(String hex, String cmd, int cso, int css) throws GuestMemoryFault {
        byte[] bytes = Hex.bytes(hex);
        e1000.driver.queueLegacy(buffer(bytes), bytes.length, Values.parseInt(cmd), cso, css, 0);
    }

    @When("the driver queues a legacy descriptor of length {int} at address {word} with command {word}")
    public void queueRawLegacy(int length, String address, String cmd) throws GuestMemoryFault {
        e1000.driver.queueLegacy(Values.parse(address), length, Values.parseInt(cmd), 0, 0, 0);
    }

    /** Context for an Ethernet/IPv4/TCP frame of {@link EthernetFrames#tcp}: IPCSS 14, IPCSO 24, IPCSE 33, TUCSS 34, TUCSO 50. */
    @When("the driver queues a TCP\\/IP context with TUCMD {word}, HDRLEN {int}, MSS {int} and PAYLEN {int}")
    public void queueContext(String tucmd, int hdrlen, int mss, int paylen) throws GuestMemoryFault {
        e1000.driver.queueContext(14, 24, 33, 34, 50, 0, paylen, Values.parseInt(tucmd), hdrlen, mss);
    }

    @When("the driver queues a TCP segment of {int} payload bytes with IP id {word}, sequence {word} and flags {word} in a data descriptor with DCMD {word} and POPTS {word}")
    public void queueTcp(int payload, String id, String seq, String flags, String dcmd, String popts)
            throws GuestMemoryFault {
        boolean tso = (Values.parseInt(dcmd) & 0x04) != 0;
        byte[] frame = EthernetFrames.tcp(EthernetFrames.mac("52:54:00:12:34:57"), Values.parseInt(id),
                Values.parse(seq), Values.parseInt(flags), payload, 0);
        // Software seeds the TCP checksum with the pseudo-header sum: without the TCP length for TSO
        // (the device adds each segment's), with it otherwise (as Linux's CHECKSUM_PARTIAL does).
        int seed = EthernetFrames.pseudoHeaderSum(frame, tso ? 0 : 20 + payload);
        EthernetFrames.put16(frame, 50, seed);
        if (tso) {
            EthernetFrames.put16(frame, 16, 0); // Linux e1000_tso zeroes tot_len
        }
        e1000.driver.queueData(buffer(frame), frame.length, Values.parseInt(dcmd), Values.parseInt(popts), 0);
    }

    @When("the driver queues a data descriptor of length {int} at address {word} with DCMD {word}")
    public void queueRawData(int length, String address, String dcmd) throws GuestMemoryFault {
        e1000.driver.queueData(Values.parse(address), length, Values.parseInt(dcmd), 0, 0);
    }

    @When("the driver queues {int} data descriptors of length {int} at address {word} with DCMD {word}")
    public void queueRawDataMany(int count, int length, String address, String dcmd) throws GuestMemoryFault {
        for (int i = 0; i < count; i++) {
            queueRawData(length, address, dcmd);
        }
    }

    @When("the driver rings the transmit doorbell")
    public void ringTx() {
        e1000.driver.ringTx();
    }

    @Then("the e1000's link partner received {int} frame(s)")
    public void networkReceived(int count) {
        assertThat(e1000.network.sent).hasSize(count);
    }

    @Then("frame {int} on the network is {int} bytes long")
    public void frameLength(int n, int length) {
        assertThat(sent(n)).hasSize(length);
    }

    @Then("frame {int} on the network is the {int}-byte frame to {word}")
    public void frameIs(int n, int length, String mac) {
        assertThat(Hex.of(sent(n))).isEqualTo(Hex.of(EthernetFrames.frame(EthernetFrames.mac(mac), length)));
    }

    @Then("frame {int} on the network is the {int}-byte frame to {word} padded with zeros to {int} bytes")
    public void framePadded(int n, int length, String mac, int padded) {
        byte[] expected = Arrays.copyOf(EthernetFrames.frame(EthernetFrames.mac(mac), length), padded);
        assertThat(Hex.of(sent(n))).isEqualTo(Hex.of(expected));
    }

    @Then("frame {int} on the network has bytes {word} at offset {int}")
    public void frameBytes(int n, String hex, int offset) {
        byte[] want = Hex.bytes(hex);
        assertThat(Hex.of(Arrays.copyOfRange(sent(n), offset, offset + want.length))).isEqualTo(Hex.of(want));
    }

    @Then("frame {int} on the network has a valid IPv4 header checksum and TCP checksum")
    public void checksumsVerify(int n) {
        assertThat(EthernetFrames.ipv4HeaderVerifies(sent(n))).as("IPv4 header checksum").isTrue();
        assertThat(EthernetFrames.tcpVerifies(sent(n))).as("TCP checksum").isTrue();
    }

    @Then("frame {int} on the network carries payload bytes {int} to {int} of the segment")
    public void payloadSlice(int n, int from, int to) {
        byte[] frame = sent(n);
        byte[] expected = new byte[to - from + 1];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (byte) (from + i);
        }
        assertThat(Hex.of(Arrays.copyOfRange(frame, 54, frame.length))).isEqualTo(Hex.of(expected));
    }

    @Then("transmit descriptor {int} is done")
    public void txDone(int index) throws GuestMemoryFault {
        assertThat(e1000.driver.txDone(index)).as("DD of descriptor %d", index).isTrue();
    }

    @Then("transmit descriptor {int} is not done")
    public void txNotDone(int index) throws GuestMemoryFault {
        assertThat(e1000.driver.txDone(index)).as("DD of descriptor %d", index).isFalse();
    }

    // ---- receive ----

    @Given("the driver has set up a receive ring of {int} descriptors with RCTL {word} and RDT {int}")
    public void rxRing(int descriptors, String rctl, int tail) throws GuestMemoryFault {
        int value = Values.parseInt(rctl);
        e1000.driver.configureRx(descriptors, bufferSizeOf(value), value, tail);
        fillCanaries();
    }

    @When("receive descriptor {int} points at {word}")
    public void rxDescriptorAt(int index, String address) throws GuestMemoryFault {
        e1000.pci.ram.writeU64(e1000.driver.rxDescriptor(index), Values.parse(address));
    }

    @When("the network delivers a {int}-byte frame to {word}")
    public void deliver(int length, String mac) {
        lastDelivered = EthernetFrames.frame(EthernetFrames.mac(mac), length);
        lastAccepted = e1000.network.deliver(lastDelivered);
    }

    @When("the network delivers {int} {int}-byte frames to {word}")
    public void deliverMany(int count, int length, String mac) {
        for (int i = 0; i < count; i++) {
            deliver(length, mac);
        }
    }

    @When("the network delivers a {int}-byte frame to {word} tagged with VLAN TCI {word}")
    public void deliverTagged(int length, String mac, String tci) {
        byte[] untagged = EthernetFrames.frame(EthernetFrames.mac(mac), length - 4);
        byte[] f = new byte[length];
        System.arraycopy(untagged, 0, f, 0, 12);
        EthernetFrames.put16(f, 12, 0x8100);
        EthernetFrames.put16(f, 14, Values.parseInt(tci));
        System.arraycopy(untagged, 12, f, 16, untagged.length - 12);
        lastDelivered = f;
        lastAccepted = e1000.network.deliver(f);
    }

    @When("the network delivers a TCP\\/IPv4 frame with {int} payload bytes to {word}")
    public void deliverTcp(int payload, String mac) {
        deliverTcp(payload, mac, 0);
    }

    @When("the network delivers a TCP\\/IPv4 frame with {int} payload bytes to {word} and a TCP checksum off by one")
    public void deliverBadTcp(int payload, String mac) {
        deliverTcp(payload, mac, 1);
    }

    private void deliverTcp(int payload, String mac, int error) {
        byte[] f = EthernetFrames.tcp(EthernetFrames.mac(mac), 7, 1, 0x10, payload, 0);
        EthernetFrames.put16(f, 24, ~EthernetFrames.sum(f, 14, 33) & 0xFFFF);
        int tcpLength = 20 + payload;
        long sum = EthernetFrames.sum(f, 34, 34 + tcpLength - 1) + (long) EthernetFrames.pseudoHeaderSum(f, tcpLength);
        EthernetFrames.put16(f, 50, (~EthernetFrames.fold(sum) + error) & 0xFFFF);
        lastDelivered = f;
        lastAccepted = e1000.network.deliver(f);
    }

    @Then("the NIC reported the last frame as missed")
    public void missed() {
        assertThat(lastAccepted).as("receive() result").isFalse();
    }

    @Then("receive descriptor {int} has length {int}")
    public void rxLength(int index, int length) throws GuestMemoryFault {
        assertThat(e1000.pci.ram.readU16(e1000.driver.rxDescriptor(index) + 8)).as("length of descriptor %d", index)
                .isEqualTo(length);
    }

    @Then("receive descriptor {int} has status {word} under mask {word}")
    public void rxStatus(int index, String status, String mask) throws GuestMemoryFault {
        int value = e1000.pci.ram.readU8(e1000.driver.rxDescriptor(index) + 12) & Values.parseInt(mask);
        assertThat(Values.hex(value)).as("status of descriptor %d", index).isEqualTo(Values.hex(Values.parseInt(status)));
    }

    @Then("receive descriptor {int} has errors {word}")
    public void rxErrors(int index, String errors) throws GuestMemoryFault {
        int value = e1000.pci.ram.readU8(e1000.driver.rxDescriptor(index) + 13);
        assertThat(Values.hex(value)).as("errors of descriptor %d", index).isEqualTo(Values.hex(Values.parseInt(errors)));
    }

    @Then("receive descriptor {int} has special {word}")
    public void rxSpecial(int index, String special) throws GuestMemoryFault {
        assertThat(Values.hex(e1000.pci.ram.readU16(e1000.driver.rxDescriptor(index) + 14)))
                .isEqualTo(Values.hex(Values.parseInt(special)));
    }

    @Then("receive descriptor {int} is untouched")
    public void rxUntouched(int index) throws GuestMemoryFault {
        assertThat(e1000.pci.ram.readU64(e1000.driver.rxDescriptor(index) + 8)).isZero();
    }

    @Then("receive buffer {int} holds the last frame followed by its FCS")
    public void bufferHoldsFrameAndFcs(int index) throws GuestMemoryFault {
        byte[] stored = e1000.pci.ram.read(e1000.driver.rxBuffer(index), lastDelivered.length + 4);
        assertThat(Hex.of(Arrays.copyOf(stored, lastDelivered.length))).isEqualTo(Hex.of(lastDelivered));
        assertThat(EthernetFrames.fcsVerifies(stored)).as("CRC-32 residue over frame and FCS").isTrue();
    }

    @Then("receive buffer {int} holds bytes {int} to {int} of the last frame")
    public void bufferHoldsSlice(int index, int from, int to) throws GuestMemoryFault {
        byte[] stored = e1000.pci.ram.read(e1000.driver.rxBuffer(index), to - from + 1);
        assertThat(Hex.of(stored)).isEqualTo(Hex.of(Arrays.copyOfRange(lastDelivered, from, to + 1)));
    }

    @Then("receive buffer {int} holds the last frame without its VLAN tag")
    public void bufferHoldsUntagged(int index) throws GuestMemoryFault {
        byte[] expected = new byte[lastDelivered.length - 4];
        System.arraycopy(lastDelivered, 0, expected, 0, 12);
        System.arraycopy(lastDelivered, 16, expected, 12, lastDelivered.length - 16);
        byte[] stored = e1000.pci.ram.read(e1000.driver.rxBuffer(index), expected.length);
        assertThat(Hex.of(stored)).isEqualTo(Hex.of(expected));
    }

    /** The bytes right after each receive buffer's size still hold the canary the driver put there. */
    @Then("no receive buffer was written beyond its size")
    public void canariesIntact() throws GuestMemoryFault {
        for (int i = 0; i < e1000.driver.rxSize(); i++) {
            byte[] after = e1000.pci.ram.read(e1000.driver.rxBuffer(i) + e1000.driver.rxBufferSize(), 64);
            for (byte b : after) {
                assertThat(b).as("byte after buffer %d", i).isEqualTo(CANARY);
            }
        }
    }

    @Then("the network's echo went at most {int} level(s) deep")
    public void echoDepth(int depth) {
        assertThat(e1000.network.maxDepth).isLessThanOrEqualTo(depth);
    }

    @Given("the network echoes every frame back at once")
    public void echo() {
        e1000.network.echo = true;
    }

    // ---- helpers ----

    private byte[] sent(int n) {
        assertThat(e1000.network.sent.size()).as("frames sent").isGreaterThanOrEqualTo(n);
        return e1000.network.sent.get(n - 1);
    }

    private long buffer(byte[] bytes) throws GuestMemoryFault {
        long address = E1000Driver.TX_BUFFERS + (long) E1000Driver.TX_BUFFER_STRIDE * (nextTxBuffer++ % 64);
        e1000.pci.ram.write(address, bytes);
        return address;
    }

    private void fillCanaries() throws GuestMemoryFault {
        byte[] canary = new byte[64];
        Arrays.fill(canary, CANARY);
        for (int i = 0; i < e1000.driver.rxSize(); i++) {
            e1000.pci.ram.write(e1000.driver.rxBuffer(i) + e1000.driver.rxBufferSize(), canary);
        }
    }

    /** RCTL.BSIZE/BSEX (§13.4.22) as the driver reads them to size its buffers. */
    private static int bufferSizeOf(int rctl) {
        int bsize = (rctl >>> 16) & 3;
        boolean bsex = (rctl & (1 << 25)) != 0;
        int[] plain = {2048, 1024, 512, 256};
        int[] extended = {2048, 16384, 8192, 4096};
        return bsex ? extended[bsize] : plain[bsize];
    }
}
