package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.DeviceStatus;
import dev.hvspec.vmm.virtio.queue.SplitVirtqueue;

import java.util.HashMap;
import java.util.Map;

/**
 * A legacy (virtio 0.9.5) PCI driver, as Linux's virtio_pci_legacy drives a transitional
 * device through I/O BAR0 (virtio 1.3 §4.1.4.10, §4.1.5.1.3.1): 32 feature bits, no
 * FEATURES_OK, a queue of the device's fixed size at a page frame number with the legacy layout
 * (§2.7.2), notifications by writing the queue index to Queue Notify.
 */
public final class LegacyVirtioPciDriver implements VirtioDriverTransport {
    public static final int HOST_FEATURES = 0x00;
    public static final int GUEST_FEATURES = 0x04;
    public static final int QUEUE_PFN = 0x08;
    public static final int QUEUE_NUM = 0x0C;
    public static final int QUEUE_SEL = 0x0E;
    public static final int QUEUE_NOTIFY = 0x10;
    public static final int STATUS = 0x12;
    public static final int ISR = 0x13;
    public static final int ALIGN = 4096;

    private final PciPlatform platform;
    private final int ioBase;
    private final Map<Integer, SplitRingDriver> queues = new HashMap<>();

    public LegacyVirtioPciDriver(PciPlatform platform, int ioBase) {
        this.platform = platform;
        this.ioBase = ioBase;
    }

    public int read(int offset, int size) {
        return platform.ioRead(ioBase + offset, size);
    }

    public void write(int offset, int size, int value) {
        platform.ioWrite(ioBase + offset, size, value);
    }

    @Override
    public int status() {
        return read(STATUS, 1);
    }

    /** Reset, ACKNOWLEDGE, DRIVER, accept {@code wanted & offered} (bits 0-31). Returns the accepted set. */
    public int negotiate(int wanted) {
        write(STATUS, 1, 0);
        write(STATUS, 1, DeviceStatus.ACKNOWLEDGE);
        write(STATUS, 1, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        int accepted = read(HOST_FEATURES, 4) & wanted;
        write(GUEST_FEATURES, 4, accepted);
        return accepted;
    }

    /** §4.1.5.1.3.1: read the fixed size, allocate the legacy layout page-aligned, write the PFN. */
    public SplitRingDriver setUpQueue(int index, GuestAllocator allocator, boolean eventIdx) throws GuestMemoryFault {
        write(QUEUE_SEL, 2, index);
        int size = read(QUEUE_NUM, 2);
        if (size == 0) {
            return null;
        }
        long availBytes = 6 + 2L * size;
        long first = 16L * size + availBytes;
        long total = ((first + ALIGN - 1) & -ALIGN) + ((6 + 8L * size + ALIGN - 1) & -ALIGN);
        long base = allocator.allocate(total, ALIGN);
        platform.ram().write(base, new byte[(int) total]);
        long avail = base + 16L * size;
        long used = (avail + availBytes + ALIGN - 1) & -ALIGN;
        SplitRingDriver ring = new SplitRingDriver(platform.ram(), new SplitVirtqueue.Layout(base, avail, used, size), eventIdx);
        write(QUEUE_PFN, 4, (int) (base / ALIGN));
        queues.put(index, ring);
        return ring;
    }

    public void driverOk() {
        write(STATUS, 1, status() | DeviceStatus.DRIVER_OK);
    }

    @Override
    public SplitRingDriver queue(int index) {
        return queues.get(index);
    }

    @Override
    public void notifyQueue(int index) {
        write(QUEUE_NOTIFY, 2, index);
    }

    public int readIsr() {
        return read(ISR, 1);
    }
}
