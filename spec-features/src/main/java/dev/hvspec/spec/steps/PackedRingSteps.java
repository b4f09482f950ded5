package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.PackedRingDriver;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.PackedVirtqueue;
import dev.hvspec.vmm.virtio.queue.Segment;
import dev.hvspec.vmm.virtio.queue.SplitVirtqueue;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packed virtqueue scenarios: the reference packed-ring driver ({@link PackedRingDriver}) and
 * the device side under test ({@link PackedVirtqueue}) over 16 MiB of RAM; ring from 0x1000,
 * buffers from 0x10000. Buffers are written as for split rings ("16r 64w"; "indirect:" first
 * puts the whole list into an indirect table).
 */
public final class PackedRingSteps {
    private final GuestRam ram = GuestRam.ofSize(16 << 20);
    private final CountingMemory deviceView = new CountingMemory(ram);
    private final GuestAllocator rings = new GuestAllocator(0x1000, 0x10000);
    private final GuestAllocator buffers = new GuestAllocator(0x10000, 16 << 20);
    private PackedRingDriver driver;
    private PackedVirtqueue device;
    private DescriptorChain taken;
    private VirtqueueException failure;
    private final Deque<DescriptorChain> held = new ArrayDeque<>();

    @Given("a packed virtqueue of size {int} with {string}")
    public void packedQueue(int size, String features) throws GuestMemoryFault {
        driver = PackedRingDriver.allocate(ram, rings, size);
        device = new PackedVirtqueue(deviceView, driver.layout(),
                SplitVirtqueue.Options.of(features.contains("INDIRECT_DESC"), features.contains("EVENT_IDX")));
    }

    @When("the driver makes available the packed buffer {string}")
    public void makeAvailable(String spec) throws GuestMemoryFault {
        BufferSpec b = BufferSpec.parse(spec, ram, buffers);
        if (b.useIndirect()) {
            driver.addIndirect(b.all(), buffers);
        } else {
            driver.add(b.all());
        }
    }

    @When("the driver makes available {int} packed buffers {string}")
    public void makeAvailableMany(int count, String spec) throws GuestMemoryFault {
        for (int i = 0; i < count; i++) {
            makeAvailable(spec);
        }
    }

    @When("the driver writes ring slot {int} as {string}")
    public void writeSlot(int index, String text) throws GuestMemoryFault {
        String[] t = text.trim().split("\\s+");
        long addr = 0;
        long len = 0;
        int id = 0;
        int flags = 0;
        for (int i = 0; i + 1 < t.length; i += 2) {
            switch (t[i]) {
                case "addr" -> addr = Values.parse(t[i + 1]);
                case "len" -> len = Values.parse(t[i + 1]);
                case "id" -> id = Values.parseInt(t[i + 1]);
                case "flags" -> flags = packedFlags(t[i + 1]);
                default -> throw new IllegalArgumentException("slot field " + t[i]);
            }
        }
        driver.writeSlot(index, addr, len, id, flags);
    }

    @When("the driver writes entry {int} of the packed table at {word} as {string}")
    public void writeTableEntry(int index, String table, String text) throws GuestMemoryFault {
        long[] d = SplitRingSteps.parseDescriptor(text);
        long at = Values.parse(table) + 16L * index;
        ram.writeU64(at, d[0]);
        ram.writeU32(at + 8, d[1]);
        ram.writeU16(at + 12, 0);
        ram.writeU16(at + 14, (int) d[2]);
    }

    static int packedFlags(String text) {
        int flags = 0;
        for (String f : text.split("\\|")) {
            flags |= switch (f) {
                case "NEXT" -> PackedVirtqueue.DESC_F_NEXT;
                case "WRITE" -> PackedVirtqueue.DESC_F_WRITE;
                case "INDIRECT" -> PackedVirtqueue.DESC_F_INDIRECT;
                case "AVAIL" -> PackedVirtqueue.DESC_F_AVAIL;
                case "USED" -> PackedVirtqueue.DESC_F_USED;
                case "0", "none" -> 0;
                default -> Values.parseInt(f);
            };
        }
        return flags;
    }

    @When("the device takes the next packed buffer")
    public void take() {
        deviceView.resetCounters();
        taken = null;
        failure = null;
        try {
            taken = device.pop();
            if (taken != null) {
                held.addLast(taken);
            }
        } catch (VirtqueueException e) {
            failure = e;
        }
    }

    @Then("the device sees the packed buffer {string}")
    public void sees(String expected) {
        assertThat(failure).as("error taking the buffer").isNull();
        assertThat(taken).isNotNull();
        List<String> parts = new ArrayList<>();
        parts.add("id " + taken.id() + " in " + taken.ringSlots() + " slots:");
        for (Segment s : taken.readableSegments()) {
            parts.add(s.length() + "r");
        }
        for (Segment s : taken.writableSegments()) {
            parts.add(s.length() + "w");
        }
        assertThat(String.join(" ", parts)).isEqualTo(expected);
    }

    @Then("the device finds no packed buffer")
    public void none() {
        assertThat(failure).isNull();
        assertThat(taken).isNull();
    }

    @Then("taking the next packed buffer fails with {word}")
    public void fails(String violation) {
        take();
        assertThat(failure).as("violation detected").isNotNull();
        assertThat(failure.violation().name()).isEqualTo(violation);
    }

    @When("the device writes {int} bytes of {word} into the packed buffer and returns it")
    public void writeAndReturn(int count, String value) throws GuestMemoryFault, VirtqueueException {
        byte[] data = new byte[count];
        Arrays.fill(data, (byte) Values.parseInt(value));
        DescriptorChain c = held.removeFirst();
        device.push(c, c.write(ram, 0, data));
    }

    @When("the device returns the packed buffer it took last with {int} bytes written")
    public void returnLast(int count) throws VirtqueueException {
        device.push(held.removeLast(), count);
    }

    @Then("ring slot {int} holds a used descriptor with id {int} and length {int} in lap {int}")
    public void usedSlot(int index, int id, int length, int lap) throws GuestMemoryFault {
        int[] s = driver.slot(index);
        int wrapBits = lap == 1 ? PackedVirtqueue.DESC_F_AVAIL | PackedVirtqueue.DESC_F_USED : 0;
        assertThat(s[2] & (PackedVirtqueue.DESC_F_AVAIL | PackedVirtqueue.DESC_F_USED)).as("AVAIL and USED bits").isEqualTo(wrapBits);
        assertThat(s[1]).as("buffer id").isEqualTo(id);
        if (length > 0) {
            assertThat(s[0]).as("length").isEqualTo(length);
            assertThat(s[2] & PackedVirtqueue.DESC_F_WRITE).as("WRITE flag for data written").isNotZero();
        } else {
            assertThat(s[2] & PackedVirtqueue.DESC_F_WRITE).as("WRITE flag without data").isZero();
        }
    }

    @Then("the driver collects the used buffers {string}")
    public void collect(String expected) throws GuestMemoryFault {
        List<String> got = new ArrayList<>();
        for (SplitRingDriver.Used u : driver.takeUsed()) {
            got.add(u.id() + ":" + u.length());
        }
        assertThat(String.join(" ", got)).isEqualTo(expected);
    }

    @When("driver and device exchange {int} packed buffers {string}")
    public void exchange(int count, String spec) throws GuestMemoryFault, VirtqueueException {
        for (int i = 0; i < count; i++) {
            makeAvailable(spec);
            DescriptorChain c = device.pop();
            device.push(c, c.writableBytes());
            device.shouldNotify();
            driver.takeUsed();
        }
    }

    @When("the driver sets the driver event suppression to {word}")
    public void driverEvent(String flags) throws GuestMemoryFault {
        driver.setDriverEvent(flags.equals("DISABLE") ? 1 : 0, 0, false);
    }

    @When("the driver asks for an event when slot {int} of lap {int} is used")
    public void driverEventDesc(int slot, int lap) throws GuestMemoryFault {
        driver.setDriverEvent(PackedVirtqueue.RING_EVENT_FLAGS_DESC, slot, lap == 1);
    }

    @Then("the device should notify the driver of packed buffers")
    public void shouldNotify() throws VirtqueueException {
        assertThat(device.shouldNotify()).isTrue();
    }

    @Then("the device should not notify the driver of packed buffers")
    public void shouldNotNotify() throws VirtqueueException {
        assertThat(device.shouldNotify()).isFalse();
    }

    @Then("the packed driver must notify the device")
    public void driverMustNotify() throws GuestMemoryFault {
        assertThat(driver.notificationNeeded()).isTrue();
    }

    @Then("the driver's wrap counter is {int} at slot {int}")
    public void driverWrap(int wrap, int slot) {
        assertThat(driver.availWrapCounter()).isEqualTo(wrap == 1);
        assertThat(driver.nextAvail()).isEqualTo(slot);
    }

    @Then("the device's wrap counters are {int} for available and {int} for used")
    public void deviceWraps(int avail, int used) {
        assertThat(device.availWrapCounter()).as("device's view of the driver wrap counter").isEqualTo(avail == 1);
        assertThat(device.usedWrapCounter()).as("device ring wrap counter").isEqualTo(used == 1);
    }

    @Then("the packed ring parts are aligned to 16, 4 and 4 bytes")
    public void aligned() {
        assertThat(driver.layout().descriptorRing() % 16).isZero();
        assertThat(driver.layout().driverEvent() % 4).isZero();
        assertThat(driver.layout().deviceEvent() % 4).isZero();
    }

    @Then("the device read at most {int} bytes of guest memory for the packed buffer")
    public void bounded(int bytes) {
        assertThat(deviceView.bytesRead()).isLessThanOrEqualTo(bytes);
    }
}
