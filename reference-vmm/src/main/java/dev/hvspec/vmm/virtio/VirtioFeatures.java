package dev.hvspec.vmm.virtio;

/**
 * Device-independent feature bits (virtio 1.3 §6 "Reserved Feature Bits"); device-type bits
 * are defined with each device. Bits are numbers (0..63); {@link #bit} makes a mask.
 */
public final class VirtioFeatures {
    private VirtioFeatures() {
    }

    /** Legacy only (§6.1): notify when the queue runs empty even if notifications are suppressed. */
    public static final int NOTIFY_ON_EMPTY = 24;
    /** Legacy only (§6.1): "the device accepts arbitrary descriptor layouts". Transitional devices MUST offer it. */
    public static final int ANY_LAYOUT = 27;
    public static final int INDIRECT_DESC = 28;
    public static final int EVENT_IDX = 29;
    public static final int VERSION_1 = 32;
    public static final int ACCESS_PLATFORM = 33;
    public static final int RING_PACKED = 34;
    public static final int IN_ORDER = 35;
    public static final int ORDER_PLATFORM = 36;
    public static final int SR_IOV = 37;
    public static final int NOTIFICATION_DATA = 38;
    public static final int NOTIF_CONFIG_DATA = 39;
    public static final int RING_RESET = 40;
    public static final int ADMIN_VQ = 41;

    /** Features that exist only on the legacy interface (hidden from modern drivers, as QEMU does). */
    public static final long LEGACY_ONLY = bit(NOTIFY_ON_EMPTY) | bit(ANY_LAYOUT);

    public static long bit(int n) {
        return 1L << n;
    }

    public static boolean has(long features, int n) {
        return (features & bit(n)) != 0;
    }
}
