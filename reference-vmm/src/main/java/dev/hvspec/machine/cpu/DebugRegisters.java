package dev.hvspec.machine.cpu;

/**
 * The breakpoint conditions of the debug registers (SDM 3B §17.2), as pure functions of DR0–DR3
 * and DR7. The instruction loop asks {@link #instructionHits} before an instruction starts and
 * {@link #dataHits} for each data access; the answer is the DR6 B0–B3 bits of the matching,
 * enabled breakpoints.
 */
final class DebugRegisters {
    /** DR6.B0–B3 (SDM 3B §17.2.3): which breakpoint conditions were met. */
    static final long DR6_HITS = 0xF;
    /** DR6.BD: the next instruction accesses a debug register while DR7.GD is set. */
    static final long DR6_BD = 1L << 13;
    /** DR6.BS: single-step (EFLAGS.TF). */
    static final long DR6_BS = 1L << 14;
    /** DR7.L0–L3 and G0–G3 (SDM 3B §17.2.4): any breakpoint enabled at all. */
    static final long DR7_ENABLES = 0xFF;
    /** DR7.GD: general-detect, a #DB before any MOV to or from a debug register. */
    static final long DR7_GD = 1L << 13;

    /** DR7.R/Wn encodings (SDM 3B §17.2.4). */
    static final int RW_EXECUTE = 0b00;
    static final int RW_WRITE = 0b01;
    static final int RW_READ_WRITE = 0b11;

    private DebugRegisters() {
    }

    static boolean enabled(long dr7, int n) {
        return ((dr7 >>> (2 * n)) & 0b11) != 0; // Ln or Gn
    }

    static int readWrite(long dr7, int n) {
        return (int) (dr7 >>> (16 + 4 * n)) & 0b11;
    }

    /** DR7.LENn: 00 one byte, 01 two, 10 eight (SDM 3B §17.2.5, Pentium 4 and later), 11 four. */
    static int length(long dr7, int n) {
        return switch ((int) (dr7 >>> (18 + 4 * n)) & 0b11) {
            case 0b00 -> 1;
            case 0b01 -> 2;
            case 0b10 -> 8;
            default -> 4;
        };
    }

    /**
     * SDM 3B §17.3.1.1: an instruction breakpoint matches the linear address of the
     * instruction's first byte (its first prefix, if any). LEN must be 00 for execution
     * breakpoints; other lengths are undefined and here compare the same single byte.
     */
    static long instructionHits(long[] dr, long linear) {
        long dr7 = dr[7];
        long hits = 0;
        for (int n = 0; n < 4; n++) {
            if (enabled(dr7, n) && readWrite(dr7, n) == RW_EXECUTE && dr[n] == linear) {
                hits |= 1L << n;
            }
        }
        return hits;
    }

    /**
     * SDM 3B §17.2.5: a data breakpoint covers the naturally aligned LEN bytes at DRn (the low
     * address bits the length implies are ignored) and hits when any byte of the access falls
     * inside. R/W 01 watches writes, 11 reads and writes; R/W 10 (I/O, needs CR4.DE) is not
     * supported and never matches.
     */
    static long dataHits(long[] dr, long linear, int size, boolean write) {
        long dr7 = dr[7];
        long hits = 0;
        for (int n = 0; n < 4; n++) {
            if (!enabled(dr7, n)) {
                continue;
            }
            int rw = readWrite(dr7, n);
            if (rw == RW_READ_WRITE || (rw == RW_WRITE && write)) {
                int length = length(dr7, n);
                long start = dr[n] & -length;
                if (Long.compareUnsigned(linear, start + length - 1) <= 0
                        && Long.compareUnsigned(start, linear + size - 1) <= 0) {
                    hits |= 1L << n;
                }
            }
        }
        return hits;
    }
}
