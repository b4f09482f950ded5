package dev.hvspec.kvm;

import dev.hvspec.machine.cpu.CpuException;
import dev.hvspec.machine.cpu.HypervisorEmulation;
import dev.hvspec.machine.cpu.VmExit;
import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.mmu.Access;
import dev.hvspec.machine.mmu.PageWalker;
import dev.hvspec.machine.mmu.PagingMode;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;
import dev.hvspec.machine.mmu.Translation;
import dev.hvspec.machine.mmu.WalkPath;
import dev.hvspec.machine.vmx.EptViolation;
import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.NestedPageFault;
import dev.hvspec.machine.vmx.VmExecutionControls;

import java.util.Arrays;
import java.util.List;

/**
 * Shadow paging for one vCPU: its shadow roots and the exits that keep them right.
 *
 * <p>Controls: every #PF exits (exception bitmap bit 14, PFEC mask = match = 0), MOV to CR3 and
 * INVLPG exit, the paging bits of CR0/CR4/EFER are host-owned. The hardware CR3 is the root for
 * the guest's current CR3 and paging mode, looked up in the shadow-page hash (so switching back
 * to an address space reuses its shadow tables) and built on demand.
 *
 * <p>The fault handler is the seed's memory-access flow: the guest faults → KVM walks the guest
 * page table ({@link PageWalker} over guest memory, setting the guest's A/D flags as the hardware
 * would) → guest-physical → host address through the memory slots → installs shadow entries
 * along the path → the instruction restarts. A guest fault is reflected with the guest walk's
 * error code and CR2 = the linear address; MMIO, writes to read-only slots, writes to shadowed
 * guest page tables and supervisor writes to read-only pages under CR0.WP = 0 are emulated.
 */
final class ShadowVcpuMmu extends VcpuMmu {
    /** The guest state a root was built for. */
    private record RootState(ShadowMmu.Flavor flavor, long cr3, List<Long> pdptes, boolean nxe, boolean pse) {
    }

    private final ShadowMmu mmu;
    private final PageWalker guestWalker;
    private final WalkPath path = new WalkPath();
    /** This vCPU's PAE root: the four PDPTEs the hardware loads in PAE mode (below 4 GiB). */
    private final long paeRoot;
    private ShadowMmu.Page longRoot;
    private final ShadowMmu.Page[] paeRoots = new ShadowMmu.Page[4];
    private RootState loadedFor;
    private long hardwareCr3;

    ShadowVcpuMmu(ShadowMmu mmu, VcpuFile vcpu) {
        super(vcpu);
        this.mmu = mmu;
        this.guestWalker = new PageWalker(new SlotPhysicalMemory(vcpu.vm.slots));
        synchronized (mmu) {
            this.paeRoot = mmu.pool.allocate();
        }
        controls.setExceptionBitmap(VmExecutionControls.PAGE_FAULT_BIT);
        controls.setPageFaultErrorCodeMaskMatch(0, 0);
        controls.setCr3LoadExiting(true);
        controls.setInvlpgExiting(true);
        controls.setPagingControlExiting(true);
        controls.useShadowPaging(this::hardwareRoot);
        vcpu.cpu.mmu().configure(controls, vcpu.vm.kernel.memory());
    }

    // ---- roots ----

    private RootState wantedRoot() {
        PageWalker.Context g = vcpu.cpu.mmu().guestContext();
        ShadowMmu.Flavor flavor = switch (g.mode()) {
            case NONE -> ShadowMmu.Flavor.NONPAGING;
            case LEGACY_32 -> ShadowMmu.Flavor.LEGACY_32;
            case PAE -> ShadowMmu.Flavor.PAE;
            case LEVEL_4 -> ShadowMmu.Flavor.LONG_4;
            case LEVEL_5 -> ShadowMmu.Flavor.LONG_5;
        };
        boolean nxe = flavor != ShadowMmu.Flavor.NONPAGING && flavor != ShadowMmu.Flavor.LEGACY_32
                && (g.efer() & 1L << 11) != 0;
        boolean pse = flavor == ShadowMmu.Flavor.LEGACY_32 && (g.cr4() & 1L << 4) != 0;
        long cr3 = flavor == ShadowMmu.Flavor.NONPAGING ? 0 : g.cr3() & ShadowMmu.ADDRESS;
        List<Long> pdptes = flavor == ShadowMmu.Flavor.PAE ? Arrays.stream(g.pdpte()).boxed().toList() : List.of();
        return new RootState(flavor, cr3, pdptes, nxe, pse);
    }

    private boolean rootsValid() {
        if (loadedFor == null) {
            return false;
        }
        if (!loadedFor.flavor().paeHardware()) {
            return longRoot != null && !longRoot.invalid;
        }
        for (ShadowMmu.Page p : paeRoots) {
            if (p != null && p.invalid) {
                return false;
            }
        }
        return true;
    }

    /** The hardware CR3 at VM entry (KVM's kvm_mmu_reload): the root for the guest's current paging state. */
    private long hardwareRoot() {
        synchronized (mmu) {
            RootState want = wantedRoot();
            if (!want.equals(loadedFor) || !rootsValid()) {
                loadRoot(want);
            }
            return hardwareCr3;
        }
    }

    private void loadRoot(RootState want) {
        releaseRoots();
        KvmStats stats = stats();
        stats.count(KvmStats.MMU_ROOT_LOADS);
        boolean[] weakened = {false};
        if (!want.flavor().paeHardware()) {
            int level = want.flavor() == ShadowMmu.Flavor.LONG_5 ? 5 : 4;
            ShadowMmu.Key key = new ShadowMmu.Key(want.cr3() >>> 12,
                    new ShadowMmu.Role(level, want.flavor(), 0, false, 0, want.nxe(), false));
            if (mmu.cached(key)) {
                stats.count(KvmStats.MMU_ROOT_CACHED);
            }
            longRoot = mmu.getOrCreate(key, stats, weakened);
            longRoot.rootCount++;
            hardwareCr3 = longRoot.hpa;
        } else {
            boolean cached = true;
            for (int i = 0; i < 4; i++) {
                ShadowMmu.Key key = paeRootKey(want, i);
                cached &= key == null || mmu.cached(key);
            }
            if (cached) {
                stats.count(KvmStats.MMU_ROOT_CACHED);
            }
            for (int i = 0; i < 4; i++) {
                ShadowMmu.Key key = paeRootKey(want, i);
                long slot = paeRoot + 8L * i;
                if (key == null) {
                    mmu.host.writeEntry(slot, 0);
                    continue;
                }
                paeRoots[i] = mmu.getOrCreate(key, stats, weakened);
                paeRoots[i].rootCount++;
                mmu.link(slot, paeRoots[i]);
                mmu.host.writeEntry(slot, paeRoots[i].hpa | ShadowMmu.P); // PDPTEs: P and the address only
            }
            hardwareCr3 = paeRoot;
        }
        loadedFor = want;
        if (weakened[0]) {
            flushAllTlbs();
        }
    }

    /** The level-2 shadow page behind PDPTE {@code i} of the PAE root, or null when the guest has none. */
    private static ShadowMmu.Key paeRootKey(RootState s, int i) {
        return switch (s.flavor()) {
            case NONPAGING -> new ShadowMmu.Key((long) i << 18,
                    new ShadowMmu.Role(2, s.flavor(), 0, true, ShadowMmu.ACCESS_ALL, false, false));
            case LEGACY_32 -> new ShadowMmu.Key(s.cr3() >>> 12, new ShadowMmu.Role(2, s.flavor(), i, false, 0, false, s.pse()));
            case PAE -> (s.pdptes().get(i) & ShadowMmu.P) == 0 ? null
                    : new ShadowMmu.Key((s.pdptes().get(i) & ShadowMmu.ADDRESS) >>> 12,
                            new ShadowMmu.Role(2, s.flavor(), 0, false, 0, s.nxe(), false));
            default -> throw new IllegalStateException();
        };
    }

    private void releaseRoots() {
        if (longRoot != null) {
            mmu.releaseRoot(longRoot);
            longRoot = null;
        }
        for (int i = 0; i < 4; i++) {
            if (paeRoots[i] != null) {
                paeRoots[i].parents.remove(paeRoot + 8L * i);
                mmu.releaseRoot(paeRoots[i]);
                paeRoots[i] = null;
            }
            mmu.host.writeEntry(paeRoot + 8L * i, 0);
        }
        loadedFor = null;
    }

    // ---- exits ----

    @Override
    public ExitResolution pageFault(long linear, int errorCode, int kind) {
        stats().count(KvmStats.MMU_EXITS);
        synchronized (mmu) {
            KvmStats stats = stats();
            stats.count(KvmStats.PF_TAKEN);
            if (!rootsValid() || !wantedRoot().equals(loadedFor)) {
                vcpu.cpu.mmu().flushAll(); // an obsolete root: load the current one at the next walk
                return ExitResolution.RESUME;
            }
            if (mmu.makeRoom(5, stats)) {
                flushAllTlbs();
            }
            PageWalker.Context guest = vcpu.cpu.mmu().guestContext();
            Translation t;
            if (guest.mode() == PagingMode.NONE) {
                t = Translation.identity(linear & 0xFFFF_FFFFL);
            } else {
                try {
                    t = guestWalker.translate(linear, kind, guest, path);
                } catch (CpuException guestFault) {
                    stats.count(KvmStats.PF_GUEST);
                    throw guestFault; // reflected: the guest's error code, CR2 = linear
                }
            }
            long gpa = t.physicalFrame();
            MemorySlot slot = vcpu.vm.slots.find(gpa);
            int type = Access.type(kind);
            boolean write = type == Access.WRITE;
            if (slot == null || write && (slot.readOnly() || mmu.tracked(gpa >>> 12) || !t.writable())) {
                stats.count(KvmStats.PF_EMULATE);
                return new ExitResolution.Emulate(gpa);
            }
            if (!slot.backed()) {
                throw new VmExit(SlotPhysicalMemory.UNBACKED); // KVM_RUN fails with -EFAULT
            }
            if (install(linear, t, slot, write, guest.mode() == PagingMode.NONE)) {
                flushAllTlbs();
            }
            stats.count(KvmStats.PF_FIXED);
            return ExitResolution.RESUME;
        }
    }

    /**
     * Builds the shadow path for {@code linear} down to a leaf mapping the host page of
     * {@code t}'s frame (KVM's {@code FNAME(fetch)}). Shadow pages below the guest's leaf level
     * (a guest large page, or no guest paging at all) are direct. Returns true if entries the
     * hardware may have cached were replaced or weakened.
     */
    private boolean install(long linear, Translation t, MemorySlot slot, boolean write, boolean unpaged) {
        KvmStats stats = stats();
        ShadowMmu.Flavor flavor = loadedFor.flavor();
        boolean[] changed = {false};
        long gpa = t.physicalFrame();
        int guestLeaf = unpaged ? Integer.MAX_VALUE : path.leafLevel();
        ShadowMmu.Page sp;
        int level;
        if (flavor.paeHardware()) {
            sp = paeRoots[(int) (linear >>> 30 & 3)];
            level = 2;
            if (sp == null) {
                throw new IllegalStateException("guest walk succeeded through a non-present PDPTE");
            }
        } else {
            sp = longRoot;
            level = flavor == ShadowMmu.Flavor.LONG_5 ? 5 : 4;
        }
        while (true) {
            sp.writeFlooding = 0;
            int index = (int) (linear >>> 12 + 9 * (level - 1)) & 0x1FF;
            if (level == 1) {
                boolean writable = t.writable() && t.dirty() && !slot.readOnly() && !mmu.tracked(gpa >>> 12)
                        && (write || !slot.logsDirty());
                if (write) {
                    slot.markDirty(gpa);
                }
                long hostFrame = slot.hostAddress() + (gpa - slot.gpa());
                long spte = hostFrame | ShadowMmu.P | ShadowMmu.A | (writable ? ShadowMmu.RW | ShadowMmu.D : 0)
                        | (t.user() ? ShadowMmu.US : 0) | (t.executeDisable() ? ShadowMmu.XD : 0);
                changed[0] |= mmu.setLeaf(sp, index, gpa >>> 12, spte);
                return changed[0];
            }
            ShadowMmu.Page child = mmu.getOrCreate(childKey(flavor, level - 1, linear, t, guestLeaf), stats, changed);
            long e = mmu.entry(sp, index);
            if ((e & ShadowMmu.P) == 0 || (e & ShadowMmu.ADDRESS) != child.hpa) {
                changed[0] |= mmu.zapEntry(sp, index);
                mmu.link(sp.hpa + 8L * index, child);
            }
            sp = child;
            level--;
        }
    }

    private ShadowMmu.Key childKey(ShadowMmu.Flavor flavor, int level, long linear, Translation t, int guestLeaf) {
        boolean nxe = loadedFor.nxe();
        boolean pse = loadedFor.pse();
        if (level >= guestLeaf) {
            int quadrant = flavor != ShadowMmu.Flavor.LEGACY_32 ? 0
                    : level == 2 ? (int) (linear >>> 30 & 3) : (int) (linear >>> 21 & 1);
            return new ShadowMmu.Key(path.entryAddress(level) >>> 12,
                    new ShadowMmu.Role(level, flavor, quadrant, false, inheritedAccess(level, nxe), nxe, pse));
        }
        long span = 1L << 9 * level;
        // A direct page's leaf entries carry its role's rights, and write includes "the guest's D is
        // already set" (KVM's direct_access = gw->pte_access after FNAME(protect_clean_gpte)).
        // SDM 3A §4.8: the processor sets D in the PDE/PDPTE that maps a large page on the first
        // write through it. Two guest large pages of the same frames (two PDEs, or one PDE whose D
        // the guest cleared) may share a direct page only if a write through either needs no exit:
        // a clean guest entry must not reach leaf entries made writable through a dirty one.
        int access = (t.user() ? ShadowMmu.ACCESS_USER : 0) | (t.writable() && t.dirty() ? ShadowMmu.ACCESS_WRITE : 0)
                | (t.executeDisable() ? 0 : ShadowMmu.ACCESS_EXEC);
        return new ShadowMmu.Key(t.physicalFrame() >>> 12 & -span,
                new ShadowMmu.Role(level, flavor, 0, true, access, nxe, pse));
    }

    /**
     * The rights the guest entries above a table at {@code level} grant (KVM's inherited
     * {@code role.access}): a guest table reached through parents with different rights needs a
     * shadow page per combination, because its leaf shadow entries carry the combined rights.
     */
    private int inheritedAccess(int level, boolean nxe) {
        int access = ShadowMmu.ACCESS_ALL;
        for (int g = path.topLevel(); g > level; g--) {
            long e = path.entry(g);
            if ((e & ShadowMmu.US) == 0) {
                access &= ~ShadowMmu.ACCESS_USER;
            }
            if ((e & ShadowMmu.RW) == 0) {
                access &= ~ShadowMmu.ACCESS_WRITE;
            }
            if (nxe && (e & ShadowMmu.XD) != 0) {
                access &= ~ShadowMmu.ACCESS_EXEC;
            }
        }
        return access;
    }

    @Override
    public void movToCr3(long value) {
        stats().count(KvmStats.MMU_EXITS);
        stats().count(KvmStats.CR3_LOAD_EXITS);
        // kvm_set_cr3: the architectural checks and PDPTE loads (may inject #GP); the new root is
        // looked up at the next VM entry (hardwareRoot), as kvm_mmu_new_pgd does.
        HypervisorEmulation.loadCr3(vcpu.cpu, value);
    }

    @Override
    public void invlpg(long linear) {
        stats().count(KvmStats.MMU_EXITS);
        // Shadow entries are kept in sync by write protection: only the hardware TLB needs flushing.
        stats().count(KvmStats.INVLPG);
        vcpu.cpu.mmu().invlpg(linear);
    }

    @Override
    public void pagingControlsChanged() {
        stats().count(KvmStats.MMU_EXITS);
        stats().count(KvmStats.CR_PAGING_EXITS); // kvm_mmu_reset_context: a new root at the next entry
        vcpu.cpu.mmu().flushAll();
    }

    @Override
    void guestMemoryWritten(long gpa, int size) {
        synchronized (mmu) {
            if (mmu.guestWrite(gpa, size, stats())) {
                flushAllTlbs();
            }
        }
    }

    @Override
    public ExitResolution eptViolation(EptViolation violation) {
        throw new IllegalStateException("no EPT under shadow paging");
    }

    @Override
    public ExitResolution eptMisconfiguration(long gpa) {
        throw new IllegalStateException("no EPT under shadow paging");
    }

    @Override
    public ExitResolution nestedPageFault(NestedPageFault fault) {
        throw new IllegalStateException("no NPT under shadow paging");
    }
}
