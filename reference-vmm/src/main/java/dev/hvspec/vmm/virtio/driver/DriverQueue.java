package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.List;

/** The driver side of a virtqueue, split or packed, as device-level code uses it. */
public interface DriverQueue {
    /** Places a buffer (readable elements before writable ones); returns its id (split: head index). */
    int add(List<SplitRingDriver.Element> elements) throws GuestMemoryFault;

    /** Makes the placed buffers visible to the device. */
    void publish() throws GuestMemoryFault;

    /** Whether the device asked to be notified now. */
    boolean notificationNeeded() throws GuestMemoryFault;

    /** Collects the buffers the device used since the last call. */
    List<SplitRingDriver.Used> takeUsed() throws GuestMemoryFault;
}
