package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.Segment;
import dev.hvspec.vmm.virtio.queue.SplitVirtqueue;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Split virtqueue scenarios: the reference driver ({@link SplitRingDriver}) on one side and the
 * device side of the ring under test ({@link SplitVirtqueue}) on the other, over 16 MiB of guest
 * RAM. Rings are allocated from 0x1000, buffers from 0x10000.
 */
public final class SplitRingSteps {
    private final GuestRam ram = GuestRam.ofSize(16 << 20);
    private final CountingMemory deviceView = new CountingMemory(ram);
    private final GuestAllocator rings = new GuestAllocator(0x1000, 0x10000);
    private final GuestAllocator buffers = new GuestAllocator(0x10000, 16 << 20);
    private SplitRingDriver driver;
    private SplitVirtqueue device;
    private DescriptorChain taken;
    private VirtqueueException failure;
    private final List<DescriptorChain> held = new ArrayList<>();

    @Given("a split virtqueue of size {int} with {string}")
    public void splitQueue(int size, String features) throws GuestMemoryFault {
        boolean indirect = features.contains("INDIRECT_DESC");
        boolean eventIdx = features.contains("EVENT_IDX");
        driver = SplitRingDriver.allocate(ram, rings, size, eventIdx);
        device = new SplitVirtqueue(deviceView, driver.layout(), SplitVirtqueue.Options.of(indirect, eventIdx));
    }

    @Given("a split virtqueue of size {int} whose descriptor table is at {word}")
    public void splitQueueAt(int size, String table) throws GuestMemoryFault {
        SplitRingDriver d = SplitRingDriver.allocate(ram, rings, size, false);
        SplitVirtqueue.Layout layout = new SplitVirtqueue.Layout(Values.parse(table), d.layout().availRing(),
                d.layout().usedRing(), size);
        driver = new SplitRingDriver(ram, layout, false);
        device = new SplitVirtqueue(deviceView, layout, SplitVirtqueue.Options.of(false, false));
    }

    // ---- the driver ----

    @When("the driver makes available the buffer {string}")
    public void makeAvailable(String spec) throws GuestMemoryFault {
        place(spec);
        driver.publish();
    }

    @When("the driver places the buffer {string} without publishing it")
    public void place(String spec) throws GuestMemoryFault {
        BufferSpec b = BufferSpec.parse(spec, ram, buffers);
        if (b.useIndirect()) {
            driver.addIndirect(b.direct(), b.indirect(), buffers);
        } else {
            driver.add(b.all());
        }
    }

    @When("the driver publishes")
    public void publish() throws GuestMemoryFault {
        driver.publish();
    }

    @When("the driver makes available {int} buffers {string}")
    public void makeAvailableMany(int count, String spec) throws GuestMemoryFault {
        for (int i = 0; i < count; i++) {
            place(spec);
        }
        driver.publish();
    }

    @When("the driver writes descriptor {int} as {string}")
    public void writeDescriptor(int index, String text) throws GuestMemoryFault {
        long[] d = parseDescriptor(text);
        driver.writeDescriptor(index, d[0], d[1], (int) d[2], (int) d[3]);
    }

    @When("the driver writes entry {int} of the table at {word} as {string}")
    public void writeTableEntry(int index, String table, String text) throws GuestMemoryFault {
        long[] d = parseDescriptor(text);
        driver.writeTableEntry(Values.parse(table), index, d[0], d[1], (int) d[2], (int) d[3]);
    }

    @When("the driver writes {int} table entries at {word} each as {string}")
    public void writeTableEntries(int count, String table, String text) throws GuestMemoryFault {
        for (int i = 0; i < count; i++) {
            writeTableEntry(i, table, text.replace("next+1", "next " + (i + 1)));
        }
    }

    @When("the driver exposes descriptor {int} in available ring slot {int}")
    public void exposeInSlot(int head, int slot) throws GuestMemoryFault {
        driver.setAvailEntry(slot % driver.layout().size(), head);
    }

    @When("the driver exposes descriptor {int}")
    public void expose(int head) throws GuestMemoryFault {
        driver.setAvailEntry(driver.availIdx() % driver.layout().size(), head);
        driver.setAvailIdx(driver.availIdx() + 1);
    }

    @When("the driver sets avail idx to {int}")
    public void setAvailIdx(int idx) throws GuestMemoryFault {
        driver.setAvailIdx(idx);
    }

    @When("the driver sets used_event to {int}")
    public void setUsedEvent(int idx) throws GuestMemoryFault {
        driver.setUsedEvent(idx);
    }

    @When("the driver sets the available ring flags to {int}")
    public void setAvailFlags(int flags) throws GuestMemoryFault {
        driver.setAvailFlags(flags);
    }

    @Then("the driver must notify the device")
    public void driverMustNotify() throws GuestMemoryFault {
        assertThat(driver.notificationNeeded()).as("driver-side notification decision").isTrue();
    }

    @Then("the driver need not notify the device")
    public void driverNeedNotNotify() throws GuestMemoryFault {
        assertThat(driver.notificationNeeded()).as("driver-side notification decision").isFalse();
    }

    @When("driver and device exchange {int} buffers {string}")
    public void exchange(int count, String spec) throws GuestMemoryFault, VirtqueueException {
        BufferSpec b = BufferSpec.parse(spec, ram, buffers);
        for (int i = 0; i < count; i++) {
            driver.add(b.all());
            driver.publish();
            DescriptorChain c = device.pop();
            device.push(c, 0);
            device.shouldNotify();
            driver.takeUsed();
        }
    }

    // ---- the device ----

    @When("the device takes the next available buffer")
    public void take() {
        deviceView.resetCounters();
        taken = null;
        failure = null;
        try {
            taken = device.pop();
            if (taken != null) {
                held.add(taken);
            }
        } catch (VirtqueueException e) {
            failure = e;
        }
    }

    @When("the device takes {int} available buffers")
    public void takeMany(int count) {
        for (int i = 0; i < count; i++) {
            take();
            assertThat(failure).as("taking buffer %d", i).isNull();
            assertThat(taken).as("buffer %d", i).isNotNull();
        }
    }

    @Then("the device sees {string}")
    public void deviceSees(String expected) {
        assertThat(failure).as("error taking the buffer").isNull();
        assertThat(taken).as("an available buffer").isNotNull();
        List<String> parts = new ArrayList<>();
        parts.add("id " + taken.id() + ":");
        for (Segment s : taken.readableSegments()) {
            parts.add(s.length() + "r");
        }
        for (Segment s : taken.writableSegments()) {
            parts.add(s.length() + "w");
        }
        assertThat(String.join(" ", parts)).isEqualTo(expected);
    }

    @Then("the device finds no available buffer")
    public void noBuffer() {
        assertThat(failure).as("error taking the buffer").isNull();
        assertThat(taken).isNull();
    }

    @Then("taking the next available buffer fails with {word}")
    public void takingFails(String violation) {
        take();
        assertThat(failure).as("violation detected").isNotNull();
        assertThat(failure.violation().name()).isEqualTo(violation);
    }

    @Then("the device read at most {int} bytes of guest memory")
    public void boundedReads(int bytes) {
        assertThat(deviceView.bytesRead()).isLessThanOrEqualTo(bytes);
    }

    @Then("the readable stream of the buffer starts with {word}")
    public void readableStream(String hex) throws GuestMemoryFault {
        byte[] expected = Hex.bytes(hex);
        assertThat(Hex.of(taken.read(ram, 0, expected.length))).isEqualTo(Hex.of(expected));
    }

    @When("the device writes {int} bytes of {word} into the buffer and returns it")
    public void writeAndReturn(int count, String value) throws GuestMemoryFault, VirtqueueException {
        byte[] data = new byte[count];
        Arrays.fill(data, (byte) Values.parseInt(value));
        int written = taken.write(ram, 0, data);
        device.push(taken, written);
        held.remove(taken);
    }

    @When("the device returns the buffer claiming {int} bytes written")
    public void returnClaiming(long claimed) throws VirtqueueException {
        device.push(taken, claimed);
        held.remove(taken);
    }

    @When("the device returns every buffer it holds")
    public void returnAll() throws VirtqueueException {
        for (DescriptorChain c : held) {
            device.push(c, 0);
        }
        held.clear();
    }

    @Then("the writable elements of the buffer hold {string}")
    public void writableHolds(String expected) throws GuestMemoryFault {
        List<String> parts = new ArrayList<>();
        for (Segment s : taken.writableSegments()) {
            parts.add(Hex.of(ram.read(s.address(), (int) s.length())));
        }
        assertThat(String.join(" ", parts)).isEqualTo(expected);
    }

    @Then("the readable elements of the buffer are unchanged")
    public void readableUnchanged() throws GuestMemoryFault {
        int fill = -1;
        for (Segment s : taken.readableSegments()) {
            byte[] b = ram.read(s.address(), (int) s.length());
            for (byte x : b) {
                if (fill >= 0) {
                    assertThat(x & 0xFF).isEqualTo((fill + 1) & 0xFF);
                }
                fill = x & 0xFF;
            }
        }
    }

    @Then("the used ring holds {string}")
    public void usedRing(String expected) throws GuestMemoryFault {
        int idx = driver.usedIdx();
        List<String> entries = new ArrayList<>();
        int size = driver.layout().size();
        int first = Math.max(0, idx - size);
        for (int i = first; i < idx; i++) {
            SplitRingDriver.Used u = driver.usedEntry(i % size);
            entries.add(u.id() + ":" + u.length());
        }
        assertThat(String.join(" ", entries)).isEqualTo(expected);
    }

    @Then("used idx is {int}")
    public void usedIdx(int expected) throws GuestMemoryFault {
        assertThat(driver.usedIdx()).isEqualTo(expected);
    }

    @Then("the device wrote the used element before the used idx")
    public void usedOrder() {
        long used = driver.layout().usedRing();
        int elementWrite = deviceView.firstWriteTo(used + 4);
        int idxWrite = deviceView.firstWriteTo(used + 2);
        assertThat(elementWrite).as("used element write").isGreaterThanOrEqualTo(0);
        assertThat(idxWrite).as("used idx write").isGreaterThan(elementWrite);
    }

    @Then("the device should notify the driver")
    public void deviceShouldNotify() throws VirtqueueException {
        assertThat(device.shouldNotify()).as("used buffer notification due").isTrue();
    }

    @Then("the device should not notify the driver")
    public void deviceShouldNotNotify() throws VirtqueueException {
        assertThat(device.shouldNotify()).as("used buffer notification due").isFalse();
    }

    @Then("the used ring flags are {int}")
    public void usedFlags(int flags) throws GuestMemoryFault {
        assertThat(driver.usedFlags()).isEqualTo(flags);
    }

    @Then("the ring parts are aligned to 16, 2 and 4 bytes")
    public void aligned() {
        assertThat(driver.layout().descriptorTable() % 16).as("descriptor table").isZero();
        assertThat(driver.layout().availRing() % 2).as("available ring").isZero();
        assertThat(driver.layout().usedRing() % 4).as("used ring").isZero();
    }

    @Then("avail_event is {int}")
    public void availEvent(int value) throws GuestMemoryFault {
        assertThat(driver.availEvent()).isEqualTo(value);
    }

    /** "addr 0x10000 len 16 flags NEXT|WRITE next 1" (flags by name or number). */
    static long[] parseDescriptor(String text) {
        String[] t = text.trim().split("\\s+");
        long addr = 0;
        long len = 0;
        long flags = 0;
        long next = 0;
        for (int i = 0; i + 1 < t.length; i += 2) {
            switch (t[i]) {
                case "addr" -> addr = Values.parse(t[i + 1]);
                case "len" -> len = Values.parse(t[i + 1]);
                case "next" -> next = Values.parse(t[i + 1]);
                case "flags" -> flags = parseFlags(t[i + 1]);
                default -> throw new IllegalArgumentException("unknown descriptor field " + t[i]);
            }
        }
        return new long[] {addr, len, flags, next};
    }

    static long parseFlags(String text) {
        long flags = 0;
        for (String f : text.split("\\|")) {
            flags |= switch (f) {
                case "NEXT" -> SplitVirtqueue.DESC_F_NEXT;
                case "WRITE" -> SplitVirtqueue.DESC_F_WRITE;
                case "INDIRECT" -> SplitVirtqueue.DESC_F_INDIRECT;
                case "0", "none" -> 0;
                default -> Values.parse(f);
            };
        }
        return flags;
    }
}
