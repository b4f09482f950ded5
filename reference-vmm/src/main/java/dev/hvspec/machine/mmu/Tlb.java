package dev.hvspec.machine.mmu;

import dev.hvspec.machine.memory.HostMemory;

import java.util.Arrays;

/**
 * The translation lookaside buffer: a direct-mapped cache of 4 KiB linear-page translations with
 * the host backing of each page and a mask of the access kinds ({@link Access}) that may use the
 * entry without a walk. Non-architectural: it holds only what a walk produced and is invalidated
 * as SDM 3A §4.10.4 requires (MOV to CR3, INVLPG, changes of paging controls) — flushing more than
 * the SDM requires is always allowed and is what we do where it keeps the rules simple.
 *
 * <p>Write kinds are allowed only when the entry's dirty flag is already set, the host page is
 * writable RAM and holds no decoded code; so every first write walks (setting D), and writes to
 * code pages take the slow path that invalidates decoded instructions.
 */
public final class Tlb {
    static final int ENTRIES = 1024;
    private static final int INDEX_MASK = ENTRIES - 1;

    final long[] tag = new long[ENTRIES];
    final java.nio.ByteBuffer[] bytes = new java.nio.ByteBuffer[ENTRIES];
    final int[] offset = new int[ENTRIES];
    final int[] allowed = new int[ENTRIES];
    final boolean[] global = new boolean[ENTRIES];
    final HostMemory.Region[] region = new HostMemory.Region[ENTRIES];
    /** Decoded instructions of the entry's page (owned by the CPU's instruction cache). */
    final Object[] decoded = new Object[ENTRIES];

    public Tlb() {
        Arrays.fill(tag, -1L);
    }

    static int index(long page) {
        return (int) (page ^ (page >>> 10)) & INDEX_MASK;
    }

    void fill(long page, boolean global, HostPage host, int allowedMask) {
        int i = index(page);
        tag[i] = page;
        this.global[i] = global;
        if (host != null) {
            bytes[i] = host.buffer();
            offset[i] = host.offset();
            region[i] = host.region();
        } else {
            bytes[i] = null;
            region[i] = null;
        }
        allowed[i] = host == null ? 0 : allowedMask;
        decoded[i] = null;
    }

    private void clear(int i) {
        tag[i] = -1L;
        bytes[i] = null;
        region[i] = null;
        decoded[i] = null;
        allowed[i] = 0;
    }

    /** Invalidates everything, global entries included (CR4.PGE/PCIDE changes, slot changes). */
    public void flushAll() {
        for (int i = 0; i < ENTRIES; i++) {
            clear(i);
        }
    }

    /**
     * MOV to CR3: all non-global entries (SDM 3A §4.10.4.1). With CR4.PCIDE = 1 the SDM requires
     * less (only the new PCID's entries, none with bit 63 set); entries are not tagged with PCIDs
     * here, so every MOV to CR3 drops all non-global entries — more than required, never less.
     */
    public void flushNonGlobal() {
        for (int i = 0; i < ENTRIES; i++) {
            if (!global[i]) {
                clear(i);
            }
        }
    }

    /** INVLPG: the page's entries (for the current PCID and global ones: any entry of the page). */
    public void flushPage(long linear) {
        long page = linear >>> 12;
        int i = index(page);
        if (tag[i] == page) {
            clear(i);
        }
    }

    /** Withdraws every write permission (a page became code, a dirty log was read). */
    public void revokeWrites() {
        int writes = (1 << Access.SUPERVISOR_WRITE) | (1 << Access.USER_WRITE) | (1 << Access.SUPERVISOR_WRITE_AC);
        for (int i = 0; i < ENTRIES; i++) {
            allowed[i] &= ~writes;
        }
    }
}
