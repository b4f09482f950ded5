package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmStats;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.kvm.GsiRoutingTable;
import dev.hvspec.vmm.kvm.Kvm;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.kvm.Vm;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.PciConfigSpace;
import dev.hvspec.vmm.pci.PciFunction;
import dev.hvspec.vmm.pci.PciHostBridge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain MSI (the PCI 3.0 §6.8.1 capability, not MSI-X) on GSI routes and irqfds, observed in the
 * kernel layer: the vector arrives in the local APIC's IRR (KVM_GET_LAPIC; IRR at 200h, SDM 3A
 * §11.8.4) with an irqfd injection counted and no KVM_SIGNAL_MSI, while the userspace message sink
 * stays silent.
 *
 * <p>The function has 4 vectors, a 64-bit address and per-vector masking: Message Control at
 * cap+2 (bit 0 Enable, bits 6:4 Multiple Message Enable), Address at cap+4/+8, Data at cap+0Ch,
 * Mask Bits at cap+10h, Pending Bits at cap+14h (§6.8.1, Figure 6-9). With MME = 2 (4 vectors)
 * vector v sends Data with its low two bits replaced by v (§6.8.1.5).
 */
@Tag("kvm-api-4.75")
@Tag("pci-6.8.1")
class MsiIrqFdsTest {
    static final long APIC_MESSAGE = 0xFEE0_0000L; // SDM 3A §11.11.1: destination APIC ID 0
    static final int DATA = 0x40;                  // fixed, edge, vectors 40h-43h (§11.11.2)
    static final int SLOT = 3;

    /** A function whose only interrupt is an MSI capability. */
    static final class MsiFunction extends PciFunction {
        MsiFunction() {
            super(new PciConfigSpace(0x1B36, 0x0005, 0x00FF00, 1));
            addMsiCapability(4, true, true);
            finishLayout();
        }

        boolean raise(int vector) {
            return signalMessage(vector);
        }

        @Override
        protected void resetDevice() {
        }
    }

    final HostKernel host = HostKernel.modern();
    final Kvm kvm = Kvm.open(host);
    final Vm vm = kvm.createVm();
    final Vcpu vcpu;
    final GsiRoutingTable routes;
    final MsiIrqFds irqfds;
    final AtomicInteger userspaceMessages = new AtomicInteger();
    final PciHostBridge bridge = new PciHostBridge(GuestRam.ofSize(1 << 20), (a, d) -> userspaceMessages.incrementAndGet(),
            IntxRouter.UNCONNECTED);
    final MsiFunction fn = new MsiFunction();
    final int cap;

    MsiIrqFdsTest() {
        vm.createIrqchip();
        vcpu = vm.createVcpu(0);
        List<Vm.IrqchipRoute> pins = new ArrayList<>();
        for (int pin = 0; pin < 24; pin++) {
            pins.add(new Vm.IrqchipRoute(pin, 2, pin));
        }
        routes = new GsiRoutingTable(vm, pins);
        irqfds = new MsiIrqFds(host, vm, routes);
        bridge.attach(SLOT, 0, fn);
        irqfds.add(fn);
        cap = fn.msi().offset();
        config(0x04, 2, 0x0004); // Command: Bus Master Enable (§6.2.2), messages are memory writes
        config(cap + 4, 4, (int) APIC_MESSAGE);
        config(cap + 8, 4, 0);
        config(cap + 0x0C, 2, DATA);
    }

    @AfterEach
    void close() {
        irqfds.clear();
        vcpu.close();
        vm.close();
        kvm.close();
    }

    private void config(int offset, int size, int value) {
        bridge.configWrite(0, SLOT, 0, offset, size, value);
    }

    private void enable(int mme) {
        config(cap + 2, 2, 1 | mme << 4);
    }

    private boolean irr(int vector) {
        long buffer = vm.allocateMemory(4096);
        assertThat(host.ioctl(vcpu.fd(), KvmIoctl.GET_LAPIC.code(), buffer)).isZero();
        int word = vm.hostMemory(buffer, 1024).getInt(0x200 + 0x10 * (vector / 32));
        return (word >>> (vector % 32) & 1) != 0;
    }

    private long stat(String name) {
        return host.debugfsStats(vm.fd()).getOrDefault(name, 0L);
    }

    @Test
    void nothingIsRoutedWhileMsiIsDisabledThenOneRoutePerAllocatedVector() {
        assertThat(routes.msiRoutes()).isEmpty();
        enable(2); // 4 vectors
        for (int v = 0; v < 4; v++) {
            int gsi = irqfds.gsi(fn, v);
            assertThat(gsi).as("vector %d", v).isGreaterThanOrEqualTo(24);
            assertThat(routes.msiRoute(gsi)).isEqualTo(new Vm.MsiRoute(gsi, APIC_MESSAGE, DATA | v));
            assertThat(irqfds.irqfdAssigned(fn, v)).isTrue();
        }
        enable(0); // one vector: the other three go
        assertThat(routes.msiRoutes()).hasSize(1);
        assertThat(irqfds.gsi(fn, 1)).isEqualTo(-1);
        config(cap + 2, 2, 0); // MSI Enable clear
        assertThat(routes.msiRoutes()).isEmpty();
    }

    @Test
    void aMessageArrivesThroughTheIrqfdNotThroughSignalMsi() {
        enable(2);
        assertThat(irr(DATA | 2)).isFalse();
        assertThat(fn.raise(2)).isTrue();
        assertThat(irr(DATA | 2)).isTrue();
        assertThat(irr(DATA)).isFalse();
        assertThat(stat(KvmStats.IRQFD_INJECTIONS)).isEqualTo(1);
        assertThat(stat(KvmStats.MSI_SIGNALS)).isZero();
        assertThat(userspaceMessages.get()).isZero();
    }

    @Test
    void aMaskedVectorSetsItsPendingBitAndTheUnmaskSendsItThroughTheIrqfd() {
        enable(2);
        config(cap + 0x10, 4, 0b0010); // §6.8.1.7: vector 1 masked
        assertThat(irqfds.irqfdAssigned(fn, 1)).isFalse();
        fn.raise(1);
        assertThat(irr(DATA | 1)).isFalse();
        assertThat(bridge.configRead(0, SLOT, 0, cap + 0x14, 4) & 0b0010).as("Pending Bits").isEqualTo(0b0010);
        assertThat(stat(KvmStats.IRQFD_INJECTIONS)).isZero();

        config(cap + 0x10, 4, 0); // unmask: route first, then the pending message
        assertThat(irqfds.irqfdAssigned(fn, 1)).isTrue();
        assertThat(bridge.configRead(0, SLOT, 0, cap + 0x14, 4) & 0b0010).isZero();
        assertThat(irr(DATA | 1)).isTrue();
        assertThat(stat(KvmStats.IRQFD_INJECTIONS)).isEqualTo(1);
        assertThat(userspaceMessages.get()).isZero();
    }

    @Test
    void rewritingAddressOrDataUpdatesTheRoute() {
        enable(0);
        int gsi = irqfds.gsi(fn, 0);
        config(cap + 0x0C, 2, 0x51);
        assertThat(routes.msiRoute(gsi)).isEqualTo(new Vm.MsiRoute(gsi, APIC_MESSAGE, 0x51));
        assertThat(irqfds.routeUpdates()).isEqualTo(1);
        fn.raise(0);
        assertThat(irr(0x51)).isTrue();
        assertThat(irr(DATA)).isFalse();
        config(cap + 4, 4, (int) (APIC_MESSAGE | 0x1000)); // destination APIC ID 1
        assertThat(routes.msiRoute(gsi).address()).isEqualTo(APIC_MESSAGE | 0x1000);
    }

    @Test
    void aFunctionResetReleasesTheRoutes() {
        enable(2);
        assertThat(routes.msiRoutes()).hasSize(4);
        fn.reset(); // RST#: MSI Enable back to 0 (§6.8.1.3)
        assertThat(routes.msiRoutes()).isEmpty();
        assertThat(fn.raise(0)).as("MSI disabled: the function falls back to INTx").isFalse();
    }

    @Test
    void onABoardTheFastPathTakesMsiOnlyWithTheKernelIrqchip() {
        try (PcBoard board = new PcBoard(HostKernel.modern(), 16 << 20, 1, OutputStream.nullOutputStream(),
                PcBoard.IrqchipMode.USER)) {
            assertThat(board.useIoEventFds()).isTrue();
            assertThat(board.msiIrqFds()).isNull();
        }
        try (PcBoard board = new PcBoard(HostKernel.modern(), 16 << 20, 1, OutputStream.nullOutputStream(),
                PcBoard.IrqchipMode.KERNEL)) {
            assertThat(board.useIoEventFds()).isTrue();
            MsiFunction f = new MsiFunction();
            board.attachPci(f);
            assertThat(board.msiIrqFds()).isNotNull();
            assertThat(f.msi().hasVectorIrqfd(0)).isFalse(); // MSI not enabled yet
        }
    }
}
