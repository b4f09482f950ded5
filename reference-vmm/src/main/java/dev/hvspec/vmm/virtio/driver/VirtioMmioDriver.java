package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.DeviceStatus;
import dev.hvspec.vmm.virtio.queue.SplitVirtqueue;

import java.util.HashMap;
import java.util.Map;
import java.util.function.LongBinaryOperator;

/**
 * The reference driver of virtio-mmio version 2 (virtio 1.3 §4.2.3): checks MagicValue, Version
 * and DeviceID first (§4.2.3.1.1), selects feature words before reading or writing them, and
 * configures queues as §4.2.3.2 describes; 32-bit accesses to the control registers only.
 * Version 1 (legacy) queues are set up with GuestPageSize, QueueAlign and QueuePFN (§4.2.4).
 */
public final class VirtioMmioDriver implements VirtioDriverTransport {
    /** How the driver reaches the device: read(address, size) and write(address, size, value). */
    public interface Bus {
        long read(long address, int size);

        void write(long address, int size, long value);
    }

    private final Bus bus;
    private final long base;
    private final GuestMemory ram;
    private final Map<Integer, SplitRingDriver> queues = new HashMap<>();
    private long negotiated;

    public VirtioMmioDriver(Bus bus, long base, GuestMemory ram) {
        this.bus = bus;
        this.base = base;
        this.ram = ram;
    }

    public int read(int offset) {
        return (int) bus.read(base + offset, 4);
    }

    public void write(int offset, int value) {
        bus.write(base + offset, 4, value & 0xFFFF_FFFFL);
    }

    public long config(int offset, int size) {
        return bus.read(base + 0x100 + offset, size);
    }

    /** §4.2.3.1.1: a device is usable if MagicValue and Version are valid and DeviceID is not 0. */
    public boolean probe() {
        return read(0x000) == 0x7472_6976 && (read(0x004) == 2 || read(0x004) == 1) && read(0x008) != 0;
    }

    @Override
    public int status() {
        return read(0x070);
    }

    public void writeStatus(int status) {
        write(0x070, status);
    }

    /** Reset, ACKNOWLEDGE, DRIVER, features (selected first), FEATURES_OK and its re-read (version 2). */
    public boolean negotiate(long wanted) {
        writeStatus(0);
        writeStatus(DeviceStatus.ACKNOWLEDGE);
        writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        write(0x014, 0);
        long offered = read(0x010) & 0xFFFF_FFFFL;
        write(0x014, 1);
        offered |= (read(0x010) & 0xFFFF_FFFFL) << 32;
        negotiated = offered & wanted;
        write(0x024, 0);
        write(0x020, (int) negotiated);
        write(0x024, 1);
        write(0x020, (int) (negotiated >>> 32));
        if (read(0x004) == 1) {
            return true; // legacy: no FEATURES_OK
        }
        writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        return (status() & DeviceStatus.FEATURES_OK) != 0;
    }

    /** §4.2.3.2: select, check not ready, read QueueNumMax, allocate and zero, QueueNum, areas, QueueReady. */
    public SplitRingDriver setUpQueue(int index, int size, GuestAllocator allocator) throws GuestMemoryFault {
        write(0x030, index);
        if (read(0x044) != 0) {
            return null;
        }
        int max = read(0x034);
        if (max == 0) {
            return null;
        }
        int n = size == 0 ? max : Math.min(size, max);
        boolean eventIdx = (negotiated & (1L << 29)) != 0;
        SplitRingDriver ring;
        if (read(0x004) == 1) {
            write(0x028, 4096);
            long availBytes = 6 + 2L * n;
            long total = ((16L * n + availBytes + 4095) & -4096L) + ((6 + 8L * n + 4095) & -4096L);
            long at = allocator.allocate(total, 4096);
            ram.write(at, new byte[(int) total]);
            long avail = at + 16L * n;
            ring = new SplitRingDriver(ram, new SplitVirtqueue.Layout(at, avail, (avail + availBytes + 4095) & -4096L, n), eventIdx);
            write(0x038, n);
            write(0x03C, 4096);
            write(0x040, (int) (at / 4096));
        } else {
            ring = SplitRingDriver.allocate(ram, allocator, n, eventIdx);
            write(0x038, n);
            var l = ring.layout();
            write(0x080, (int) l.descriptorTable());
            write(0x084, (int) (l.descriptorTable() >>> 32));
            write(0x090, (int) l.availRing());
            write(0x094, (int) (l.availRing() >>> 32));
            write(0x0A0, (int) l.usedRing());
            write(0x0A4, (int) (l.usedRing() >>> 32));
            write(0x044, 1);
        }
        queues.put(index, ring);
        return ring;
    }

    public void driverOk() {
        writeStatus(status() | DeviceStatus.DRIVER_OK);
    }

    @Override
    public SplitRingDriver queue(int index) {
        return queues.get(index);
    }

    /** §4.2.3.3: the queue index, or with VIRTIO_F_NOTIFICATION_DATA the 32-bit notification data of §2.9. */
    @Override
    public void notifyQueue(int index) {
        if ((negotiated & 1L << 38) != 0 && queues.get(index) != null) {
            write(0x050, NotificationDataOf.queue(index, queues.get(index)).raw());
            return;
        }
        write(0x050, index);
    }

    /** §4.2.3.4.1: read InterruptStatus, then acknowledge exactly the bits handled. */
    public int acknowledgeInterrupt() {
        int status = read(0x060);
        write(0x064, status & 3);
        return status;
    }

    public static Bus bus(LongBinaryOperator read, Writer write) {
        return new Bus() {
            @Override
            public long read(long address, int size) {
                return read.applyAsLong(address, size);
            }

            @Override
            public void write(long address, int size, long value) {
                write.write(address, size, value);
            }
        };
    }

    @FunctionalInterface
    public interface Writer {
        void write(long address, int size, long value);
    }
}
