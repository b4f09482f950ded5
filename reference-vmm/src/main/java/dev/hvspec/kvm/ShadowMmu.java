package dev.hvspec.kvm;

import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.mmu.HostPhysicalMemory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shadow paging, the VM-wide part (KVM's shadow MMU, Documentation/virt/kvm/x86/mmu.rst): shadow
 * pages — host pages of 512 64-bit entries in the hardware's paging format — hashed by the guest
 * page-table page they shadow and their role; reverse maps from guest frames to the shadow leaf
 * entries that map them; write tracking of every guest page-table page that is shadowed; zapping;
 * and a bounded cache whose least recently used pages are recycled.
 *
 * <p>Invariant: a shadow entry always agrees with the guest entry it was built from. The hardware
 * cannot write a shadowed guest page table (its leaf entries are read-only), so every guest write
 * to one exits and is emulated, and {@link #guestWrite} drops the shadow entries built from the
 * written guest entries (they are rebuilt by the next fault). Guest TLB flushes therefore only
 * need the hardware TLB flushed.
 *
 * <p>The per-vCPU part (roots, the fault handler, the exits) is {@link ShadowVcpuMmu}.
 */
final class ShadowMmu implements KvmMmu {
    /** The guest paging mode a shadow page is built for. */
    enum Flavor {
        NONPAGING, LEGACY_32, PAE, LONG_4, LONG_5;

        /** The guest's paging-structure entries are 4 bytes only in 32-bit paging. */
        int guestEntrySize() {
            return this == LEGACY_32 ? 4 : 8;
        }

        /** The hardware runs PAE paging for guests outside IA-32e mode. */
        boolean paeHardware() {
            return this != LONG_4 && this != LONG_5;
        }
    }

    /**
     * KVM's {@code kvm_mmu_page_role}: the hardware level of the page, the guest flavor, which part
     * of a larger guest table it shadows (32-bit guests: a quarter of a page directory, half of a
     * page table), whether it maps a guest large page or unpaged memory directly, and for direct
     * pages the rights of that mapping (write only once the guest's large-page entry is dirty);
     * NXE and PSE change how guest entries read.
     */
    record Role(int level, Flavor flavor, int quadrant, boolean direct, int access, boolean nxe, boolean pse) {
    }

    /** The hash key of a shadow page: the guest frame it shadows (or maps, when direct) and its role. */
    record Key(long gfn, Role role) {
    }

    /** One shadow page (KVM's {@code kvm_mmu_page}). */
    static final class Page {
        final Key key;
        final long hpa;
        /** For leaf entries: the guest frame each maps (KVM's {@code sp->gfns}). */
        final long[] gfns = new long[ENTRIES];
        /** Host-physical addresses of the entries that point at this page (its parents, or PAE-root slots). */
        final Set<Long> parents = new HashSet<>();
        int rootCount;
        boolean invalid;
        int writeFlooding;

        Page(Key key, long hpa) {
            this.key = key;
            this.hpa = hpa;
        }
    }

    static final int ENTRIES = 512;
    // Hardware paging-structure entry bits (SDM 3A Tables 4-14 to 4-19).
    static final long P = 1, RW = 1 << 1, US = 1 << 2, A = 1 << 5, D = 1 << 6, XD = 1L << 63;
    static final long ADDRESS = ((1L << 40) - 1) & ~0xFFFL;
    /** Role access bits of direct pages. */
    static final int ACCESS_USER = 1, ACCESS_WRITE = 2, ACCESS_EXEC = 4, ACCESS_ALL = 7;
    /** Emulated writes to a shadow page without a fault through it in between, before it is zapped (KVM's write flooding). */
    static final int FLOOD_LIMIT = 3;

    final VmFile vm;
    final int maxPages;
    final KernelPagePool pool;
    final HostPhysicalMemory host;
    private final LinkedHashMap<Key, Page> pages = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<Long, Page> byHpa = new HashMap<>();
    private final Map<Long, List<Page>> byGfn = new HashMap<>();
    private final Map<Long, Set<Long>> rmap = new HashMap<>();

    ShadowMmu(VmFile vm, int maxPages) {
        this.vm = vm;
        this.maxPages = maxPages;
        this.pool = new KernelPagePool(vm.kernel.memory(), "kvm shadow pages");
        this.host = new HostPhysicalMemory(vm.kernel.memory());
    }

    @Override
    public VcpuMmu attach(VcpuFile vcpu) {
        return new ShadowVcpuMmu(this, vcpu);
    }

    // ---- the hash of shadow pages ----

    /** Whether guest frame {@code gfn} holds a guest page table that is shadowed (and so write-tracked). */
    synchronized boolean tracked(long gfn) {
        return byGfn.containsKey(gfn);
    }

    /** Whether a valid page with {@code key} exists. */
    synchronized boolean cached(Key key) {
        Page p = pages.get(key);
        return p != null && !p.invalid;
    }

    /**
     * The shadow page for {@code key}, created if needed (KVM's {@code kvm_mmu_get_page}). A new
     * page shadowing a guest table write-protects that table: returns true in {@code weakened}
     * when existing leaf entries lost their write permission (the caller flushes TLBs).
     */
    synchronized Page getOrCreate(Key key, KvmStats stats, boolean[] weakened) {
        Page p = pages.get(key);
        if (p != null) {
            return p;
        }
        stats.count(KvmStats.MMU_CACHE_MISS);
        p = new Page(key, pool.allocate());
        pages.put(key, p);
        byHpa.put(p.hpa, p);
        if (!key.role().direct()) {
            List<Page> shadows = byGfn.computeIfAbsent(key.gfn(), g -> new ArrayList<>());
            shadows.add(p);
            if (shadows.size() == 1 && writeProtect(key.gfn())) {
                weakened[0] = true;
            }
        }
        return p;
    }

    /** Points the entry at {@code entryHpa} at {@code child} with every right (non-leaf shadow entries carry no restriction). */
    synchronized void link(long entryHpa, Page child) {
        host.writeEntry(entryHpa, child.hpa | P | RW | US);
        child.parents.add(entryHpa);
    }

    /** Writes a leaf entry mapping {@code gfn}; returns true if a present entry was replaced. */
    synchronized boolean setLeaf(Page sp, int index, long gfn, long spte) {
        boolean replaced = zapEntry(sp, index);
        long at = sp.hpa + 8L * index;
        host.writeEntry(at, spte);
        sp.gfns[index] = gfn;
        rmap.computeIfAbsent(gfn, g -> new HashSet<>()).add(at);
        return replaced;
    }

    /** The entry {@code index} of {@code sp} as the hardware sees it. */
    long entry(Page sp, int index) {
        return host.readEntry(sp.hpa + 8L * index, 8);
    }

    /** Clears one entry, unlinking its child or dropping its reverse map; true if it was present. */
    synchronized boolean zapEntry(Page sp, int index) {
        long at = sp.hpa + 8L * index;
        long e = host.readEntry(at, 8);
        if ((e & P) == 0) {
            return false;
        }
        if (sp.key.role().level() == 1) {
            Set<Long> mappings = rmap.get(sp.gfns[index]);
            if (mappings != null) {
                mappings.remove(at);
                if (mappings.isEmpty()) {
                    rmap.remove(sp.gfns[index]);
                }
            }
        } else {
            Page child = byHpa.get(e & ADDRESS);
            if (child != null) {
                child.parents.remove(at);
            }
        }
        host.writeEntry(at, 0);
        return true;
    }

    /**
     * Removes a shadow page (KVM's {@code kvm_mmu_prepare_zap_page}): unlinks it from its
     * parents, clears its entries, and frees it — unless a vCPU still uses it as a root, in which
     * case it is marked invalid and freed when the last user lets go.
     */
    synchronized void zap(Page sp, KvmStats stats) {
        for (long parent : sp.parents) {
            host.writeEntry(parent, 0);
        }
        sp.parents.clear();
        for (int i = 0; i < ENTRIES; i++) {
            zapEntry(sp, i);
        }
        pages.remove(sp.key);
        if (!sp.key.role().direct()) {
            List<Page> shadows = byGfn.get(sp.key.gfn());
            if (shadows != null) {
                shadows.remove(sp);
                if (shadows.isEmpty()) {
                    byGfn.remove(sp.key.gfn());
                }
            }
        }
        stats.count(KvmStats.MMU_SHADOW_ZAPPED);
        if (sp.rootCount > 0) {
            sp.invalid = true;
        } else {
            byHpa.remove(sp.hpa);
            pool.free(sp.hpa);
        }
    }

    /** A vCPU stops using {@code sp} as a root. */
    synchronized void releaseRoot(Page sp) {
        sp.rootCount--;
        if (sp.rootCount == 0 && sp.invalid) {
            byHpa.remove(sp.hpa);
            pool.free(sp.hpa);
        }
    }

    /**
     * Makes room before a fault builds new pages (KVM's {@code make_mmu_pages_available}): zaps the
     * least recently used pages that are nobody's root. Returns true if any were zapped.
     */
    synchronized boolean makeRoom(int needed, KvmStats stats) {
        boolean zapped = false;
        while (pages.size() + needed > maxPages) {
            Page victim = null;
            for (Page p : pages.values()) {
                if (p.rootCount == 0) {
                    victim = p;
                    break;
                }
            }
            if (victim == null) {
                break;
            }
            zap(victim, stats);
            stats.count(KvmStats.MMU_RECYCLED);
            zapped = true;
        }
        return zapped;
    }

    /** Clears the write permission of every leaf entry mapping {@code gfn}; true if one had it. */
    private boolean writeProtect(long gfn) {
        Set<Long> mappings = rmap.get(gfn);
        boolean changed = false;
        if (mappings != null) {
            for (long at : mappings) {
                long e = host.readEntry(at, 8);
                if ((e & RW) != 0) {
                    host.writeEntry(at, e & ~RW);
                    changed = true;
                }
            }
        }
        return changed;
    }

    /**
     * An emulated write of {@code size} bytes at {@code gpa} landed in guest RAM (KVM's
     * {@code kvm_mmu_pte_write}): for every shadow page of that guest page, the shadow entries
     * built from the written guest entries are dropped; a page written {@link #FLOOD_LIMIT} times
     * without being used by a fault in between is zapped whole (the guest is probably reusing the
     * page for something else). Returns true if anything the hardware may have cached changed.
     */
    synchronized boolean guestWrite(long gpa, int size, KvmStats stats) {
        List<Page> shadows = byGfn.get(gpa >>> 12);
        if (shadows == null) {
            return false;
        }
        stats.count(KvmStats.MMU_PTE_WRITE);
        boolean changed = false;
        int offset = (int) gpa & 0xFFF;
        for (Page sp : List.copyOf(shadows)) {
            if (++sp.writeFlooding >= FLOOD_LIMIT) {
                zap(sp, stats);
                stats.count(KvmStats.MMU_FLOODED);
                changed = true;
                continue;
            }
            int entrySize = sp.key.role().flavor().guestEntrySize();
            for (int g = offset / entrySize; g <= (offset + size - 1) / entrySize; g++) {
                for (int index : shadowIndexes(sp.key.role(), g)) {
                    if (zapEntry(sp, index)) {
                        stats.count(KvmStats.MMU_PTE_ZAPPED);
                        changed = true;
                    }
                }
            }
        }
        return changed;
    }

    /**
     * The entries of a shadow page with {@code role} that were built from guest entry {@code g}
     * of the guest table it shadows: the same index, except for 32-bit guests, whose 1024-entry
     * tables are shadowed in quadrants — a page-directory quarter of 256 guest PDEs, each covering
     * two 2-MByte shadow PDEs, or a page-table half of 512 guest PTEs.
     */
    static int[] shadowIndexes(Role role, int g) {
        if (role.flavor() != Flavor.LEGACY_32) {
            return new int[] {g};
        }
        if (role.level() == 2) {
            int first = role.quadrant() * 256;
            return g >= first && g < first + 256 ? new int[] {2 * (g - first), 2 * (g - first) + 1} : new int[0];
        }
        int first = role.quadrant() * 512;
        return g >= first && g < first + 512 ? new int[] {g - first} : new int[0];
    }

    // ---- VM-wide events ----

    @Override
    public synchronized void slotsChanged() {
        KvmStats stats = vm.stats;
        for (Page p : List.copyOf(pages.values())) {
            zap(p, stats);
        }
        for (VcpuFile v : vm.vcpus) {
            v.requestTlbFlush();
        }
    }

    @Override
    public synchronized void writeProtectSlot(MemorySlot slot) {
        long first = slot.gpa() >>> 12;
        long end = first + slot.pages();
        for (Iterator<Long> it = rmap.keySet().iterator(); it.hasNext(); ) {
            long gfn = it.next();
            if (gfn >= first && gfn < end) {
                writeProtect(gfn);
            }
        }
        for (VcpuFile v : vm.vcpus) {
            v.requestTlbFlush();
        }
    }

    @Override
    public synchronized int pagesInUse() {
        return pool.pagesInUse();
    }

    synchronized int shadowPages() {
        return pages.size();
    }
}
