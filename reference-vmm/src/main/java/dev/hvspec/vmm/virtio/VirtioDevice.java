package dev.hvspec.vmm.virtio;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.RingViolation;
import dev.hvspec.vmm.virtio.queue.Virtqueue;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;

/**
 * A virtio device type (block, network, entropy ...): what it offers, its configuration space
 * and what it does with buffers. Everything common to all devices — status, feature negotiation,
 * queue setup, notifications, errors — is in {@link VirtioCore}; transports (PCI, MMIO) put a
 * core around a device. A device is used by one core.
 *
 * <p>Threading: transports call in under the core's lock; host-side events (a frame arriving, a
 * config change) must take {@link #lock()} too.
 */
public abstract class VirtioDevice {
    private VirtioCore core;

    final void attach(VirtioCore core) {
        if (this.core != null) {
            throw new IllegalStateException("device already attached to a transport");
        }
        this.core = core;
    }

    public abstract VirtioDeviceType type();

    /** The device-type feature bits offered (the core adds the device-independent ones). */
    public abstract long deviceFeatures();

    /** Number of virtqueues the device has (the transport's num_queues / QueueSel range). */
    public abstract int queueCount();

    /** Maximum size of queue {@code index}; 0 means the queue is unavailable. */
    public int queueMaxSize(int index) {
        return 256;
    }

    /**
     * Device-type rules on the accepted set (feature dependencies); false makes the device refuse
     * FEATURES_OK (§2.2.2: "otherwise it MUST fail to set the FEATURES_OK device status bit").
     */
    public boolean acceptsFeatures(long features) {
        return true;
    }

    /** The device-specific configuration space, little-endian, owned by the device. */
    public abstract byte[] config();

    /** A driver write to the configuration space; read-only fields ignore it (the default). */
    protected void configWritten(int offset, int size, long value) {
    }

    /**
     * The device accepted the driver's features (FEATURES_OK, or DRIVER_OK on a legacy
     * interface): fields whose value depends on the features can be set now.
     */
    protected void featuresAccepted(long features) {
    }

    /** DRIVER_OK was set: the negotiated features are final and the queues are live. */
    protected void driverOk() {
    }

    /** An available buffer notification for an enabled queue of a live device. */
    protected abstract void queueNotified(int index);

    /**
     * Called after a notification was handled, with the core's lock released (unless the caller
     * still holds it): the place to hand work to the host side that may call back into other
     * devices (a network switch delivering to another VM).
     */
    protected void afterNotification() {
    }

    /** Device reset: back to the initial device-specific state (§2.4). */
    protected void resetDevice() {
    }

    /** A queue was reset individually (VIRTIO_F_RING_RESET, §2.6.1); drop state about its buffers. */
    protected void queueReset(int index) {
    }

    // ---- services for subclasses ----

    protected final VirtioCore core() {
        return core;
    }

    protected final Object lock() {
        return core;
    }

    protected final GuestMemory memory() {
        return core.memory();
    }

    /** The negotiated features. */
    protected final long features() {
        return core.driverFeatures();
    }

    protected final boolean negotiated(int bit) {
        return VirtioFeatures.has(core.driverFeatures(), bit);
    }

    /** The device side of queue {@code index}, or null if it is not enabled. */
    protected final Virtqueue queue(int index) {
        return core.ring(index);
    }

    /** Whether the device may use its queues now (DRIVER_OK, no error, not failed). */
    protected final boolean live() {
        return core.live();
    }

    /** Sends a used buffer notification for {@code index} if the driver asked for one. */
    protected final void notifyUsedIfNeeded(int index) throws VirtqueueException {
        Virtqueue q = queue(index);
        if (q != null && q.shouldNotify()) {
            core.usedBufferNotification(index);
        }
    }

    /** The device configuration changed (a field the device owns). */
    protected final void configChanged() {
        core.configChanged();
    }

    /** The driver broke a rule the device cannot recover from: DEVICE_NEEDS_RESET (§2.1.2). */
    protected final void fail(VirtqueueException e) {
        core.deviceError(e);
    }

    /** Handles one request; returns the number of bytes written into the chain's writable part. */
    @FunctionalInterface
    protected interface RequestHandler {
        long handle(DescriptorChain chain) throws VirtqueueException, GuestMemoryFault;
    }

    /**
     * Serves every available buffer of queue {@code index} in order, marks each used, then sends a
     * used buffer notification if the driver wants one. A driver error sets DEVICE_NEEDS_RESET.
     */
    protected final void drain(int index, RequestHandler handler) {
        Virtqueue q = queue(index);
        if (q == null) {
            return;
        }
        try {
            boolean used = false;
            for (DescriptorChain chain = q.pop(); chain != null; chain = q.pop()) {
                long written;
                try {
                    written = handler.handle(chain);
                } catch (GuestMemoryFault fault) {
                    throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage());
                }
                q.push(chain, written);
                used = true;
                if (!live()) {
                    break; // the request reset or broke the device
                }
            }
            if (used) {
                notifyUsedIfNeeded(index);
            }
        } catch (VirtqueueException e) {
            fail(e);
        }
    }
}
