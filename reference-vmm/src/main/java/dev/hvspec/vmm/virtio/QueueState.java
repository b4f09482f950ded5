package dev.hvspec.vmm.virtio;

import dev.hvspec.vmm.virtio.queue.Virtqueue;

/**
 * One virtqueue as the driver configures it through a transport (virtio 1.3 §4.1.4.3 queue_*
 * fields, §4.2.2 Queue* registers): its size, the guest-physical addresses of its three areas,
 * whether it is enabled, and, once enabled, the device-side ring.
 */
public final class QueueState {
    /** §4.1.4.3 "VIRTIO_MSI_NO_VECTOR": the event is not mapped to any MSI-X vector. */
    public static final int NO_VECTOR = 0xFFFF;

    final int index;
    final int maxSize;
    int size;
    long descriptorArea;
    long driverArea;
    long deviceArea;
    boolean enabled;
    volatile int msixVector = NO_VECTOR; // read without the core lock by interrupt routing
    Virtqueue ring;

    QueueState(int index, int maxSize) {
        this.index = index;
        this.maxSize = maxSize;
        this.size = maxSize;
    }

    void reset() {
        size = maxSize;
        descriptorArea = 0;
        driverArea = 0;
        deviceArea = 0;
        enabled = false;
        msixVector = NO_VECTOR;
        ring = null;
    }

    public int index() {
        return index;
    }

    /** 0 means the queue does not exist (§4.1.4.3: "A 0 means the queue is unavailable"). */
    public int maxSize() {
        return maxSize;
    }

    public int size() {
        return size;
    }

    public long descriptorArea() {
        return descriptorArea;
    }

    public long driverArea() {
        return driverArea;
    }

    public long deviceArea() {
        return deviceArea;
    }

    public boolean enabled() {
        return enabled;
    }

    public int msixVector() {
        return msixVector;
    }

    public void setMsixVector(int vector) {
        msixVector = vector;
    }

    /** The device side of the ring while the queue is enabled; null otherwise. */
    public Virtqueue ring() {
        return ring;
    }
}
