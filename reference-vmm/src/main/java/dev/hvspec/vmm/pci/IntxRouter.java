package dev.hvspec.vmm.pci;

import dev.hvspec.machine.bus.IrqLine;

/**
 * The board's wiring of the INTA#..INTD# pins of the devices on bus 0 to interrupt controller
 * inputs. A host bridge asks once per function, when the function is attached; the line returned
 * may be shared by several functions (the host bridge wires them as a wired-OR, PCI 3.0 §2.2.6:
 * "INTx# ... are level sensitive, ... open drain ... may be shared").
 */
@FunctionalInterface
public interface IntxRouter {
    /**
     * @param device the device number on bus 0 (0..31)
     * @param pin    the function's Interrupt Pin register value: 1 = INTA# .. 4 = INTD#
     * @return the interrupt controller input the pin is wired to
     */
    IrqLine route(int device, int pin);

    /** Nothing is wired: INTx is lost (a board with MSI-only devices). */
    IntxRouter UNCONNECTED = (device, pin) -> IrqLine.UNCONNECTED;

    /**
     * The usual PC routing through four PIRQ lines with the "barber pole" rotation of the
     * PCI-to-PCI Bridge Architecture Specification 1.2, §9.1 (Table 9-1): pin P of device D
     * reaches PIRQ[(D + P - 1 + bias) mod 4]. QEMU's i440FX board uses bias -1 (device 1, INTA#
     * reaches PIRQA); pass the bias the board's firmware tables (ACPI _PRT, $PIR) describe.
     */
    static IntxRouter swizzled(IrqLine pirqA, IrqLine pirqB, IrqLine pirqC, IrqLine pirqD, int bias) {
        IrqLine[] pirqs = {pirqA, pirqB, pirqC, pirqD};
        return (device, pin) -> pirqs[Math.floorMod(device + pin - 1 + bias, 4)];
    }
}
