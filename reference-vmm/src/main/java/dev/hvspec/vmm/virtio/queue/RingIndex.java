package dev.hvspec.vmm.virtio.queue;

/**
 * Pure ring-index arithmetic of virtqueues: free-running 16-bit indices (virtio 1.3 §2.7.13.3
 * "idx always increments, and wraps naturally at 65536") and the event-index rule of
 * VIRTIO_F_EVENT_IDX (§2.7.7, §2.7.10).
 */
public final class RingIndex {
    private RingIndex() {
    }

    /** How far {@code to} is ahead of {@code from}, modulo 2^16. */
    public static int distance(int from, int to) {
        return (to - from) & 0xFFFF;
    }

    /**
     * The wrap-safe need-event rule: having moved an index from {@code oldIdx} to {@code newIdx},
     * a notification is due iff the entry at index {@code eventIdx} was written in that step, i.e.
     * {@code eventIdx} lies in {@code [oldIdx, newIdx)} modulo 2^16. §2.7.7.2: "If the idx field in
     * the used ring (which determined where that descriptor index was placed) was equal to
     * used_event, the device MUST send a notification." The formula is the one in the spec's
     * virtio_ring.h listing (vring_need_event), written in 16-bit unsigned arithmetic.
     */
    public static boolean needEvent(int eventIdx, int newIdx, int oldIdx) {
        return ((newIdx - eventIdx - 1) & 0xFFFF) < ((newIdx - oldIdx) & 0xFFFF);
    }
}
