package dev.hvspec.machine.mmu;

import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuException;

/**
 * Linear-address translation as SDM 3A chapter 4 defines it, for 32-bit, PAE, 4-level and
 * 5-level paging: the walk through the paging structures, reserved-bit checks, the access-rights
 * check (§4.6) and the accessed/dirty flags (§4.8). The processor has MAXPHYADDR = 40 and no
 * 1-GByte pages or protection keys (see the CPUID model), so the corresponding bits are reserved.
 *
 * <p>A/D policy: the accessed flag of each non-leaf entry is set as the walk uses it; the leaf's
 * accessed (and, for a write, dirty) flag is set only once the access is known to be allowed.
 */
public final class PageWalker {
    public static final int MAXPHYADDR = 40;

    // Paging-structure entry bits (SDM 3A Tables 4-4 to 4-20).
    static final long P = 1L;
    static final long RW = 1L << 1;
    static final long US = 1L << 2;
    static final long A = 1L << 5;
    static final long D = 1L << 6;
    static final long PS = 1L << 7;
    static final long G = 1L << 8;
    static final long XD = 1L << 63;

    /** Address bits 51:12 limited to MAXPHYADDR: bits 39:12. */
    static final long ADDRESS_MASK = ((1L << MAXPHYADDR) - 1) & ~0xFFFL;
    /** Bits 51:MAXPHYADDR, reserved in every 64-bit entry (SDM 3A §4.5.4, Table 4-14 ff.). */
    static final long RESERVED_HIGH = ((1L << 52) - 1) & ~((1L << MAXPHYADDR) - 1);

    // #PF error code bits (SDM 3A §4.7, Figure 4-12).
    public static final int PF_P = 1;
    public static final int PF_WR = 1 << 1;
    public static final int PF_US = 1 << 2;
    public static final int PF_RSVD = 1 << 3;
    public static final int PF_ID = 1 << 4;

    private final PhysicalMemory memory;
    private final PagingStructureCache psc;
    private final WalkCounters counters;
    private final boolean nested;
    private WalkPath path;

    /** A walker without caches or counters (a software walker, e.g. the hypervisor's). */
    public PageWalker(PhysicalMemory memory) {
        this(memory, null, null, false);
    }

    /**
     * A hardware walker: {@code psc} (may be null) caches non-leaf entries; entry reads, cache
     * hits and A/D updates are counted in {@code counters} as first-level events, or as
     * second-level events when {@code nested} (an NPT walk).
     */
    PageWalker(PhysicalMemory memory, PagingStructureCache psc, WalkCounters counters, boolean nested) {
        this.memory = memory;
        this.psc = psc;
        this.counters = counters;
        this.nested = nested;
    }

    /** Control state the walk depends on. */
    public record Context(PagingMode mode, long cr0, long cr3, long cr4, long efer, long[] pdpte) {
        boolean nxe() {
            return (efer & ControlBits.EFER_NXE) != 0;
        }
    }

    /**
     * Translates {@code linear} for an access of {@code kind} ({@link Access}); throws a #PF
     * {@link CpuException} carrying the error code and the linear address.
     */
    public Translation translate(long linear, int kind, Context ctx) {
        if (ctx.mode() == PagingMode.NONE) {
            return Translation.identity(linear);
        }
        int type = Access.type(kind);
        boolean user = Access.isUser(kind);
        // §4.7: I/D is set for a fetch when CR4.SMEP = 1, or when CR4.PAE = 1 and EFER.NXE = 1.
        boolean fetchReported = type == Access.FETCH && ((ctx.cr4() & ControlBits.CR4_SMEP) != 0
                || (ctx.mode() != PagingMode.LEGACY_32 && ctx.nxe()));
        int baseError = (type == Access.WRITE ? PF_WR : 0) | (user ? PF_US : 0) | (fetchReported ? PF_ID : 0);
        return switch (ctx.mode()) {
            case LEGACY_32 -> walk32(linear, kind, baseError, ctx);
            case PAE -> walkPae(linear, kind, baseError, ctx);
            case LEVEL_4, LEVEL_5 -> walkLong(linear, kind, baseError, ctx);
            case NONE -> throw new IllegalStateException();
        };
    }

    /** Like {@link #translate}, recording the entries used in {@code path} (software walkers only). */
    public Translation translate(long linear, int kind, Context ctx, WalkPath path) {
        this.path = path;
        try {
            return translate(linear, kind, ctx);
        } finally {
            this.path = null;
        }
    }

    private long read(long address, int size, long linear, int level) {
        long e = memory.readPagingEntry(address, size, linear);
        if (counters != null) {
            if (nested) {
                counters.nestedEntryReads++;
            } else {
                counters.guestEntryReads++;
            }
        }
        if (path != null) {
            path.record(level, address, e);
        }
        return e;
    }

    private void cacheHit() {
        if (counters != null) {
            if (nested) {
                counters.nestedPscHits++;
            } else {
                counters.pscHits++;
            }
        }
    }

    /** 32-bit paging (SDM 3A §4.3): page directory at CR3[31:12], 4-KByte pages or 4-MByte with CR4.PSE. */
    private Translation walk32(long linear, int kind, int error, Context ctx) {
        long la = linear & 0xFFFF_FFFFL;
        if (path != null) {
            path.reset(2);
        }
        long pdeAddress = (ctx.cr3() & 0xFFFF_F000L) | ((la >>> 22) << 2);
        PagingStructureCache.Entry cached = psc == null ? null : psc.lookup(2, la >>> 22);
        long pde;
        if (cached != null) {
            cacheHit();
            pde = cached.table() | cached.rights();
        } else {
            pde = read(pdeAddress, 4, linear, 2);
            if ((pde & P) == 0) {
                throw CpuException.pageFault(linear, error);
            }
            boolean large = (pde & PS) != 0 && (ctx.cr4() & ControlBits.CR4_PSE) != 0;
            if (large) {
                // Table 4-6: bits 20:13 are physical-address bits 39:32 (PSE-36); bit 21 is reserved with M = 40.
                if ((pde & (1L << 21)) != 0) {
                    throw CpuException.pageFault(linear, error | PF_P | PF_RSVD);
                }
                long frame = (pde & 0xFFC0_0000L) | (((pde >>> 13) & 0xFF) << 32) | (la & 0x003F_F000L);
                return leaf(linear, kind, error, ctx, pdeAddress, 4, pde, pde, frame, 2);
            }
            setAccessed(pdeAddress, 4, pde, linear);
            if (psc != null) {
                psc.put(2, la >>> 22, pde & 0xFFFF_F000L, pde & (P | RW | US));
            }
        }
        long pteAddress = (pde & 0xFFFF_F000L) | (((la >>> 12) & 0x3FF) << 2);
        long pte = read(pteAddress, 4, linear, 1);
        if ((pte & P) == 0) {
            throw CpuException.pageFault(linear, error);
        }
        return leaf(linear, kind, error, ctx, pteAddress, 4, pte, pde & pte, pte & 0xFFFF_F000L, 1);
    }

    /** PAE paging (SDM 3A §4.4): four PDPTE registers, then 8-byte PDEs and PTEs. */
    private Translation walkPae(long linear, int kind, int error, Context ctx) {
        long la = linear & 0xFFFF_FFFFL;
        if (path != null) {
            path.reset(2);
        }
        long pdpte = ctx.pdpte()[(int) (la >>> 30)];
        if ((pdpte & P) == 0) {
            throw CpuException.pageFault(linear, error);
        }
        long reservedXd = ctx.nxe() ? 0 : XD;
        long highReserved = ((-1L) << MAXPHYADDR) & ~XD; // Table 4-11 ff.: bits 62:M reserved in PAE paging
        long pdeAddress = (pdpte & ADDRESS_MASK) | (((la >>> 21) & 0x1FF) << 3);
        PagingStructureCache.Entry cached = psc == null ? null : psc.lookup(2, la >>> 21);
        long pde;
        if (cached != null) {
            cacheHit();
            pde = cached.table() | cached.rights();
        } else {
            pde = read(pdeAddress, 8, linear, 2);
            if ((pde & P) == 0) {
                throw CpuException.pageFault(linear, error);
            }
            if ((pde & (highReserved | reservedXd)) != 0 || ((pde & PS) != 0 && (pde & 0x1F_E000L) != 0)) {
                throw CpuException.pageFault(linear, error | PF_P | PF_RSVD);
            }
            if ((pde & PS) != 0) {
                long frame = (pde & ADDRESS_MASK & ~0x1F_FFFFL) | (la & 0x1F_F000L);
                return leaf(linear, kind, error, ctx, pdeAddress, 8, pde, pde, frame, 2);
            }
            setAccessed(pdeAddress, 8, pde, linear);
            if (psc != null) {
                psc.put(2, la >>> 21, pde & ADDRESS_MASK, pde & (P | RW | US | XD));
            }
        }
        long pteAddress = (pde & ADDRESS_MASK) | (((la >>> 12) & 0x1FF) << 3);
        long pte = read(pteAddress, 8, linear, 1);
        if ((pte & P) == 0) {
            throw CpuException.pageFault(linear, error);
        }
        if ((pte & (highReserved | reservedXd)) != 0) {
            throw CpuException.pageFault(linear, error | PF_P | PF_RSVD);
        }
        return leaf(linear, kind, error, ctx, pteAddress, 8, pte, combine(pde, pte), pte & ADDRESS_MASK, 1);
    }

    /** 4-level and 5-level paging (SDM 3A §4.5): PML5 (LA57), PML4, PDPT, PD, PT. */
    private Translation walkLong(long linear, int kind, int error, Context ctx) {
        long reservedXd = ctx.nxe() ? 0 : XD;
        int levels = ctx.mode() == PagingMode.LEVEL_5 ? 5 : 4;
        long widthMask = levels == 5 ? (1L << 57) - 1 : (1L << 48) - 1;
        long table = ctx.cr3() & ADDRESS_MASK;
        long rights = P | RW | US; // AND of RW/US over the levels; XD is OR-ed
        int start = levels;
        if (path != null) {
            path.reset(levels);
        }
        if (psc != null) {
            for (int level = 2; level <= levels; level++) {
                PagingStructureCache.Entry cached = psc.lookup(level, (linear & widthMask) >>> (12 + 9 * (level - 1)));
                if (cached != null) {
                    cacheHit();
                    table = cached.table();
                    rights = cached.rights();
                    start = level - 1;
                    break;
                }
            }
        }
        for (int level = start; level >= 1; level--) {
            int shift = 12 + 9 * (level - 1);
            long entryAddress = table | (((linear >>> shift) & 0x1FF) << 3);
            long entry = read(entryAddress, 8, linear, level);
            if ((entry & P) == 0) {
                throw CpuException.pageFault(linear, error);
            }
            boolean pageSize = (entry & PS) != 0;
            long reserved = RESERVED_HIGH | reservedXd;
            if (level >= 4 && pageSize) {
                reserved |= PS; // PML5E/PML4E: PS is reserved
            } else if (level == 3 && pageSize) {
                reserved |= PS; // no 1-GByte pages on this processor (CPUID.80000001H:EDX.Page1GB = 0)
            } else if (level == 2 && pageSize) {
                reserved |= 0x1F_E000L; // Table 4-18: bits 20:13 reserved for a 2-MByte page
            }
            if ((entry & reserved) != 0) {
                throw CpuException.pageFault(linear, error | PF_P | PF_RSVD);
            }
            rights = (rights & entry & (P | RW | US)) | ((rights | entry) & XD);
            if (level == 1 || (level == 2 && pageSize)) {
                long frame = level == 1 ? entry & ADDRESS_MASK
                        : (entry & ADDRESS_MASK & ~0x1F_FFFFL) | (linear & 0x1F_F000L);
                return leaf(linear, kind, error, ctx, entryAddress, 8, entry, rights, frame, level);
            }
            setAccessed(entryAddress, 8, entry, linear);
            table = entry & ADDRESS_MASK;
            if (psc != null) {
                psc.put(level, (linear & widthMask) >>> shift, table, rights);
            }
        }
        throw new IllegalStateException("unreachable");
    }

    private static long combine(long upper, long lower) {
        return (upper & lower & (P | RW | US)) | ((upper | lower) & XD);
    }

    /** Applies the §4.6 access-rights check, then sets the leaf's A (and D) flags. */
    private Translation leaf(long linear, int kind, int error, Context ctx, long entryAddress, int entrySize,
                             long entry, long combinedRights, long frame, int level) {
        if (path != null) {
            path.leafLevel = level;
        }
        boolean user = (combinedRights & US) != 0;
        boolean writable = (combinedRights & RW) != 0;
        boolean executeDisable = ctx.nxe() && (combinedRights & XD) != 0;
        if (!allowed(kind, user, writable, executeDisable, ctx.cr0(), ctx.cr4())) {
            throw CpuException.pageFault(linear, error | PF_P);
        }
        boolean write = Access.type(kind) == Access.WRITE;
        long updated = entry | A | (write ? D : 0);
        while (updated != entry) {
            countUpdate();
            if (memory.updatePagingEntry(entryAddress, entrySize, entry, updated, linear)) {
                break;
            }
            entry = memory.readPagingEntry(entryAddress, entrySize, linear);
            updated = entry | A | (write ? D : 0);
        }
        boolean global = (entry & G) != 0 && (ctx.cr4() & ControlBits.CR4_PGE) != 0;
        return new Translation(frame, user, writable, executeDisable, (updated & D) != 0, global);
    }

    private void setAccessed(long entryAddress, int size, long entry, long linear) {
        while ((entry & A) == 0) {
            countUpdate();
            if (memory.updatePagingEntry(entryAddress, size, entry, entry | A, linear)) {
                return;
            }
            entry = memory.readPagingEntry(entryAddress, size, linear);
        }
    }

    private void countUpdate() {
        if (counters != null) {
            counters.adUpdates++;
        }
    }

    /**
     * SDM 3A §4.6.1: whether an access of {@code kind} to a page with the combined rights is
     * allowed. Pure: depends only on its arguments.
     */
    public static boolean allowed(int kind, boolean userPage, boolean writablePage, boolean executeDisable,
                                  long cr0, long cr4) {
        int type = Access.type(kind);
        boolean wp = (cr0 & ControlBits.CR0_WP) != 0;
        if (Access.isUser(kind)) {
            if (!userPage) {
                return false;
            }
            return switch (type) {
                case Access.READ -> true;
                case Access.WRITE -> writablePage;
                default -> !executeDisable;
            };
        }
        boolean smap = (cr4 & ControlBits.CR4_SMAP) != 0;
        boolean smep = (cr4 & ControlBits.CR4_SMEP) != 0;
        return switch (type) {
            case Access.READ -> !(userPage && smap && !Access.hasAc(kind));
            case Access.WRITE -> !(userPage && smap && !Access.hasAc(kind)) && (!wp || writablePage);
            default -> !executeDisable && !(userPage && smep);
        };
    }
}
