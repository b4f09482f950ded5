package dev.hvspec.machine.bus;

/**
 * One interrupt request wire from a device to an interrupt controller input (an ISA IRQ pin, an
 * IOAPIC pin, a PCI INTx line after swizzling). The device drives the level; edge-triggered
 * controllers react to the rising edge.
 */
@FunctionalInterface
public interface IrqLine {
    void setLevel(boolean asserted);

    /** A rising then falling edge, as an edge-triggered ISA device produces. */
    default void pulse() {
        setLevel(true);
        setLevel(false);
    }

    /** A line wired to nothing. */
    IrqLine UNCONNECTED = asserted -> { };
}
