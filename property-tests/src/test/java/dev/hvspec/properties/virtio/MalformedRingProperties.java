package dev.hvspec.properties.virtio;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Untrusted drivers: rings filled with adversarial garbage (loops, out-of-range indices, huge and
 * zero lengths, indirect tables anywhere, addresses outside RAM, buffers pointing at the rings
 * themselves). Whatever the device decides, one notification must cost bounded reads, return
 * normally, and write nothing but the device's own ring area and buffers the driver marked
 * device-writable (virtio 1.3 §2.7.5.1, §2.8.2: "A device MUST NOT write to a device-readable
 * buffer").
 */
class MalformedRingProperties {
    private static final int RAM = 256 * 1024;
    private static final long RING = 0x1000;

    private final VirtqueueDeviceSpi spi = VirtqueueDevices.underTest();

    record Range(long start, long length) {
        boolean covers(long address, long len) {
            return address >= start && address - start + len <= length;
        }
    }

    @Provide
    Arbitrary<Integer> splitSizes() {
        return Arbitraries.of(1, 2, 4, 8, 16, 32, 64, 128, 256);
    }

    @Property(tries = 1000)
    @Label("random malformed split rings: bounded reads, no exception, writes only to the used ring and writable buffers")
    @Tag("virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table")
    @Tag("virtio-1.3-drv.the-virtqueue-descriptor-table.indirect-descriptors")
    @Tag("virtio-1.3-dev.split-virtqueues.the-virtqueue-descriptor-table")
    void malformedSplitRings(@ForAll("splitSizes") int size, @ForAll boolean indirect, @ForAll boolean eventIdx,
                             @ForAll long seed) throws GuestMemoryFault {
        Random r = new Random(seed);
        GuestRam ram = GuestRam.ofSize(RAM);
        byte[] noise = new byte[RAM];
        r.nextBytes(noise);
        ram.write(0, noise);
        long desc = RING;
        long avail = desc + 16L * size;
        long used = (avail + 6 + 2L * size + 3) & ~3L;
        for (int i = 0; i < size; i++) {
            writeDescriptor(ram, desc + 16L * i, r, size);
        }
        int start = r.nextBoolean() ? 0 : r.nextInt(65536);
        ram.writeU16(avail + 2, r.nextBoolean() ? (start + r.nextInt(size + 2)) & 0xFFFF : r.nextInt(65536));
        for (int i = 0; i < size; i++) {
            ram.writeU16(avail + 4 + 2L * i, r.nextInt(4) == 0 ? r.nextInt(65536) : r.nextInt(size));
        }
        Range usedRing = new Range(used, 6 + 8L * size);
        RecordingMemory memory = new RecordingMemory(ram, Long.MAX_VALUE);
        VirtqueueDeviceSpi.QueueUnderTest device = spi.split(memory, desc, avail, used, size, indirect, eventIdx, start);
        for (int notification = 0; notification < 3; notification++) {
            List<Range> allowed = new ArrayList<>(writableBuffers(ram, desc, size, 0, 0));
            allowed.add(usedRing);
            long bound = readBound(ram, desc, size, 0);
            memory.reset();
            boolean accepted = device.serve(w -> r.nextLong(w + 1));
            net.jqwik.api.statistics.Statistics.label("split notification " + notification)
                    .collect(accepted ? (memory.writes().isEmpty() ? "nothing to do" : "served") : "rejected");
            assertThat(memory.bytesRead()).as("bytes read for one notification").isLessThanOrEqualTo(bound);
            assertWritesAllowed(memory, allowed);
        }
    }

    @Provide
    Arbitrary<Integer> packedSizes() {
        return Arbitraries.integers().between(1, 256);
    }

    @Property(tries = 1000)
    @Label("random malformed packed rings: bounded reads, no exception, writes only to the ring, its event area and writable buffers")
    @Tag("virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues-3")
    @Tag("virtio-1.3-drv.basic-facilities-of-a-virtio-device.packed-virtqueues-4")
    @Tag("virtio-1.3-dev.basic-facilities-of-a-virtio-device.packed-virtqueues-2")
    void malformedPackedRings(@ForAll("packedSizes") int size, @ForAll boolean indirect, @ForAll boolean eventIdx,
                              @ForAll long seed) throws GuestMemoryFault {
        Random r = new Random(seed);
        GuestRam ram = GuestRam.ofSize(RAM);
        byte[] noise = new byte[RAM];
        r.nextBytes(noise);
        ram.write(0, noise);
        long ring = RING;
        long driverEvent = ring + 16L * size;
        long deviceEvent = driverEvent + 4;
        for (int i = 0; i < size; i++) {
            writeDescriptor(ram, ring + 16L * i, r, size);
            // packed flags: AVAIL (bit 7) / USED (bit 15) mostly "available in lap 1"
            int flags = ram.readU16(ring + 16L * i + 12) & 0x7;
            int wrapBits = switch (r.nextInt(4)) {
                case 0, 1 -> 0x80;
                case 2 -> 0x8000;
                default -> r.nextInt(65536) & 0x8080;
            };
            ram.writeU16(ring + 16L * i + 14, flags | wrapBits);
            ram.writeU16(ring + 16L * i + 12, r.nextInt(65536)); // buffer id
        }
        RecordingMemory memory = new RecordingMemory(ram, Long.MAX_VALUE);
        VirtqueueDeviceSpi.QueueUnderTest device = spi.packed(memory, ring, driverEvent, deviceEvent, size, indirect, eventIdx);
        for (int notification = 0; notification < 3; notification++) {
            List<Range> allowed = new ArrayList<>(writableBuffers(ram, ring, size, 14, 0));
            allowed.add(new Range(ring, 16L * size));
            allowed.add(new Range(deviceEvent, 4));
            long bound = readBound(ram, ring, size, 14) + 16L * size;
            memory.reset();
            boolean accepted = device.serve(w -> r.nextLong(w + 1));
            net.jqwik.api.statistics.Statistics.label("packed notification " + notification)
                    .collect(accepted ? (memory.writes().size() <= 1 ? "nothing to do" : "served") : "rejected");
            assertThat(memory.bytesRead()).as("bytes read for one notification").isLessThanOrEqualTo(bound);
            assertWritesAllowed(memory, allowed);
        }
    }

    /** A descriptor that is plausible often and hostile often. */
    private static void writeDescriptor(GuestRam ram, long at, Random r, int size) throws GuestMemoryFault {
        long addr = switch (r.nextInt(6)) {
            case 0 -> r.nextLong();
            case 1 -> RAM - r.nextInt(64);
            case 2 -> RING + 16L * r.nextInt(size);  // buffers on top of the ring itself
            default -> r.nextInt(RAM);
        };
        long len = switch (r.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 0xFFFF_FFFFL - r.nextInt(16);
            case 2 -> 16L * (1 + r.nextInt(64));
            case 3 -> 16L * r.nextInt(4096) + r.nextInt(2) * r.nextInt(16);
            default -> 1 + r.nextInt(4096);
        };
        int flags = r.nextInt(8);
        int next = r.nextInt(4) == 0 ? r.nextInt(65536) : r.nextInt(size);
        ram.writeU64(at, addr);
        ram.writeU32(at + 8, len);
        ram.writeU16(at + 12, flags);
        ram.writeU16(at + 14, next);
    }

    /**
     * Buffers a device may write: descriptors of the main table with WRITE (flags at +12 for split,
     * +14 for packed) and entries with WRITE of the indirect tables the main table points at.
     */
    private static List<Range> writableBuffers(GuestRam ram, long table, int size, int flagsAt, int unused)
            throws GuestMemoryFault {
        int flagsOffset = flagsAt == 0 ? 12 : flagsAt;
        List<Range> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long at = table + 16L * i;
            long addr = ram.readU64(at);
            long len = ram.readU32(at + 8);
            int flags = ram.readU16(at + flagsOffset);
            if ((flags & 4) != 0 && ram.isRam(addr, len) && len >= 16) {
                for (long e = addr; e + 16 <= addr + len; e += 16) {
                    if ((ram.readU16(e + flagsOffset) & 2) != 0) {
                        out.add(new Range(ram.readU64(e), ram.readU32(e + 8)));
                    }
                }
            } else if ((flags & 2) != 0) {
                out.add(new Range(addr, len));
            }
        }
        return out;
    }

    /** size chains per notification, each over at most the table plus one indirect table, plus ring indices. */
    private static long readBound(GuestRam ram, long table, int size, int unused) throws GuestMemoryFault {
        long largestIndirect = 0;
        for (int i = 0; i < size; i++) {
            long len = ram.readU32(table + 16L * i + 8);
            largestIndirect = Math.max(largestIndirect, Math.min(len, RAM));
        }
        return (long) size * (16L * size + largestIndirect + 16) + 64;
    }

    private static void assertWritesAllowed(RecordingMemory memory, List<Range> allowed) {
        for (RecordingMemory.Write w : memory.writes()) {
            boolean ok = allowed.stream().anyMatch(a -> a.covers(w.address(), w.length()));
            assertThat(ok).as("device wrote %d bytes at 0x%x outside its ring and the writable buffers",
                    w.length(), w.address()).isTrue();
        }
    }

    @Property(tries = 1000)
    @Label("queue indices stay consistent across the 16-bit wrap for any starting point")
    @Tag("virtio-1.3-drv.supplying-buffers-to-the-device.updating-idx")
    void wrapFromAnyStart(@ForAll @IntRange(min = 65536 - 64, max = 65535) int start, @ForAll @IntRange(min = 1, max = 130) int buffers)
            throws GuestMemoryFault {
        GuestRam ram = GuestRam.ofSize(RAM);
        var alloc = new dev.hvspec.vmm.virtio.driver.GuestAllocator(0x1000, 0x8000);
        var driver = dev.hvspec.vmm.virtio.driver.SplitRingDriver.allocate(ram, alloc, 8, true);
        driver.restore(start);
        var l = driver.layout();
        var device = spi.split(ram, l.descriptorTable(), l.availRing(), l.usedRing(), 8, false, true, start);
        long buffer = 0x10000;
        for (int i = 0; i < buffers; i++) {
            driver.add(List.of(new dev.hvspec.vmm.virtio.driver.SplitRingDriver.Element(buffer, 64, true)));
            driver.publish();
            assertThat(device.serve(w -> w)).isTrue();
            var got = driver.takeUsed();
            assertThat(got).hasSize(1);
            assertThat(got.get(0).length()).isEqualTo(64);
        }
        assertThat(driver.usedIdx()).isEqualTo((start + buffers) & 0xFFFF);
    }
}
