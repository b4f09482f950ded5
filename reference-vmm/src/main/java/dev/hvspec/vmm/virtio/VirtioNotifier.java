package dev.hvspec.vmm.virtio;

/**
 * How a transport delivers the device's notifications to the driver (virtio 1.3 §2.3): PCI by
 * MSI-X vector or ISR status and INTx# (§4.1.4.5-6), MMIO by InterruptStatus and its interrupt
 * line (§4.2.3.4).
 */
public interface VirtioNotifier {
    /** A used buffer notification for {@code queue}. */
    void usedBuffer(int queue);

    /** A configuration change notification. */
    void configChange();
}
