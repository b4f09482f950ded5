package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.IrqLine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Global system interrupt (GSI) routing, the model behind KVM's {@code KVM_IRQ_LINE},
 * {@code KVM_SET_GSI_ROUTING} and {@code KVM_SIGNAL_MSI} (Documentation/virt/kvm/api.rst): a GSI
 * fans out to any number of routes, each an 8259A pin, an I/O APIC pin or an MSI message.
 *
 * <p>Several sources may drive one GSI (shared PCI INTx lines, the PIT and userspace): like KVM's
 * per-source IRQ states, the level a pin sees is the OR of its sources' levels. Each
 * {@link #newLine(int)} is a new source. An MSI route sends its message on a rising level.
 *
 * <p>Thread-safety: synchronised; routes are called with the router's lock held (lock order:
 * router, then PIC / I/O APIC, then local APIC).
 */
public final class GsiRouter {
    /** Where a GSI goes ({@code struct kvm_irq_routing_entry}: IRQCHIP chip 0/1/2 with a pin, or MSI). */
    public sealed interface Route {
        /** An 8259A input: {@code chip} 0 is the master (KVM_IRQCHIP_PIC_MASTER), 1 the slave. */
        record PicPin(Pic8259Pair.Chip chip, int pin) implements Route {
        }

        /** An I/O APIC input pin (KVM_IRQCHIP_IOAPIC). */
        record IoapicPin(int pin) implements Route {
        }

        /** An MSI (KVM_IRQ_ROUTING_MSI): address and data as the device would write them. */
        record Msi(long address, int data) implements Route {
        }
    }

    private final Pic8259Pair pic;
    private final Ioapic82093AA ioapic;
    private final ApicBus bus;
    private Map<Integer, List<Route>> routes = Map.of();
    private final Map<Integer, Map<Integer, Boolean>> levels = new HashMap<>(); // gsi -> source -> level
    private int nextSource;

    public GsiRouter(Pic8259Pair pic, Ioapic82093AA ioapic, ApicBus bus) {
        this.pic = pic;
        this.ioapic = ioapic;
        this.bus = bus;
        setRoutes(kvmDefaultRoutes());
    }

    /**
     * KVM's default table when userspace sets none (virt/kvm/irqchip.c, arch/x86/kvm/irq_comm.c):
     * GSI 0-15 to the 8259A pin of that ISA IRQ and the I/O APIC pin of the same number, GSI 16-23
     * to the I/O APIC only.
     */
    public static Map<Integer, List<Route>> kvmDefaultRoutes() {
        Map<Integer, List<Route>> table = new HashMap<>();
        for (int gsi = 0; gsi < Ioapic82093AA.PINS; gsi++) {
            List<Route> list = new ArrayList<>();
            if (gsi < 16) {
                list.add(picRoute(gsi));
            }
            list.add(new Route.IoapicPin(gsi));
            table.put(gsi, List.copyOf(list));
        }
        return table;
    }

    /**
     * The PC table QEMU installs, matching an ACPI/MP interrupt source override "ISA IRQ 0 is GSI 2":
     * GSI 0 reaches 8259A IRQ 0 and I/O APIC pin 2; GSI 2 (the cascade) goes nowhere; other ISA
     * IRQs keep their number on both chips; GSI 16-23 reach the I/O APIC.
     */
    public static Map<Integer, List<Route>> pcRoutesWithIrq0Override() {
        Map<Integer, List<Route>> table = new HashMap<>();
        for (int gsi = 0; gsi < Ioapic82093AA.PINS; gsi++) {
            List<Route> list = new ArrayList<>();
            if (gsi < 16 && gsi != Intel8259A.CASCADE_IR) {
                list.add(picRoute(gsi));
            }
            if (gsi == 0) {
                list.add(new Route.IoapicPin(2));
            } else if (gsi != 2) {
                list.add(new Route.IoapicPin(gsi));
            }
            table.put(gsi, List.copyOf(list));
        }
        return table;
    }

    private static Route picRoute(int isaIrq) {
        return new Route.PicPin(isaIrq < 8 ? Pic8259Pair.Chip.MASTER : Pic8259Pair.Chip.SLAVE, isaIrq & 7);
    }

    /** KVM_SET_GSI_ROUTING: replaces the whole table. */
    public synchronized void setRoutes(Map<Integer, List<Route>> table) {
        Map<Integer, List<Route>> copy = new HashMap<>();
        table.forEach((gsi, list) -> copy.put(gsi, List.copyOf(list)));
        routes = copy;
    }

    public synchronized List<Route> routes(int gsi) {
        return routes.getOrDefault(gsi, List.of());
    }

    /**
     * The GSIs that reach {@code pin} (an 8259A or I/O APIC input): what KVM's
     * kvm_irq_map_chip_pin answers when an irqchip reports that a pin's interrupt was acknowledged.
     */
    public synchronized List<Integer> gsisRoutedTo(Route pin) {
        List<Integer> out = new ArrayList<>();
        routes.forEach((gsi, list) -> {
            if (list.contains(pin)) {
                out.add(gsi);
            }
        });
        out.sort(null);
        return out;
    }

    /** A new source driving {@code gsi} (a device's IRQ wire). */
    public synchronized IrqLine newLine(int gsi) {
        int source = nextSource++;
        return level -> setLevel(source, gsi, level);
    }

    /** KVM_IRQ_LINE: source {@code source} drives {@code gsi} to {@code level}. */
    public synchronized void setLevel(int source, int gsi, boolean level) {
        Map<Integer, Boolean> sources = levels.computeIfAbsent(gsi, g -> new HashMap<>());
        boolean before = sources.containsValue(true);
        sources.put(source, level);
        boolean after = sources.containsValue(true);
        for (Route route : routes(gsi)) {
            switch (route) {
                case Route.PicPin p -> pic.setIrq(p.chip() == Pic8259Pair.Chip.MASTER ? p.pin() : 8 + p.pin(), after);
                case Route.IoapicPin p -> ioapic.setPin(p.pin(), after);
                case Route.Msi m -> {
                    if (after && !before) {
                        bus.deliverMsi(m.address(), m.data());
                    }
                }
            }
        }
    }

    /** KVM_SIGNAL_MSI: one message now; returns how many local APICs accepted it. */
    public int signalMsi(long address, int data) {
        return bus.deliverMsi(address, data);
    }
}
