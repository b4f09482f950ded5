package dev.hvspec.machine.mmu;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hardware event counters of one processor's address translation (what a PMU would count as
 * page-walk events): walks started on a TLB miss, paging-structure entries read by the
 * first-level walker (guest tables, or shadow tables in shadow mode), EPT/NPT entries read by the
 * second-level walker, hits in the paging-structure caches (SDM 3A §4.10.3) and in the
 * second-level caches (guest-physical mappings, SDM 3C §29.4), and A/D updates. Deterministic:
 * they depend only on the guest's accesses and the flushes the rules require. Confined to the
 * processor's thread; read by others only as a snapshot.
 *
 * <p>A cold 4-level guest walk over 4-level EPT reads 4 guest entries, each preceded by a 4-entry
 * EPT walk of its guest-physical address, and then a 4-entry EPT walk of the final
 * guest-physical address: 4 × (4 + 1) + 4 = 24 references.
 */
public final class WalkCounters {
    long walks;
    long guestEntryReads;
    long nestedEntryReads;
    long pscHits;
    long nestedTlbHits;
    long nestedPscHits;
    long adUpdates;

    public long walks() {
        return walks;
    }

    public long guestEntryReads() {
        return guestEntryReads;
    }

    public long nestedEntryReads() {
        return nestedEntryReads;
    }

    /** All paging-structure references: first-level plus second-level entry reads. */
    public long references() {
        return guestEntryReads + nestedEntryReads;
    }

    public long pscHits() {
        return pscHits;
    }

    public long nestedTlbHits() {
        return nestedTlbHits;
    }

    public long nestedPscHits() {
        return nestedPscHits;
    }

    public long adUpdates() {
        return adUpdates;
    }

    public void reset() {
        walks = guestEntryReads = nestedEntryReads = pscHits = nestedTlbHits = nestedPscHits = adUpdates = 0;
    }

    /** The counters by name, in a fixed order (the names {@code hvspec bench mmu} prints). */
    public Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("walks", walks);
        m.put("walk_guest_entry_reads", guestEntryReads);
        m.put("walk_nested_entry_reads", nestedEntryReads);
        m.put("walk_references", references());
        m.put("walk_psc_hits", pscHits);
        m.put("walk_nested_tlb_hits", nestedTlbHits);
        m.put("walk_nested_psc_hits", nestedPscHits);
        m.put("walk_ad_updates", adUpdates);
        return m;
    }
}
