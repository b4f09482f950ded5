package dev.hvspec.vmm.net;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.MsiSink;
import dev.hvspec.vmm.pci.PciHostBridge;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.PciPlatform;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.driver.VirtioPciDriver;
import dev.hvspec.vmm.virtio.net.VirtioNet;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One small VM for backend tests: 8 MiB of RAM, a PCI host bridge, a virtio-net NIC at device 3
 * driven by the reference driver (features VERSION_1 | CSUM | MAC), receive buffers posted.
 */
final class VirtioNetHarness {
    static final long WINDOW = 0xC000_0000L;

    final GuestRam ram = GuestRam.ofSize(8 << 20);
    final PciHostBridge bridge = new PciHostBridge(ram, MsiSink.NONE, IntxRouter.UNCONNECTED);
    final VirtioNet nic;
    final VirtioPciDriver driver;
    private final GuestAllocator rings = new GuestAllocator(0x10_0000, 0x20_0000);
    private final GuestAllocator buffers = new GuestAllocator(0x20_0000, 8 << 20);
    private final List<SplitRingDriver.Element> receive = new ArrayList<>();

    VirtioNetHarness(NetBackend backend, byte[] mac) throws GuestMemoryFault {
        this(backend, mac, 0);
    }

    /** A NIC whose driver also accepts {@code extraFeatures} (e.g. HOST_TSO4). */
    VirtioNetHarness(NetBackend backend, byte[] mac, long extraFeatures) throws GuestMemoryFault {
        nic = new VirtioNet(backend, mac);
        bridge.attach(3, 0, new VirtioPciFunction(nic));
        driver = new VirtioPciDriver(PciPlatform.memoryOnly(bridge, 3, WINDOW, ram));
        driver.assignBars(WINDOW, 0xC000);
        driver.discover();
        if (!driver.negotiate(1L << 32 | 1L << VirtioNet.F_CSUM | 1L << VirtioNet.F_MAC | extraFeatures)) {
            throw new IllegalStateException("FEATURES_OK refused");
        }
        for (int q = 0; q < 3; q++) {
            driver.setUpQueue(q, 64, rings, -1);
        }
        driver.driverOk();
        for (int i = 0; i < 16; i++) {
            SplitRingDriver.Element e = new SplitRingDriver.Element(buffers.allocate(2048, 16), 2048, true);
            driver.queue(0).add(List.of(e));
            receive.add(e);
        }
        driver.queue(0).publish();
        driver.notifyQueue(0);
    }

    /** Transmits a frame with a virtio_net_hdr asking (or not) for checksum completion. */
    void transmit(byte[] frame, int flags, int csumStart, int csumOffset) throws GuestMemoryFault {
        transmit(frame, flags, 0, 0, csumStart, csumOffset);
    }

    /** Transmits a frame with a virtio_net_hdr asking for segmentation ({@code gsoType}, MSS {@code gsoSize}). */
    void transmit(byte[] frame, int flags, int gsoType, int gsoSize, int csumStart, int csumOffset) throws GuestMemoryFault {
        ByteBuffer h = ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.put((byte) flags).put((byte) gsoType).putShort((short) 0).putShort((short) gsoSize)
                .putShort((short) csumStart).putShort((short) csumOffset).putShort((short) 0);
        long hdr = buffers.allocate(12, 16);
        long data = buffers.allocate(frame.length, 16);
        ram.write(hdr, h.array());
        ram.write(data, frame);
        var tx = driver.queue(1);
        tx.takeUsed();
        tx.add(List.of(new SplitRingDriver.Element(hdr, 12, false), new SplitRingDriver.Element(data, frame.length, false)));
        tx.publish();
        driver.notifyQueue(1);
    }

    /** Frames received so far (the bytes after each virtio_net_hdr). */
    List<byte[]> received() throws GuestMemoryFault {
        List<byte[]> out = new ArrayList<>();
        for (SplitRingDriver.Used u : driver.queue(0).takeUsed()) {
            SplitRingDriver.Element e = receive.get(u.id());
            out.add(ram.read(e.address() + 12, (int) u.length() - 12));
        }
        return out;
    }
}
