package dev.hvspec.properties.virtio;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.net.LoopbackNetBackend;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.DeviceStatus;
import dev.hvspec.vmm.virtio.QueueState;
import dev.hvspec.vmm.virtio.VirtioCore;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioNotifier;
import dev.hvspec.vmm.virtio.balloon.VirtioBalloon;
import dev.hvspec.vmm.virtio.blk.MemoryBlockBackend;
import dev.hvspec.vmm.virtio.blk.VirtioBlk;
import dev.hvspec.vmm.virtio.console.VirtioConsole;
import dev.hvspec.vmm.virtio.net.VirtioNet;
import dev.hvspec.vmm.virtio.rng.VirtioRng;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reference devices as a hostile guest drives them: random features, queue sizes and ring
 * addresses (some outside RAM), guest memory full of noise that the "driver" keeps scribbling
 * over, notifications for any queue number, and host events (frames, console input, balloon and
 * disk changes) in between. Whatever happens, no exception leaves a device, every event costs
 * bounded reads, and the device is either working or asking for a reset (docs/DESIGN.md: "no
 * guest action may throw out of the VMM, hang the host, or touch host memory outside its slots").
 * This property exercises the reference implementation itself, not the SPI.
 */
class ReferenceDeviceFuzzProperties {
    private static final int RAM = 256 * 1024;
    /** Generous bound on bytes read per event: rings, indirect tables and a request's data. */
    private static final long READ_BUDGET = 64L << 20;

    private static VirtioDevice device(int kind, Random r) {
        return switch (kind) {
            case 0 -> new VirtioBlk(new MemoryBlockBackend(64 * 1024));
            case 1 -> new VirtioNet(new LoopbackNetBackend(), new byte[] {0x52, 0x54, 0, 0, 0, 1}, 2);
            case 2 -> new VirtioConsole(4, b -> { }, c -> { });
            case 3 -> new VirtioBalloon();
            default -> new VirtioRng(bytes -> r.nextBytes(bytes));
        };
    }

    @Property(tries = 1000)
    @Label("hostile drivers never get an exception, unbounded work or a half-broken device out of a reference device")
    @Tag("virtio-1.3-dev.basic-facilities-of-a-virtio-device.device-status-field")
    @Tag("virtio-1.3-drv.split-virtqueues.the-virtqueue-descriptor-table")
    void hostileDriver(@ForAll @IntRange(min = 0, max = 4) int kind, @ForAll long seed) throws GuestMemoryFault {
        Random r = new Random(seed);
        GuestRam ram = GuestRam.ofSize(RAM);
        byte[] noise = new byte[RAM];
        r.nextBytes(noise);
        ram.write(0, noise);
        RecordingMemory memory = new RecordingMemory(ram, READ_BUDGET);
        int[] notifications = new int[2];
        VirtioDevice device = device(kind, r);
        VirtioCore core = new VirtioCore(device, memory, VirtioCore.COMMON_FEATURES, new VirtioNotifier() {
            @Override
            public void usedBuffer(int queue) {
                notifications[0]++;
            }

            @Override
            public void configChange() {
                notifications[1]++;
            }
        });

        boolean plausible = r.nextBoolean();
        long features = core.offeredFeatures() & r.nextLong() | 1L << 32;
        if (plausible) {
            features &= ~(1L << 34); // the plausible mode lays out split rings with the reference driver
        }
        core.writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        core.writeDriverFeatures(0, (int) features);
        core.writeDriverFeatures(1, (int) (features >>> 32));
        core.writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        java.util.List<SplitRingDriver> rings = new java.util.ArrayList<>();
        GuestAllocator ringMemory = new GuestAllocator(0x1000, 0x20000);
        boolean eventIdx = (features & (1L << 29)) != 0;
        for (int q = 0; q < core.queueCount(); q++) {
            QueueState state = core.queue(q);
            if (plausible) {
                SplitRingDriver ring = SplitRingDriver.allocate(ram, ringMemory, 16, eventIdx);
                core.setQueueSize(q, 16);
                core.setQueueAreas(q, ring.layout().descriptorTable(), ring.layout().availRing(), ring.layout().usedRing());
                core.enableQueue(q);
                rings.add(ring);
                continue;
            }
            core.setQueueSize(q, 1 << r.nextInt(9));
            core.setQueueAreas(q, address(r), address(r), address(r));
            if (r.nextInt(8) != 0) {
                core.enableQueue(q);
            }
            assertThat(state.size()).isBetween(1, state.maxSize());
        }
        core.writeStatus(core.status() | DeviceStatus.DRIVER_OK);

        for (int event = 0; event < 24; event++) {
            memory.reset();
            int what = r.nextInt(10);
            if (what < 6) {
                int q = r.nextInt(4) == 0 ? r.nextInt(65536) : r.nextInt(core.queueCount());
                if (plausible && q < rings.size()) {
                    addRandomBuffers(rings.get(q), ram, r);
                }
                core.notifyQueue(q);
            } else if (what < 8) {
                if (!plausible || r.nextInt(4) == 0) {
                    scribble(ram, r);
                }
            } else {
                hostEvent(device, r);
            }
            assertThat(memory.bytesRead()).as("bytes read for one event").isLessThanOrEqualTo(READ_BUDGET);
            int status = core.status();
            boolean needsReset = (status & DeviceStatus.DEVICE_NEEDS_RESET) != 0;
            assertThat(needsReset).as("NEEDS_RESET exactly when a driver error was recorded")
                    .isEqualTo(core.lastError() != null);
        }
        net.jqwik.api.statistics.Statistics.label("outcome").collect(
                device.type() + (plausible ? " plausible" : " hostile")
                        + (core.lastViolation() == null ? " no error" : " " + core.lastViolation())
                        + (notifications[0] > 0 ? " with used buffers" : ""));
    }

    /**
     * Up to three well-formed buffers with random content; the first readable bytes look like a
     * request header (small type, command or sector numbers) often enough to reach the parsers.
     */
    private static void addRandomBuffers(SplitRingDriver ring, GuestRam ram, Random r) throws GuestMemoryFault {
        for (int b = 0, n = 1 + r.nextInt(3); b < n; b++) {
            java.util.List<SplitRingDriver.Element> elements = new java.util.ArrayList<>();
            int readable = r.nextInt(3);
            int writable = r.nextInt(3);
            if (readable + writable == 0 || ring.freeDescriptors() < readable + writable) {
                ring.takeUsed();
                continue;
            }
            for (int i = 0; i < readable + writable; i++) {
                int len = 1 + r.nextInt(i == 0 ? 64 : 2048);
                long at = 0x20000 + r.nextInt(RAM - 0x20000 - len);
                byte[] content = new byte[len];
                r.nextBytes(content);
                if (i == 0 && readable > 0) {
                    content[0] = (byte) r.nextInt(16); // blk type, net class, console id ...
                    if (len > 1) {
                        content[1] = (byte) r.nextInt(8);
                    }
                    for (int k = 2; k < Math.min(len, 16); k++) {
                        content[k] = k == 8 ? (byte) r.nextInt(130) : 0;
                    }
                }
                ram.write(at, content);
                elements.add(new SplitRingDriver.Element(at, len, i >= readable));
            }
            ring.add(elements);
        }
        ring.publish();
    }

    private static long address(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> r.nextLong();
            case 1 -> RAM - r.nextInt(256);
            default -> r.nextInt(RAM) & ~0xF;
        };
    }

    /** The driver writes random rings or data: descriptor-sized records of random fields. */
    private static void scribble(GuestRam ram, Random r) throws GuestMemoryFault {
        for (int i = 0; i < 64; i++) {
            long at = r.nextInt(RAM / 16) * 16L;
            ram.writeU64(at, r.nextInt(3) == 0 ? r.nextLong() : r.nextInt(RAM));
            ram.writeU32(at + 8, r.nextInt(3) == 0 ? r.nextInt() & 0xFFFF_FFFFL : r.nextInt(4096));
            ram.writeU16(at + 12, r.nextInt(65536));
            ram.writeU16(at + 14, r.nextInt(3) == 0 ? r.nextInt(65536) : r.nextInt(16));
        }
    }

    private static void hostEvent(VirtioDevice device, Random r) {
        byte[] frame = new byte[14 + r.nextInt(1600)];
        r.nextBytes(frame);
        switch (device) {
            case VirtioNet net -> net.receive(frame);
            case VirtioConsole console -> console.send(r.nextInt(4), frame);
            case VirtioBalloon balloon -> {
                if (r.nextBoolean()) {
                    balloon.requestStatistics();
                } else {
                    balloon.setTarget(r.nextInt(100));
                }
            }
            case VirtioBlk blk -> blk.setCapacity(r.nextInt(256));
            default -> {
            }
        }
    }
}
