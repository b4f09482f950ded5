package dev.hvspec.vmm.virtio;

import static dev.hvspec.vmm.virtio.VirtioFeatures.bit;

/**
 * Device-independent features a device offers only when the board asks for them, as QEMU's
 * {@code iommu_platform=on} and {@code notification_data=on} device properties do. Both are off by
 * default: a driver that does not know them loses nothing, and a device offering
 * VIRTIO_F_ACCESS_PLATFORM refuses drivers that do not accept it.
 *
 * @param accessPlatform   offer VIRTIO_F_ACCESS_PLATFORM (bit 33, virtio 1.3 §6). The platform has no
 *                         IOMMU, so the device's addresses stay the driver's physical addresses
 *                         (identity); what changes is the negotiation: the feature must be accepted.
 * @param notificationData offer VIRTIO_F_NOTIFICATION_DATA (bit 38, §2.9): the driver's available
 *                         buffer notifications then carry its next available position as well.
 */
public record VirtioDeviceOptions(boolean accessPlatform, boolean notificationData) {
    /** Neither feature offered (QEMU's defaults). */
    public static final VirtioDeviceOptions NONE = new VirtioDeviceOptions(false, false);

    /** The feature bits these options add to what the device offers. */
    public long features() {
        return (accessPlatform ? bit(VirtioFeatures.ACCESS_PLATFORM) : 0)
                | (notificationData ? bit(VirtioFeatures.NOTIFICATION_DATA) : 0);
    }
}
