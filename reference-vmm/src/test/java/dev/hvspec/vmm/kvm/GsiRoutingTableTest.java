package dev.hvspec.vmm.kvm;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The VMM's GSI routing table: MSI routes take the lowest free GSI above the irqchip pins (QEMU's
 * kvm_irqchip_get_virq), and each change resends the whole table with KVM_SET_GSI_ROUTING
 * (api.rst §4.52: "replaces" the table), which the kernel then uses for KVM_IRQ_LINE and irqfds.
 */
class GsiRoutingTableTest {
    final HostKernel host = HostKernel.modern();
    final Kvm kvm = Kvm.open(host);
    final Vm vm = kvm.createVm();

    @AfterEach
    void close() {
        vm.close();
        kvm.close();
    }

    @Test
    void msiRoutesTakeTheLowestFreeGsiAboveThePinsAndReleasedOnesAreReused() {
        vm.createIrqchip();
        GsiRoutingTable table = new GsiRoutingTable(vm, List.of(new Vm.IrqchipRoute(0, 2, 2), new Vm.IrqchipRoute(23, 2, 23)));
        assertThat(table.commits()).isEqualTo(1);
        int a = table.addMsiRoute(0xFEE0_0000L, 0x41);
        int b = table.addMsiRoute(0xFEE0_0000L, 0x42);
        assertThat(a).isEqualTo(24);
        assertThat(b).isEqualTo(25);
        table.releaseMsiRoute(a);
        assertThat(table.addMsiRoute(0xFEE0_1000L, 0x43)).isEqualTo(24);
        assertThat(table.msiRoutes()).containsExactly(new Vm.MsiRoute(24, 0xFEE0_1000L, 0x43),
                new Vm.MsiRoute(25, 0xFEE0_0000L, 0x42));
        assertThat(table.updateMsiRoute(25, 0xFEE0_0000L, 0x44)).isTrue();
        assertThat(table.updateMsiRoute(26, 0xFEE0_0000L, 0x44)).isFalse(); // no such route
        assertThat(table.commits()).isEqualTo(6);
    }

    @Test
    void theKernelUsesTheMsiRouteForAnIrqfd() {
        vm.createIrqchip();
        GsiRoutingTable table = new GsiRoutingTable(vm, List.of());
        int gsi = table.addMsiRoute(0xFEE0_0000L, 0x41);
        int fd = host.eventfd();
        vm.irqfd(fd, gsi, false);
        host.eventfdWrite(fd, 1);
        assertThat(host.debugfsStats(vm.fd()).get(KvmStats.IRQFD_INJECTIONS)).isEqualTo(1);
        vm.irqfd(fd, gsi, true);
        host.eventfdWrite(fd, 1);
        assertThat(host.debugfsStats(vm.fd()).get(KvmStats.IRQFD_INJECTIONS)).isEqualTo(1); // deassigned
    }
}
