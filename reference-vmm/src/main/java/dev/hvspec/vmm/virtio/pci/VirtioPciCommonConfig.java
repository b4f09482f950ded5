package dev.hvspec.vmm.virtio.pci;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.vmm.virtio.QueueState;
import dev.hvspec.vmm.virtio.VirtioCore;
import dev.hvspec.vmm.virtio.VirtioFeatures;

/**
 * The common configuration structure of virtio over PCI (virtio 1.3 §4.1.4.3):
 *
 * <pre>
 * 0x00 le32 device_feature_select   0x04 le32 device_feature (RO)
 * 0x08 le32 driver_feature_select   0x0C le32 driver_feature
 * 0x10 le16 config_msix_vector      0x12 le16 num_queues (RO)
 * 0x14 u8 device_status             0x15 u8 config_generation (RO)
 * 0x16 le16 queue_select            0x18 le16 queue_size
 * 0x1A le16 queue_msix_vector       0x1C le16 queue_enable
 * 0x1E le16 queue_notify_off (RO)   0x20 le64 queue_desc
 * 0x28 le64 queue_driver            0x30 le64 queue_device
 * 0x38 le16 queue_notify_data (RO)  0x3A le16 queue_reset
 * 0x3C le16 admin_queue_index (RO)  0x3E le16 admin_queue_num (RO)
 * </pre>
 *
 * Fields are little-endian; the driver uses natural-width accesses and may access the halves of
 * 64-bit fields independently (§4.1.3.1). Reads have no side effects, so an access of any width
 * reads the bytes it covers; a write updates every field it overlaps, merging partial writes.
 */
final class VirtioPciCommonConfig implements MmioDevice {
    static final int DEVICE_FEATURE_SELECT = 0x00;
    static final int DEVICE_FEATURE = 0x04;
    static final int DRIVER_FEATURE_SELECT = 0x08;
    static final int DRIVER_FEATURE = 0x0C;
    static final int CONFIG_MSIX_VECTOR = 0x10;
    static final int NUM_QUEUES = 0x12;
    static final int DEVICE_STATUS = 0x14;
    static final int CONFIG_GENERATION = 0x15;
    static final int QUEUE_SELECT = 0x16;
    static final int QUEUE_SIZE = 0x18;
    static final int QUEUE_MSIX_VECTOR = 0x1A;
    static final int QUEUE_ENABLE = 0x1C;
    static final int QUEUE_NOTIFY_OFF = 0x1E;
    static final int QUEUE_DESC = 0x20;
    static final int QUEUE_DRIVER = 0x28;
    static final int QUEUE_DEVICE = 0x30;
    static final int QUEUE_NOTIFY_DATA = 0x38;
    static final int QUEUE_RESET = 0x3A;
    static final int ADMIN_QUEUE_INDEX = 0x3C;
    static final int ADMIN_QUEUE_NUM = 0x3E;
    static final int SIZE = 0x40;

    private static final int[][] FIELDS = {
        {DEVICE_FEATURE_SELECT, 4}, {DEVICE_FEATURE, 4}, {DRIVER_FEATURE_SELECT, 4}, {DRIVER_FEATURE, 4},
        {CONFIG_MSIX_VECTOR, 2}, {NUM_QUEUES, 2}, {DEVICE_STATUS, 1}, {CONFIG_GENERATION, 1},
        {QUEUE_SELECT, 2}, {QUEUE_SIZE, 2}, {QUEUE_MSIX_VECTOR, 2}, {QUEUE_ENABLE, 2}, {QUEUE_NOTIFY_OFF, 2},
        {QUEUE_DESC, 8}, {QUEUE_DRIVER, 8}, {QUEUE_DEVICE, 8}, {QUEUE_NOTIFY_DATA, 2}, {QUEUE_RESET, 2},
        {ADMIN_QUEUE_INDEX, 2}, {ADMIN_QUEUE_NUM, 2},
    };

    private final VirtioCore core;
    private final VirtioPciFunction transport;
    private int deviceFeatureSelect;
    private int driverFeatureSelect;
    private int queueSelect;

    VirtioPciCommonConfig(VirtioCore core, VirtioPciFunction transport) {
        this.core = core;
        this.transport = transport;
    }

    /** Device reset: the select registers return to 0. */
    void reset() {
        deviceFeatureSelect = 0;
        driverFeatureSelect = 0;
        queueSelect = 0;
    }

    @Override
    public long mmioRead(long offset, int size) {
        synchronized (core) {
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                v = v << 8 | byteAt(offset + i);
            }
            return v;
        }
    }

    private int byteAt(long at) {
        for (int[] f : FIELDS) {
            if (at >= f[0] && at < f[0] + f[1]) {
                return (int) (read(f[0]) >>> (8 * (at - f[0]))) & 0xFF;
            }
        }
        return 0;
    }

    @Override
    public void mmioWrite(long offset, int size, long value) {
        synchronized (core) {
            for (int[] f : FIELDS) {
                long first = Math.max(offset, f[0]);
                long end = Math.min(offset + size, f[0] + f[1]);
                if (first >= end) {
                    continue;
                }
                long merged = read(f[0]);
                for (long at = first; at < end; at++) {
                    long b = (value >>> (8 * (at - offset))) & 0xFF;
                    int shift = (int) (8 * (at - f[0]));
                    merged = (merged & ~(0xFFL << shift)) | (b << shift);
                }
                write(f[0], merged);
            }
        }
    }

    private QueueState selected() {
        return core.queue(queueSelect);
    }

    private long read(int field) {
        QueueState q = selected();
        return switch (field) {
            case DEVICE_FEATURE_SELECT -> deviceFeatureSelect & 0xFFFF_FFFFL;
            // §4.1.4.3.1: bits select*32 .. select*32+31; 0 for any other select.
            case DEVICE_FEATURE -> deviceFeatureSelect < 2 ? (core.offeredFeatures() >>> (32 * deviceFeatureSelect)) & 0xFFFF_FFFFL : 0;
            case DRIVER_FEATURE_SELECT -> driverFeatureSelect & 0xFFFF_FFFFL;
            case DRIVER_FEATURE -> driverFeatureSelect < 2 ? (core.driverFeatures() >>> (32 * driverFeatureSelect)) & 0xFFFF_FFFFL : 0;
            case CONFIG_MSIX_VECTOR -> transport.configVector();
            case NUM_QUEUES -> core.queueCount();
            case DEVICE_STATUS -> core.status();
            case CONFIG_GENERATION -> core.configGeneration();
            case QUEUE_SELECT -> queueSelect;
            // §4.1.4.3.1: "MUST present a 0 in queue_size if the virtqueue ... is unavailable".
            case QUEUE_SIZE -> q == null ? 0 : q.size();
            case QUEUE_MSIX_VECTOR -> q == null ? QueueState.NO_VECTOR : q.msixVector();
            case QUEUE_ENABLE -> q != null && q.enabled() ? 1 : 0;
            case QUEUE_NOTIFY_OFF -> q == null ? 0 : q.index();
            case QUEUE_DESC -> q == null ? 0 : q.descriptorArea();
            case QUEUE_DRIVER -> q == null ? 0 : q.driverArea();
            case QUEUE_DEVICE -> q == null ? 0 : q.deviceArea();
            case QUEUE_NOTIFY_DATA -> q != null && VirtioFeatures.has(core.driverFeatures(), VirtioFeatures.NOTIF_CONFIG_DATA) ? q.index() : 0;
            // Queue resets complete before the write returns, so queue_reset always reads 0.
            case QUEUE_RESET, ADMIN_QUEUE_INDEX, ADMIN_QUEUE_NUM -> 0;
            default -> 0;
        };
    }

    private void write(int field, long value) {
        QueueState q = selected();
        switch (field) {
            case DEVICE_FEATURE_SELECT -> deviceFeatureSelect = (int) value;
            case DRIVER_FEATURE_SELECT -> driverFeatureSelect = (int) value;
            case DRIVER_FEATURE -> core.writeDriverFeatures(driverFeatureSelect, (int) value);
            case CONFIG_MSIX_VECTOR -> transport.setConfigVector((int) value & 0xFFFF);
            case DEVICE_STATUS -> transport.writeStatus((int) value & 0xFF);
            case QUEUE_SELECT -> queueSelect = (int) value & 0xFFFF;
            case QUEUE_SIZE -> core.setQueueSize(queueSelect, (int) value & 0xFFFF);
            case QUEUE_MSIX_VECTOR -> {
                if (q != null) {
                    q.setMsixVector(transport.validVector((int) value & 0xFFFF));
                }
            }
            case QUEUE_ENABLE -> {
                // §4.1.4.3.2: "The driver MUST NOT write a 0 to queue_enable": such writes are ignored.
                if ((value & 0xFFFF) == 1) {
                    core.enableQueue(queueSelect);
                }
            }
            case QUEUE_DESC -> {
                if (q != null) {
                    core.setQueueAreas(queueSelect, value, q.driverArea(), q.deviceArea());
                }
            }
            case QUEUE_DRIVER -> {
                if (q != null) {
                    core.setQueueAreas(queueSelect, q.descriptorArea(), value, q.deviceArea());
                }
            }
            case QUEUE_DEVICE -> {
                if (q != null) {
                    core.setQueueAreas(queueSelect, q.descriptorArea(), q.driverArea(), value);
                }
            }
            case QUEUE_RESET -> {
                if ((value & 0xFFFF) == 1) {
                    core.resetQueue(queueSelect);
                }
            }
            default -> {
                // device_feature, num_queues, config_generation, queue_notify_off, queue_notify_data and
                // the admin fields are read-only for the driver (§4.1.4.3.2).
            }
        }
    }
}
