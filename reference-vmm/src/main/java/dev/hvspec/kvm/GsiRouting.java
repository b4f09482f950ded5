package dev.hvspec.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The VM's GSI routing table (api.rst §4.52 KVM_SET_GSI_ROUTING): each global system interrupt
 * number fans out to irqchip pins (8259A master/slave, I/O APIC) and/or MSI messages. Immutable;
 * KVM_SET_GSI_ROUTING swaps in a new table.
 */
record GsiRouting(Map<Integer, List<Route>> routes) {
    static final int IRQCHIP_PIC_MASTER = 0;
    static final int IRQCHIP_PIC_SLAVE = 1;
    static final int IRQCHIP_IOAPIC = 2;
    /** KVM_MAX_IRQ_ROUTES in Linux 6.1. */
    static final int MAX_ROUTES = 4096;

    sealed interface Route {
    }

    /** A pin of one of the in-kernel interrupt controllers. */
    record IrqchipPin(int irqchip, int pin) implements Route {
    }

    /** An MSI message: address and data as the device would write them. */
    record Msi(long address, int data) implements Route {
    }

    GsiRouting {
        Map<Integer, List<Route>> copy = new TreeMap<>();
        routes.forEach((gsi, list) -> copy.put(gsi, List.copyOf(list)));
        routes = java.util.Collections.unmodifiableMap(copy);
    }

    List<Route> of(int gsi) {
        return routes.getOrDefault(gsi, List.of());
    }

    /**
     * KVM's default x86 routing (virt/kvm/irq_comm.c, kvm_setup_default_irq_routing): GSI 0-15
     * go to the 8259A pin of the same number and to the I/O APIC pin of the same number; GSI
     * 16-23 only to the I/O APIC.
     */
    static GsiRouting defaults() {
        Map<Integer, List<Route>> routes = new TreeMap<>();
        for (int gsi = 0; gsi < 24; gsi++) {
            List<Route> list = new ArrayList<>();
            if (gsi < 16) {
                list.add(new IrqchipPin(gsi < 8 ? IRQCHIP_PIC_MASTER : IRQCHIP_PIC_SLAVE, gsi % 8));
            }
            list.add(new IrqchipPin(IRQCHIP_IOAPIC, gsi));
            routes.put(gsi, list);
        }
        return new GsiRouting(routes);
    }
}
