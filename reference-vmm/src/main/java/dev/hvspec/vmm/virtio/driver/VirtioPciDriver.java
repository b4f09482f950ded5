package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.vmm.virtio.VirtioFeatures;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.DeviceStatus;

import java.util.HashMap;
import java.util.Map;

/**
 * The reference driver of the virtio-pci modern interface, following the driver-normative rules
 * of virtio 1.3 §4.1 and the initialization sequence of §3.1.1:
 * <ol>
 *   <li>discovery: match vendor 0x1AF4, walk the capability list and use the first virtio
 *       structure capability of each type with a valid BAR (§4.1.4.1, ignoring reserved types);</li>
 *   <li>BAR assignment: size each BAR, program it, enable memory, I/O and bus mastering;</li>
 *   <li>reset, wait for status 0, ACKNOWLEDGE, DRIVER, feature negotiation, FEATURES_OK and its
 *       re-read, queue setup, DRIVER_OK.</li>
 * </ol>
 * Accesses to the common configuration use natural widths (§4.1.3.1).
 */
public final class VirtioPciDriver {
    /** One virtio structure: where it is in guest-physical memory and its length. */
    public record Structure(int bar, long offset, long length, long address) {
    }

    // common configuration offsets (§4.1.4.3)
    public static final int DEVICE_FEATURE_SELECT = 0x00;
    public static final int DEVICE_FEATURE = 0x04;
    public static final int DRIVER_FEATURE_SELECT = 0x08;
    public static final int DRIVER_FEATURE = 0x0C;
    public static final int CONFIG_MSIX_VECTOR = 0x10;
    public static final int NUM_QUEUES = 0x12;
    public static final int DEVICE_STATUS = 0x14;
    public static final int CONFIG_GENERATION = 0x15;
    public static final int QUEUE_SELECT = 0x16;
    public static final int QUEUE_SIZE = 0x18;
    public static final int QUEUE_MSIX_VECTOR = 0x1A;
    public static final int QUEUE_ENABLE = 0x1C;
    public static final int QUEUE_NOTIFY_OFF = 0x1E;
    public static final int QUEUE_DESC = 0x20;
    public static final int QUEUE_DRIVER = 0x28;
    public static final int QUEUE_DEVICE = 0x30;
    public static final int QUEUE_RESET = 0x3A;

    private final PciPlatform platform;
    private final Map<Integer, Structure> structures = new HashMap<>();
    private final long[] barAddress = new long[6];
    private final Map<Integer, DriverQueue> queues = new HashMap<>();
    private int notifyMultiplier;
    private int msixCapability;
    private long offeredFeatures;
    private long negotiatedFeatures;

    public VirtioPciDriver(PciPlatform platform) {
        this.platform = platform;
    }

    public int vendorId() {
        return platform.configRead(0x00, 2);
    }

    public int deviceId() {
        return platform.configRead(0x02, 2);
    }

    /** Sizes and programs the BARs from the given windows, then enables decoding and mastering. */
    public void assignBars(long memoryBase, int ioBase) {
        long mem = memoryBase;
        int io = ioBase;
        for (int i = 0; i < 6; i++) {
            int reg = 0x10 + 4 * i;
            int original = platform.configRead(reg, 4);
            platform.configWrite(reg, 4, 0xFFFF_FFFF);
            int sized = platform.configRead(reg, 4);
            if (sized == 0) {
                continue;
            }
            if ((original & 1) != 0) {
                long size = (~(sized & 0xFFFF_FFFCL) + 1) & 0xFFFF;
                io = (int) ((io + size - 1) & -size);
                platform.configWrite(reg, 4, io);
                barAddress[i] = io;
                io += (int) size;
                continue;
            }
            boolean is64 = (original & 0x6) == 0x4;
            long mask = sized & 0xFFFF_FFF0L;
            if (is64) {
                platform.configWrite(reg + 4, 4, 0xFFFF_FFFF);
                mask |= (platform.configRead(reg + 4, 4) & 0xFFFF_FFFFL) << 32;
            } else {
                mask |= 0xFFFF_FFFF_0000_0000L;
            }
            long size = ~mask + 1;
            mem = (mem + size - 1) & -size;
            platform.configWrite(reg, 4, (int) mem);
            if (is64) {
                platform.configWrite(reg + 4, 4, (int) (mem >>> 32));
            }
            barAddress[i] = mem;
            mem += size;
            if (is64) {
                i++;
            }
        }
        platform.configWrite(0x04, 2, 0x0007); // I/O space, memory space, bus master
    }

    /** Walks the capability list: virtio structures (vendor caps 0x09) and MSI-X (0x11). */
    public void discover() {
        structures.clear();
        if ((platform.configRead(0x06, 2) & 0x10) == 0) {
            return;
        }
        int at = platform.configRead(0x34, 1) & 0xFC;
        for (int guard = 0; at != 0 && guard < 48; guard++) {
            int id = platform.configRead(at, 1);
            if (id == 0x11) {
                msixCapability = at;
            } else if (id == 0x09) {
                int type = platform.configRead(at + 3, 1);
                int bar = platform.configRead(at + 4, 1);
                // §4.1.4.1: ignore reserved cfg_type and bar values; use the first of each type.
                if (type >= 1 && type <= 5 && bar <= 5 && !structures.containsKey(type)) {
                    long offset = platform.configRead(at + 8, 4) & 0xFFFF_FFFFL;
                    long length = platform.configRead(at + 12, 4) & 0xFFFF_FFFFL;
                    structures.put(type, new Structure(bar, offset, length, barAddress[bar] + offset));
                    if (type == 2) {
                        notifyMultiplier = platform.configRead(at + 16, 4);
                    }
                }
            }
            at = platform.configRead(at + 1, 1) & 0xFC;
        }
    }

    public Structure structure(int type) {
        return structures.get(type);
    }

    public int notifyMultiplier() {
        return notifyMultiplier;
    }

    public int msixCapability() {
        return msixCapability;
    }

    public long barAddress(int bar) {
        return barAddress[bar];
    }

    // ---- common configuration ----

    public long common(int offset, int size) {
        return platform.mmioRead(structures.get(1).address() + offset, size);
    }

    public void setCommon(int offset, int size, long value) {
        platform.mmioWrite(structures.get(1).address() + offset, size, value);
    }

    public int status() {
        return (int) common(DEVICE_STATUS, 1);
    }

    public void writeStatus(int status) {
        setCommon(DEVICE_STATUS, 1, status);
    }

    /** Reset: write 0, then wait (bounded) for status to read 0 (§4.1.4.3.2). */
    public boolean reset() {
        writeStatus(0);
        for (int i = 0; i < 1000; i++) {
            if (status() == 0) {
                return true;
            }
        }
        return false;
    }

    public long deviceFeatures() {
        setCommon(DEVICE_FEATURE_SELECT, 4, 0);
        long low = common(DEVICE_FEATURE, 4);
        setCommon(DEVICE_FEATURE_SELECT, 4, 1);
        long high = common(DEVICE_FEATURE, 4);
        return low | high << 32;
    }

    public void writeDriverFeatures(long features) {
        setCommon(DRIVER_FEATURE_SELECT, 4, 0);
        setCommon(DRIVER_FEATURE, 4, features & 0xFFFF_FFFFL);
        setCommon(DRIVER_FEATURE_SELECT, 4, 1);
        setCommon(DRIVER_FEATURE, 4, features >>> 32);
    }

    /**
     * Steps 1-6 of §3.1.1: reset, ACKNOWLEDGE, DRIVER, accept {@code wanted & offered},
     * FEATURES_OK, re-read. Returns whether the device kept FEATURES_OK.
     */
    public boolean negotiate(long wanted) {
        reset();
        writeStatus(DeviceStatus.ACKNOWLEDGE);
        writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        offeredFeatures = deviceFeatures();
        negotiatedFeatures = offeredFeatures & wanted;
        writeDriverFeatures(negotiatedFeatures);
        writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        return (status() & DeviceStatus.FEATURES_OK) != 0;
    }

    public long offeredFeatures() {
        return offeredFeatures;
    }

    public long negotiatedFeatures() {
        return negotiatedFeatures;
    }

    /** §4.1.5.1.3: select, read size (0 = absent), choose a size, allocate and zero, set areas, enable. */
    public SplitRingDriver setUpQueue(int index, int size, GuestAllocator allocator, int msixVector) throws GuestMemoryFault {
        setCommon(QUEUE_SELECT, 2, index);
        int max = (int) common(QUEUE_SIZE, 2);
        if (max == 0) {
            return null;
        }
        int chosen = size == 0 ? max : Math.min(size, max);
        setCommon(QUEUE_SIZE, 2, chosen);
        boolean eventIdx = (negotiatedFeatures & (1L << 29)) != 0;
        SplitRingDriver ring = SplitRingDriver.allocate(platform.ram(), allocator, chosen, eventIdx);
        setCommon(QUEUE_DESC, 8, ring.layout().descriptorTable());
        setCommon(QUEUE_DRIVER, 8, ring.layout().availRing());
        setCommon(QUEUE_DEVICE, 8, ring.layout().usedRing());
        if (msixVector >= 0) {
            setCommon(QUEUE_MSIX_VECTOR, 2, msixVector);
        }
        setCommon(QUEUE_ENABLE, 2, 1);
        queues.put(index, ring);
        return ring;
    }

    public DriverQueue queue(int index) {
        return queues.get(index);
    }

    /** Like {@link #setUpQueue} for a packed ring (VIRTIO_F_RING_PACKED negotiated): any size up to the maximum. */
    public PackedRingDriver setUpPackedQueue(int index, int size, GuestAllocator allocator, int msixVector)
            throws GuestMemoryFault {
        setCommon(QUEUE_SELECT, 2, index);
        int max = (int) common(QUEUE_SIZE, 2);
        if (max == 0) {
            return null;
        }
        int chosen = size == 0 ? max : Math.min(size, max);
        setCommon(QUEUE_SIZE, 2, chosen);
        PackedRingDriver ring = PackedRingDriver.allocate(platform.ram(), allocator, chosen);
        setCommon(QUEUE_DESC, 8, ring.layout().descriptorRing());
        setCommon(QUEUE_DRIVER, 8, ring.layout().driverEvent());
        setCommon(QUEUE_DEVICE, 8, ring.layout().deviceEvent());
        if (msixVector >= 0) {
            setCommon(QUEUE_MSIX_VECTOR, 2, msixVector);
        }
        setCommon(QUEUE_ENABLE, 2, 1);
        queues.put(index, ring);
        return ring;
    }

    public void driverOk() {
        writeStatus(status() | DeviceStatus.DRIVER_OK);
    }

    /**
     * §4.1.5.2: write the 16-bit queue index at cap.offset + queue_notify_off * notify_off_multiplier,
     * or with VIRTIO_F_NOTIFICATION_DATA negotiated the 32-bit notification data of §2.9 (the
     * queue's next avail idx, or next offset and wrap counter for a packed ring).
     */
    public void notifyQueue(int index) {
        if ((negotiatedFeatures & 1L << VirtioFeatures.NOTIFICATION_DATA) != 0 && queues.get(index) != null) {
            notifyWithData(index, NotificationDataOf.queue(index, queues.get(index)).raw());
            return;
        }
        setCommon(QUEUE_SELECT, 2, index);
        long off = common(QUEUE_NOTIFY_OFF, 2);
        platform.mmioWrite(structures.get(2).address() + off * notifyMultiplier, 2, index);
    }

    /** A 32-bit write of {@code value} at queue {@code index}'s notification address (§4.1.5.2 with NOTIFICATION_DATA). */
    public void notifyWithData(int index, int value) {
        setCommon(QUEUE_SELECT, 2, index);
        long off = common(QUEUE_NOTIFY_OFF, 2);
        platform.mmioWrite(structures.get(2).address() + off * notifyMultiplier, 4, Integer.toUnsignedLong(value));
    }

    /** A write to the notification area at an arbitrary queue number (for malicious-driver scenarios). */
    public void notifyRaw(int queueNumber) {
        platform.mmioWrite(structures.get(2).address() + (long) queueNumber * notifyMultiplier, 2, queueNumber);
    }

    public int readIsr() {
        return (int) platform.mmioRead(structures.get(3).address(), 1);
    }

    public long deviceConfig(int offset, int size) {
        return platform.mmioRead(structures.get(4).address() + offset, size);
    }

    public void writeDeviceConfig(int offset, int size, long value) {
        platform.mmioWrite(structures.get(4).address() + offset, size, value);
    }

    public int configGeneration() {
        return (int) common(CONFIG_GENERATION, 1);
    }

    /** Enables MSI-X in the capability and unmasks {@code vectors} table entries aimed at the given address. */
    public void enableMsix(int vectors, long address, int firstData) {
        int tableReg = platform.configRead(msixCapability + 4, 4);
        long table = barAddress[tableReg & 7] + (tableReg & ~7);
        for (int v = 0; v < vectors; v++) {
            platform.mmioWrite(table + 16L * v, 4, address);
            platform.mmioWrite(table + 16L * v + 4, 4, 0);
            platform.mmioWrite(table + 16L * v + 8, 4, firstData + v);
            platform.mmioWrite(table + 16L * v + 12, 4, 0);
        }
        platform.configWrite(msixCapability + 2, 2, 0x8000);
    }
}
