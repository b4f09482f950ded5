package dev.hvspec.vmm;

import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.Pic8259Pair;
import dev.hvspec.machine.cpu.CpuidModel;
import dev.hvspec.vmm.firmware.PcMpTable;
import dev.hvspec.vmm.kvm.Vm;
import dev.hvspec.vmm.pci.PciConfigSpace;
import dev.hvspec.vmm.pci.PciHostBridge;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What the firmware (SeaBIOS on QEMU) does to a {@link PcBoard} before the kernel starts, done by
 * the VMM since the reference boots kernels directly: PCI resources assigned ({@link PciFirmware}),
 * the PCI interrupt lines made level-triggered in the ELCR, and the MultiProcessor Specification
 * tables written ({@link PcMpTable}) so that an OS finds the application processors and the I/O APIC.
 */
final class BoardFirmware {
    /** The I/O APIC's IOAPICID after reset (82093AA §3.2.1; KVM's in-kernel I/O APIC also resets it to 0). */
    static final int IO_APIC_ID = 0;
    /** The I/O APIC input that carries no ISA IRQ: GSI 2 is where IRQ 0 goes (the cascade never reaches it). */
    private static final int CASCADE_IRQ = 2;

    private BoardFirmware() {
    }

    static void setUp(PcBoard board) {
        new PciFirmware().configure(board.pci);
        int elcr2 = 0;
        for (int irq : PciFirmware.PIRQ_IRQS) {
            elcr2 |= 1 << (irq - 8);
        }
        if (board.chipset != null) {
            board.ports.write(Pic8259Pair.ELCR2, 1, board.ports.read(Pic8259Pair.ELCR2, 1) | elcr2);
        } else {
            board.vm.setPicElcr(1, elcr2);
        }
        mpTable(board).placeIn(board.ram);
    }

    /** The MP tables for the board as it is now (after the PCI functions were attached and configured). */
    static PcMpTable mpTable(PcBoard board) {
        List<CpuidModel.Entry> supported = board.negotiation.cpuid() == AbiNegotiation.Cpuid.CPUID2
                ? board.kvm.supportedCpuid() : CpuidModel.supported();
        CpuidModel.Entry leaf1 = PcBoard.cpuidFor(supported, 0, board.chipset == null).stream()
                .filter(e -> e.function() == 1).findFirst().orElseThrow();
        return new PcMpTable(board.vcpus.size(), leaf1.eax(), leaf1.edx(), LocalApic.VERSION_NUMBER, IO_APIC_ID,
                Ioapic82093AA.Version.I82093AA.number(), isaIrqs(), pciIntx(board.pci));
    }

    /**
     * The ISA IRQs and their I/O APIC pins, read from the board's GSI routing (the same for both
     * irqchip modes: {@link PcBoard#qemuGsiRouting()} and {@code GsiRouter.pcRoutesWithIrq0Override()}):
     * IRQ 0 on pin 2, the others on their own pin, IRQ 2 (the cascade) nowhere. The PIRQ IRQs are
     * left to the PCI entries: they are shared, level-triggered PCI lines with no ISA device on them.
     */
    static List<PcMpTable.IsaIrq> isaIrqs() {
        Set<Integer> pciIrqs = new HashSet<>();
        for (int irq : PciFirmware.PIRQ_IRQS) {
            pciIrqs.add(irq);
        }
        List<PcMpTable.IsaIrq> irqs = new ArrayList<>();
        for (int irq = 0; irq < 16; irq++) {
            int pin = ioApicPin(irq);
            if (pin >= 0 && irq != CASCADE_IRQ && !pciIrqs.contains(irq)) {
                irqs.add(new PcMpTable.IsaIrq(irq, pin));
            }
        }
        return irqs;
    }

    /** The I/O APIC pin GSI {@code gsi} reaches in the board's routing, or -1. */
    static int ioApicPin(int gsi) {
        for (Vm.IrqchipRoute r : PcBoard.qemuGsiRouting()) {
            if (r.gsi() == gsi && r.irqchip() == 2) { // KVM_IRQCHIP_IOAPIC
                return r.pin();
            }
        }
        return -1;
    }

    /**
     * One entry per (device, pin) of the functions on bus 0 with an Interrupt Pin, mapped as the
     * board's {@code IntxRouter} wires it: through a PIRQ line to an ISA IRQ, and from there to the
     * I/O APIC pin of that GSI.
     */
    static List<PcMpTable.PciIntx> pciIntx(PciHostBridge pci) {
        List<PcMpTable.PciIntx> out = new ArrayList<>();
        for (int device = 0; device < 32; device++) {
            int seen = 0;
            for (int function = 0; function < 8; function++) {
                if (pci.function(device, function) == null) {
                    continue;
                }
                int pin = pci.configRead(0, device, function, PciConfigSpace.INTERRUPT_PIN, 1);
                if (pin >= 1 && pin <= 4 && (seen & 1 << pin) == 0) {
                    seen |= 1 << pin;
                    out.add(new PcMpTable.PciIntx(device, pin, ioApicPin(PciFirmware.pirqIrq(device, pin))));
                }
            }
        }
        return out;
    }
}
