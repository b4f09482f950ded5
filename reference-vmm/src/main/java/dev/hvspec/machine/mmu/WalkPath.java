package dev.hvspec.machine.mmu;

/**
 * The paging-structure entries one walk used, by level (1 = PTE … 5 = PML5E): what a software
 * walker such as KVM's needs to key shadow pages by the guest tables they shadow. For PAE paging
 * level 3 is the PDPTE register (no address). Reused across walks; only the levels of the last
 * walk are meaningful.
 */
public final class WalkPath {
    final long[] entryAddress = new long[6];
    final long[] entry = new long[6];
    int topLevel;
    int leafLevel;

    void reset(int top) {
        topLevel = top;
        leafLevel = 0;
    }

    void record(int level, long address, long value) {
        entryAddress[level] = address;
        entry[level] = value;
    }

    /** The guest-physical address of the entry used at {@code level}. */
    public long entryAddress(int level) {
        return entryAddress[level];
    }

    /** The value of that entry as the walk read it (before any A/D update). */
    public long entry(int level) {
        return entry[level];
    }

    /** The level of the first paging-structure entry read (2 for 32-bit and PAE paging). */
    public int topLevel() {
        return topLevel;
    }

    /** The level of the entry that mapped the page (1 for 4 KiB pages, 2 for 2/4 MiB pages). */
    public int leafLevel() {
        return leafLevel;
    }
}
