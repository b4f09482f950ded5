package dev.hvspec.machine.cpu;

/**
 * The processor's interrupt inputs as its local APIC (or, without one, the 8259A on INTR) drives
 * them (SDM 3A §6.3, §11.1): NMI, and INTR with its interrupt-acknowledge cycle. The source calls
 * {@link Cpu#kick()} whenever a line may have changed, so the processor looks at the next
 * instruction boundary.
 */
public interface InterruptPins {
    boolean nmiPending();

    /** The processor started delivering the NMI. */
    void acknowledgeNmi();

    /** A maskable interrupt is requested. */
    boolean intrPending();

    /** The INTA cycle: the vector of the interrupt being delivered, or -1 if none is requested any more. */
    int acknowledgeIntr();

    /** No interrupt controller attached. */
    InterruptPins NONE = new InterruptPins() {
        @Override
        public boolean nmiPending() {
            return false;
        }

        @Override
        public void acknowledgeNmi() {
        }

        @Override
        public boolean intrPending() {
            return false;
        }

        @Override
        public int acknowledgeIntr() {
            return -1;
        }
    };
}
