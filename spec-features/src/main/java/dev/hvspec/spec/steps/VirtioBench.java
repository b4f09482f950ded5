package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioFeatures;
import dev.hvspec.vmm.virtio.driver.DriverQueue;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.PciPlatform;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.driver.VirtioDriverTransport;
import dev.hvspec.vmm.virtio.driver.VirtioPciDriver;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A virtio device under test on the PCI bench, with the reference driver attached to it.
 * Driver memory: rings from 1 MiB, buffers from 2 MiB. BARs are assigned from 0xC0000000 (memory)
 * and 0xC000 (I/O). The device sits at PCI device 4 unless a scenario says otherwise; its INTA#
 * reaches IRQ 19 on the bench. MSI-X vectors are aimed at 0xFEE00000 with data 0x30 + vector.
 */
public final class VirtioBench {
    public static final long MSI_ADDRESS = 0xFEE0_0000L;
    public static final int MSI_DATA_BASE = 0x30;

    /** Feature names usable in scenarios. */
    static final Map<String, Integer> FEATURE_BITS = Map.ofEntries(
            Map.entry("INDIRECT_DESC", VirtioFeatures.INDIRECT_DESC), Map.entry("EVENT_IDX", VirtioFeatures.EVENT_IDX),
            Map.entry("VERSION_1", VirtioFeatures.VERSION_1), Map.entry("ACCESS_PLATFORM", VirtioFeatures.ACCESS_PLATFORM),
            Map.entry("RING_PACKED", VirtioFeatures.RING_PACKED), Map.entry("IN_ORDER", VirtioFeatures.IN_ORDER),
            Map.entry("RING_RESET", VirtioFeatures.RING_RESET), Map.entry("NOTIFICATION_DATA", VirtioFeatures.NOTIFICATION_DATA),
            Map.entry("ANY_LAYOUT", VirtioFeatures.ANY_LAYOUT), Map.entry("NOTIFY_ON_EMPTY", VirtioFeatures.NOTIFY_ON_EMPTY));

    final PciBench pci;
    final GuestAllocator rings = new GuestAllocator(0x10_0000, 0x20_0000);
    final GuestAllocator buffers = new GuestAllocator(0x20_0000, PciBench.RAM_BYTES);
    VirtioPciFunction function;
    VirtioDevice device;
    VirtioPciDriver driver;
    /** How device-level steps reach the queues: the modern PCI driver unless a scenario switches. */
    VirtioDriverTransport transport;
    int slot = 4;

    public VirtioBench(PciBench pci) {
        this.pci = pci;
    }

    GuestMemory ram() {
        return pci.ram;
    }

    /** Puts {@code device} on PCI behind a virtio-pci function and lets the driver find it. */
    void attach(VirtioDevice device, boolean transitional) {
        attach(device, transitional, dev.hvspec.vmm.virtio.VirtioDeviceOptions.NONE);
    }

    /** Like {@link #attach(VirtioDevice, boolean)}, the device offering the features of {@code options} too. */
    void attach(VirtioDevice device, boolean transitional, dev.hvspec.vmm.virtio.VirtioDeviceOptions options) {
        this.device = device;
        this.function = new VirtioPciFunction(device, transitional, options);
        pci.bridge().attach(slot, 0, function);
        driver = new VirtioPciDriver(platform(slot));
        driver.assignBars(PciBench.MEMORY_WINDOW, PciBench.IO_WINDOW + 0x100);
        driver.discover();
        transport = new VirtioDriverTransport() {
            @Override
            public DriverQueue queue(int index) {
                return driver.queue(index);
            }

            @Override
            public void notifyQueue(int index) {
                driver.notifyQueue(index);
            }

            @Override
            public int status() {
                return driver.status();
            }
        };
    }

    dev.hvspec.vmm.virtio.mmio.VirtioMmioDevice mmio;
    dev.hvspec.vmm.virtio.driver.VirtioMmioDriver mmioDriver;

    /** Puts {@code device} behind a virtio-mmio register block at {@code base}, interrupt on bench IRQ {@code irq}. */
    void attachMmio(VirtioDevice device, long base, int irq, int version) {
        attachMmio(device, base, irq, version, dev.hvspec.vmm.virtio.VirtioDeviceOptions.NONE);
    }

    void attachMmio(VirtioDevice device, long base, int irq, int version, dev.hvspec.vmm.virtio.VirtioDeviceOptions options) {
        this.device = device;
        this.mmio = new dev.hvspec.vmm.virtio.mmio.VirtioMmioDevice(device, pci.ram, pci.bench.irq(irq), version, options);
        pci.mapMmio(base, dev.hvspec.vmm.virtio.mmio.VirtioMmioDevice.REGION_SIZE, mmio);
        this.mmioDriver = new dev.hvspec.vmm.virtio.driver.VirtioMmioDriver(
                dev.hvspec.vmm.virtio.driver.VirtioMmioDriver.bus((a, s) -> pci.readMemory(a, (int) s), pci::writeMemory), base, pci.ram);
        this.transport = mmioDriver;
    }

    PciPlatform platform(int device) {
        return new PciPlatform() {
            @Override
            public int configRead(int offset, int size) {
                return pci.configRead(device, 0, offset, size);
            }

            @Override
            public void configWrite(int offset, int size, int value) {
                pci.configWrite(device, 0, offset, size, value);
            }

            @Override
            public long mmioRead(long address, int size) {
                return pci.readMemory(address, size);
            }

            @Override
            public void mmioWrite(long address, int size, long value) {
                pci.writeMemory(address, size, value);
            }

            @Override
            public int ioRead(int port, int size) {
                return pci.bench.ports.read(port, size);
            }

            @Override
            public void ioWrite(int port, int size, int value) {
                pci.bench.ports.write(port, size, value);
            }

            @Override
            public GuestMemory ram() {
                return pci.ram;
            }
        };
    }

    static long parseFeatures(String names, Map<String, Integer> deviceBits) {
        long f = 0;
        for (String n : names.trim().split("[\\s,]+")) {
            if (n.isEmpty() || n.equals("none")) {
                continue;
            }
            Integer bit = FEATURE_BITS.get(n);
            if (bit == null) {
                bit = deviceBits.get(n);
            }
            if (bit == null) {
                bit = Integer.parseInt(n.replace("bit", ""));
            }
            f |= 1L << bit;
        }
        return f;
    }

    /**
     * The full initialization of §3.1.1 with {@code features} requested, every queue set up with
     * {@code queueSize} entries (0 = the maximum), then DRIVER_OK.
     */
    void initialize(long features, int queueSize, boolean msix) throws GuestMemoryFault {
        if (!driver.negotiate(features)) {
            throw new AssertionError("device refused FEATURES_OK for " + Long.toHexString(features));
        }
        int queues = (int) driver.common(VirtioPciDriver.NUM_QUEUES, 2);
        if (msix) {
            driver.enableMsix(queues + 1, MSI_ADDRESS, MSI_DATA_BASE);
            driver.setCommon(VirtioPciDriver.CONFIG_MSIX_VECTOR, 2, queues);
        }
        boolean packed = (features & (1L << VirtioFeatures.RING_PACKED)) != 0;
        for (int q = 0; q < queues; q++) {
            if (packed) {
                driver.setUpPackedQueue(q, queueSize, rings, msix ? q : -1);
            } else {
                driver.setUpQueue(q, queueSize, rings, msix ? q : -1);
            }
        }
        driver.driverOk();
    }

    DriverQueue queue(int index) {
        return transport.queue(index);
    }

    /** The driver side of a split queue, for scenarios that write its rings directly. */
    SplitRingDriver splitQueue(int index) {
        return (SplitRingDriver) transport.queue(index);
    }

    /** Allocates a buffer element, filled with {@code content} (zero-extended to {@code length}). */
    SplitRingDriver.Element element(int length, boolean writable, byte[] content) throws GuestMemoryFault {
        long at = buffers.allocate(Math.max(length, 1), 16);
        byte[] bytes = new byte[length];
        if (content != null) {
            System.arraycopy(content, 0, bytes, 0, Math.min(content.length, length));
        }
        pci.ram.write(at, bytes);
        return new SplitRingDriver.Element(at, length, writable);
    }

    /** Makes a buffer available on {@code queue} and notifies the device if the ring says so. */
    int submit(int queue, List<SplitRingDriver.Element> elements) throws GuestMemoryFault {
        DriverQueue ring = transport.queue(queue);
        int head = ring.add(elements);
        ring.publish();
        if (ring.notificationNeeded()) {
            transport.notifyQueue(queue);
        }
        return head;
    }

    List<SplitRingDriver.Used> used(int queue) throws GuestMemoryFault {
        return new ArrayList<>(transport.queue(queue).takeUsed());
    }
}
