package dev.hvspec.properties.virtio;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
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
 * Split virtqueues under random (well-behaved) driver behaviour: the driver side is modelled
 * here with the reference driver plus independent bookkeeping of what it made available; the
 * device side is the implementation under test ({@link VirtqueueDeviceSpi}). Rules from virtio
 * 1.3 §2.7.8 (used ring), §2.7.7 (used buffer notification suppression) and §2.7.13.3 (idx
 * wraps naturally at 65536).
 */
class SplitVirtqueueProperties {
    private final VirtqueueDeviceSpi spi = VirtqueueDevices.underTest();

    /** One buffer: readable element lengths, then writable ones; in an indirect table or not. */
    record Shape(List<Integer> readable, List<Integer> writable, boolean indirect) {
        int descriptors() {
            return indirect ? 1 : readable.size() + writable.size();
        }

        long writableBytes() {
            return writable.stream().mapToLong(Integer::longValue).sum();
        }
    }

    /** One round of driver activity: buffers to add, then a notification; maybe collect used buffers. */
    record Round(List<Shape> buffers, int usedEventAhead, boolean noInterruptFlag, boolean collect) {
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.of(2, 4, 8, 16, 64, 256);
    }

    @Provide
    Arbitrary<Integer> startIndices() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 65535),
                Arbitraries.integers().between(65536 - 300, 65535), Arbitraries.just(0));
    }

    @Provide
    Arbitrary<Round> rounds() {
        Arbitrary<List<Integer>> readable = Arbitraries.integers().between(1, 300).list().ofMaxSize(3);
        Arbitrary<List<Integer>> writable = Arbitraries.integers().between(1, 300).list().ofMaxSize(3);
        Arbitrary<Shape> shape = Combinators.combine(readable, writable, Arbitraries.of(true, false))
                .filter((r, w, i) -> !r.isEmpty() || !w.isEmpty()).as(Shape::new);
        return Combinators.combine(shape.list().ofMaxSize(4), Arbitraries.integers().between(-3, 8),
                Arbitraries.of(true, false), Arbitraries.of(true, false)).as(Round::new);
    }

    @Property(tries = 1000)
    @Label("the used ring returns each available buffer once, within its writable size, with consistent indices mod 2^16")
    @Tag("virtio-1.3-dev.split-virtqueues.the-virtqueue-used-ring")
    @Tag("virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression")
    @Tag("virtio-1.3-drv.supplying-buffers-to-the-device.updating-idx")
    void usedRingInvariants(@ForAll("sizes") int size, @ForAll boolean eventIdx, @ForAll boolean indirect,
                            @ForAll("startIndices") int start, @ForAll @Size(min = 1, max = 30) List<@From("rounds") Round> rounds,
                            @ForAll long seed) throws GuestMemoryFault {
        GuestRam ram = GuestRam.ofSize(1 << 20);
        GuestAllocator ringMemory = new GuestAllocator(0x1000, 0x10000);
        GuestAllocator bufferMemory = new GuestAllocator(0x10000, 1 << 20);
        SplitRingDriver driver = SplitRingDriver.allocate(ram, ringMemory, size, eventIdx);
        driver.restore(start);
        var layout = driver.layout();
        VirtqueueDeviceSpi.QueueUnderTest device = spi.split(ram, layout.descriptorTable(), layout.availRing(),
                layout.usedRing(), size, indirect, eventIdx, start);
        Random random = new Random(seed);
        Map<Integer, Long> outstanding = new HashMap<>(); // head -> writable bytes, made available and not used yet
        int exchanged = 0;

        for (Round round : rounds) {
            int added = 0;
            for (Shape shape : round.buffers()) {
                Shape s = indirect ? shape : new Shape(shape.readable(), shape.writable(), false);
                if (s.descriptors() > size) {
                    continue;
                }
                if (driver.freeDescriptors() < s.descriptors()) {
                    collect(driver, outstanding);
                }
                if (driver.freeDescriptors() < s.descriptors()) {
                    continue;
                }
                int head = add(driver, ram, bufferMemory, s);
                assertThat(outstanding).as("head %d reused while outstanding", head).doesNotContainKey(head);
                outstanding.put(head, s.writableBytes());
                added++;
            }
            int usedBefore = driver.usedIdx();
            int usedEvent = (usedBefore + round.usedEventAhead()) & 0xFFFF;
            if (eventIdx) {
                driver.setUsedEvent(usedEvent);
            } else {
                driver.setAvailFlags(round.noInterruptFlag() ? 1 : 0);
            }
            driver.publish();
            assertThat(device.serve(w -> random.nextLong(w + 1))).as("well-formed ring accepted").isTrue();
            int usedAfter = driver.usedIdx();
            exchanged += added;
            // Every available buffer was used, and the indices agree modulo 2^16.
            assertThat(usedAfter).as("used idx").isEqualTo(driver.availIdx());
            assertThat(usedAfter).as("used idx after %d buffers", exchanged).isEqualTo((start + exchanged) & 0xFFFF);
            boolean expectedDue;
            if (added == 0) {
                expectedDue = false;
            } else if (eventIdx) {
                // §2.7.7.2: notify iff the used entry at index used_event was written in this batch.
                expectedDue = false;
                for (int k = 0; k < added; k++) {
                    expectedDue |= ((usedBefore + k) & 0xFFFF) == usedEvent;
                }
            } else {
                expectedDue = !round.noInterruptFlag();
            }
            assertThat(device.notificationDue()).as("used buffer notification").isEqualTo(expectedDue);
            if (round.collect()) {
                collect(driver, outstanding);
            }
        }
        collect(driver, outstanding);
        assertThat(outstanding).as("buffers never returned").isEmpty();
    }

    private static int add(SplitRingDriver driver, GuestRam ram, GuestAllocator memory, Shape s) throws GuestMemoryFault {
        List<SplitRingDriver.Element> elements = new ArrayList<>();
        for (int len : s.readable()) {
            elements.add(new SplitRingDriver.Element(memory.allocate(len, 8), len, false));
        }
        for (int len : s.writable()) {
            elements.add(new SplitRingDriver.Element(memory.allocate(len, 8), len, true));
        }
        return s.indirect() ? driver.addIndirect(List.of(), elements, memory) : driver.add(elements);
    }

    /** The driver takes used buffers: each must be outstanding, and its length within its writable bytes. */
    private static void collect(SplitRingDriver driver, Map<Integer, Long> outstanding) throws GuestMemoryFault {
        for (SplitRingDriver.Used u : driver.takeUsed()) {
            assertThat(outstanding).as("used id %d was never made available or was returned twice", u.id())
                    .containsKey(u.id());
            assertThat(u.length()).as("used length of buffer %d", u.id()).isLessThanOrEqualTo(outstanding.get(u.id()));
            outstanding.remove(u.id());
        }
    }

    @Property(tries = 2000)
    @Label("the need-event rule agrees with a direct model: event in [old, new) modulo 2^16")
    @Tag("virtio-1.3-dev.split-virtqueues.used-buffer-notification-suppression")
    @Tag("virtio-1.3-dev.split-virtqueues.available-buffer-notification-suppression")
    void needEventAgreesWithDirectModel(@ForAll @IntRange(max = 65535) int event, @ForAll @IntRange(max = 65535) int old,
                                        @ForAll @IntRange(max = 32768) int moved) {
        int newIdx = (old + moved) & 0xFFFF;
        boolean model = false;
        for (int k = 0; k < moved; k++) {
            if (((old + k) & 0xFFFF) == event) {
                model = true;
                break;
            }
        }
        assertThat(spi.needEvent(event, newIdx, old)).isEqualTo(model);
    }
}
