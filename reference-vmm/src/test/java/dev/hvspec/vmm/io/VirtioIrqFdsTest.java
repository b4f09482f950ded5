package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.kvm.KvmStats;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.kvm.GsiRoutingTable;
import dev.hvspec.vmm.kvm.Kvm;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.kvm.Vm;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.PciHostBridge;
import dev.hvspec.vmm.virtio.blk.MemoryBlockBackend;
import dev.hvspec.vmm.virtio.blk.VirtioBlk;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.PciPlatform;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.driver.VirtioPciDriver;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Virtio-pci MSI-X vectors on irqfds, observed in the kernel layer: the interrupt arrives in the
 * local APIC's IRR (KVM_GET_LAPIC, api.rst §4.57; IRR at APIC offset 200h, SDM 3A §11.8.4) with
 * the kernel counting an irqfd injection and no KVM_SIGNAL_MSI, while the userspace message path
 * (the bridge's MSI sink, which is KVM_SIGNAL_MSI on a board) stays silent.
 *
 * <p>Rules checked: PCI 3.0 §6.8.2.9 (Mask Bit: no message, pending bit instead), §6.8.2.10 (the
 * PBA; the pending message is sent on unmask), §6.8.2.3 (Function Mask, MSI-X Enable); virtio 1.3
 * §4.1.5.1.2 (queue_msix_vector, NO_VECTOR) and §4.1.5.1.2.1 (reset unmaps every vector).
 */
class VirtioIrqFdsTest {
    static final long WINDOW = 0xC000_0000L;
    static final long APIC_MESSAGE = 0xFEE0_0000L; // SDM 3A §11.11.1: destination APIC ID 0
    static final int CONFIG_DATA = 0x41;           // vector 0: fixed, edge, vector 41h (§11.11.2)
    static final int QUEUE_DATA = 0x42;            // vector 1: the request queue's
    static final int SLOT = 3;

    final HostKernel host = HostKernel.modern();
    final Kvm kvm = Kvm.open(host);
    final Vm vm = kvm.createVm();
    final Vcpu vcpu;
    final GsiRoutingTable routes;
    final VirtioIrqFds irqfds;
    final GuestRam ram = GuestRam.ofSize(4 << 20);
    final AtomicInteger userspaceMessages = new AtomicInteger();
    final PciHostBridge bridge = new PciHostBridge(ram, (a, d) -> userspaceMessages.incrementAndGet(),
            IntxRouter.UNCONNECTED);
    final VirtioPciFunction fn = new VirtioPciFunction(new VirtioBlk(new MemoryBlockBackend(64 * 512)));
    final PciPlatform platform;
    final VirtioPciDriver d;
    final SplitRingDriver queue;
    final GuestAllocator buffers = new GuestAllocator(0x30_0000, 0x3F_0000);
    long table;

    VirtioIrqFdsTest() throws Exception {
        vm.createIrqchip();
        vcpu = vm.createVcpu(0);
        List<Vm.IrqchipRoute> pins = new ArrayList<>();
        for (int pin = 0; pin < 24; pin++) {
            pins.add(new Vm.IrqchipRoute(pin, 2, pin));
        }
        routes = new GsiRoutingTable(vm, pins);
        irqfds = new VirtioIrqFds(host, vm, routes);
        bridge.attach(SLOT, 0, fn);
        irqfds.add(fn);
        platform = platform();
        d = new VirtioPciDriver(platform);
        d.assignBars(WINDOW, 0xC000);
        d.discover();
        assertThat(d.negotiate(1L << 32)).isTrue();
        d.enableMsix(2, APIC_MESSAGE, CONFIG_DATA);
        int tableReg = bridge.configRead(0, SLOT, 0, d.msixCapability() + 4, 4);
        table = d.barAddress(tableReg & 7) + (tableReg & ~7);
        d.setCommon(VirtioPciDriver.CONFIG_MSIX_VECTOR, 2, 0);
        queue = d.setUpQueue(0, 16, new GuestAllocator(0x10_0000, 0x20_0000), 1);
        d.driverOk();
    }

    @AfterEach
    void close() {
        irqfds.clear();
        vcpu.close();
        vm.close();
        kvm.close();
    }

    private PciPlatform platform() {
        return PciPlatform.memoryOnly(bridge, SLOT, WINDOW, ram);
    }

    /** A virtio-blk IN request for sector 0 (§5.2.6): header, 512 data bytes, status; returns the status address. */
    private long readSectorZero() throws Exception {
        long header = buffers.allocate(16, 16);
        long data = buffers.allocate(512, 16);
        long status = buffers.allocate(1, 1);
        ram.write(header, new byte[16], 0, 16); // type 0 = VIRTIO_BLK_T_IN, sector 0
        ram.write(status, new byte[] {(byte) 0xEE}, 0, 1);
        queue.add(List.of(new SplitRingDriver.Element(header, 16, false),
                new SplitRingDriver.Element(data, 512, true), new SplitRingDriver.Element(status, 1, true)));
        queue.publish();
        d.notifyQueue(0);
        return status;
    }

    private int statusByte(long status) throws Exception {
        byte[] b = new byte[1];
        ram.read(status, b, 0, 1);
        return b[0] & 0xFF;
    }

    /** The vector's bit in the local APIC's IRR, read with KVM_GET_LAPIC. */
    private boolean irr(int vector) {
        long buffer = vm.allocateMemory(4096);
        long r = host.ioctl(vcpu.fd(), KvmIoctl.GET_LAPIC.code(), buffer);
        assertThat(r).isZero();
        int word = vm.hostMemory(buffer, 1024).getInt(0x200 + 0x10 * (vector / 32));
        return (word >>> (vector % 32) & 1) != 0;
    }

    private long stat(String name) {
        return host.debugfsStats(vm.fd()).getOrDefault(name, 0L);
    }

    private void writeVectorControl(int vector, int value) {
        platform.mmioWrite(table + 16L * vector + 12, 4, value);
    }

    private boolean pbaBit(int vector) {
        int tableReg = bridge.configRead(0, SLOT, 0, d.msixCapability() + 8, 4);
        long pba = d.barAddress(tableReg & 7) + (tableReg & ~7);
        return (platform.mmioRead(pba, 8) >>> vector & 1) != 0;
    }

    @Test
    void aCompletedRequestInterruptsThroughTheIrqfdNotThroughSignalMsi() throws Exception {
        int gsi = irqfds.gsi(fn, 1);
        assertThat(gsi).isGreaterThanOrEqualTo(24); // above the I/O APIC pins
        assertThat(irqfds.irqfdAssigned(fn, 1)).isTrue();
        assertThat(routes.msiRoute(gsi)).isEqualTo(new Vm.MsiRoute(gsi, APIC_MESSAGE, QUEUE_DATA));
        assertThat(irr(QUEUE_DATA)).isFalse();

        long status = readSectorZero();

        assertThat(queue.takeUsed()).hasSize(1);
        assertThat(statusByte(status)).isZero(); // VIRTIO_BLK_S_OK
        assertThat(irr(QUEUE_DATA)).isTrue();
        assertThat(stat(KvmStats.IRQFD_INJECTIONS)).isEqualTo(1);
        assertThat(stat(KvmStats.MSI_SIGNALS)).isZero();
        assertThat(userspaceMessages.get()).isZero();
    }

    @Test
    void aMaskedVectorSetsItsPendingBitAndTheUnmaskDeliversThroughTheIrqfd() throws Exception {
        writeVectorControl(1, 1); // §6.8.2.9 Mask Bit
        assertThat(irqfds.irqfdAssigned(fn, 1)).isFalse();
        int gsi = irqfds.gsi(fn, 1);
        assertThat(gsi).isGreaterThanOrEqualTo(24); // QEMU keeps the route while masked

        readSectorZero();
        assertThat(queue.takeUsed()).hasSize(1);
        assertThat(irr(QUEUE_DATA)).isFalse();
        assertThat(pbaBit(1)).isTrue();
        assertThat(stat(KvmStats.IRQFD_INJECTIONS)).isZero();

        writeVectorControl(1, 0);
        assertThat(irqfds.irqfdAssigned(fn, 1)).isTrue();
        assertThat(pbaBit(1)).isFalse();
        assertThat(irr(QUEUE_DATA)).isTrue();
        assertThat(stat(KvmStats.IRQFD_INJECTIONS)).isEqualTo(1);
        assertThat(userspaceMessages.get()).isZero();
        assertThat(stat(KvmStats.MSI_SIGNALS)).isZero();
    }

    @Test
    void theRouteTakesTheEntryTheGuestRewroteWhileMasked() throws Exception {
        int gsi = irqfds.gsi(fn, 1);
        writeVectorControl(1, 1);
        platform.mmioWrite(table + 16L + 8, 4, 0x51); // new Message Data: vector 51h
        assertThat(routes.msiRoute(gsi).data()).isEqualTo(QUEUE_DATA); // masked: not yet
        writeVectorControl(1, 0);
        assertThat(routes.msiRoute(gsi)).isEqualTo(new Vm.MsiRoute(gsi, APIC_MESSAGE, 0x51));

        readSectorZero();
        assertThat(irr(0x51)).isTrue();
        assertThat(irr(QUEUE_DATA)).isFalse();
        assertThat(stat(KvmStats.IRQFD_INJECTIONS)).isEqualTo(1);
    }

    @Test
    void functionMaskDisableVectorChangesAndResetFollowTheGuest() throws Exception {
        int msixControl = d.msixCapability() + 2;
        assertThat(routes.msiRoutes()).hasSize(2); // config vector 0 and queue vector 1
        bridge.configWrite(0, SLOT, 0, msixControl, 2, 0xC000); // Enable + Function Mask (§6.8.2.3)
        assertThat(irqfds.irqfdAssigned(fn, 0)).isFalse();
        assertThat(irqfds.irqfdAssigned(fn, 1)).isFalse();
        readSectorZero();
        assertThat(irr(QUEUE_DATA)).isFalse();
        assertThat(pbaBit(1)).isTrue();
        bridge.configWrite(0, SLOT, 0, msixControl, 2, 0x8000); // Function Mask cleared: the pending message goes
        assertThat(irqfds.irqfdAssigned(fn, 1)).isTrue();
        assertThat(irr(QUEUE_DATA)).isTrue();
        assertThat(stat(KvmStats.IRQFD_INJECTIONS)).isEqualTo(1);

        // queue_msix_vector := NO_VECTOR (§4.1.5.1.2): vector 1 is not used any more.
        d.setCommon(VirtioPciDriver.QUEUE_SELECT, 2, 0);
        d.setCommon(VirtioPciDriver.QUEUE_MSIX_VECTOR, 2, 0xFFFF);
        assertThat(irqfds.gsi(fn, 1)).isEqualTo(-1);
        assertThat(routes.msiRoutes()).hasSize(1);

        bridge.configWrite(0, SLOT, 0, msixControl, 2, 0x0000); // MSI-X disabled: nothing routed
        assertThat(routes.msiRoutes()).isEmpty();
        bridge.configWrite(0, SLOT, 0, msixControl, 2, 0x8000);
        assertThat(irqfds.gsi(fn, 0)).isGreaterThanOrEqualTo(24);

        d.reset(); // device_status 0: every vector unmapped (§4.1.5.1.2.1)
        assertThat(routes.msiRoutes()).isEmpty();
        assertThat(irqfds.gsi(fn, 0)).isEqualTo(-1);
    }

    @Test
    void kernelsWithoutIrqfdOrGsiRoutingAndTheUserspaceIrqchipKeepSignalMsi() {
        HostKernel old = new HostKernel(KernelProfile.of("2.6.26").orElseThrow(), KvmParameters.DEFAULT);
        try (PcBoard board = new PcBoard(old, 16 << 20, 1, OutputStream.nullOutputStream(), PcBoard.IrqchipMode.KERNEL)) {
            board.useIoEventFds();
            assertThat(board.irqFds()).isNull();
        }
        try (PcBoard board = new PcBoard(HostKernel.modern(), 16 << 20, 1, OutputStream.nullOutputStream(),
                PcBoard.IrqchipMode.USER)) {
            assertThat(board.useIoEventFds()).isTrue();
            assertThat(board.irqFds()).isNull();
        }
        try (PcBoard board = new PcBoard(HostKernel.modern(), 16 << 20, 1, OutputStream.nullOutputStream(),
                PcBoard.IrqchipMode.KERNEL)) {
            assertThat(board.useIoEventFds()).isTrue();
            assertThat(board.irqFds()).isNotNull();
        }
    }
}
