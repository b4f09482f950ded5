package dev.hvspec.properties.virtio;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.PackedRingDriver;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.queue.PackedVirtqueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packed virtqueues under random well-behaved drivers (virtio 1.3 §2.8): every buffer made
 * available comes back exactly once with a length within its writable bytes, across many wraps
 * of the ring, and used buffer notifications follow the Driver Event Suppression structure
 * (§2.8.10: ENABLE, DISABLE, or DESC for a given slot in a given lap).
 */
class PackedVirtqueueProperties {
    private final VirtqueueDeviceSpi spi = VirtqueueDevices.underTest();

    record Shape(List<Integer> readable, List<Integer> writable, boolean indirect) {
        int slots() {
            return indirect ? 1 : readable.size() + writable.size();
        }

        long writableBytes() {
            return writable.stream().mapToLong(Integer::longValue).sum();
        }
    }

    /** eventMode: 0 ENABLE, 1 DISABLE, 2 DESC at (batch start + eventAhead) slots. */
    record Round(List<Shape> buffers, int eventMode, int eventAhead, boolean collect) {
    }

    @Provide
    Arbitrary<Round> rounds() {
        Arbitrary<List<Integer>> lengths = Arbitraries.integers().between(1, 200).list().ofMaxSize(3);
        Arbitrary<Shape> shape = Combinators.combine(lengths, lengths, Arbitraries.of(true, false))
                .filter((r, w, i) -> !r.isEmpty() || !w.isEmpty()).as(Shape::new);
        return Combinators.combine(shape.list().ofMaxSize(4), Arbitraries.integers().between(0, 2),
                Arbitraries.integers().between(0, 8), Arbitraries.of(true, false)).as(Round::new);
    }

    @Property(tries = 1000)
    @Label("packed rings return each buffer once within its writable size, across wraps, notifying as the driver asked")
    @Tag("virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues")
    @Tag("virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-2")
    @Tag("virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-3")
    void usedDescriptorInvariants(@ForAll @IntRange(min = 1, max = 32) int size, @ForAll boolean indirect,
                                  @ForAll @Size(min = 1, max = 40) List<@From("rounds") Round> rounds, @ForAll long seed)
            throws GuestMemoryFault {
        GuestRam ram = GuestRam.ofSize(1 << 20);
        GuestAllocator ringMemory = new GuestAllocator(0x1000, 0x10000);
        GuestAllocator bufferMemory = new GuestAllocator(0x10000, 1 << 20);
        PackedRingDriver driver = PackedRingDriver.allocate(ram, ringMemory, size);
        PackedVirtqueue.Layout l = driver.layout();
        VirtqueueDeviceSpi.QueueUnderTest device = spi.packed(ram, l.descriptorRing(), l.driverEvent(), l.deviceEvent(),
                size, indirect, true);
        Random random = new Random(seed);
        Map<Integer, Long> outstanding = new HashMap<>();
        Map<Integer, Integer> slotsOf = new HashMap<>();
        long usedSlots = 0; // slots the device has used so far, counted from the start (lap = usedSlots / size)
        int inRing = 0;

        for (Round round : rounds) {
            int added = 0;
            long batchSlots = 0;
            for (Shape shape : round.buffers()) {
                Shape s = indirect ? shape : new Shape(shape.readable(), shape.writable(), false);
                if (s.slots() > size) {
                    continue;
                }
                if (inRing + s.slots() > size) {
                    inRing -= collect(driver, outstanding, slotsOf);
                }
                if (inRing + s.slots() > size) {
                    continue;
                }
                int id = add(driver, bufferMemory, s);
                assertThat(outstanding).as("id %d reused while outstanding", id).doesNotContainKey(id);
                outstanding.put(id, s.writableBytes());
                slotsOf.put(id, s.slots());
                inRing += s.slots();
                batchSlots += s.slots();
                added++;
            }
            // The (offset, wrap) pair names a slot at most one ring ahead; farther targets would alias.
            long eventAt = usedSlots + round.eventAhead() % size;
            switch (round.eventMode()) {
                case 0 -> driver.setDriverEvent(PackedVirtqueue.RING_EVENT_FLAGS_ENABLE, 0, false);
                case 1 -> driver.setDriverEvent(PackedVirtqueue.RING_EVENT_FLAGS_DISABLE, 0, false);
                default -> driver.setDriverEvent(PackedVirtqueue.RING_EVENT_FLAGS_DESC, (int) (eventAt % size),
                        (eventAt / size) % 2 == 0); // lap 0 has wrap counter 1
            }
            assertThat(device.serve(w -> random.nextLong(w + 1))).as("well-formed ring accepted").isTrue();
            boolean expected = switch (round.eventMode()) {
                case 0 -> added > 0;
                case 1 -> false;
                default -> added > 0 && eventAt >= usedSlots && eventAt < usedSlots + batchSlots;
            };
            usedSlots += batchSlots;
            assertThat(device.notificationDue()).as("used buffer notification").isEqualTo(expected);
            if (round.collect()) {
                inRing -= collect(driver, outstanding, slotsOf);
            }
        }
        collect(driver, outstanding, slotsOf);
        assertThat(outstanding).as("buffers never returned").isEmpty();
    }

    private static int add(PackedRingDriver driver, GuestAllocator memory, Shape s) throws GuestMemoryFault {
        List<SplitRingDriver.Element> elements = new ArrayList<>();
        for (int len : s.readable()) {
            elements.add(new SplitRingDriver.Element(memory.allocate(len, 8), len, false));
        }
        for (int len : s.writable()) {
            elements.add(new SplitRingDriver.Element(memory.allocate(len, 8), len, true));
        }
        return s.indirect() ? driver.addIndirect(elements, memory) : driver.add(elements);
    }

    /** Collects used buffers; returns the ring slots freed. */
    private static int collect(PackedRingDriver driver, Map<Integer, Long> outstanding, Map<Integer, Integer> slotsOf)
            throws GuestMemoryFault {
        int freed = 0;
        for (SplitRingDriver.Used u : driver.takeUsed()) {
            assertThat(outstanding).as("used id %d never made available or returned twice", u.id()).containsKey(u.id());
            assertThat(u.length()).as("used length of %d", u.id()).isLessThanOrEqualTo(outstanding.get(u.id()));
            outstanding.remove(u.id());
            freed += slotsOf.remove(u.id());
        }
        return freed;
    }
}
