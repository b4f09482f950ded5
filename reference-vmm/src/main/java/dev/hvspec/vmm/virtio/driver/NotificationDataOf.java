package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.vmm.virtio.NotificationData;

/** What a driver puts in its notification with VIRTIO_F_NOTIFICATION_DATA (virtio 1.3 §2.9). */
final class NotificationDataOf {
    private NotificationDataOf() {
    }

    /**
     * Split ring: next_idx = the avail idx the driver has published. Packed ring: next_off and
     * next_wrap = where the driver will place its next descriptor and its wrap counter there.
     */
    static NotificationData queue(int index, DriverQueue q) {
        if (q instanceof PackedRingDriver p) {
            return NotificationData.packed(index, p.nextAvail(), p.availWrapCounter());
        }
        return NotificationData.split(index, ((SplitRingDriver) q).availIdx());
    }
}
