package dev.hvspec.vmm.virtio.pci;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.vmm.pci.BarLayout;
import dev.hvspec.vmm.pci.MsixCapability;
import dev.hvspec.vmm.pci.PciBar;
import dev.hvspec.vmm.pci.PciConfigSpace;
import dev.hvspec.vmm.pci.PciFunction;
import dev.hvspec.vmm.virtio.QueueState;
import dev.hvspec.vmm.virtio.VirtioCore;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioDeviceOptions;
import dev.hvspec.vmm.virtio.VirtioFeatures;
import dev.hvspec.vmm.virtio.VirtioNotifier;

import java.util.ArrayList;
import java.util.List;

/**
 * A virtio device on PCI (virtio 1.3 §4.1), modern or transitional.
 *
 * <p>Layout (as QEMU lays it out):
 * <ul>
 *   <li>BAR0 (transitional only): the legacy register block in I/O space (§4.1.4.10);</li>
 *   <li>BAR1: 4 KiB of memory with the MSI-X table at 0 and the PBA at 0x800, one vector per
 *       queue plus one for configuration changes (§4.1.5.1.2);</li>
 *   <li>BAR4/5: 16 KiB of 64-bit prefetchable memory with the common configuration at 0x0000,
 *       the ISR status at 0x1000, the device-specific configuration at 0x2000 and the
 *       notification area at 0x3000 (queue_notify_off = queue index, notify_off_multiplier 4).</li>
 * </ul>
 * Capabilities: MSI-X, then vendor-specific virtio structure capabilities for the common,
 * notify, ISR and device configuration and the PCI configuration access capability (§4.1.4).
 *
 * <p>Identity (§4.1.2): vendor 0x1AF4; modern devices 0x1040 + device ID, revision 1,
 * subsystem ID 0x1100; transitional devices their 0x1000-0x103F ID, revision 0 and the virtio
 * device ID as subsystem ID.
 */
public final class VirtioPciFunction extends PciFunction implements VirtioNotifier {
    public static final int VENDOR_ID = 0x1AF4;
    public static final int VIRTIO_CAP_ID = 0x09; // PCI_CAP_ID_VNDR
    public static final int CAP_COMMON_CFG = 1;
    public static final int CAP_NOTIFY_CFG = 2;
    public static final int CAP_ISR_CFG = 3;
    public static final int CAP_DEVICE_CFG = 4;
    public static final int CAP_PCI_CFG = 5;
    public static final int LEGACY_BAR = 0;
    public static final int MSIX_BAR = 1;
    public static final int MODERN_BAR = 4;
    public static final long MODERN_BAR_SIZE = 0x4000;
    public static final int COMMON_OFFSET = 0x0000;
    public static final int ISR_OFFSET = 0x1000;
    public static final int DEVICE_OFFSET = 0x2000;
    public static final int NOTIFY_OFFSET = 0x3000;
    public static final int REGION_SIZE = 0x1000;
    public static final int NOTIFY_OFF_MULTIPLIER = 4;
    /** §4.1.4.3: transport features this transport supports (besides the device's own). */
    static final long TRANSPORT_FEATURES = VirtioCore.COMMON_FEATURES;

    private final VirtioCore core;
    private final boolean transitional;
    private final VirtioPciCommonConfig common;
    private final VirtioPciLegacyInterface legacyInterface;
    private final MsixCapability msix;
    private final MmioDevice modernBar;
    private final int pciCfgCap;
    private final MmioDevice notifyArea;
    private int isr;
    private volatile int configVector = QueueState.NO_VECTOR;
    private volatile Runnable notifyLayoutListener = () -> { };

    public VirtioPciFunction(VirtioDevice device, boolean transitional) {
        this(device, transitional, VirtioDeviceOptions.NONE);
    }

    /**
     * A function whose device also offers the features of {@code options}. On a transitional
     * function the legacy interface still offers only bits 0-31 (§4.1.4.10), so neither
     * ACCESS_PLATFORM nor NOTIFICATION_DATA can be negotiated there.
     */
    public VirtioPciFunction(VirtioDevice device, boolean transitional, VirtioDeviceOptions options) {
        super(new PciConfigSpace(VENDOR_ID,
                transitional ? device.type().transitionalPciDeviceId() : device.type().modernPciDeviceId(),
                device.type().pciClassCode(), transitional ? 0 : 1));
        this.transitional = transitional;
        this.core = new VirtioCore(device, dma(), TRANSPORT_FEATURES, options, this);
        this.common = new VirtioPciCommonConfig(core, this);
        this.legacyInterface = transitional ? new VirtioPciLegacyInterface(core, this) : null;
        setSubsystem(VENDOR_ID, transitional ? device.type().id() : 0x1100);
        setInterruptPin(1);

        int vectors = Math.max(2, core.queueCount() + 1);
        msix = addMsixCapability(vectors, MSIX_BAR, 0, MSIX_BAR, 0x800);
        defineBar(MSIX_BAR, PciBar.memory32(4096, new BarLayout()
                .add(0, MsixCapability.tableBytes(vectors), msix.tableRegion())
                .add(0x800, MsixCapability.pbaBytes(vectors), msix.pbaRegion())));

        modernBar = new BarLayout()
                .add(COMMON_OFFSET, REGION_SIZE, common)
                .add(ISR_OFFSET, REGION_SIZE, isrRegion())
                .add(DEVICE_OFFSET, REGION_SIZE, deviceConfigRegion())
                .add(NOTIFY_OFFSET, REGION_SIZE, notifyArea = notifyRegion());
        defineBar(MODERN_BAR, PciBar.memory64(MODERN_BAR_SIZE, true, modernBar));
        if (transitional) {
            defineBar(LEGACY_BAR, PciBar.io(VirtioPciLegacyInterface.size(device.config().length), legacyInterface));
        }

        addVirtioCap(CAP_COMMON_CFG, COMMON_OFFSET, REGION_SIZE, 16);
        int notify = addVirtioCap(CAP_NOTIFY_CFG, NOTIFY_OFFSET, REGION_SIZE, 20);
        config.setValue(notify + 16, 4, NOTIFY_OFF_MULTIPLIER);
        addVirtioCap(CAP_ISR_CFG, ISR_OFFSET, REGION_SIZE, 16);
        if (device.config().length > 0) {
            addVirtioCap(CAP_DEVICE_CFG, DEVICE_OFFSET, REGION_SIZE, 16);
        }
        pciCfgCap = addVirtioCap(CAP_PCI_CFG, 0, 0, 20);
        config.setValue(pciCfgCap + 4, 1, 0);
        // §4.1.4.9: cap.bar, cap.length, cap.offset and pci_cfg_data are read-write for the driver.
        config.setWritable(pciCfgCap + 4, 1, 0xFF);
        config.setWritable(pciCfgCap + 8, 4, 0xFFFF_FFFF);
        config.setWritable(pciCfgCap + 12, 4, 0xFFFF_FFFF);
        config.setWritable(pciCfgCap + 16, 4, 0xFFFF_FFFF);
        config.addHook(pciCfgCap + 16, 4, (o, s, v) -> pciCfgWrite(), (o, s) -> pciCfgRead());
        finishLayout();
    }

    /** A modern (non-transitional) virtio PCI device. */
    public VirtioPciFunction(VirtioDevice device) {
        this(device, false);
    }

    /** struct virtio_pci_cap (§4.1.4): vndr, next, len, cfg_type, bar, id, padding, offset, length. */
    private int addVirtioCap(int type, int offset, int length, int capLength) {
        int at = config.addCapability(VIRTIO_CAP_ID, capLength);
        config.setValue(at + 2, 1, capLength);
        config.setValue(at + 3, 1, type);
        config.setValue(at + 4, 1, MODERN_BAR);
        config.setValue(at + 8, 4, offset);
        config.setValue(at + 12, 4, length);
        return at;
    }

    public VirtioCore core() {
        return core;
    }

    public boolean transitional() {
        return transitional;
    }

    // ---- lock order: core, then this function (notifications take the function lock) ----

    @Override
    public int configRead(int offset, int size) {
        synchronized (core) {
            return super.configRead(offset, size);
        }
    }

    @Override
    public void configWrite(int offset, int size, int value) {
        synchronized (core) {
            super.configWrite(offset, size, value);
        }
        notifyLayoutMayHaveChanged();
    }

    // ---- where notifications can be caught before they reach the VMM (ioeventfd) ----

    /**
     * An address whose writes are available buffer notifications: an MMIO address in the notify
     * area (§4.1.4.4: cap.offset + queue_notify_off * notify_off_multiplier, written with the
     * 16-bit queue index, §4.1.5.2), or the legacy Queue Notify port (§4.1.4.10) with the queue
     * index as its data.
     */
    public record NotifyAddress(boolean pio, long address, int length, Long datamatch) {
    }

    /** A notification address and the write the transport does for it: exactly what the trap path would do. */
    public record NotifyRoute(NotifyAddress address, int queue, Runnable deliver) {
    }

    /**
     * The notification addresses of the enabled queues in the BARs as decoded now (BAR moved or
     * decoding off: different or none). A VMM may have the kernel catch writes there (KVM_IOEVENTFD)
     * and run {@link NotifyRoute#deliver()} on its own thread instead of taking an exit.
     */
    public List<NotifyRoute> notifyRoutes() {
        List<NotifyRoute> routes = new ArrayList<>();
        synchronized (core) {
            for (DecodedBar bar : decodedBars()) {
                for (int i = 0; i < core.queueCount(); i++) {
                    QueueState q = core.queue(i);
                    if (!q.enabled()) {
                        continue;
                    }
                    int queue = i;
                    if (bar.index() == MODERN_BAR) {
                        long offset = NOTIFY_OFFSET + (long) q.index() * NOTIFY_OFF_MULTIPLIER;
                        // §4.1.5.2: the driver writes the 16-bit queue index, or with
                        // VIRTIO_F_NOTIFICATION_DATA the 32-bit notification data, which is not a
                        // value a datamatch could name. The route catches writes of that width and
                        // delivers them as a notification without data: the data is only a hint.
                        int width = core.notificationDataNegotiated() ? 4 : 2;
                        routes.add(new NotifyRoute(new NotifyAddress(false, bar.base() + offset, width, null), queue,
                                () -> notifyArea.mmioWrite(offset - NOTIFY_OFFSET, 2, queue)));
                    } else if (bar.index() == LEGACY_BAR && legacyInterface != null) {
                        routes.add(new NotifyRoute(new NotifyAddress(true,
                                bar.base() + VirtioPciLegacyInterface.QUEUE_NOTIFY, 2, (long) queue), queue,
                                () -> legacyInterface.mmioWrite(VirtioPciLegacyInterface.QUEUE_NOTIFY, 2, queue)));
                    }
                }
            }
        }
        return routes;
    }

    /**
     * Called, with no lock held, after every write that may change {@link #notifyRoutes()}: a
     * configuration write, a common or legacy register write (queue enable, status, reset), a
     * function reset.
     */
    public void setNotifyLayoutListener(Runnable listener) {
        this.notifyLayoutListener = listener == null ? () -> { } : listener;
    }

    void notifyLayoutMayHaveChanged() {
        notifyLayoutListener.run();
        // queue_msix_vector, config_msix_vector, a reset: the vectors in use may have changed.
        msix.routingMayHaveChanged();
    }

    /**
     * The MSI-X vectors the function may signal now: config_msix_vector and every queue's
     * queue_msix_vector that is not NO_VECTOR (§4.1.5.1.2), in ascending order. Reads no lock,
     * so a VMM may call it from the MSI-X routing listener whatever locks are held.
     */
    public List<Integer> msixVectorsInUse() {
        java.util.TreeSet<Integer> used = new java.util.TreeSet<>();
        int config = configVector;
        if (config != QueueState.NO_VECTOR) {
            used.add(config);
        }
        for (int i = 0; i < core.queueCount(); i++) {
            int v = core.queueMsixVector(i);
            if (v != QueueState.NO_VECTOR) {
                used.add(v);
            }
        }
        return List.copyOf(used);
    }

    // ---- the BAR regions ----

    private MmioDevice isrRegion() {
        return new MmioDevice() {
            @Override
            public long mmioRead(long offset, int size) {
                return offset == 0 ? readAndClearIsr() : 0;
            }

            @Override
            public void mmioWrite(long offset, int size, long value) {
            }
        };
    }

    private MmioDevice deviceConfigRegion() {
        return new MmioDevice() {
            @Override
            public long mmioRead(long offset, int size) {
                return core.readConfig((int) offset, size);
            }

            @Override
            public void mmioWrite(long offset, int size, long value) {
                core.writeConfig((int) offset, size, value);
            }
        };
    }

    /** §4.1.5.2: a write to queue_notify_off * notify_off_multiplier notifies that queue. */
    private MmioDevice notifyRegion() {
        return new MmioDevice() {
            @Override
            public long mmioRead(long offset, int size) {
                return 0;
            }

            @Override
            public void mmioWrite(long offset, int size, long value) {
                int queue = (int) (offset / NOTIFY_OFF_MULTIPLIER); // the address names the queue
                if (size == 4) {
                    core.notifyQueueWithData(queue, (int) value); // §2.9 notification data, if negotiated
                } else {
                    core.notifyQueue(queue);
                }
            }
        };
    }

    /** §4.1.4.9: reading pci_cfg_data reads cap.length bytes at cap.offset of BAR cap.bar. */
    private void pciCfgRead() {
        MmioDevice region = pciCfgRegion();
        int length = config.getValue(pciCfgCap + 12, 4);
        if (region != null) {
            long offset = config.getValue(pciCfgCap + 8, 4) & 0xFFFF_FFFFL;
            config.setValue(pciCfgCap + 16, length, (int) region.mmioRead(offset, length));
        }
    }

    /** §4.1.4.9: writing pci_cfg_data writes its first cap.length bytes at cap.offset of BAR cap.bar. */
    private void pciCfgWrite() {
        MmioDevice region = pciCfgRegion();
        if (region != null) {
            long offset = config.getValue(pciCfgCap + 8, 4) & 0xFFFF_FFFFL;
            int length = config.getValue(pciCfgCap + 12, 4);
            region.mmioWrite(offset, length, config.getValue(pciCfgCap + 16, length) & 0xFFFF_FFFFL);
        }
    }

    /** The BAR region the PCI_CFG window points at, if the access is one the spec allows. */
    private MmioDevice pciCfgRegion() {
        int bar = config.getValue(pciCfgCap + 4, 1);
        int length = config.getValue(pciCfgCap + 12, 4);
        long offset = config.getValue(pciCfgCap + 8, 4) & 0xFFFF_FFFFL;
        if ((length != 1 && length != 2 && length != 4) || offset % length != 0) {
            return null;
        }
        PciBar b = bar <= 5 ? bar(bar) : null;
        if (b == null || offset + length > b.size()) {
            return null;
        }
        return b.region();
    }

    // ---- interrupts (§4.1.4.5, §4.1.5.3-4) ----

    /** The ISR status read (§4.1.4.5): returns the bits and clears them, deasserting INTx#. */
    int readAndClearIsr() {
        synchronized (core) {
            int value = isr;
            isr = 0;
            if (!msixEnabled()) {
                setInterruptState(false);
            }
            return value;
        }
    }

    public int isrStatus() {
        synchronized (core) {
            return isr;
        }
    }

    @Override
    public void usedBuffer(int queue) {
        synchronized (core) {
            if (msixEnabled()) {
                // §4.1.5.3.1: with MSI-X and NO_VECTOR the device MUST NOT deliver an interrupt.
                QueueState q = core.queue(queue);
                if (q != null && q.msixVector() != QueueState.NO_VECTOR) {
                    signalMessage(q.msixVector());
                }
                return;
            }
            isr |= 1; // §4.1.4.5.1: set the Queue Interrupt bit before notifying
            setInterruptState(true);
        }
    }

    @Override
    public void configChange() {
        synchronized (core) {
            isr |= 2; // §4.1.4.5.1: set the Device Configuration Interrupt bit before notifying
            if (msixEnabled()) {
                if (configVector != QueueState.NO_VECTOR) {
                    signalMessage(configVector);
                }
                return;
            }
            setInterruptState(true);
        }
    }

    int configVector() {
        return configVector;
    }

    void setConfigVector(int vector) {
        configVector = validVector(vector);
    }

    /** §4.1.5.1.2.1: vectors beyond the table fail to map and read back as NO_VECTOR. */
    int validVector(int vector) {
        return vector < msix.vectors() ? vector : QueueState.NO_VECTOR;
    }

    /** A device_status write through either interface; 0 resets the transport state too. */
    void writeStatus(int value) {
        core.writeStatus(value);
        if (value == 0) {
            resetTransport();
        }
    }

    private void resetTransport() {
        isr = 0;
        configVector = QueueState.NO_VECTOR; // §4.1.5.1.2.1: events unmapped upon reset
        common.reset();
        if (legacyInterface != null) {
            legacyInterface.reset();
        }
        setInterruptState(false);
    }

    @Override
    protected void resetDevice() {
        synchronized (core) {
            core.reset();
            resetTransport();
        }
        notifyLayoutMayHaveChanged();
    }

    /** The feature bits this transport adds to the device's, for documentation and tests. */
    public static long transportFeatures() {
        return TRANSPORT_FEATURES & ~VirtioFeatures.LEGACY_ONLY;
    }
}
