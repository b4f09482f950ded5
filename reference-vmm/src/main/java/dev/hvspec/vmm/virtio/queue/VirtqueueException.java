package dev.hvspec.vmm.virtio.queue;

/** A driver broke the virtqueue rules; the device stops using the queue and asks for a reset. */
public final class VirtqueueException extends Exception {
    private final RingViolation violation;

    public VirtqueueException(RingViolation violation, String detail) {
        super(violation.description() + (detail.isEmpty() ? "" : ": " + detail), null, false, false);
        this.violation = violation;
    }

    public RingViolation violation() {
        return violation;
    }
}
