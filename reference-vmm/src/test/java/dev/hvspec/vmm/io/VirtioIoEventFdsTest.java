package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.kvm.Kvm;
import dev.hvspec.vmm.kvm.KvmException;
import dev.hvspec.vmm.kvm.Vm;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.MsiSink;
import dev.hvspec.vmm.pci.PciFunction;
import dev.hvspec.vmm.pci.PciHostBridge;
import dev.hvspec.vmm.virtio.blk.MemoryBlockBackend;
import dev.hvspec.vmm.virtio.blk.VirtioBlk;
import dev.hvspec.vmm.virtio.driver.GuestAllocator;
import dev.hvspec.vmm.virtio.driver.PciPlatform;
import dev.hvspec.vmm.virtio.driver.VirtioPciDriver;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction.NotifyAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ioeventfd registrations follow what the guest set up: one per enabled queue at BAR4 +
 * notify offset + queue_notify_off × notify_off_multiplier (virtio 1.3 §4.1.4.4; the reference's
 * layout: notify area at 3000h, multiplier 4), moved when the BAR moves, gone when decoding is off
 * or the device is reset, and never where another function decodes the address.
 */
class VirtioIoEventFdsTest {
    static final long WINDOW = 0xC000_0000L;
    static final long NOTIFY = 0x3000;

    final HostKernel host = HostKernel.modern();
    final Kvm kvm = Kvm.open(host);
    final Vm vm = kvm.createVm();
    final IoThread io = new IoThread(host, "test-iothread", e -> { throw e; });
    final GuestRam ram = GuestRam.ofSize(4 << 20);
    final PciHostBridge bridge = new PciHostBridge(ram, MsiSink.NONE, IntxRouter.UNCONNECTED);
    final VirtioIoEventFds fast = new VirtioIoEventFds(vm, io, (f, a) -> {
        PciFunction.DecodedBar bar = bridge.decode(a.address(), a.pio());
        return bar != null && bar.function() == f;
    });

    VirtioIoEventFdsTest() {
        bridge.setConfigWriteListener(fast::update);
    }

    @AfterEach
    void close() {
        fast.clear();
        io.close();
        vm.close();
        kvm.close();
    }

    private VirtioPciDriver driverAt(int slot, VirtioPciFunction fn, long windowBase) {
        bridge.attach(slot, 0, fn);
        fast.add(fn);
        VirtioPciDriver d = new VirtioPciDriver(PciPlatform.memoryOnly(bridge, slot, WINDOW, ram));
        d.assignBars(windowBase, 0xC000);
        d.discover();
        return d;
    }

    private static VirtioPciFunction disk() {
        return new VirtioPciFunction(new VirtioBlk(new MemoryBlockBackend(64 * 512)));
    }

    private VirtioPciDriver ready(VirtioPciDriver d) throws Exception {
        assertThat(d.negotiate(1L << 32)).isTrue();
        d.setUpQueue(0, 16, new GuestAllocator(0x10_0000, 0x20_0000), -1);
        d.driverOk();
        return d;
    }

    @Test
    void noRegistrationBeforeAQueueIsEnabledThenOneAtItsNotifyAddress() throws Exception {
        VirtioPciDriver d = driverAt(3, disk(), WINDOW);
        assertThat(fast.registeredAddresses()).isEmpty();
        ready(d);
        long bar4 = d.barAddress(4);
        assertThat(fast.registeredAddresses()).containsExactly(new NotifyAddress(false, bar4 + NOTIFY, 2, null));
        // The kernel holds it: the same address cannot be registered a second time (api.rst §4.59: EEXIST).
        int other = host.eventfd();
        assertThatThrownBy(() -> vm.ioeventfd(other, bar4 + NOTIFY, 2, false, null, false))
                .isInstanceOf(KvmException.class).hasMessageContaining("EEXIST");
    }

    @Test
    void theRegistrationMovesWithTheBar() throws Exception {
        VirtioPciDriver d = ready(driverAt(3, disk(), WINDOW));
        long moved = WINDOW + 0x10_0000;
        bridge.configWrite(0, 3, 0, 0x20, 4, (int) moved); // BAR4, low half
        assertThat(fast.registeredAddresses()).containsExactly(new NotifyAddress(false, moved + NOTIFY, 2, null));
        // The old address is free again in the kernel.
        int other = host.eventfd();
        vm.ioeventfd(other, d.barAddress(4) + NOTIFY, 2, false, null, false);
        vm.ioeventfd(other, d.barAddress(4) + NOTIFY, 2, false, null, true);
    }

    @Test
    void memoryDecodingOffOrADeviceResetRemovesIt() throws Exception {
        VirtioPciDriver d = ready(driverAt(3, disk(), WINDOW));
        bridge.configWrite(0, 3, 0, 0x04, 2, 0x0005); // Memory Space off (PCI 3.0 §6.2.2)
        assertThat(fast.registeredAddresses()).isEmpty();
        bridge.configWrite(0, 3, 0, 0x04, 2, 0x0007);
        assertThat(fast.registeredAddresses()).hasSize(1);
        d.reset(); // device_status 0: queues disabled (§2.4)
        assertThat(fast.registeredAddresses()).isEmpty();
        ready(d);
        assertThat(fast.registeredAddresses()).hasSize(1);
        bridge.reset(); // RST#: BARs and Command back to 0
        assertThat(fast.registeredAddresses()).isEmpty();
    }

    @Test
    void aTransitionalFunctionAlsoGetsTheLegacyQueueNotifyPortWithTheQueueIndexAsDatamatch() throws Exception {
        VirtioPciFunction fn = new VirtioPciFunction(new VirtioBlk(new MemoryBlockBackend(64 * 512)), true);
        VirtioPciDriver d = ready(driverAt(3, fn, WINDOW));
        long io = bridge.configRead(0, 3, 0, 0x10, 4) & 0xFFFF_FFFCL; // BAR0: the legacy I/O block
        // §4.1.4.10: Queue Notify is the 16-bit register at offset 10h of the legacy block.
        assertThat(fast.registeredAddresses()).containsExactlyInAnyOrder(
                new NotifyAddress(false, d.barAddress(4) + NOTIFY, 2, null),
                new NotifyAddress(true, io + 0x10, 2, 0L));
    }

    @Test
    void anAddressAnotherFunctionDecodesFirstStaysOnTheTrapPath() throws Exception {
        VirtioPciDriver first = ready(driverAt(3, disk(), WINDOW));
        ready(driverAt(4, disk(), WINDOW + 0x20_0000));
        assertThat(fast.registeredAddresses()).hasSize(2);
        // The guest programs the second function's BAR4 onto the first's: the bus decodes the
        // address to device 3 (device order), so device 4's queue has no fast path there.
        bridge.configWrite(0, 4, 0, 0x20, 4, (int) first.barAddress(4));
        List<NotifyAddress> now = fast.registeredAddresses();
        assertThat(now).containsExactly(new NotifyAddress(false, first.barAddress(4) + NOTIFY, 2, null));
    }
    @Test
    void withNotificationDataTheRouteTakesThe32BitWritesWithoutADatamatchAndDeliversAPlainNotification() throws Exception {
        VirtioPciFunction fn = new VirtioPciFunction(new VirtioBlk(new MemoryBlockBackend(64 * 512)), false,
                new dev.hvspec.vmm.virtio.VirtioDeviceOptions(false, true));
        VirtioPciDriver d = driverAt(3, fn, WINDOW);
        // virtio 1.3 §4.1.5.2: with VIRTIO_F_NOTIFICATION_DATA the driver writes 32 bits (vqn and its
        // next avail idx), a value no datamatch could name; the registration catches 4-byte writes.
        assertThat(d.negotiate(1L << 32 | 1L << 38)).isTrue();
        d.setUpQueue(0, 16, new GuestAllocator(0x10_0000, 0x20_0000), -1);
        d.driverOk();
        long bar4 = d.barAddress(4);
        assertThat(fast.registeredAddresses()).containsExactly(new NotifyAddress(false, bar4 + NOTIFY, 4, null));
        // KVM matches the length exactly (api.rst §4.59): a second 4-byte registration there is refused,
        // a 2-byte one (what the trap path would then see) is a different registration.
        int other = host.eventfd();
        assertThatThrownBy(() -> vm.ioeventfd(other, bar4 + NOTIFY, 4, false, null, false))
                .isInstanceOf(KvmException.class).hasMessageContaining("EEXIST");
        vm.ioeventfd(other, bar4 + NOTIFY, 2, false, null, false);
        vm.ioeventfd(other, bar4 + NOTIFY, 2, false, null, true);
        // The route's delivery is a notification without data (the eventfd carries none): counted, no hint kept.
        long before = fn.core().notifications();
        fn.notifyRoutes().get(0).deliver().run();
        assertThat(fn.core().notifications()).isEqualTo(before + 1);
        assertThat(fn.core().lastNotificationData(0)).isNull();
        // The same write on the trap path keeps the data as a hint.
        d.notifyWithData(0, 0x0003_0000);
        assertThat(fn.core().lastNotificationData(0).nextIdx()).isEqualTo(3);
        // After a reset without the feature the route is back to 16-bit writes.
        ready(d);
        assertThat(fast.registeredAddresses()).containsExactly(new NotifyAddress(false, bar4 + NOTIFY, 2, null));
    }
}
