package dev.hvspec.machine.mmu;

import dev.hvspec.machine.vmx.EptViolation;
import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.GuestExits;

import java.util.HashMap;
import java.util.Map;

/**
 * The EPT translation of guest-physical addresses (SDM 3C §29.3.2): a 4-level walk from the EPTP
 * through EPT PML4E, PDPTE (may map a 1-GByte page), PDE (may map a 2-MByte page) and PTE, ANDing
 * the read/write/execute bits; EPT misconfigurations (§29.3.3.1) and violations (§29.3.3.2) with
 * the exit qualification of SDM 3C Table 28-7; EPT accessed and dirty flags when EPTP bit 6 is set
 * (§29.3.5), under which accesses to guest paging structures count as writes.
 *
 * <p>Caches (§29.4): guest-physical mappings (a TLB of gpa page → host frame and rights) and
 * EPT paging-structure caches keyed by guest-physical bits; both invisible to software that
 * follows the invalidation rules (INVEPT after weakening entries), and counted.
 */
final class EptTranslation implements SecondLevelTranslation {
    // EPT entry bits (SDM 3C Tables 29-1 to 29-7, EPTP in Table 25-9).
    static final long R = 1L;
    static final long W = 1L << 1;
    static final long X = 1L << 2;
    static final long MEMORY_TYPE = 7L << 3;
    static final long PAGE_SIZE = 1L << 7;
    static final long ACCESSED = 1L << 8;
    static final long DIRTY = 1L << 9;
    static final long EPTP_AD = 1L << 6;
    static final long ADDRESS_MASK = ((1L << PageWalker.MAXPHYADDR) - 1) & ~0xFFFL;
    /** Bits 51:N are reserved in every entry (N = MAXPHYADDR). */
    static final long RESERVED_HIGH = ((1L << 52) - 1) & ~((1L << PageWalker.MAXPHYADDR) - 1);
    static final int TLB_CAPACITY = 4096;

    private record Cached(long hostFrame, int rights, boolean dirty) {
    }

    private final long root;
    private final boolean accessedDirty;
    private final HostPhysicalMemory host;
    private final WalkCounters counters;
    private final PagingStructureCache psc = new PagingStructureCache();
    private final Map<Long, Cached> tlb = new HashMap<>();

    /**
     * @throws IllegalArgumentException for an EPTP VM entry would refuse (SDM 3C §27.2.1.1:
     *                                  memory type UC or WB, page-walk length 4, bits 11:7 and 63:N clear)
     */
    EptTranslation(long eptp, HostPhysicalMemory host, WalkCounters counters) {
        long type = eptp & 7;
        long walkLength = (eptp >>> 3 & 7) + 1;
        if ((type != 0 && type != 6) || walkLength != 4 || (eptp & 0xF80L) != 0 || (eptp & ~((1L << 40) - 1)) != 0) {
            throw new IllegalArgumentException(String.format("VM-entry failure: invalid EPTP %#x", eptp));
        }
        this.root = eptp & ADDRESS_MASK;
        this.accessedDirty = (eptp & EPTP_AD) != 0;
        this.host = host;
        this.counters = counters;
    }

    /** §29.3.3.1: the reasons an entry (bits 2:0 not 000b) is an EPT misconfiguration at {@code level}. */
    static boolean misconfigured(long entry, int level) {
        long rwx = entry & 7;
        if (rwx == W || rwx == (W | X)) {
            return true; // write-only or write/execute
        }
        if ((entry & RESERVED_HIGH) != 0) {
            return true;
        }
        boolean large = (entry & PAGE_SIZE) != 0;
        boolean maps = level == 1 || (large && (level == 2 || level == 3));
        if (level >= 4 || (!maps && level > 1)) {
            return (entry & 0xF8L) != 0; // bits 7:3 reserved in entries that reference a table (and in PML4Es)
        }
        if (level == 3 && (entry & 0x3FFF_F000L) != 0 || level == 2 && (entry & 0x1F_F000L) != 0) {
            return true; // address bits below the page size are reserved
        }
        long memoryType = (entry & MEMORY_TYPE) >>> 3;
        return memoryType == 2 || memoryType == 3 || memoryType == 7;
    }

    @Override
    public Result translate(long gpa, Use use, int type, long linear) {
        // What the access needs from the EPT entries (§29.3.3.2).
        boolean writeLike = use == Use.GUEST_TABLE_UPDATE || (use == Use.FINAL && type == Access.WRITE)
                || (use == Use.GUEST_TABLE_READ && accessedDirty);
        long need = switch (use) {
            case FINAL -> type == Access.FETCH ? X : type == Access.WRITE ? W : R;
            case GUEST_TABLE_READ -> accessedDirty ? R | W : R;
            case GUEST_TABLE_UPDATE -> accessedDirty ? R | W : W;
            case PDPTE_LOAD -> R;
        };
        long page = gpa >>> 12;
        Cached c = tlb.get(page);
        if (c != null && (c.rights & need) == need && (!writeLike || c.dirty)) {
            counters.nestedTlbHits++;
            return new Mapped(c.hostFrame, types(c.rights));
        }
        long table = root;
        long rights = R | W | X;
        int start = 4;
        for (int level = 2; level <= 4; level++) {
            PagingStructureCache.Entry cached = psc.lookup(level, gpa >>> (12 + 9 * (level - 1)));
            if (cached != null) {
                counters.nestedPscHits++;
                table = cached.table();
                rights = cached.rights();
                start = level - 1;
                break;
            }
        }
        for (int level = start; level >= 1; level--) {
            int shift = 12 + 9 * (level - 1);
            long entryAddress = table | ((gpa >>> shift) & 0x1FF) << 3;
            long entry = host.readEntry(entryAddress, 8);
            counters.nestedEntryReads++;
            if ((entry & 7) == 0) {
                return violation(use, type, 0, linear);
            }
            if (misconfigured(entry, level)) {
                return new Fault(true, 0);
            }
            rights &= entry & 7;
            boolean leaf = level == 1 || ((level == 2 || level == 3) && (entry & PAGE_SIZE) != 0);
            if (!leaf) {
                setFlags(entryAddress, entry, ACCESSED);
                table = entry & ADDRESS_MASK;
                psc.put(level, gpa >>> shift, table, rights);
                continue;
            }
            if ((rights & need) != need) {
                return violation(use, type, rights, linear);
            }
            long flags = ACCESSED | (writeLike ? DIRTY : 0);
            setFlags(entryAddress, entry, flags);
            long size = 1L << shift;
            long frame = (entry & ADDRESS_MASK & ~(size - 1)) | (gpa & (size - 1) & ~0xFFFL);
            if (tlb.size() >= TLB_CAPACITY) {
                tlb.clear();
            }
            tlb.put(page, new Cached(frame, (int) rights, !accessedDirty || writeLike || (entry & DIRTY) != 0));
            return new Mapped(frame, types(rights));
        }
        throw new IllegalStateException("unreachable");
    }

    /** §29.3.5: sets the accessed (and dirty) flags when EPTP bit 6 enables them. */
    private void setFlags(long entryAddress, long entry, long flags) {
        if (!accessedDirty) {
            return;
        }
        while ((entry & flags) != flags) {
            counters.adUpdates++;
            if (host.compareAndSetEntry(entryAddress, 8, entry, entry | flags)) {
                return;
            }
            entry = host.readEntry(entryAddress, 8);
        }
    }

    /** The exit qualification of Table 28-7 for a violation. */
    private Fault violation(Use use, int type, long rights, long linear) {
        long q = switch (use) {
            case FINAL -> type == Access.FETCH ? EptViolation.INSTRUCTION_FETCH
                    : type == Access.WRITE ? EptViolation.DATA_WRITE : EptViolation.DATA_READ;
            // With EPT A/D, accesses to guest paging structures are writes and set both bits 0 and 1.
            case GUEST_TABLE_READ -> accessedDirty ? EptViolation.DATA_READ | EptViolation.DATA_WRITE : EptViolation.DATA_READ;
            case GUEST_TABLE_UPDATE -> accessedDirty ? EptViolation.DATA_READ | EptViolation.DATA_WRITE : EptViolation.DATA_WRITE;
            case PDPTE_LOAD -> EptViolation.DATA_READ;
        };
        q |= (rights & 7) << 3;
        if (use != Use.PDPTE_LOAD) {
            q |= EptViolation.LINEAR_VALID;
            if (use == Use.FINAL) {
                q |= EptViolation.FINAL_TRANSLATION;
            }
        }
        return new Fault(false, q);
    }

    private static int types(long rights) {
        return ((rights & R) != 0 ? 1 << Access.READ : 0) | ((rights & W) != 0 ? 1 << Access.WRITE : 0)
                | ((rights & X) != 0 ? 1 << Access.FETCH : 0);
    }

    @Override
    public ExitResolution report(Fault fault, long gpa, long linear, GuestExits exits) {
        if (fault.misconfiguration()) {
            return exits.eptMisconfiguration(gpa);
        }
        boolean linearValid = (fault.info() & EptViolation.LINEAR_VALID) != 0;
        return exits.eptViolation(new EptViolation(gpa, linearValid ? linear : 0, fault.info()));
    }

    @Override
    public void enableCaches(boolean on) {
        psc.setEnabled(on);
    }

    @Override
    public void flush() {
        tlb.clear();
        psc.flush();
    }

    @Override
    public void invalidate(long gpa) {
        tlb.remove(gpa >>> 12);
        psc.flush();
    }
}
