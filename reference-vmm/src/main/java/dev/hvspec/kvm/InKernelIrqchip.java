package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.machine.chipset.GsiRouter;
import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.LocalApicConfig;
import dev.hvspec.machine.chipset.NmiStatusControlPort;
import dev.hvspec.machine.chipset.PcInterruptControllers;
import dev.hvspec.machine.chipset.Pic8259Pair;
import dev.hvspec.machine.chipset.TscTimebase;

/**
 * The interrupt controllers KVM emulates in the kernel after KVM_CREATE_IRQCHIP (api.rst §4.24):
 * the PC's 8259A pair, I/O APIC at 0xFEC00000 and one local APIC per vCPU
 * ({@link PcInterruptControllers}), routed by KVM's default GSI table until userspace sets one;
 * after KVM_CREATE_PIT2 also the 8254 on 0x40-0x43 (+ port 0x61). Several sources may hold a GSI
 * (userspace through KVM_IRQ_LINE, the PIT, irqfds); its level is their OR, as KVM keeps it with
 * irq source ids.
 */
final class InKernelIrqchip {
    /** KVM_USERSPACE_IRQ_SOURCE_ID (negative ids stay clear of the router's own line ids). */
    static final int SOURCE_USERSPACE = -1;
    static final int SOURCE_IRQFD = -2;
    /** KVM_IRQFD_RESAMPLE_IRQ_SOURCE_ID: the one source every resampling irqfd asserts from. */
    static final int SOURCE_IRQFD_RESAMPLE = -3;
    /** KVM's I/O APIC MMIO window (IOAPIC_MEM_LENGTH). */
    static final long IOAPIC_SIZE = 0x100;

    final VmFile vm;
    final PcInterruptControllers chips;
    Intel8254 pit;
    NmiStatusControlPort speaker;
    /** The resamplers of resampling irqfds, by GSI (KVM's irq ack notifiers). */
    private final java.util.Map<Integer, IrqfdResampler> resamplers = new java.util.concurrent.ConcurrentHashMap<>();

    InKernelIrqchip(VmFile vm) {
        this.vm = vm;
        this.chips = new PcInterruptControllers(vm.timers, Ioapic82093AA.Version.I82093AA);
        for (PcInterruptControllers.PortRange r : chips.portRanges()) {
            vm.devices.registerPorts(r.first(), r.count(), r.device());
        }
        vm.devices.registerMmio(Ioapic82093AA.DEFAULT_BASE, IOAPIC_SIZE, chips.ioapic());
        // KVM's kvm_notify_acked_irq: the 8259A on an EOI command (pic_clear_isr), the I/O APIC
        // on an EOI message that matches an entry (kvm_ioapic_update_eoi_one).
        chips.pic().addEoiListener(irq -> acked(new GsiRouter.Route.PicPin(
                irq < 8 ? Pic8259Pair.Chip.MASTER : Pic8259Pair.Chip.SLAVE, irq & 7)));
        chips.ioapic().addAckListener(pin -> acked(new GsiRouter.Route.IoapicPin(pin)));
    }

    /** An irqchip pin's interrupt was acknowledged: the resamplers of the GSIs routed to it run. */
    private void acked(GsiRouter.Route pin) {
        if (resamplers.isEmpty()) {
            return;
        }
        for (int gsi : chips.gsi().gsisRoutedTo(pin)) {
            IrqfdResampler r = resamplers.get(gsi);
            if (r != null) {
                r.acked();
            }
        }
    }

    /** The resampler of {@code gsi}, made on first use (resampling irqfds on one GSI share it). */
    synchronized IrqfdResampler resampler(int gsi) {
        return resamplers.computeIfAbsent(gsi, g -> new IrqfdResampler(this, g, vm.stats));
    }

    /** Drops {@code gsi}'s resampler once its last irqfd is gone. */
    synchronized void dropResampler(IrqfdResampler r) {
        resamplers.remove(r.gsi(), r);
    }

    /** The local APIC of a new vCPU; vCPU 0's LINT0 is ExtINT as KVM's kvm_lapic_reset leaves it. */
    LocalApic createLocalApic(VcpuFile vcpu, TscTimebase tsc) {
        LocalApic lapic = chips.addCpu(LocalApicConfig.of(vcpu.id, vcpu.id == 0).withTsc(tsc));
        lapic.setWakeup(vcpu::wake);
        if (vcpu.id == 0) {
            lapic.configureVirtualWire();
        }
        return lapic;
    }

    /** KVM_CREATE_PIT2 (api.rst §4.71): the 8254 with OUT0 on GSI 0, and the port 0x61 logic. */
    void createPit(boolean dummySpeaker) {
        if (pit != null) {
            throw KvmError.of(Errno.EEXIST, "the PIT already exists");
        }
        pit = new Intel8254(vm.timers, chips.gsi().newLine(0));
        vm.devices.registerPorts(0x40, 4, pit);
        if (!dummySpeaker) {
            speaker = new NmiStatusControlPort(pit, vm.clock);
            vm.devices.registerPorts(NmiStatusControlPort.PORT, 1, speaker);
        }
    }

    GsiRouter gsi() {
        return chips.gsi();
    }

    /**
     * Drives GSI {@code gsi} from {@code source}. Returns what KVM_IRQ_LINE_STATUS reports: how
     * many controller pins or messages the GSI reaches, or -1 when it has no route.
     */
    int setIrq(int source, int gsi, boolean level) {
        int routes = chips.gsi().routes(gsi).size();
        chips.gsi().setLevel(source, gsi, level);
        return routes == 0 ? -1 : routes;
    }

    /** KVM_SIGNAL_MSI: > 0 delivered, 0 blocked by the guest. */
    int signalMsi(long address, int data) {
        return chips.gsi().signalMsi(address, data) > 0 ? 1 : 0;
    }
}
