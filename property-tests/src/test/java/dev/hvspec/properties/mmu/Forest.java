package dev.hvspec.properties.mmu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A random page-table forest for one paging mode: tables with random rights, accessed/dirty
 * flags, not-present and reserved-bit entries, large pages, tables shared between several
 * parents (aliases), data frames shared between mappings — plus the runtime, all in one image of
 * guest RAM. Data frames identify themselves: every quadword is a hash of its guest-physical
 * address, and at offset 0x800 sits {@code mov eax, tag; out 0xE0, al} with the frame's tag.
 */
final class Forest {
    /** A paging-structure entry the forest uses: where it is and its level (3 = a PAE PDPTE). */
    record Slot(long address, int level) {
    }

    final Mode mode;
    final boolean nxe;
    final boolean pse;
    final GuestRuntime runtime;
    final byte[] image;
    final long root;
    final List<Slot> slots = new ArrayList<>();
    /** Tables by level, for repointing entries. */
    final List<List<Long>> tables = new ArrayList<>();
    final List<Long> frames = new ArrayList<>();
    /** Linear pages accesses go to (mapped, unmapped, through aliases). */
    final List<Long> candidates = new ArrayList<>();
    final long tablesEnd;
    /** Guest RAM size and where data frames start: 4 MiB and 2 MiB, or for 32-bit paging (4-MByte pages) 8 and 4. */
    final long ramSize;
    final long dataBase;

    private final Random r;
    private final ByteBuffer ram;
    private long nextTable = GuestRuntime.TABLES;

    Forest(Mode mode, boolean nxe, boolean pse, long seed) {
        this.mode = mode;
        this.nxe = nxe;
        this.pse = pse;
        this.r = new Random(seed);
        this.runtime = new GuestRuntime(mode);
        this.ramSize = mode == Mode.LEGACY_32 ? 8L << 20 : 4L << 20;
        this.dataBase = ramSize / 2;
        this.image = new byte[(int) ramSize];
        this.ram = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i <= 5; i++) {
            tables.add(new ArrayList<>());
        }
        int framesAvailable = (int) ((ramSize - dataBase) >>> 12);
        for (int i = 0; i < 24; i++) {
            long frame = dataBase + 0x1000L * r.nextInt(framesAvailable);
            frames.add(frame);
            fill(frame);
        }
        root = allocate(mode == Mode.PAE ? 3 : mode.levels);
        if (mode == Mode.PAE) {
            for (int i = 0; i < 3; i++) {
                long e;
                if (r.nextInt(5) == 0) {
                    e = 0;
                } else {
                    long pd = r.nextInt(4) == 0 && !tables.get(2).isEmpty() ? pick(tables.get(2)) : build(2);
                    e = pd | SdmOracle.P;
                }
                ram.putLong((int) (root + 8L * i), e);
                slots.add(new Slot(root + 8L * i, 3));
            }
        } else {
            fillTable(root, mode.levels, true);
        }
        runtime.install(ram, root);
        tablesEnd = nextTable;
        Set<Long> pages = new LinkedHashSet<>();
        collect(pages);
        List<Long> all = new ArrayList<>(pages);
        while (all.size() > 20) {
            all.remove(r.nextInt(all.size()));
        }
        candidates.addAll(all);
        // Every frame an access to a candidate (or the page after it) can reach through a large page —
        // whatever the tables are rewritten to — holds the frame pattern and the fetch code.
        long largeMask = mode == Mode.LEGACY_32 ? 0x3F_F000L : 0x1F_F000L;
        for (long c : candidates) {
            for (long page : new long[] {c, c + 0x1000}) {
                for (long base = dataBase; base < ramSize; base += largeMask + 0x1000) {
                    fill(base + (page & largeMask));
                }
            }
        }
    }

    private long allocate(int level) {
        long t = nextTable;
        nextTable += 0x1000;
        if (nextTable > GuestRuntime.TABLES_END) {
            throw new IllegalStateException("forest too large");
        }
        tables.get(level).add(t);
        return t;
    }

    private long pick(List<Long> from) {
        return from.get(r.nextInt(from.size()));
    }

    /** A new table of {@code level} with random entries. */
    private long build(int level) {
        long t = allocate(level);
        fillTable(t, level, false);
        return t;
    }

    private void fillTable(long table, int level, boolean isRoot) {
        int used = 2 + r.nextInt(3);
        Set<Integer> indexes = new LinkedHashSet<>();
        int limit = isRoot && mode.longMode() ? 256 : mode.entriesPerTable(); // the lower (canonical) half at the root
        while (indexes.size() < used) {
            int i = r.nextInt(Math.min(limit, 8)) + (r.nextBoolean() ? 0 : r.nextInt(limit - 8));
            if (!(isRoot && i == runtime.rootIndex)) {
                indexes.add(i);
            }
        }
        for (int i : indexes) {
            long at = table + (long) i * mode.entrySize;
            slots.add(new Slot(at, level));
            write(at, entry(level));
        }
    }

    /** A random entry for a table of {@code level}. */
    private long entry(int level) {
        long flags = 0;
        if (r.nextInt(10) != 0) {
            flags |= SdmOracle.P;
        }
        if (r.nextInt(10) < 7) {
            flags |= SdmOracle.RW;
        }
        if (r.nextInt(10) < 7) {
            flags |= SdmOracle.US;
        }
        if (r.nextBoolean()) {
            flags |= SdmOracle.A;
        }
        if (mode != Mode.LEGACY_32 && (nxe ? r.nextInt(5) == 0 : r.nextInt(30) == 0)) {
            flags |= SdmOracle.XD; // without NXE: a reserved bit
        }
        boolean reserved = mode != Mode.LEGACY_32 && r.nextInt(30) == 0;
        if (level == 1) {
            if (r.nextInt(10) < 4) {
                flags |= SdmOracle.D;
            }
            return pick(frames) | flags | (reserved ? 1L << 51 : 0);
        }
        boolean largeAllowed = level == 2 && (mode != Mode.LEGACY_32 || pse);
        if (largeAllowed && r.nextInt(5) == 0) {
            long frame = mode == Mode.LEGACY_32 ? dataBase : dataBase + ((long) r.nextInt((int) ((ramSize - dataBase) >>> 21)) << 21);
            long bad = mode == Mode.LEGACY_32 ? 1L << 21 : 1L << 13;
            return frame | flags | SdmOracle.PS | (r.nextInt(10) < 4 ? SdmOracle.D : 0) | (r.nextInt(25) == 0 ? bad : 0);
        }
        long child = r.nextInt(5) == 0 && !tables.get(level - 1).isEmpty() ? pick(tables.get(level - 1)) : build(level - 1);
        return child | flags | (reserved ? 1L << 51 : 0);
    }

    private void write(long at, long value) {
        if (mode.entrySize == 4) {
            ram.putInt((int) at, (int) value);
        } else {
            ram.putLong((int) at, value);
        }
    }

    private long read(long at) {
        return mode.entrySize == 4 ? Integer.toUnsignedLong(ram.getInt((int) at)) : ram.getLong((int) at);
    }

    private void fill(long frame) {
        for (int off = 0; off < 0x1000; off += 8) {
            ram.putLong((int) (frame + off), (frame + off) * 0x9E37_79B9_7F4A_7C15L);
        }
        code(frame);
    }

    /** {@code mov eax, tag; out 0xE0, al} at offset 0x800, the tag naming the frame. */
    private void code(long frame) {
        int tag = (int) (frame >>> 12) | 0x5A00_0000;
        ram.put((int) frame + 0x800, (byte) 0xB8).putInt((int) frame + 0x801, tag);
        ram.put((int) frame + 0x805, (byte) 0xE6).put((int) frame + 0x806, (byte) GuestRuntime.DONE_PORT);
    }

    /** Every linear page the forest maps or could map: leaves (two pages of each large page) and holes. */
    private void collect(Set<Long> out) {
        if (mode == Mode.PAE) {
            for (int i = 0; i < 3; i++) {
                long e = read(root + 8L * i);
                if ((e & SdmOracle.P) == 0) {
                    out.add((long) i << 30);
                } else {
                    walk(e & SdmOracle.ADDRESS, 2, (long) i << 30, out, 0);
                }
            }
        } else {
            walk(root, mode.levels, 0, out, 0);
        }
    }

    private void walk(long table, int level, long base, Set<Long> out, int depth) {
        if (depth > 6 || out.size() > 400) {
            return;
        }
        for (Slot s : slots) {
            if (s.level() != level || (s.address() & ~0xFFFL) != table) {
                continue;
            }
            long index = (s.address() - table) / mode.entrySize;
            long linear = base + (index << mode.shift(level));
            long e = read(s.address());
            boolean large = level == 2 && (e & SdmOracle.PS) != 0 && (mode != Mode.LEGACY_32 || pse);
            if (level == 1 || (e & SdmOracle.P) == 0) {
                out.add(linear);
            } else if (large) {
                out.add(linear);
                out.add(linear + ((long) r.nextInt(mode == Mode.LEGACY_32 ? 1024 : 512) << 12));
            } else {
                walk((mode == Mode.LEGACY_32 ? e & 0xFFFF_F000L : e & SdmOracle.ADDRESS), level - 1, linear, out, depth + 1);
            }
        }
    }


    /** A mutation of the entry at {@code slot}: a flipped flag, or another table or frame. */
    long mutate(Slot slot, long current) {
        if (slot.level() == 3) { // PAE PDPTE: only P and the address are allowed (reserved bits would #GP on MOV CR3)
            return r.nextBoolean() || tables.get(2).isEmpty() ? current ^ SdmOracle.P : pick(tables.get(2)) | SdmOracle.P;
        }
        long[] flips = {SdmOracle.P, SdmOracle.RW, SdmOracle.US, SdmOracle.A, SdmOracle.D,
            mode != Mode.LEGACY_32 && nxe ? SdmOracle.XD : SdmOracle.RW};
        if (r.nextInt(4) == 0) {
            long address = mode == Mode.LEGACY_32 ? 0xFFFF_F000L : SdmOracle.ADDRESS;
            boolean large = slot.level() == 2 && (current & SdmOracle.PS) != 0;
            if (slot.level() == 1) {
                return current & ~address | pick(frames);
            }
            if (!large && !tables.get(slot.level() - 1).isEmpty()) {
                return current & ~address | pick(tables.get(slot.level() - 1));
            }
        }
        return current ^ flips[r.nextInt(flips.length)];
    }

    Random random() {
        return r;
    }

    /** Guest-physical addresses of the pages of {@link #image} that are not all zero (what a VM must be loaded with). */
    List<Long> nonZeroPages() {
        if (nonZero != null) {
            return nonZero;
        }
        List<Long> pages = new ArrayList<>();
        byte[] zero = new byte[0x1000];
        for (int at = 0; at < image.length; at += 0x1000) {
            if (java.util.Arrays.mismatch(image, at, at + 0x1000, zero, 0, 0x1000) >= 0) {
                pages.add((long) at);
            }
        }
        nonZero = pages;
        return pages;
    }

    private List<Long> nonZero;
}
