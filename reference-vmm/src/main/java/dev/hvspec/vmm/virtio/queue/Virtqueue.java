package dev.hvspec.vmm.virtio.queue;

/**
 * The device side of one virtqueue, split (§2.7) or packed (§2.8): take the buffers the driver
 * made available, give them back used, and decide when the driver wants a used buffer
 * notification. Every method does bounded work and reports driver errors as
 * {@link VirtqueueException}; none throws anything else for any content of guest memory.
 */
public interface Virtqueue {
    int size();

    /** The next available buffer, or null if the driver has made nothing more available. */
    DescriptorChain pop() throws VirtqueueException;

    /** Puts back the last {@code count} buffers taken, as if they had not been taken (e.g. no room for a packet). */
    void unpop(int count);

    /**
     * Marks a buffer used, with the number of bytes the device wrote into it (clipped to its
     * writable size: §2.7.8 "len the total of bytes written into the buffer").
     */
    void push(DescriptorChain chain, long writtenBytes) throws VirtqueueException;

    /**
     * After one or more {@link #push} calls: whether the driver asked for a used buffer
     * notification now (§2.7.7 for split rings, §2.8.10 for packed rings).
     */
    boolean shouldNotify() throws VirtqueueException;

    /** Buffers taken and not yet used. */
    int inFlight();
}
