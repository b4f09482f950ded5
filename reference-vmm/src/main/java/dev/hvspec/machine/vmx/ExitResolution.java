package dev.hvspec.machine.vmx;

/** How the hypervisor resolved an exit taken in the middle of a memory access. */
public sealed interface ExitResolution {
    /** The hypervisor fixed its tables: translate again and carry on with the access. */
    record Resume() implements ExitResolution {
    }

    /**
     * The hypervisor emulates the access itself (MMIO, a write to a write-protected guest page
     * table, a write to a read-only slot): the bytes of this page go through
     * {@link GuestExits#emulatedRead} / {@link GuestExits#emulatedWrite} at {@code gpa}'s page.
     */
    record Emulate(long gpa) implements ExitResolution {
    }

    ExitResolution RESUME = new Resume();
}
