package dev.hvspec.machine.mmu;

/**
 * A physical address space as a page walker and the TLB see it: guest-physical memory (directly
 * through the memory map, or through EPT/NPT) or host-physical memory (what shadow tables and
 * nested tables point at). Paging-structure entries are read and their A/D bits updated
 * atomically here (SDM 3A §4.8: the processor sets A/D with locked operations).
 */
public interface PhysicalMemory {
    /** Reads an aligned 4- or 8-byte entry outside any walk (PDPTE loads); non-RAM reads as all-ones. */
    long readEntry(long address, int size);

    /** Atomically replaces an entry if it still holds {@code expected} (outside any walk). */
    boolean compareAndSetEntry(long address, int size, long expected, long update);

    /**
     * Where an access of {@code type} ({@link Access#READ}, {@link Access#WRITE},
     * {@link Access#FETCH}) to the 4 KiB page containing {@code address} goes. {@code linear} is
     * the linear address the access translated (for second-level exit reporting). A write
     * resolution to RAM records the page in the dirty log where there is one.
     */
    PageTarget resolve(long address, int type, long linear);

    /** A paging-structure entry read during the translation of {@code linear}. */
    default long readPagingEntry(long address, int size, long linear) {
        return readEntry(address, size);
    }

    /** An A/D update of a paging-structure entry during the translation of {@code linear}. */
    default boolean updatePagingEntry(long address, int size, long expected, long update, long linear) {
        return compareAndSetEntry(address, size, expected, update);
    }
}
