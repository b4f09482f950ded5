package dev.hvspec.properties.mmu;

/** The paging modes of SDM 3A §4.1.1 that the properties generate forests for. */
enum Mode {
    /** 32-bit paging: 4-byte entries, a page directory at CR3 (§4.3). */
    LEGACY_32(2, 4),
    /** PAE paging: four PDPTE registers, then 8-byte PDEs and PTEs (§4.4). */
    PAE(2, 8),
    /** 4-level paging (§4.5). */
    LONG_4(4, 8),
    /** 5-level paging (§4.5, CR4.LA57). */
    LONG_5(5, 8);

    /** Levels of paging structures in memory below CR3 (the PAE PDPT counts as level 3, outside this number). */
    final int levels;
    final int entrySize;

    Mode(int levels, int entrySize) {
        this.levels = levels;
        this.entrySize = entrySize;
    }

    boolean longMode() {
        return this == LONG_4 || this == LONG_5;
    }

    /** Index bits per level: 10 for 32-bit paging, 9 otherwise. */
    int indexBits() {
        return this == LEGACY_32 ? 10 : 9;
    }

    int entriesPerTable() {
        return 1 << indexBits();
    }

    /** The bit where the index of a level-{@code level} entry starts in the linear address. */
    int shift(int level) {
        return 12 + indexBits() * (level - 1);
    }
}
