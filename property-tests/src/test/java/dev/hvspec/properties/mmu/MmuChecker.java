package dev.hvspec.properties.mmu;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs a {@link Scenario} on every target in step with the {@link SdmOracle} and checks, after
 * each operation, that every target's outcome (the value read or the #PF error code and CR2) is
 * the oracle's and that the pages the oracle changed (data, accessed/dirty flags) hold the same
 * bytes; at the end, that all of memory outside the runtime is the same; and, when asked, that
 * every dirty log harvested covers every page written since the last.
 */
final class MmuChecker {
    private MmuChecker() {
    }

    static void check(Scenario s, List<MmuTarget> targets, boolean checkDirtyLog) {
        Forest forest = s.forest();
        List<Scenario.Op> ops = s.ops(forest);
        SdmOracle oracle = new SdmOracle(forest.image, s.mode(), s.cr0(), forest.root, s.cr4(), s.efer());
        List<GuestDriver> drivers = new ArrayList<>();
        Set<Long> unharvested = new LinkedHashSet<>();
        Set<Long> everWritten = new LinkedHashSet<>();
        try {
            for (MmuTarget t : targets) {
                drivers.add(new GuestDriver(t, s, forest));
            }
            for (int i = 0; i < ops.size(); i++) {
                Scenario.Op op = ops.get(i);
                String where = "op " + i + " " + op + " of " + s;
                switch (op) {
                    case Scenario.Access a -> {
                        SdmOracle.Outcome expected = oracle.access(a.linear(), a.size(), a.kind(), a.cpl(), a.ac(), a.value());
                        for (int d = 0; d < drivers.size(); d++) {
                            SdmOracle.Outcome actual = drivers.get(d).access(a);
                            if (!expected.equals(actual)) {
                                throw new AssertionError(targets.get(d).name() + ": " + actual + ", the SDM says "
                                        + expected + " (" + where + ")");
                            }
                        }
                    }
                    case Scenario.WriteEntry w -> writeEntry(s, forest, oracle, drivers, w.slot());
                    case Scenario.TakeDirtyLog t -> {
                        unharvested.addAll(oracle.takeWritten());
                        for (int d = 0; d < drivers.size(); d++) {
                            long[] log = drivers.get(d).machine.takeDirtyLog();
                            for (long page : unharvested) {
                                boolean dirty = (log[(int) (page >>> 6)] >>> (page & 63) & 1) != 0;
                                if (checkDirtyLog && !dirty) {
                                    throw new AssertionError(targets.get(d).name() + ": page " + Long.toHexString(page << 12)
                                            + " was written but is not in the dirty log (" + where + ")");
                                }
                            }
                        }
                        unharvested.clear();
                    }
                }
                Set<Long> changed = oracle.takeWritten();
                unharvested.addAll(changed);
                changed.forEach(p -> everWritten.add(p << 12));
                for (int d = 0; d < drivers.size(); d++) {
                    for (long page : changed) {
                        compare(oracle.ram, drivers.get(d).ram(), page << 12, 0x1000, targets.get(d).name(), where);
                    }
                }
            }
            // At the end: the tables and every page that was initialised or written are the SDM's.
            Set<Long> pages = new LinkedHashSet<>(everWritten);
            pages.addAll(forest.nonZeroPages());
            for (int d = 0; d < drivers.size(); d++) {
                for (long page : pages) {
                    if (page >= GuestRuntime.TABLES) {
                        compare(oracle.ram, drivers.get(d).ram(), page, 0x1000, targets.get(d).name(), "the end of " + s);
                    }
                }
            }
        } finally {
            drivers.forEach(GuestDriver::close);
        }
    }

    /** The guest rewrites one entry and flushes as the scenario says. */
    private static void writeEntry(Scenario s, Forest forest, SdmOracle oracle, List<GuestDriver> drivers, Forest.Slot slot) {
        long value = forest.mutate(slot, oracle.entry(slot.address()));
        boolean reload = s.flush() == Scenario.Flush.MOV_CR3 || slot.level() == 3;
        Set<Long> affected = reload ? Set.of() : affected(oracle, forest, slot.address());
        oracle.writeEntry(slot.address(), value);
        for (GuestDriver d : drivers) {
            d.writeEntry(slot.address(), value);
        }
        if (reload) {
            oracle.movToCr3(forest.root);
            drivers.forEach(GuestDriver::movToCr3);
            return;
        }
        Set<Long> pages = new LinkedHashSet<>(affected);
        pages.addAll(affected(oracle, forest, slot.address()));
        // SDM 3A §4.10.4.3: INVLPG of every linear address the modified entry was (or is now) used for.
        for (long page : pages) {
            for (GuestDriver d : drivers) {
                d.invlpg(page);
            }
        }
    }

    /** Accessible pages (candidates and the pages after them) whose walk uses the entry at {@code address}. */
    private static Set<Long> affected(SdmOracle oracle, Forest forest, long address) {
        Set<Long> pages = new LinkedHashSet<>();
        for (long c : forest.candidates) {
            for (long page : new long[] {c, c + 0x1000}) {
                if (oracle.path(page).contains(address)) {
                    pages.add(page);
                }
            }
        }
        return pages;
    }

    private static void compare(ByteBuffer expected, ByteBuffer actual, long at, long length, String target, String where) {
        ByteBuffer e = expected.slice((int) at, (int) length);
        ByteBuffer a = actual.slice((int) at, (int) length);
        int m = e.mismatch(a);
        if (m >= 0) {
            long gpa = at + (m & ~7);
            throw new AssertionError(String.format("%s: guest-physical %#x holds %016x, the SDM says %016x (%s)", target,
                    gpa, actual.order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong((int) gpa),
                    expected.getLong((int) gpa), where));
        }
    }
}
