package dev.hvspec.vmm;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.chipset.GsiRouter;
import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.LocalApicConfig;
import dev.hvspec.machine.chipset.NmiStatusControlPort;
import dev.hvspec.machine.chipset.PcInterruptControllers;
import dev.hvspec.machine.chipset.TscTimebase;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.vmm.bus.IoPortBus;
import dev.hvspec.vmm.bus.MmioBus;

import java.util.List;

/**
 * The interrupt controllers and PIT emulated by the VMM itself, for kernels without
 * KVM_CAP_IRQCHIP (or {@code --irqchip user}): the same chip models the kernel layer uses
 * ({@link PcInterruptControllers}), routed as QEMU routes ISA interrupts on a PC (IRQ n to 8259A
 * input n and I/O APIC pin n, IRQ 0 to pin 2). Interrupts reach the vCPUs through KVM_INTERRUPT
 * and KVM_NMI (see {@link VcpuLoop}).
 */
final class UserspaceChipset {
    final PcInterruptControllers chips;
    final Intel8254 pit;
    final List<LocalApic> lapics;

    UserspaceChipset(IoPortBus ports, MmioBus mmio, TimerQueue timers, int cpus, Runnable wakeup) {
        chips = new PcInterruptControllers(timers, Ioapic82093AA.Version.I82093AA);
        chips.gsi().setRoutes(GsiRouter.pcRoutesWithIrq0Override());
        for (PcInterruptControllers.PortRange r : chips.portRanges()) {
            ports.register(r.first(), r.count(), r.device());
        }
        mmio.register(Ioapic82093AA.DEFAULT_BASE, 0x100, chips.ioapic());
        pit = new Intel8254(timers, isaIrq(0));
        ports.register(0x40, 4, pit);
        ports.register(NmiStatusControlPort.PORT, 1, new NmiStatusControlPort(pit, timers.clock()));
        for (int id = 0; id < cpus; id++) {
            LocalApic lapic = chips.addCpu(LocalApicConfig.of(id, id == 0).withTsc(TscTimebase.fixedRate(1_000_000_000L)));
            lapic.setWakeup(wakeup);
            if (id == 0) {
                // As a PC BIOS leaves it (and QEMU's APIC reset does): the BSP's LINT0 in ExtINT mode.
                lapic.configureVirtualWire();
            }
        }
        lapics = chips.localApics();
    }

    /** A device's wire on ISA IRQ n (a new source of GSI n). */
    IrqLine isaIrq(int n) {
        return chips.gsi().newLine(n);
    }
}
