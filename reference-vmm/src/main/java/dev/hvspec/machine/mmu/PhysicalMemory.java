package dev.hvspec.machine.mmu;

/**
 * Guest-physical memory as the processor's page walker and TLB see it — after second-level
 * translation (EPT/NPT) or, without it, directly through the memory slots. Paging-structure
 * entries are read and their A/D bits updated atomically here (SDM 3A §4.8: the processor sets
 * A/D with locked operations).
 */
public interface PhysicalMemory {
    /** Reads an aligned 4- or 8-byte paging-structure entry; non-RAM reads as all-ones. */
    long readEntry(long gpa, int size);

    /** Atomically replaces an entry if it still holds {@code expected}. */
    boolean compareAndSetEntry(long gpa, int size, long expected, long update);

    /**
     * The host backing of the 4 KiB guest-physical page containing {@code gpa} for an access:
     * null when the page is not RAM (MMIO) or, for a write, not writable RAM (a read-only slot).
     * A write resolution also records the page in the dirty log.
     */
    HostPage resolve(long gpa, boolean write);
}
