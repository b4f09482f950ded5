package dev.hvspec.vmm.virtio.pci;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.vmm.virtio.QueueState;
import dev.hvspec.vmm.virtio.VirtioCore;

/**
 * The legacy interface of a transitional virtio PCI device: the register block in I/O BAR0
 * (virtio 1.3 §4.1.4.10, "Legacy Interfaces: A Note on PCI Device Layout"):
 *
 * <pre>
 * 0x00 u32 Device Features bits 0:31 (R)   0x04 u32 Driver Features bits 0:31 (R+W)
 * 0x08 u32 Queue Address (PFN, R+W)         0x0C u16 queue_size (R)
 * 0x0E u16 queue_select (R+W)               0x10 u16 Queue Notify (R+W)
 * 0x12 u8  Device Status (R+W)              0x13 u8  ISR Status (R)
 * with MSI-X enabled: 0x14 u16 config_msix_vector, 0x16 u16 queue_msix_vector
 * then the device-specific configuration (at 0x14, or 0x18 with MSI-X enabled)
 * </pre>
 *
 * The queue lives at PFN * 4096 with the legacy layout of §2.7.2: descriptor table, available
 * ring, padding to the next 4096-byte boundary, used ring. There is no queue size negotiation
 * and no FEATURES_OK; any access marks the core as driven through the legacy interface.
 */
final class VirtioPciLegacyInterface implements MmioDevice {
    static final int HOST_FEATURES = 0x00;
    static final int GUEST_FEATURES = 0x04;
    static final int QUEUE_PFN = 0x08;
    static final int QUEUE_NUM = 0x0C;
    static final int QUEUE_SEL = 0x0E;
    static final int QUEUE_NOTIFY = 0x10;
    static final int STATUS = 0x12;
    static final int ISR = 0x13;
    static final int MSI_CONFIG_VECTOR = 0x14;
    static final int MSI_QUEUE_VECTOR = 0x16;
    static final int QUEUE_ALIGN = 4096;

    private final VirtioCore core;
    private final VirtioPciFunction transport;
    private int queueSelect;

    VirtioPciLegacyInterface(VirtioCore core, VirtioPciFunction transport) {
        this.core = core;
        this.transport = transport;
    }

    void reset() {
        queueSelect = 0;
    }

    /** Offset where the device-specific configuration starts (it moves with MSI-X, §4.1.4.10). */
    private int configOffset() {
        return transport.msixEnabled() ? 0x18 : 0x14;
    }

    /** Bytes of BAR0 needed: the header with the MSI-X fields, then the configuration space. */
    static int size(int configSize) {
        return Math.max(32, Integer.highestOneBit(0x18 + configSize - 1) << 1);
    }

    @Override
    public long mmioRead(long offset, int size) {
        synchronized (core) {
            core.useLegacyInterface();
            int off = (int) offset;
            if (off >= configOffset()) {
                return core.readConfig(off - configOffset(), size);
            }
            if (off == ISR) {
                return transport.readAndClearIsr();
            }
            long v = 0;
            for (int i = size - 1; i >= 0; i--) {
                v = v << 8 | byteAt(off + i);
            }
            return v;
        }
    }

    private int byteAt(int at) {
        QueueState q = core.queue(queueSelect);
        long field;
        int base;
        if (at < 0x04) {
            base = HOST_FEATURES;
            field = core.legacyOfferedFeatures() & 0xFFFF_FFFFL;
        } else if (at < 0x08) {
            base = GUEST_FEATURES;
            field = core.driverFeatures() & 0xFFFF_FFFFL;
        } else if (at < 0x0C) {
            base = QUEUE_PFN;
            field = q != null && q.enabled() ? q.descriptorArea() / QUEUE_ALIGN : 0;
        } else if (at < 0x0E) {
            base = QUEUE_NUM;
            field = q == null ? 0 : q.maxSize();
        } else if (at < 0x10) {
            base = QUEUE_SEL;
            field = queueSelect;
        } else if (at < 0x12) {
            base = QUEUE_NOTIFY;
            field = 0;
        } else if (at == STATUS) {
            base = STATUS;
            field = core.status();
        } else if (at < 0x16) {
            base = MSI_CONFIG_VECTOR;
            field = transport.configVector();
        } else {
            base = MSI_QUEUE_VECTOR;
            field = q == null ? QueueState.NO_VECTOR : q.msixVector();
        }
        return (int) (field >>> (8 * (at - base))) & 0xFF;
    }

    @Override
    public void mmioWrite(long offset, int size, long value) {
        if (offset == QUEUE_NOTIFY && offset < configOffset()) {
            synchronized (core) {
                core.useLegacyInterface();
            }
            core.notifyQueue((int) value & 0xFFFF); // outside the lock, like the modern notify area
            return;
        }
        synchronized (core) {
            core.useLegacyInterface();
            int off = (int) offset;
            if (off >= configOffset()) {
                core.writeConfig(off - configOffset(), size, value);
                return;
            }
            switch (off) {
                case GUEST_FEATURES -> core.writeDriverFeatures(0, (int) value);
                case QUEUE_PFN -> setQueueAddress(value & 0xFFFF_FFFFL);
                case QUEUE_SEL -> queueSelect = (int) value & 0xFFFF;
                case STATUS -> transport.writeStatus((int) value & 0xFF);
                case MSI_CONFIG_VECTOR -> transport.setConfigVector((int) value & 0xFFFF);
                case MSI_QUEUE_VECTOR -> {
                    QueueState q = core.queue(queueSelect);
                    if (q != null) {
                        q.setMsixVector(transport.validVector((int) value & 0xFFFF));
                    }
                }
                default -> {
                    // read-only or undefined registers
                }
            }
        }
    }

    /** §2.7.2 legacy layout at PFN * 4096; PFN 0 stops using the queue. */
    private void setQueueAddress(long pfn) {
        QueueState q = core.queue(queueSelect);
        if (q == null) {
            return;
        }
        if (pfn == 0) {
            core.disableQueue(queueSelect);
            return;
        }
        long desc = pfn * QUEUE_ALIGN;
        int n = q.maxSize();
        long avail = desc + 16L * n;
        long used = (avail + 6 + 2L * n + QUEUE_ALIGN - 1) & -(long) QUEUE_ALIGN;
        core.disableQueue(queueSelect);
        core.setQueueSize(queueSelect, n);
        core.setQueueAreas(queueSelect, desc, avail, used);
        core.enableQueue(queueSelect);
    }
}
