package dev.hvspec.spec.steps;

import dev.hvspec.machine.chipset.ApicBus;
import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.Pic8259Pair;

import java.util.ArrayList;
import java.util.List;

/**
 * The interrupt controllers and timers of a {@code @model} scenario, on top of the scenario's
 * {@link ModelBench} (its port bus, clock and timers). One instance per scenario, shared by the
 * chipset step classes so that, for example, the PIT scenario can wire its OUT0 into the PIC.
 */
public final class ChipsetBench {
    final ModelBench bench;
    Pic8259Pair pic;
    final ModelBench.IrqProbe intr = new ModelBench.IrqProbe();
    ApicBus apicBus = new ApicBus();
    final List<LocalApic> cpus = new ArrayList<>();
    Ioapic82093AA ioapic;
    int lastDelivered;

    public ChipsetBench(ModelBench bench) {
        this.bench = bench;
    }

    /** The PC's cascaded PICs, created and mapped at their ports on first use. */
    Pic8259Pair pic() {
        if (pic == null) {
            usePic(new Pic8259Pair());
        }
        return pic;
    }

    /** Maps {@code chip} at the PIC ports and probes its INTR. */
    void usePic(Pic8259Pair chip) {
        pic = chip;
        bench.ports.register(Pic8259Pair.MASTER_COMMAND, 2, pic);
        bench.ports.register(Pic8259Pair.SLAVE_COMMAND, 2, pic);
        bench.ports.register(Pic8259Pair.ELCR1, 2, pic);
        pic.addIntrListener(intr);
    }

    LocalApic cpu(int index) {
        return cpus.get(index);
    }

    /** A physical read as the CPU {@code cpu} sees it: its own APIC page, the I/O APIC, else all ones. */
    long physicalRead(int cpu, long address, int size) {
        LocalApic apic = cpus.isEmpty() ? null : cpus.get(cpu);
        if (apic != null && apic.mmioEnabled() && address >= apic.mmioBase() && address < apic.mmioBase() + 0x1000) {
            return apic.mmioRead(address - apic.mmioBase(), size);
        }
        if (ioapic != null && address >= ioapic.baseAddress() && address < ioapic.baseAddress() + 0x1000) {
            return ioapic.mmioRead(address - ioapic.baseAddress(), size);
        }
        return size >= 8 ? -1L : (1L << (8 * size)) - 1;
    }

    void physicalWrite(int cpu, long address, int size, long value) {
        LocalApic apic = cpus.isEmpty() ? null : cpus.get(cpu);
        if (apic != null && apic.mmioEnabled() && address >= apic.mmioBase() && address < apic.mmioBase() + 0x1000) {
            apic.mmioWrite(address - apic.mmioBase(), size, value);
        } else if (ioapic != null && address >= ioapic.baseAddress() && address < ioapic.baseAddress() + 0x1000) {
            ioapic.mmioWrite(address - ioapic.baseAddress(), size, value);
        }
    }
}
