package dev.hvspec.vmm.virtio.mmio;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.vmm.virtio.QueueState;
import dev.hvspec.vmm.virtio.VirtioCore;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioDeviceOptions;
import dev.hvspec.vmm.virtio.VirtioFeatures;
import dev.hvspec.vmm.virtio.VirtioNotifier;
import dev.hvspec.vmm.virtio.DeviceStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Virtio over MMIO (virtio 1.3 §4.2): a register block of 0x100 bytes followed by the device
 * configuration, and one interrupt line. Version 2 is the current interface; version 1 is the
 * legacy interface of §4.2.4 (GuestPageSize, QueueAlign and QueuePFN instead of QueueReady and
 * the 64-bit area addresses, no FEATURES_OK).
 *
 * <p>Control registers take 32-bit aligned accesses (§4.2.2.2); other widths read 0 and are
 * ignored on write, as are writes to read-only registers. Write-only registers read 0. The
 * interrupt line is asserted while InterruptStatus is non-zero (§4.2.3.4).
 */
public final class VirtioMmioDevice implements MmioDevice, VirtioNotifier {
    public static final int MAGIC = 0x7472_6976; // "virt"
    public static final int VENDOR_ID = 0x1AF4;
    public static final long REGION_SIZE = 0x200;

    public static final int MAGIC_VALUE = 0x000;
    public static final int VERSION = 0x004;
    public static final int DEVICE_ID = 0x008;
    public static final int VENDOR = 0x00C;
    public static final int DEVICE_FEATURES = 0x010;
    public static final int DEVICE_FEATURES_SEL = 0x014;
    public static final int DRIVER_FEATURES = 0x020;
    public static final int DRIVER_FEATURES_SEL = 0x024;
    public static final int GUEST_PAGE_SIZE = 0x028;
    public static final int QUEUE_SEL = 0x030;
    public static final int QUEUE_NUM_MAX = 0x034;
    public static final int QUEUE_NUM = 0x038;
    public static final int QUEUE_ALIGN = 0x03C;
    public static final int QUEUE_PFN = 0x040;
    public static final int QUEUE_READY = 0x044;
    public static final int QUEUE_NOTIFY = 0x050;
    public static final int INTERRUPT_STATUS = 0x060;
    public static final int INTERRUPT_ACK = 0x064;
    public static final int STATUS = 0x070;
    public static final int QUEUE_DESC_LOW = 0x080;
    public static final int QUEUE_DESC_HIGH = 0x084;
    public static final int QUEUE_DRIVER_LOW = 0x090;
    public static final int QUEUE_DRIVER_HIGH = 0x094;
    public static final int QUEUE_DEVICE_LOW = 0x0A0;
    public static final int QUEUE_DEVICE_HIGH = 0x0A4;
    public static final int SHM_SEL = 0x0AC;
    public static final int SHM_LEN_LOW = 0x0B0;
    public static final int SHM_LEN_HIGH = 0x0B4;
    public static final int SHM_BASE_LOW = 0x0B8;
    public static final int SHM_BASE_HIGH = 0x0BC;
    public static final int QUEUE_RESET = 0x0C0;
    public static final int CONFIG_GENERATION = 0x0FC;
    public static final int CONFIG = 0x100;

    public static final int INT_USED_BUFFER = 1;
    public static final int INT_CONFIG_CHANGE = 2;

    /** MMIO has no admin virtqueues (§4.2.5); everything else of the core is supported. */
    static final long TRANSPORT_FEATURES = VirtioCore.COMMON_FEATURES;

    private final VirtioCore core;
    private final int version;
    private final IrqLine irq;
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private int queueSel;
    private int interruptStatus;
    private int guestPageSize = 4096;
    private int queueAlign = 4096;
    private boolean irqLevel;
    private volatile Runnable notifyLayoutListener = () -> { };

    /**
     * @param version 2 for the current interface, 1 for the legacy interface
     */
    public VirtioMmioDevice(VirtioDevice device, GuestMemory memory, IrqLine irq, int version) {
        this(device, memory, irq, version, VirtioDeviceOptions.NONE);
    }

    /**
     * A device that also offers the features of {@code options}; a version 1 (legacy) device
     * shows only feature bits 0-31, so they cannot be negotiated there (§4.2.4).
     */
    public VirtioMmioDevice(VirtioDevice device, GuestMemory memory, IrqLine irq, int version,
                            VirtioDeviceOptions options) {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("virtio-mmio version must be 1 or 2");
        }
        this.version = version;
        this.irq = irq;
        this.core = new VirtioCore(device, memory, TRANSPORT_FEATURES, options, this);
    }

    public VirtioCore core() {
        return core;
    }

    public int version() {
        return version;
    }

    private boolean legacy() {
        return version == 1;
    }

    @Override
    public long mmioRead(long offset, int size) {
        if (offset >= CONFIG) {
            return core.readConfig((int) (offset - CONFIG), size); // §4.2.2: byte-aligned access
        }
        if (size != 4 || (offset & 3) != 0) {
            return 0;
        }
        synchronized (core) {
            if (legacy()) {
                core.useLegacyInterface();
            }
            return readRegister((int) offset) & 0xFFFF_FFFFL;
        }
    }

    private int readRegister(int offset) {
        QueueState q = core.queue(queueSel);
        return switch (offset) {
            case MAGIC_VALUE -> MAGIC;
            case VERSION -> version;
            case DEVICE_ID -> core.device().type().id();
            case VENDOR -> VENDOR_ID;
            case DEVICE_FEATURES -> deviceFeatures();
            case QUEUE_NUM_MAX -> q == null ? 0 : q.maxSize();
            case QUEUE_PFN -> legacy() && q != null && q.enabled() ? (int) (q.descriptorArea() / guestPageSize) : 0;
            case QUEUE_READY -> !legacy() && q != null && q.enabled() ? 1 : 0;
            case INTERRUPT_STATUS -> interruptStatus;
            case STATUS -> core.status();
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH -> -1; // §4.2.2: no such region
            case QUEUE_RESET -> 0; // queue resets complete at once
            case CONFIG_GENERATION -> legacy() ? 0 : core.configGeneration();
            default -> 0; // write-only or undefined registers
        };
    }

    private int deviceFeatures() {
        if (legacy()) {
            return deviceFeaturesSel == 0 ? core.legacyOfferedFeatures() : 0;
        }
        return deviceFeaturesSel < 2 ? (int) (core.offeredFeatures() >>> (32 * deviceFeaturesSel)) : 0;
    }

    @Override
    public void mmioWrite(long offset, int size, long value) {
        if (offset >= CONFIG) {
            core.writeConfig((int) (offset - CONFIG), size, value);
            return;
        }
        if (size != 4 || (offset & 3) != 0) {
            return;
        }
        int v = (int) value;
        if (offset == QUEUE_NOTIFY) {
            if (legacy()) {
                synchronized (core) {
                    core.useLegacyInterface();
                }
            }
            // §4.2.3.3: the 16-bit queue index, or with VIRTIO_F_NOTIFICATION_DATA vqn in bits 0-15
            // and the driver's next position above (§2.9). Outside the lock.
            core.notifyQueueWithData(v & 0xFFFF, v);
            return;
        }
        synchronized (core) {
            if (legacy()) {
                core.useLegacyInterface();
            }
            writeRegister((int) offset, v);
        }
        switch ((int) offset) {
            case STATUS, QUEUE_READY, QUEUE_PFN, QUEUE_RESET -> notifyLayoutListener.run();
            default -> { }
        }
    }

    // ---- the ioeventfd fast path (QEMU's virtio_mmio_start_ioeventfd / _stop_ioeventfd) ----

    /**
     * The queues whose QueueNotify writes a VMM may take through KVM_IOEVENTFD with the queue index
     * as datamatch (a 4-byte write of the index, §4.2.2 QueueNotify): every enabled queue once the
     * driver has set DRIVER_OK, none before or after a reset — as QEMU starts the host notifiers at
     * DRIVER_OK and stops them when status goes to 0. (Before DRIVER_OK the device ignores
     * notifications, §2.1.2, so either path gives the same answer.) Only valid while the value
     * written is the bare queue index.
     */
    public List<Integer> ioEventFdQueues() {
        List<Integer> out = new ArrayList<>();
        synchronized (core) {
            // §4.2.3.3: with NOTIFICATION_DATA the QueueNotify value carries the next available
            // position in its upper bits, so a datamatch on the queue index would miss most writes:
            // such a device stays on the trap path.
            if ((core.status() & DeviceStatus.DRIVER_OK) == 0 || core.notificationDataNegotiated()) {
                return out;
            }
            for (int i = 0; i < core.queueCount(); i++) {
                if (core.queue(i).enabled()) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    /** What the I/O thread does for a signalled queue ioeventfd: the trap path's QueueNotify write. */
    public void deliverQueueNotify(int queue) {
        mmioWrite(QUEUE_NOTIFY, 4, queue);
    }

    /**
     * Called, with no lock held, after every write that may change {@link #ioEventFdQueues()}:
     * Status, QueueReady, QueuePFN, QueueReset, and the machine's reset.
     */
    public void setNotifyLayoutListener(Runnable listener) {
        this.notifyLayoutListener = listener == null ? () -> { } : listener;
    }

    private void writeRegister(int offset, int v) {
        QueueState q = core.queue(queueSel);
        switch (offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = v;
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = v;
            case DRIVER_FEATURES -> core.writeDriverFeatures(driverFeaturesSel, v);
            case GUEST_PAGE_SIZE -> guestPageSize = legacy() && Integer.bitCount(v) == 1 ? v : guestPageSize;
            case QUEUE_SEL -> queueSel = v;
            case QUEUE_NUM -> core.setQueueSize(queueSel, v);
            case QUEUE_ALIGN -> queueAlign = legacy() && Integer.bitCount(v) == 1 ? v : queueAlign;
            case QUEUE_PFN -> {
                if (legacy()) {
                    setQueuePfn(Integer.toUnsignedLong(v));
                }
            }
            case QUEUE_READY -> {
                if (!legacy()) {
                    if (v == 1) {
                        core.enableQueue(queueSel);
                    } else if (v == 0) {
                        core.disableQueue(queueSel); // §4.2.2.2: the driver stops using a queue this way
                    }
                }
            }
            case INTERRUPT_ACK -> {
                interruptStatus &= ~v;
                updateIrq();
            }
            case STATUS -> {
                core.writeStatus(v & 0xFF);
                if ((v & 0xFF) == 0) {
                    resetTransport();
                }
            }
            case QUEUE_DESC_LOW -> areas(q, 0, false, v);
            case QUEUE_DESC_HIGH -> areas(q, 0, true, v);
            case QUEUE_DRIVER_LOW -> areas(q, 1, false, v);
            case QUEUE_DRIVER_HIGH -> areas(q, 1, true, v);
            case QUEUE_DEVICE_LOW -> areas(q, 2, false, v);
            case QUEUE_DEVICE_HIGH -> areas(q, 2, true, v);
            case QUEUE_RESET -> {
                if (v == 1 && !legacy()) {
                    core.resetQueue(queueSel);
                }
            }
            default -> {
                // read-only registers and SHMSel: ignored
            }
        }
    }

    /** One half of one of the three 64-bit area addresses (ignored while the queue is ready, §4.2.2.2). */
    private void areas(QueueState q, int which, boolean high, int v) {
        if (q == null || legacy()) {
            return;
        }
        long[] a = {q.descriptorArea(), q.driverArea(), q.deviceArea()};
        long half = Integer.toUnsignedLong(v);
        a[which] = high ? (a[which] & 0xFFFF_FFFFL) | half << 32 : (a[which] & ~0xFFFF_FFFFL) | half;
        core.setQueueAreas(queueSel, a[0], a[1], a[2]);
    }

    /** §4.2.4: the legacy layout at PFN * GuestPageSize with the used ring aligned to QueueAlign. */
    private void setQueuePfn(long pfn) {
        QueueState q = core.queue(queueSel);
        if (q == null) {
            return;
        }
        core.disableQueue(queueSel);
        if (pfn == 0) {
            return;
        }
        int n = q.size();
        long desc = pfn * guestPageSize;
        long avail = desc + 16L * n;
        long used = (avail + 6 + 2L * n + queueAlign - 1) & -(long) queueAlign;
        core.setQueueAreas(queueSel, desc, avail, used);
        core.enableQueue(queueSel);
    }

    private void resetTransport() {
        interruptStatus = 0; // §4.2.2.1: "Upon reset, the device MUST clear all bits in InterruptStatus"
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        queueSel = 0;
        updateIrq();
    }

    /** The machine's reset line. */
    public void reset() {
        synchronized (core) {
            core.reset();
            guestPageSize = 4096;
            queueAlign = 4096;
            resetTransport();
        }
        notifyLayoutListener.run();
    }

    // ---- notifications (§4.2.3.4) ----

    @Override
    public void usedBuffer(int queue) {
        synchronized (core) {
            interruptStatus |= INT_USED_BUFFER;
            updateIrq();
        }
    }

    @Override
    public void configChange() {
        synchronized (core) {
            interruptStatus |= INT_CONFIG_CHANGE;
            updateIrq();
        }
    }

    private void updateIrq() {
        boolean level = interruptStatus != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.setLevel(level);
        }
    }

    public boolean interruptAsserted() {
        synchronized (core) {
            return irqLevel;
        }
    }

    /** The MMIO transport's device-independent features (for documentation and tests). */
    public static long transportFeatures() {
        return TRANSPORT_FEATURES & ~VirtioFeatures.LEGACY_ONLY;
    }
}
