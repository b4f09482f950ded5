package dev.hvspec.machine.mmu;

import java.util.HashMap;
import java.util.Map;

/**
 * The paging-structure caches of SDM 3A §4.10.3: for each level of non-leaf entry (PML5E, PML4E,
 * PDPTE, PDE), entries keyed by the linear-address bits that select it, holding the address of
 * the next paging structure and the rights accumulated down to it (R/W and U/S ANDed, XD ORed).
 * A walk starts below the deepest hit. Entries are created only from present, reserved-bit-free
 * non-leaf entries whose accessed flag is 1 (§4.10.3.1; the walker sets A before it descends).
 * Invalidated wholesale by MOV to CR3, INVLPG, changes of paging controls and hypervisor flushes
 * (§4.10.4.1: INVLPG invalidates all paging-structure-cache entries). The same shape caches the
 * EPT and NPT walks (keyed by guest-physical bits, SDM 3C §29.4.1).
 *
 * <p>Bounded: when full it is emptied (a processor may invalidate any entry at any time), which
 * keeps it deterministic.
 */
final class PagingStructureCache {
    static final int CAPACITY = 4096;

    /** A cached non-leaf entry: the next table and the rights accumulated so far. */
    record Entry(long table, long rights) {
    }

    /** Index = level of the cached entry (2 = PDE … 5 = PML5E). */
    @SuppressWarnings("unchecked")
    private final Map<Long, Entry>[] levels = new Map[6];
    private int size;
    private boolean enabled = true;

    /** SDM 3A §4.10.3.1: "a processor may or may not implement any of the paging-structure caches". */
    void setEnabled(boolean on) {
        enabled = on;
        flush();
    }

    PagingStructureCache() {
        for (int i = 0; i < levels.length; i++) {
            levels[i] = new HashMap<>();
        }
    }

    /** The entry for a level-{@code level} paging-structure entry selected by {@code key}, or null. */
    Entry lookup(int level, long key) {
        return size == 0 ? null : levels[level].get(key);
    }

    void put(int level, long key, long table, long rights) {
        if (!enabled) {
            return;
        }
        if (size >= CAPACITY) {
            flush();
        }
        if (levels[level].put(key, new Entry(table, rights)) == null) {
            size++;
        }
    }

    void flush() {
        if (size == 0) {
            return;
        }
        for (Map<Long, Entry> m : levels) {
            m.clear();
        }
        size = 0;
    }
}
