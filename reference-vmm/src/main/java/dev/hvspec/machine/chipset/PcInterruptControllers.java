package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.PortIoDevice;
import dev.hvspec.machine.time.TimerQueue;

import java.util.ArrayList;
import java.util.List;

/**
 * The interrupt controllers of a PC wired together, as {@code KVM_CREATE_IRQCHIP} creates them in
 * the kernel and as the userspace VMM creates them when the kernel does not: the cascaded 8259A
 * pair, an 82093AA I/O APIC at 0xFEC00000, the APIC bus, one local APIC per vCPU, and the GSI
 * router. The 8259A's INTR reaches every local APIC's LINT0 (the MP specification's virtual wire)
 * and its INTA serves their ExtINT cycles.
 *
 * <p>The 8254 and the RTC are separate ({@code KVM_CREATE_PIT2} creates the PIT; the RTC is a
 * userspace device): give them {@code gsi().newLine(0)} and {@code gsi().newLine(8)}.
 */
public final class PcInterruptControllers {
    /** Claimed I/O ports: {@code count} ports from {@code first}. */
    public record PortRange(int first, int count, PortIoDevice device) {
    }

    private final TimerQueue timers;
    private final Pic8259Pair pic = new Pic8259Pair();
    private final ApicBus apicBus = new ApicBus();
    private final Ioapic82093AA ioapic;
    private final GsiRouter gsi;
    private final List<LocalApic> localApics = new ArrayList<>();

    public PcInterruptControllers(TimerQueue timers, Ioapic82093AA.Version ioapicVersion) {
        this.timers = timers;
        this.ioapic = new Ioapic82093AA(apicBus, ioapicVersion);
        this.gsi = new GsiRouter(pic, ioapic, apicBus);
    }

    /** The local APIC of a new vCPU, on the bus and on the 8259A's virtual wire. */
    public synchronized LocalApic addCpu(LocalApicConfig config) {
        LocalApic apic = new LocalApic(config, apicBus, timers);
        apic.attachExternalController(pic);
        pic.addIntrListener(apic.lint0());
        localApics.add(apic);
        return apic;
    }

    public Pic8259Pair pic() {
        return pic;
    }

    public Ioapic82093AA ioapic() {
        return ioapic;
    }

    public ApicBus apicBus() {
        return apicBus;
    }

    public GsiRouter gsi() {
        return gsi;
    }

    public synchronized List<LocalApic> localApics() {
        return List.copyOf(localApics);
    }

    /** The 8259A's ports: 0x20-0x21, 0xA0-0xA1 and the ELCRs at 0x4D0-0x4D1. */
    public List<PortRange> portRanges() {
        return List.of(new PortRange(Pic8259Pair.MASTER_COMMAND, 2, pic),
                new PortRange(Pic8259Pair.SLAVE_COMMAND, 2, pic),
                new PortRange(Pic8259Pair.ELCR1, 2, pic));
    }
}
