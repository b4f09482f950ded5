package dev.hvspec.properties.mmu;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One generated test: a paging mode and controls, a forest, and a sequence of operations in
 * phases of one privilege level (changing CPL means loading the segment registers from outside,
 * which flushes the TLBs; within a phase nothing but the guest's own flushes does).
 */
record Scenario(Mode mode, boolean wp, boolean smep, boolean smap, boolean nxe, boolean pse, long seed, int length,
                Flush flush) {
    /** How a guest paging-structure write is followed by the flush the SDM requires (§4.10.4). */
    enum Flush {
        /** MOV to CR3 after every write. */
        MOV_CR3,
        /** INVLPG of exactly the pages whose translation used the entry (MOV to CR3 for a PAE PDPTE). */
        MINIMAL
    }

    sealed interface Op {
    }

    /** A data access or fetch at {@code cpl}. */
    record Access(long linear, int size, SdmOracle.Kind kind, int cpl, boolean ac, long value) implements Op {
    }

    /** The guest writes a new value into a paging-structure entry (then flushes). */
    record WriteEntry(Forest.Slot slot) implements Op {
    }

    /** The VMM harvests the dirty log. */
    record TakeDirtyLog() implements Op {
    }

    long cr0() {
        return 1 | 0x10 | 1L << 31 | (wp ? SdmOracle.CR0_WP : 0);
    }

    long cr4() {
        return (pse && mode == Mode.LEGACY_32 ? SdmOracle.CR4_PSE : 0) | (mode != Mode.LEGACY_32 ? 1L << 5 : 0)
                | (mode == Mode.LONG_5 ? 1L << 12 : 0) | (smep ? SdmOracle.CR4_SMEP : 0) | (smap ? SdmOracle.CR4_SMAP : 0);
    }

    long efer() {
        return (mode.longMode() ? 1L << 8 | 1L << 10 : 0) | (nxe && mode != Mode.LEGACY_32 ? SdmOracle.EFER_NXE : 0);
    }

    Forest forest() {
        return new Forest(mode, nxe && mode != Mode.LEGACY_32, pse, seed);
    }

    /** The operations for {@code forest} (drawn from the forest's random stream after it was built). */
    List<Op> ops(Forest forest) {
        Random r = forest.random();
        List<Op> ops = new ArrayList<>();
        int cpl = 0;
        for (int i = 0; i < length; i++) {
            if (r.nextInt(8) == 0) {
                cpl = 3 - cpl;
            }
            int pick = r.nextInt(20);
            if (cpl == 0 && pick < 4) {
                ops.add(new WriteEntry(forest.slots.get(r.nextInt(forest.slots.size()))));
            } else if (pick == 4) {
                ops.add(new TakeDirtyLog());
            } else {
                ops.add(access(forest, r, cpl));
            }
        }
        ops.add(new TakeDirtyLog());
        return ops;
    }

    private Access access(Forest forest, Random r, int cpl) {
        long page = forest.candidates.get(r.nextInt(forest.candidates.size()));
        boolean ac = smap && cpl == 0 && r.nextBoolean();
        int k = r.nextInt(20);
        if (k < 4) {
            return new Access(page + 0x800, 1, SdmOracle.Kind.FETCH, cpl, ac, 0);
        }
        SdmOracle.Kind kind = k < 12 ? SdmOracle.Kind.READ : SdmOracle.Kind.WRITE;
        int size = 1 << r.nextInt(mode.longMode() ? 4 : 3);
        long offset;
        if (size > 1 && r.nextInt(8) == 0) {
            offset = 0x1000 - 1 - r.nextInt(size - 1);          // crosses into the next linear page
        } else {
            offset = (16 + r.nextInt(0x7E0 / 8 - 2) * 8L) + (r.nextBoolean() ? 0x810 : 0); // away from the fetch code
            offset &= ~(long) (size - 1);
        }
        return new Access(page + offset, size, kind, cpl, ac, r.nextLong());
    }
}
