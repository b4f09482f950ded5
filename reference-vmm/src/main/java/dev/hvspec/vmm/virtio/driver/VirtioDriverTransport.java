package dev.hvspec.vmm.virtio.driver;

/**
 * The transport-specific half of a reference virtio driver, as device-level code needs it: the
 * driver side of queue {@code index}, sending an available buffer notification, reading status.
 */
public interface VirtioDriverTransport {
    DriverQueue queue(int index);

    void notifyQueue(int index);

    int status();
}
