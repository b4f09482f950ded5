package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.machine.chipset.ApicBus;
import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.NmiStatusControlPort;
import dev.hvspec.machine.chipset.Pic8259Pair;
import dev.hvspec.machine.chipset.TscTimebase;

import java.util.HashMap;
import java.util.Map;

/**
 * The interrupt controllers KVM emulates in the kernel after KVM_CREATE_IRQCHIP (api.rst §4.24):
 * the 8259A pair on ports 0x20/0xA0 (+ ELCR 0x4D0), the I/O APIC at 0xFEC00000, one local APIC
 * per vCPU on a common APIC bus, and after KVM_CREATE_PIT2 the 8254 on 0x40-0x43 (+ port 0x61).
 * Interrupt lines are raised through the GSI routing table; several sources (userspace through
 * KVM_IRQ_LINE, the in-kernel PIT, irqfds) may hold a GSI, and its level is their OR, as KVM keeps
 * it with irq source ids.
 */
final class InKernelIrqchip {
    /** KVM_USERSPACE_IRQ_SOURCE_ID. */
    static final int SOURCE_USERSPACE = 0;
    static final int SOURCE_PIT = 1;
    static final int SOURCE_IRQFD = 2;
    static final long IOAPIC_BASE = 0xFEC0_0000L;
    /** KVM's I/O APIC MMIO window (IOAPIC_MEM_LENGTH). */
    static final long IOAPIC_SIZE = 0x100;

    final VmFile vm;
    final Pic8259Pair pic = new Pic8259Pair();
    final ApicBus apicBus = new ApicBus();
    final Ioapic82093AA ioapic = new Ioapic82093AA(apicBus, Ioapic82093AA.Version.I82093AA);
    private volatile GsiRouting routing = GsiRouting.defaults();
    private final Map<Integer, Integer> sourceBits = new HashMap<>();
    Intel8254 pit;
    NmiStatusControlPort speaker;

    InKernelIrqchip(VmFile vm) {
        this.vm = vm;
        apicBus.addEoiListener(ioapic::endOfInterrupt);
        vm.devices.registerPorts(Pic8259Pair.MASTER_COMMAND, 2, pic);
        vm.devices.registerPorts(Pic8259Pair.SLAVE_COMMAND, 2, pic);
        vm.devices.registerPorts(Pic8259Pair.ELCR1, 2, pic);
        vm.devices.registerMmio(IOAPIC_BASE, IOAPIC_SIZE, ioapic);
    }

    /** The local APIC of a new vCPU: on the APIC bus, LINT0 wired to the 8259A (virtual wire). */
    LocalApic createLocalApic(VcpuFile vcpu, TscTimebase tsc) {
        LocalApic lapic = new LocalApic(LocalApic.Config.of(vcpu.id, vcpu.id == 0).withTsc(tsc), apicBus, vm.timers);
        pic.addIntrListener(lapic.lint0());
        lapic.attachExternalController(pic);
        lapic.setWakeup(vcpu::wake);
        if (vcpu.id == 0) {
            // KVM's kvm_lapic_reset: vCPU 0's LVT LINT0 is ExtINT, so the 8259A reaches it (virtual wire).
            lapic.configureVirtualWire();
        }
        return lapic;
    }

    /** KVM_CREATE_PIT2 (api.rst §4.71): the 8254 with OUT0 on GSI 0, and the port 0x61 logic. */
    void createPit(boolean dummySpeaker) {
        if (pit != null) {
            throw KvmError.of(Errno.EEXIST, "the PIT already exists");
        }
        pit = new Intel8254(vm.timers, level -> setIrq(SOURCE_PIT, 0, level));
        vm.devices.registerPorts(0x40, 4, pit);
        if (!dummySpeaker) {
            speaker = new NmiStatusControlPort(pit, vm.clock);
            vm.devices.registerPorts(NmiStatusControlPort.PORT, 1, speaker);
        }
    }

    GsiRouting routing() {
        return routing;
    }

    void setRouting(GsiRouting table) {
        routing = table;
    }

    /**
     * Drives GSI {@code gsi} from {@code source}; the line's level is the OR over sources. Returns
     * what KVM_IRQ_LINE_STATUS reports: the number of controllers the interrupt reached (0 when
     * every route is masked or coalesced), or -1 when the GSI has no route.
     */
    int setIrq(int source, int gsi, boolean level) {
        boolean combined;
        synchronized (sourceBits) {
            int bits = sourceBits.getOrDefault(gsi, 0);
            bits = level ? bits | (1 << source) : bits & ~(1 << source);
            sourceBits.put(gsi, bits);
            combined = bits != 0;
        }
        var routes = routing.of(gsi);
        if (routes.isEmpty()) {
            return -1;
        }
        int delivered = 0;
        for (GsiRouting.Route route : routes) {
            switch (route) {
                case GsiRouting.IrqchipPin p when p.irqchip() == GsiRouting.IRQCHIP_IOAPIC -> {
                    ioapic.setPin(p.pin(), combined);
                    delivered++;
                }
                case GsiRouting.IrqchipPin p -> {
                    pic.setIrq(p.pin() + (p.irqchip() == GsiRouting.IRQCHIP_PIC_SLAVE ? 8 : 0), combined);
                    delivered++;
                }
                case GsiRouting.Msi m -> {
                    if (level) {
                        delivered += apicBus.deliverMsi(m.address(), m.data()) > 0 ? 1 : 0;
                    }
                }
            }
        }
        return delivered;
    }

    /** KVM_SIGNAL_MSI (api.rst §4.71): > 0 delivered, 0 blocked by the guest. */
    int signalMsi(long address, int data) {
        return apicBus.deliverMsi(address, data) > 0 ? 1 : 0;
    }
}
