package dev.hvspec.vmm.virtio;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.vmm.virtio.queue.PackedVirtqueue;
import dev.hvspec.vmm.virtio.queue.RingViolation;
import dev.hvspec.vmm.virtio.queue.SplitVirtqueue;
import dev.hvspec.vmm.virtio.queue.Virtqueue;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;

import static dev.hvspec.vmm.virtio.DeviceStatus.DEVICE_NEEDS_RESET;
import static dev.hvspec.vmm.virtio.DeviceStatus.DRIVER_OK;
import static dev.hvspec.vmm.virtio.DeviceStatus.FAILED;
import static dev.hvspec.vmm.virtio.DeviceStatus.FEATURES_OK;
import static dev.hvspec.vmm.virtio.VirtioFeatures.bit;

/**
 * What every virtio device has, whatever its type and transport (virtio 1.3 §2 "Basic Facilities
 * of a Virtio Device", §3 "General Initialization And Device Operation"): the device status
 * field, feature negotiation, the device configuration space with its generation count, and the
 * virtqueues. Transports translate their registers into calls here.
 *
 * <p>Rules, with the clause each implements:
 * <ul>
 *   <li>Writing 0 to status resets the device; status reads 0 afterwards (§2.4.1, §4.1.4.3.1).</li>
 *   <li>FEATURES_OK is refused unless the accepted set is a subset of the offered set, includes
 *       VERSION_1 on a modern interface, and satisfies the device type's dependencies (§2.2.2,
 *       §6.2); feature writes after FEATURES_OK are ignored (§3.1.1 step 5).</li>
 *   <li>The device consumes no buffers and sends no notifications before DRIVER_OK (§2.1.2), nor
 *       after DEVICE_NEEDS_RESET or FAILED; notifications for missing or disabled queues are
 *       ignored.</li>
 *   <li>A driver error sets DEVICE_NEEDS_RESET and, if DRIVER_OK is set, sends a configuration
 *       change notification (§2.1.2).</li>
 *   <li>config_generation changes after the driver reads a field that changed since the last
 *       read of configuration space (§4.1.4.3.1, implemented as the spec's note suggests).</li>
 * </ul>
 * Legacy interfaces (§4.1.4.10, §4.2.4) have no FEATURES_OK: the driver's feature writes take
 * effect at once and queues are usable before DRIVER_OK (§3.1.2).
 */
public final class VirtioCore {
    /** Device-independent features every reference device offers (if the transport supports them). */
    public static final long COMMON_FEATURES = bit(VirtioFeatures.VERSION_1) | bit(VirtioFeatures.INDIRECT_DESC)
            | bit(VirtioFeatures.EVENT_IDX) | bit(VirtioFeatures.RING_PACKED) | bit(VirtioFeatures.IN_ORDER)
            | bit(VirtioFeatures.RING_RESET);

    private final VirtioDevice device;
    private final GuestMemory memory;
    private final VirtioNotifier notifier;
    private final QueueState[] queues;
    private final long offered;
    private int status;
    private long driverFeatures;
    private boolean legacy;
    private int configGeneration;
    private boolean configDirty;
    private VirtqueueException lastError;
    private long ignoredNotifications;
    private long notifications;
    private long usedNotifications;
    private final NotificationData[] notificationData;

    /**
     * @param transportFeatures the device-independent features this transport can support
     */
    public VirtioCore(VirtioDevice device, GuestMemory memory, long transportFeatures, VirtioNotifier notifier) {
        this(device, memory, transportFeatures, VirtioDeviceOptions.NONE, notifier);
    }

    /**
     * @param transportFeatures the device-independent features this transport can support
     * @param options           device-independent features offered on request (ACCESS_PLATFORM, NOTIFICATION_DATA)
     */
    public VirtioCore(VirtioDevice device, GuestMemory memory, long transportFeatures, VirtioDeviceOptions options,
                      VirtioNotifier notifier) {
        this.device = device;
        this.memory = memory;
        this.notifier = notifier;
        this.offered = device.deviceFeatures() | (COMMON_FEATURES & transportFeatures) | options.features();
        this.queues = new QueueState[device.queueCount()];
        this.notificationData = new NotificationData[queues.length];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new QueueState(i, device.queueMaxSize(i));
        }
        device.attach(this);
    }

    public VirtioDevice device() {
        return device;
    }

    GuestMemory memory() {
        return memory;
    }

    // ---- feature bits (§2.2) ----

    /** Everything offered, as a modern driver sees it (legacy-only bits hidden). */
    public synchronized long offeredFeatures() {
        return offered & ~VirtioFeatures.LEGACY_ONLY;
    }

    /** Feature bits 0-31 as the legacy interface offers them (§4.1.4.10: only bits 0 to 31). */
    public synchronized int legacyOfferedFeatures() {
        return (int) ((offered & 0xFFFF_FFFFL & ~bit(VirtioFeatures.RING_PACKED)) | bit(VirtioFeatures.ANY_LAYOUT));
    }

    public synchronized long driverFeatures() {
        return driverFeatures;
    }

    /** The driver writes 32 feature bits, word {@code select} (0 = bits 0-31, 1 = bits 32-63). */
    public synchronized void writeDriverFeatures(int select, int value) {
        if ((status & FEATURES_OK) != 0 || select < 0 || select > 1) {
            return; // §3.1.1 step 5: no new feature bits after FEATURES_OK; no features beyond 63
        }
        long word = Integer.toUnsignedLong(value) << (32 * select);
        long keep = ~(0xFFFF_FFFFL << (32 * select));
        if (legacy) {
            // §4.1.4.10: through the legacy interface, bits 32-63 are not acknowledged.
            if (select == 0) {
                driverFeatures = Integer.toUnsignedLong(value) & legacyOfferedFeatures() & 0xFFFF_FFFFL;
            }
        } else {
            driverFeatures = (driverFeatures & keep) | word;
        }
    }

    /** Whether the accepted set is one the device agrees to (§2.2.2). */
    private boolean featuresAcceptable() {
        long accepted = driverFeatures;
        if ((accepted & ~offeredFeatures()) != 0) {
            return false;
        }
        if (!VirtioFeatures.has(accepted, VirtioFeatures.VERSION_1)) {
            return false; // §6.3: "A device MAY fail to operate further if VIRTIO_F_VERSION_1 is not accepted."
        }
        if (VirtioFeatures.has(offered, VirtioFeatures.ACCESS_PLATFORM)
                && !VirtioFeatures.has(accepted, VirtioFeatures.ACCESS_PLATFORM)) {
            // §6.2 (device requirements, reserved feature bits): "A device MAY fail to operate further
            // if VIRTIO_F_ACCESS_PLATFORM is not accepted." A driver that does not accept it would pass
            // physical addresses to a device that was told to go through the platform (§6.1).
            return false;
        }
        return device.acceptsFeatures(accepted);
    }

    // ---- device status (§2.1) ----

    public synchronized int status() {
        return status;
    }

    public synchronized void writeStatus(int value) {
        value &= 0xFF;
        if (value == 0) {
            reset();
            return;
        }
        int was = status;
        int next = (value & ~DEVICE_NEEDS_RESET) | (was & DEVICE_NEEDS_RESET); // NEEDS_RESET is the device's
        if (!legacy) {
            if ((next & FEATURES_OK) != 0 && (was & FEATURES_OK) == 0 && !featuresAcceptable()) {
                next &= ~FEATURES_OK; // §2.2.2: "fail to set the FEATURES_OK device status bit"
            }
            if ((next & DRIVER_OK) != 0 && (next & FEATURES_OK) == 0) {
                next &= ~DRIVER_OK; // §3.1.1: no DRIVER_OK before feature negotiation completed
            }
        }
        status = next;
        boolean featuresNowOk = (next & FEATURES_OK) != 0 && (was & FEATURES_OK) == 0;
        boolean driverNowOk = (next & DRIVER_OK) != 0 && (was & DRIVER_OK) == 0;
        if (featuresNowOk || (legacy && driverNowOk)) {
            device.featuresAccepted(driverFeatures);
        }
        if (driverNowOk) {
            device.driverOk();
        }
    }

    /** Device reset (§2.4): status 0, no features, queues back to their reset state. */
    public synchronized void reset() {
        status = 0;
        driverFeatures = 0;
        legacy = false;
        configDirty = false;
        lastError = null;
        for (QueueState q : queues) {
            q.reset();
        }
        java.util.Arrays.fill(notificationData, null);
        device.resetDevice();
    }

    /** The driver is using the legacy interface (until the next reset). */
    public synchronized void useLegacyInterface() {
        legacy = true;
    }

    public synchronized boolean legacy() {
        return legacy;
    }

    /** Whether the device may consume buffers and notify (§2.1.2, §3.1.2 for legacy). */
    public synchronized boolean live() {
        boolean started = legacy || (status & (DRIVER_OK | FEATURES_OK)) == (DRIVER_OK | FEATURES_OK);
        return started && (status & (DEVICE_NEEDS_RESET | FAILED)) == 0;
    }

    // ---- configuration space (§2.5) ----

    public synchronized int configGeneration() {
        return configGeneration & 0xFF;
    }

    public synchronized int configSize() {
        return device.config().length;
    }

    /** A driver read of the device configuration: bytes beyond its end read as 0. */
    public synchronized long readConfig(int offset, int size) {
        if (configDirty) {
            configGeneration++; // §4.1.4.3.1 note: bump on the first read after a change
            configDirty = false;
        }
        byte[] config = device.config();
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            int at = offset + i;
            v = v << 8 | (at >= 0 && at < config.length ? config[at] & 0xFF : 0);
        }
        return v;
    }

    public synchronized void writeConfig(int offset, int size, long value) {
        if (offset >= 0 && offset < device.config().length) {
            device.configWritten(offset, size, value);
        }
    }

    /**
     * The configuration changed because of a driver command (a MAC address set through the
     * control queue): the generation moves, but no notification is due.
     */
    public synchronized void configChangedByDriver() {
        configDirty = true;
    }

    /** A device-side change of the configuration space (§2.5, §3.2.1). */
    public synchronized void configChanged() {
        configDirty = true;
        if ((status & DRIVER_OK) != 0) {
            notifier.configChange();
        }
    }

    // ---- virtqueues ----

    public int queueCount() {
        return queues.length;
    }

    /** Queue {@code index}, or null if the device has no such queue. */
    /**
     * Queue {@code index}'s MSI-X vector, read without the core lock: a VMM's interrupt routing
     * reads it from code that may run under other locks. Every write is followed by a re-read.
     */
    public int queueMsixVector(int index) {
        return queues[index].msixVector();
    }

    public synchronized QueueState queue(int index) {
        return index >= 0 && index < queues.length ? queues[index] : null;
    }

    synchronized Virtqueue ring(int index) {
        QueueState q = queue(index);
        return q == null ? null : q.ring;
    }

    /** The driver's queue_size write: ignored while enabled or if not a size the device supports. */
    public synchronized void setQueueSize(int index, int size) {
        QueueState q = queue(index);
        if (q == null || q.enabled || size <= 0 || size > q.maxSize) {
            return;
        }
        boolean packed = VirtioFeatures.has(driverFeatures, VirtioFeatures.RING_PACKED);
        if (!packed && Integer.bitCount(size) != 1) {
            return; // §4.1.4.3.1: without packed rings queue_size is 0 or a power of 2
        }
        q.size = size;
    }

    public synchronized void setQueueAreas(int index, long descriptor, long driver, long device) {
        QueueState q = queue(index);
        if (q != null && !q.enabled) {
            q.descriptorArea = descriptor;
            q.driverArea = driver;
            q.deviceArea = device;
        }
    }

    /** Enables a queue with its configured size and areas (queue_enable = 1, QueueReady = 1). */
    public synchronized void enableQueue(int index) {
        QueueState q = queue(index);
        if (q == null || q.enabled || q.maxSize == 0) {
            return;
        }
        q.ring = createRing(q);
        q.enabled = true;
    }

    /** Disables a queue (MMIO QueueReady = 0, legacy PFN = 0): the device stops using it. */
    public synchronized void disableQueue(int index) {
        QueueState q = queue(index);
        if (q != null) {
            q.enabled = false;
            q.ring = null;
        }
    }

    /**
     * Resets one queue (§2.6.1 with VIRTIO_F_RING_RESET): the device stops using it and all its
     * state returns to the default, so the driver can reconfigure and re-enable it.
     */
    public synchronized void resetQueue(int index) {
        QueueState q = queue(index);
        if (q == null || !VirtioFeatures.has(driverFeatures, VirtioFeatures.RING_RESET)) {
            return;
        }
        device.queueReset(index);
        q.reset();
    }

    private Virtqueue createRing(QueueState q) {
        boolean indirect = VirtioFeatures.has(driverFeatures, VirtioFeatures.INDIRECT_DESC);
        boolean eventIdx = VirtioFeatures.has(driverFeatures, VirtioFeatures.EVENT_IDX);
        if (VirtioFeatures.has(driverFeatures, VirtioFeatures.RING_PACKED) && !legacy) {
            return new PackedVirtqueue(memory, new PackedVirtqueue.Layout(q.descriptorArea, q.driverArea,
                    q.deviceArea, q.size), SplitVirtqueue.Options.of(indirect, eventIdx));
        }
        return new SplitVirtqueue(memory, new SplitVirtqueue.Layout(q.descriptorArea, q.driverArea,
                q.deviceArea, q.size), SplitVirtqueue.Options.of(indirect, eventIdx));
    }

    /**
     * An available buffer notification (§2.9, §4.1.5.2). Ignored — with nothing read from
     * guest memory — for queue numbers the device does not have (the QEMU CVE-2011-2512 class),
     * disabled queues, and a device that is not live.
     */
    public void notifyQueue(int index) {
        synchronized (this) {
            notifications++;
            QueueState q = queue(index);
            if (q == null || !q.enabled || !live()) {
                ignoredNotifications++;
                return;
            }
            device.queueNotified(index);
        }
        device.afterNotification(); // outside the lock: e.g. frames handed to a network backend
    }

    /**
     * An available buffer notification that carried 32 bits of data (a virtio-pci notify write of 4
     * bytes, a virtio-mmio QueueNotify write). With VIRTIO_F_NOTIFICATION_DATA negotiated (never on
     * a legacy interface: bit 38 cannot be negotiated there) the value is parsed as §2.9's
     * notification data and kept as a hint ({@link #lastNotificationData}); the queue is the one the
     * transport identified ({@code index}: the notify address on PCI, vqn on MMIO). The hint is
     * never trusted: the device takes buffers only as the ring shows them, so a driver whose
     * next_idx or next_off names buffers it never made available gets exactly the ring's buffers.
     */
    public void notifyQueueWithData(int index, int value) {
        synchronized (this) {
            if (!legacy && VirtioFeatures.has(driverFeatures, VirtioFeatures.NOTIFICATION_DATA)
                    && index >= 0 && index < notificationData.length) {
                notificationData[index] = new NotificationData(value);
            }
        }
        notifyQueue(index);
    }

    /** Whether the driver's notifications carry notification data (§2.9): VIRTIO_F_NOTIFICATION_DATA negotiated. */
    public synchronized boolean notificationDataNegotiated() {
        return !legacy && VirtioFeatures.has(driverFeatures, VirtioFeatures.NOTIFICATION_DATA)
                && (status & FEATURES_OK) != 0;
    }

    /** The notification data of the last notification for queue {@code index} since reset, or null. */
    public synchronized NotificationData lastNotificationData(int index) {
        return index >= 0 && index < notificationData.length ? notificationData[index] : null;
    }

    public synchronized long ignoredNotifications() {
        return ignoredNotifications;
    }

    /**
     * Available buffer notifications received (each one a trap to the VMM unless a kernel fast
     * path such as ioeventfd handles it), ignored or not.
     */
    public synchronized long notifications() {
        return notifications;
    }

    /** Used buffer notifications sent (each one an interrupt injected into the guest). */
    public synchronized long usedNotifications() {
        return usedNotifications;
    }

    synchronized void usedBufferNotification(int index) {
        if (live()) {
            usedNotifications++;
            notifier.usedBuffer(index);
        }
    }

    // ---- errors ----

    /**
     * The driver broke the rules (§2.1.2): DEVICE_NEEDS_RESET, then a configuration change
     * notification if DRIVER_OK is set. The device does nothing more until reset.
     */
    public synchronized void deviceError(VirtqueueException error) {
        if (lastError == null) {
            lastError = error;
        }
        if ((status & DEVICE_NEEDS_RESET) != 0) {
            return;
        }
        boolean notify = (status & DRIVER_OK) != 0;
        status |= DEVICE_NEEDS_RESET;
        configDirty = true;
        if (notify) {
            notifier.configChange();
        }
    }

    /** The first driver error since the last reset, or null. */
    public synchronized VirtqueueException lastError() {
        return lastError;
    }

    public synchronized RingViolation lastViolation() {
        return lastError == null ? null : lastError.violation();
    }
}
