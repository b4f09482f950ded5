package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.blk.BlockBackend;
import dev.hvspec.vmm.virtio.blk.MemoryBlockBackend;
import dev.hvspec.vmm.virtio.blk.RawFileBlockBackend;
import dev.hvspec.vmm.virtio.blk.VirtioBlk;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virtio-blk scenarios (virtio 1.3 §5.2) through the reference PCI driver. The memory disk
 * starts with byte i = (i * 7 + i / 512) mod 256, so any sector's content is predictable; data
 * the driver writes is 0xA0, 0xA1, ... The request is {header (16 bytes, readable), data, status
 * (1 byte, writable)} unless a step says otherwise.
 */
public final class VirtioBlkSteps implements AutoCloseable {
    private final VirtioBench virtio;
    private BlockBackend disk;
    private VirtioBlk blk;
    private Path file;
    private final List<Request> requests = new ArrayList<>();

    private record Request(int head, List<SplitRingDriver.Element> data, long status, byte[] written) {
    }

    public VirtioBlkSteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    static int diskByte(long offset) {
        return (int) ((offset * 7 + offset / 512) & 0xFF);
    }

    private static MemoryBlockBackend memoryDisk(int kib, boolean readOnly) {
        MemoryBlockBackend d = new MemoryBlockBackend(kib * 1024, readOnly, "hvspec-disk-0001");
        byte[] content = new byte[kib * 1024];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) diskByte(i);
        }
        d.fill(0, content);
        return d;
    }

    @Given("a virtio-blk device with a {int} KiB disk on PCI")
    public void modern(int kib) {
        attach(memoryDisk(kib, false), false);
    }

    @Given("a transitional virtio-blk device with a {int} KiB disk on PCI")
    public void transitional(int kib) {
        attach(memoryDisk(kib, false), true);
    }

    @Given("a read-only virtio-blk device with a {int} KiB disk on PCI")
    public void readOnly(int kib) {
        attach(memoryDisk(kib, true), false);
    }

    @Given("a virtio-blk device with a {int} KiB disk on virtio-mmio version {int} at {word} on IRQ {int}")
    public void mmio(int kib, int version, String base, int irq) {
        disk = memoryDisk(kib, false);
        blk = new VirtioBlk(disk);
        virtio.attachMmio(blk, Values.parse(base), irq, version);
    }

    @Given("a virtio-blk device with a {int} KiB disk on PCI offering the device options {string}")
    public void withOptions(int kib, String options) {
        disk = memoryDisk(kib, false);
        blk = new VirtioBlk(disk);
        virtio.attach(blk, false, VirtioDeviceOptionSteps.options(options));
    }

    @Given("a transitional virtio-blk device with a {int} KiB disk on PCI offering the device options {string}")
    public void transitionalWithOptions(int kib, String options) {
        disk = memoryDisk(kib, false);
        blk = new VirtioBlk(disk);
        virtio.attach(blk, true, VirtioDeviceOptionSteps.options(options));
    }

    @Given("a virtio-blk device with a {int} KiB disk on virtio-mmio version {int} at {word} on IRQ {int} offering the device options {string}")
    public void mmioWithOptions(int kib, int version, String base, int irq, String options) {
        disk = memoryDisk(kib, false);
        blk = new VirtioBlk(disk);
        virtio.attachMmio(blk, Values.parse(base), irq, version, VirtioDeviceOptionSteps.options(options));
    }

    @Given("a virtio-blk device with a {int} KiB raw disk file on PCI")
    public void rawFile(int kib) throws IOException {
        file = Files.createTempFile("hvspec-disk", ".raw");
        byte[] content = new byte[kib * 1024];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) diskByte(i);
        }
        Files.write(file, content);
        attach(new RawFileBlockBackend(file, false), false);
    }

    private void attach(BlockBackend backend, boolean transitional) {
        disk = backend;
        blk = new VirtioBlk(backend);
        virtio.attach(blk, transitional);
    }

    static int type(String name) {
        return switch (name) {
            case "IN" -> VirtioBlk.T_IN;
            case "OUT" -> VirtioBlk.T_OUT;
            case "FLUSH" -> VirtioBlk.T_FLUSH;
            case "GET_ID" -> VirtioBlk.T_GET_ID;
            case "GET_LIFETIME" -> VirtioBlk.T_GET_LIFETIME;
            case "DISCARD" -> VirtioBlk.T_DISCARD;
            case "WRITE_ZEROES" -> VirtioBlk.T_WRITE_ZEROES;
            case "SECURE_ERASE" -> 14;
            case "ZONE_REPORT" -> 16;
            default -> Values.parseInt(name);
        };
    }

    private static boolean deviceWrites(int type) {
        return type == VirtioBlk.T_IN || type == VirtioBlk.T_GET_ID || type == VirtioBlk.T_GET_LIFETIME || type == 16;
    }

    private byte[] header(int type, long sector) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(0).putLong(sector);
        return b.array();
    }

    @When("the driver submits a {word} request for sector {word} with {int} data bytes")
    public void submit(String typeName, String sector, int bytes) throws GuestMemoryFault {
        submitSplit(typeName, sector, bytes, bytes == 0 ? 0 : 1);
    }

    @When("the driver submits a {word} request for sector {word} with {int} data bytes in {int} descriptors")
    public void submitSplit(String typeName, String sectorText, int bytes, int descriptors) throws GuestMemoryFault {
        int type = type(typeName);
        long sector = Values.parse(sectorText);
        boolean writable = deviceWrites(type);
        byte[] out = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            out[i] = (byte) (0xA0 + i);
        }
        List<SplitRingDriver.Element> data = new ArrayList<>();
        int done = 0;
        for (int d = 0; d < descriptors; d++) {
            int n = d == descriptors - 1 ? bytes - done : bytes / descriptors;
            byte[] part = new byte[n];
            System.arraycopy(out, done, part, 0, n);
            data.add(virtio.element(n, writable, writable ? null : part));
            done += n;
        }
        submitElements(header(type, sector), data, out);
    }

    /** DISCARD / WRITE_ZEROES with segments "sector+count" or "sector+count:unmap" or ":flags=N". */
    @When("the driver submits a {word} request with the segments {string}")
    public void submitSegments(String typeName, String segments) throws GuestMemoryFault {
        String[] parts = segments.trim().split("\\s+");
        ByteBuffer b = ByteBuffer.allocate(16 * parts.length).order(ByteOrder.LITTLE_ENDIAN);
        for (String p : parts) {
            String[] s = p.split("[+:]");
            int flags = 0;
            if (s.length > 2) {
                flags = s[2].equals("unmap") ? 1 : Values.parseInt(s[2].replace("flags=", ""));
            }
            b.putLong(Long.parseLong(s[0])).putInt(Integer.parseInt(s[1])).putInt(flags);
        }
        List<SplitRingDriver.Element> data = List.of(virtio.element(b.capacity(), false, b.array()));
        submitElements(header(type(typeName), 0), data, b.array());
    }

    private void submitElements(byte[] header, List<SplitRingDriver.Element> data, byte[] written) throws GuestMemoryFault {
        List<SplitRingDriver.Element> elements = new ArrayList<>();
        elements.add(virtio.element(16, false, header));
        elements.addAll(data);
        SplitRingDriver.Element status = virtio.element(1, true, new byte[] {(byte) 0xFF});
        elements.add(status);
        int head = virtio.submit(0, elements);
        requests.add(new Request(head, data, status.address(), written));
    }

    /** Several IN requests made available together and announced by one notification. */
    @When("the driver submits IN requests for sectors {string} with one notification")
    public void batch(String sectors) throws GuestMemoryFault {
        var ring = virtio.queue(0);
        for (String s : sectors.trim().split("\\s+")) {
            List<SplitRingDriver.Element> data = List.of(virtio.element(512, true, null));
            List<SplitRingDriver.Element> elements = new ArrayList<>();
            elements.add(virtio.element(16, false, header(VirtioBlk.T_IN, Long.parseLong(s))));
            elements.addAll(data);
            SplitRingDriver.Element status = virtio.element(1, true, new byte[] {(byte) 0xFF});
            elements.add(status);
            int head = ring.add(elements);
            requests.add(new Request(head, data, status.address(), new byte[0]));
        }
        ring.publish();
        virtio.transport.notifyQueue(0);
    }

    /** Requests made available one by one, each followed by a notification only if the ring asks for one. */
    @When("the driver submits IN requests for sectors {string} one at a time")
    public void oneAtATime(String sectors) throws GuestMemoryFault {
        for (String s : sectors.trim().split("\\s+")) {
            submit("IN", s, 512);
        }
    }

    @Then("the requests completed in the order they were made available")
    public void inOrder() throws GuestMemoryFault {
        List<Integer> ids = virtio.used(0).stream().map(SplitRingDriver.Used::id).toList();
        assertThat(ids).isEqualTo(requests.stream().map(Request::head).toList());
    }

    @When("the driver submits a request of only a {int}-byte header")
    public void headerOnly(int bytes) throws GuestMemoryFault {
        byte[] h = header(VirtioBlk.T_IN, 0);
        virtio.submit(0, List.of(virtio.element(bytes, false, h)));
    }

    @When("the driver submits a request with a {int}-byte header and a status byte")
    public void shortHeader(int bytes) throws GuestMemoryFault {
        virtio.submit(0, List.of(virtio.element(bytes, false, header(VirtioBlk.T_IN, 0)),
                virtio.element(1, true, new byte[] {(byte) 0xFF})));
    }

    private static final String[] STATUS = {"OK", "IOERR", "UNSUPP"};

    @Then("the request completes with status {word}")
    public void completes(String status) throws GuestMemoryFault {
        completesWithLength(status, -1);
    }

    @Then("the request completes with status {word} and used length {int}")
    public void completesWithLength(String status, int usedLength) throws GuestMemoryFault {
        Request r = requests.get(requests.size() - 1);
        List<SplitRingDriver.Used> used = virtio.used(0);
        assertThat(used).as("used buffers").extracting(SplitRingDriver.Used::id).contains(r.head());
        int value = virtio.ram().readU8(r.status());
        String name = value < STATUS.length ? STATUS[value] : Values.hex(value);
        assertThat(name).as("status byte").isEqualTo(status);
        if (usedLength >= 0) {
            long len = used.stream().filter(u -> u.id() == r.head()).findFirst().orElseThrow().length();
            assertThat(len).as("used length").isEqualTo(usedLength);
        }
    }

    @Then("no request has completed")
    public void noneCompleted() throws GuestMemoryFault {
        assertThat(virtio.used(0)).isEmpty();
    }

    @Then("the data read matches the disk from sector {long}")
    public void readMatches(long sector) throws GuestMemoryFault {
        Request r = requests.get(requests.size() - 1);
        long offset = sector * 512;
        for (SplitRingDriver.Element e : r.data()) {
            byte[] got = virtio.ram().read(e.address(), (int) e.length());
            for (int i = 0; i < got.length; i++) {
                assertThat(got[i] & 0xFF).as("byte %d of sector %d", offset - sector * 512, sector)
                        .isEqualTo(diskByte(offset));
                offset++;
            }
        }
    }

    @Then("the data buffers are untouched")
    public void untouched() throws GuestMemoryFault {
        Request r = requests.get(requests.size() - 1);
        for (SplitRingDriver.Element e : r.data()) {
            for (byte b : virtio.ram().read(e.address(), (int) e.length())) {
                assertThat(b).isZero();
            }
        }
    }

    @Then("the disk from sector {long} holds the data written")
    public void diskHoldsWritten(long sector) throws IOException {
        byte[] written = requests.get(requests.size() - 1).written();
        byte[] got = new byte[written.length];
        disk.read(sector * 512, got, 0, got.length);
        assertThat(Hex.of(got)).isEqualTo(Hex.of(written));
    }

    @Then("the disk from sector {long} still holds its original {int} bytes")
    public void diskOriginal(long sector, int bytes) throws IOException {
        byte[] got = new byte[bytes];
        disk.read(sector * 512, got, 0, bytes);
        for (int i = 0; i < bytes; i++) {
            assertThat(got[i] & 0xFF).isEqualTo(diskByte(sector * 512 + i));
        }
    }

    @Then("the disk from sector {long} holds {int} zero bytes")
    public void diskZero(long sector, int bytes) throws IOException {
        byte[] got = new byte[bytes];
        disk.read(sector * 512, got, 0, bytes);
        assertThat(Hex.of(got)).isEqualTo(Hex.of(new byte[bytes]));
    }

    @Then("the disk journal is {string}")
    public void journal(String expected) {
        assertThat(String.join(", ", ((MemoryBlockBackend) disk).journal())).isEqualTo(expected);
    }

    @Then("the request data holds the ASCII {string}")
    public void dataAscii(String text) throws GuestMemoryFault {
        SplitRingDriver.Element e = requests.get(requests.size() - 1).data().get(0);
        byte[] got = virtio.ram().read(e.address(), (int) e.length());
        byte[] expected = new byte[got.length];
        byte[] t = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(t, 0, expected, 0, Math.min(t.length, expected.length));
        assertThat(Hex.of(got)).isEqualTo(Hex.of(expected));
    }

    @When("the host resizes the disk to {long} sectors")
    public void resize(long sectors) {
        blk.setCapacity(sectors);
    }

    @Then("the raw disk file from sector {long} holds the data written")
    public void fileHolds(long sector) throws IOException {
        byte[] written = requests.get(requests.size() - 1).written();
        byte[] content = Files.readAllBytes(file);
        byte[] got = new byte[written.length];
        System.arraycopy(content, (int) (sector * 512), got, 0, got.length);
        assertThat(Hex.of(got)).isEqualTo(Hex.of(written));
    }

    @Then("the raw disk file has been flushed {int} times")
    public void fileFlushed(long times) {
        assertThat(((RawFileBlockBackend) disk).flushes()).isEqualTo(times);
    }

    @Override
    public void close() throws IOException {
        if (disk != null) {
            disk.close();
        }
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }
}
