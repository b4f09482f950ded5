package dev.hvspec.machine.mmu;

import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuException;
import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.GuestExits;
import dev.hvspec.machine.vmx.NestedPageFault;

import java.util.HashMap;
import java.util.Map;

/**
 * AMD nested paging (APM vol. 2 §15.25): guest-physical addresses are translated by an ordinary
 * 4-level long-mode walk of the nested tables at nCR3 — the same page-walk rules as SDM 3A §4.5,
 * with the host's paging controls (CR0.WP, CR4.PAE, EFER.NXE) — in which every access is a user
 * access (§15.25.5): guest page-table reads are user reads, A/D updates user writes. A failed walk
 * is #VMEXIT(NPF) with the walk's page-fault error code in EXITINFO1 (plus bit 32 or 33) and the
 * guest-physical address in EXITINFO2 (§15.25.6).
 */
final class NptTranslation implements SecondLevelTranslation {
    static final int TLB_CAPACITY = 4096;

    private record Cached(long hostFrame, int types, boolean dirty) {
    }

    private final PageWalker walker;
    private final PageWalker.Context hostContext;
    private final WalkCounters counters;
    private final PagingStructureCache psc = new PagingStructureCache();
    private final Map<Long, Cached> tlb = new HashMap<>();

    NptTranslation(long ncr3, HostPhysicalMemory host, WalkCounters counters) {
        this.counters = counters;
        this.walker = new PageWalker(host, psc, counters, true);
        this.hostContext = new PageWalker.Context(PagingMode.LEVEL_4,
                ControlBits.CR0_PG | ControlBits.CR0_PE | ControlBits.CR0_WP, ncr3 & ~0xFFFL, ControlBits.CR4_PAE,
                ControlBits.EFER_LME | ControlBits.EFER_LMA | ControlBits.EFER_NXE, new long[4]);
    }

    @Override
    public Result translate(long gpa, Use use, int type, long linear) {
        int kind = switch (use) {
            case FINAL -> Access.USER_READ + type;
            case GUEST_TABLE_UPDATE -> Access.USER_WRITE;
            case GUEST_TABLE_READ, PDPTE_LOAD -> Access.USER_READ;
        };
        boolean write = Access.type(kind) == Access.WRITE;
        long page = gpa >>> 12;
        Cached c = tlb.get(page);
        if (c != null && (c.types >>> Access.type(kind) & 1) != 0 && (!write || c.dirty)) {
            counters.nestedTlbHits++;
            return new Mapped(c.hostFrame, c.types);
        }
        try {
            Translation t = walker.translate(gpa, kind, hostContext);
            int types = 1 << Access.READ | (t.writable() ? 1 << Access.WRITE : 0)
                    | (t.executeDisable() ? 0 : 1 << Access.FETCH);
            if (tlb.size() >= TLB_CAPACITY) {
                tlb.clear();
            }
            tlb.put(page, new Cached(t.physicalFrame(), types, t.dirty()));
            return new Mapped(t.physicalFrame(), types);
        } catch (CpuException pf) {
            long where = use == Use.FINAL ? NestedPageFault.GUEST_FINAL : NestedPageFault.GUEST_PAGE_TABLE;
            return new Fault(false, Integer.toUnsignedLong(pf.errorCode()) | where);
        }
    }

    @Override
    public ExitResolution report(Fault fault, long gpa, long linear, GuestExits exits) {
        return exits.nestedPageFault(new NestedPageFault(fault.info(), gpa, linear));
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
