package dev.hvspec.vmm;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.chipset.ApicBus;
import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.NmiStatusControlPort;
import dev.hvspec.machine.chipset.Pic8259Pair;
import dev.hvspec.machine.chipset.TscTimebase;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.vmm.bus.IoPortBus;
import dev.hvspec.vmm.bus.MmioBus;

import java.util.ArrayList;
import java.util.List;

/**
 * The interrupt controllers and PIT emulated by the VMM itself, for kernels without
 * KVM_CAP_IRQCHIP (or {@code --irqchip user}): the 8259A pair, the 8254 with port 0x61, the I/O
 * APIC and one local APIC per vCPU, wired as on a PC — ISA IRQ n to 8259A input n and to I/O APIC
 * pin n (IRQ 0 to pin 2, as the MP/ACPI tables of a PC say). Interrupts reach the vCPUs through
 * KVM_INTERRUPT and KVM_NMI (see {@link VcpuLoop}).
 */
final class UserspaceChipset {
    static final long IOAPIC_BASE = 0xFEC0_0000L;

    final Pic8259Pair pic = new Pic8259Pair();
    final ApicBus apicBus = new ApicBus();
    final Ioapic82093AA ioapic = new Ioapic82093AA(apicBus, Ioapic82093AA.Version.I82093AA);
    final Intel8254 pit;
    final List<LocalApic> lapics = new ArrayList<>();

    UserspaceChipset(IoPortBus ports, MmioBus mmio, TimerQueue timers, int cpus, Runnable wakeup) {
        apicBus.addEoiListener(ioapic::endOfInterrupt);
        ports.register(Pic8259Pair.MASTER_COMMAND, 2, pic);
        ports.register(Pic8259Pair.SLAVE_COMMAND, 2, pic);
        ports.register(Pic8259Pair.ELCR1, 2, pic);
        mmio.register(IOAPIC_BASE, 0x100, ioapic);
        pit = new Intel8254(timers, isaIrq(0));
        ports.register(0x40, 4, pit);
        ports.register(NmiStatusControlPort.PORT, 1, new NmiStatusControlPort(pit, timers.clock()));
        for (int id = 0; id < cpus; id++) {
            LocalApic lapic = new LocalApic(LocalApic.Config.of(id, id == 0).withTsc(TscTimebase.fixedRate(1_000_000_000L)),
                    apicBus, timers);
            pic.addIntrListener(lapic.lint0());
            lapic.attachExternalController(pic);
            lapic.setWakeup(wakeup);
            if (id == 0) {
                // As a PC BIOS leaves it (and QEMU's APIC reset does): the BSP's LINT0 in ExtINT mode.
                lapic.configureVirtualWire();
            }
            lapics.add(lapic);
        }
    }

    /** ISA IRQ n: 8259A input n and I/O APIC pin n (IRQ 0 → pin 2). */
    IrqLine isaIrq(int n) {
        IrqLine picLine = pic.irq(n);
        IrqLine ioapicLine = ioapic.pin(n == 0 ? 2 : n);
        return level -> {
            picLine.setLevel(level);
            if (n != 2) {
                ioapicLine.setLevel(level);
            }
        };
    }
}
