package dev.hvspec.vmm.virtio;

/**
 * The value of an available buffer notification when VIRTIO_F_NOTIFICATION_DATA is negotiated
 * (virtio 1.3 §2.9 "Driver Notifications"; written as 32 bits to the virtio-pci queue notify
 * address, §4.1.5.2, or to the virtio-mmio QueueNotify register, §4.2.3.3):
 * <pre>
 * le32 { vqn : 16; next_off : 15; next_wrap : 1; }
 * </pre>
 * vqn is the virtqueue number. For a split virtqueue the upper 16 bits together are next_idx, the
 * index the driver will write to the next available ring entry (its avail->idx after this
 * update). For a packed virtqueue next_off is the offset of the next descriptor the driver will
 * make available and next_wrap its Driver Ring Wrap Counter.
 *
 * <p>The device treats the value as a hint from an untrusted driver: it names a queue and a
 * position, but buffers are taken only from what the ring itself says (avail->idx, the
 * descriptors' AVAIL/USED flags).
 *
 * @param raw the 32-bit value written
 */
public record NotificationData(int raw) {
    /** The virtqueue number (bits 0-15). */
    public int vqn() {
        return raw & 0xFFFF;
    }

    /** Split virtqueue: next_idx, bits 16-31 (the driver's avail->idx). */
    public int nextIdx() {
        return raw >>> 16;
    }

    /** Packed virtqueue: next_off, bits 16-30. */
    public int nextOff() {
        return (raw >>> 16) & 0x7FFF;
    }

    /** Packed virtqueue: next_wrap, bit 31. */
    public boolean nextWrap() {
        return raw < 0;
    }

    /** The value a driver writes for a split virtqueue. */
    public static NotificationData split(int vqn, int nextIdx) {
        return new NotificationData((vqn & 0xFFFF) | (nextIdx & 0xFFFF) << 16);
    }

    /** The value a driver writes for a packed virtqueue. */
    public static NotificationData packed(int vqn, int nextOff, boolean nextWrap) {
        return new NotificationData((vqn & 0xFFFF) | (nextOff & 0x7FFF) << 16 | (nextWrap ? 1 << 31 : 0));
    }
}
