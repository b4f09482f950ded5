package dev.hvspec.properties.mmu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An independent model of linear-address translation, written from SDM 3A chapter 4 for these
 * properties (it shares no code with the reference): 32-bit, PAE, 4-level and 5-level walks over
 * a byte image of guest memory, reserved bits for MAXPHYADDR = 40 and a processor without 1-GByte
 * pages, the access rights of §4.6 (U/S, R/W with CR0.WP, XD with EFER.NXE, SMEP, SMAP with
 * EFLAGS.AC), the #PF error code of §4.7, and the accessed and dirty flags of §4.8 — set in each
 * paging-structure entry as the walk uses it, in the leaf only when the access is allowed. It has
 * no TLB: every access walks, which is what a processor must look like after the flushes the SDM
 * requires.
 *
 * <p>An access crossing a page boundary translates its pages in order and faults on the first
 * failure (CR2 = the first linear address of the failing page's part); only then are bytes read or
 * written.
 */
final class SdmOracle {
    static final int MAXPHYADDR = 40;
    static final long P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80, XD = 1L << 63;
    static final long ADDRESS = ((1L << MAXPHYADDR) - 1) & ~0xFFFL;
    static final int PF_P = 1, PF_W = 2, PF_U = 4, PF_RSVD = 8, PF_ID = 16;
    static final long CR0_WP = 1L << 16, CR4_PSE = 1L << 4, CR4_SMEP = 1L << 20, CR4_SMAP = 1L << 21,
            EFER_NXE = 1L << 11;

    enum Kind { READ, WRITE, FETCH }

    /** What an access did: a value read (fetches: what the fetched code left in EAX), or a #PF. */
    sealed interface Outcome {
    }

    record Value(long value) implements Outcome {
    }

    record PageFault(int errorCode, long cr2) implements Outcome {
    }

    final ByteBuffer ram;
    final Mode mode;
    /** Guest-physical pages written (data, entries, A/D flags) since the last {@link #takeWritten()}. */
    private final java.util.Set<Long> written = new java.util.TreeSet<>();
    long cr0;
    long cr3;
    long cr4;
    long efer;
    final long[] pdpte = new long[4];

    SdmOracle(byte[] image, Mode mode, long cr0, long cr3, long cr4, long efer) {
        this.ram = ByteBuffer.wrap(image.clone()).order(ByteOrder.LITTLE_ENDIAN);
        this.mode = mode;
        this.cr0 = cr0;
        this.cr4 = cr4;
        this.efer = efer;
        movToCr3(cr3);
    }

    /** MOV to CR3: under PAE paging the four PDPTEs are loaded into the PDPTE registers (§4.4.1). */
    void movToCr3(long value) {
        cr3 = value;
        if (mode == Mode.PAE) {
            for (int i = 0; i < 4; i++) {
                pdpte[i] = ram.getLong((int) ((value & 0xFFFF_FFE0L) + 8L * i));
            }
        }
    }

    private boolean nxe() {
        return mode != Mode.LEGACY_32 && (efer & EFER_NXE) != 0;
    }

    /** A failed translation. */
    private static final class Fault extends Exception {
        final int error;
        final long linear;

        Fault(int error, long linear) {
            super(null, null, false, false);
            this.error = error;
            this.linear = linear;
        }
    }

    /** Translates one page's part of an access; returns the physical address of {@code linear}. */
    long translate(long linear, Kind kind, int cpl, boolean ac) throws Fault {
        boolean user = cpl == 3;
        // §4.7: I/D only when SMEP is on, or PAE/4-level/5-level paging with NXE.
        boolean reportFetch = kind == Kind.FETCH && ((cr4 & CR4_SMEP) != 0 || nxe());
        int error = (kind == Kind.WRITE ? PF_W : 0) | (user ? PF_U : 0) | (reportFetch ? PF_ID : 0);
        long reservedHigh = mode == Mode.PAE ? (-1L << MAXPHYADDR) & ~XD : ((1L << 52) - 1) & ~((1L << MAXPHYADDR) - 1);
        long reservedXd = nxe() ? 0 : XD;
        long rights = P | RW | US;
        boolean xd = false;
        long table;
        int level;
        if (mode == Mode.LEGACY_32) {
            table = cr3 & 0xFFFF_F000L;
            level = 2;
        } else if (mode == Mode.PAE) {
            long e = pdpte[(int) (linear >>> 30 & 3)];
            if ((e & P) == 0) {
                throw new Fault(error, linear);
            }
            table = e & ADDRESS;
            level = 2;
        } else {
            table = cr3 & ADDRESS;
            level = mode.levels;
        }
        for (; ; level--) {
            int size = mode.entrySize;
            long at = table + ((linear >>> mode.shift(level)) & (mode.entriesPerTable() - 1)) * size;
            long e = size == 4 ? Integer.toUnsignedLong(ram.getInt((int) at)) : ram.getLong((int) at);
            if ((e & P) == 0) {
                throw new Fault(error, linear);
            }
            boolean large;
            long frame;
            if (mode == Mode.LEGACY_32) {
                large = level == 2 && (e & PS) != 0 && (cr4 & CR4_PSE) != 0;
                if (large && (e & 1L << 21) != 0) {
                    throw new Fault(error | PF_P | PF_RSVD, linear); // Table 4-6: bit 21 reserved with M = 40
                }
                frame = large ? (e & 0xFFC0_0000L) | (e >>> 13 & 0xFF) << 32 : e & 0xFFFF_F000L;
            } else {
                large = (e & PS) != 0 && level >= 2;
                long reserved = reservedHigh | reservedXd;
                if (large && level >= 3) {
                    reserved |= PS; // PML5E/PML4E PS reserved; no 1-GByte pages on this processor
                } else if (large) {
                    reserved |= 0x1F_E000L; // bits 20:13 of a 2-MByte PDE
                }
                if ((e & reserved) != 0) {
                    throw new Fault(error | PF_P | PF_RSVD, linear);
                }
                frame = e & ADDRESS;
            }
            rights &= e & (P | RW | US);
            xd |= (e & XD) != 0 && mode != Mode.LEGACY_32;
            if (level == 1 || large) {
                long pageMask = level == 1 ? 0xFFF : mode == Mode.LEGACY_32 ? 0x3F_FFFF : 0x1F_FFFF;
                if (!allowed(kind, user, ac, (rights & US) != 0, (rights & RW) != 0, xd && nxe())) {
                    throw new Fault(error | PF_P, linear);
                }
                setFlags(at, size, e, A | (kind == Kind.WRITE ? D : 0));
                return (frame & ~pageMask) | (linear & pageMask);
            }
            setFlags(at, size, e, A);
            table = frame;
        }
    }

    /** §4.6.1 access rights. */
    private boolean allowed(Kind kind, boolean user, boolean ac, boolean userPage, boolean writable, boolean xd) {
        boolean wp = (cr0 & CR0_WP) != 0;
        boolean smap = (cr4 & CR4_SMAP) != 0 && userPage && !ac;
        boolean smep = (cr4 & CR4_SMEP) != 0 && userPage;
        return switch (kind) {
            case READ -> user ? userPage : !smap;
            case WRITE -> user ? userPage && writable : !smap && (writable || !wp);
            case FETCH -> user ? userPage && !xd : !xd && !smep;
        };
    }

    private void setFlags(long at, int size, long e, long flags) {
        if ((e & flags) != flags) {
            written.add(at >>> 12);
            if (size == 4) {
                ram.putInt((int) at, (int) (e | flags));
            } else {
                ram.putLong((int) at, e | flags);
            }
        }
    }

    /**
     * A data access of {@code size} bytes (a write stores {@code value}); for {@link Kind#FETCH}
     * the fetched code at the page's offset 0x800 ({@code mov eax, tag}) — its tag.
     */
    Outcome access(long linear, int size, Kind kind, int cpl, boolean ac, long value) {
        long[] physical = new long[size];
        try {
            long first = translate(linear, kind, cpl, ac);
            int inFirst = (int) Math.min(size, 0x1000 - (linear & 0xFFF));
            long second = inFirst < size ? translate(linear + inFirst, kind, cpl, ac) : 0;
            for (int i = 0; i < size; i++) {
                physical[i] = i < inFirst ? first + i : second + (i - inFirst);
            }
        } catch (Fault f) {
            return new PageFault(f.error, f.linear);
        }
        if (kind == Kind.FETCH) {
            return new Value(Integer.toUnsignedLong(ram.getInt((int) physical[0] + 1))); // B8 imm32
        }
        long v = 0;
        for (int i = 0; i < size; i++) {
            if (kind == Kind.WRITE) {
                ram.put((int) physical[i], (byte) (value >>> 8 * i));
                written.add(physical[i] >>> 12);
            } else {
                v |= (ram.get((int) physical[i]) & 0xFFL) << 8 * i;
            }
        }
        return new Value(kind == Kind.WRITE ? 0 : v);
    }

    /** The paging-structure entry at guest-physical {@code at}. */
    long entry(long at) {
        return mode.entrySize == 4 ? Integer.toUnsignedLong(ram.getInt((int) at)) : ram.getLong((int) at);
    }

    /** A guest write of a whole paging-structure entry. */
    void writeEntry(long at, long value) {
        if (mode.entrySize == 4) {
            ram.putInt((int) at, (int) value);
        } else {
            ram.putLong((int) at, value);
        }
        written.add(at >>> 12);
    }

    /** The pages written since the last call. */
    java.util.Set<Long> takeWritten() {
        java.util.Set<Long> pages = new java.util.TreeSet<>(written);
        written.clear();
        return pages;
    }

    /**
     * The addresses of the paging-structure entries a walk of {@code linear} reads, without side
     * effects, down to the leaf or the first entry that stops the walk (not present or a large
     * page); for PAE paging the PDPT entry in memory counts too (it is what MOV to CR3 loads).
     */
    java.util.List<Long> path(long linear) {
        java.util.List<Long> used = new java.util.ArrayList<>();
        long table;
        int level;
        if (mode == Mode.LEGACY_32) {
            table = cr3 & 0xFFFF_F000L;
            level = 2;
        } else if (mode == Mode.PAE) {
            int i = (int) (linear >>> 30 & 3);
            used.add((cr3 & 0xFFFF_FFE0L) + 8L * i);
            if ((pdpte[i] & P) == 0) {
                return used;
            }
            table = pdpte[i] & ADDRESS;
            level = 2;
        } else {
            table = cr3 & ADDRESS;
            level = mode.levels;
        }
        for (; level >= 1; level--) {
            long at = table + ((linear >>> mode.shift(level)) & (mode.entriesPerTable() - 1)) * mode.entrySize;
            used.add(at);
            long e = entry(at);
            boolean large = level == 2 && (e & PS) != 0 && (mode != Mode.LEGACY_32 || (cr4 & CR4_PSE) != 0);
            if ((e & P) == 0 || large) {
                break;
            }
            table = mode == Mode.LEGACY_32 ? e & 0xFFFF_F000L : e & ADDRESS;
            if (table >= ram.capacity()) {
                break;
            }
        }
        return used;
    }
}
