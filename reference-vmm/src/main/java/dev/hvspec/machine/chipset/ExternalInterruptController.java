package dev.hvspec.machine.chipset;

/**
 * The CPU side of an 8259A-style controller: the INTR wire and the interrupt-acknowledge bus cycle
 * (SDM 3A §7.x "external interrupts"; 8259A datasheet "Interrupt Sequence"). A CPU whose local
 * APIC is disabled, or whose LINT0 is programmed as ExtINT, takes maskable interrupts from here.
 *
 * <p>Callers must not hold a local APIC's lock while calling in: the controller notifies its INTR
 * listeners (LINT0 pins) under its own lock, so the lock order is controller, then APIC.
 */
public interface ExternalInterruptController {
    /** The level of the INTR output. */
    boolean intrAsserted();

    /**
     * The two INTA cycles: acknowledges the highest-priority request and returns its vector. If
     * nothing is pending any more (the request went away after INTR was sampled), returns the
     * spurious vector the hardware gives (the 8259A's IR7 of the chip that was acknowledged).
     */
    int acknowledge();
}
