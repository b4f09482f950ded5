package dev.hvspec.machine.mmu;

import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuBus;
import dev.hvspec.machine.cpu.CpuException;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.cpu.Vector;
import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.VmExecutionControls;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The memory front of one logical processor: linear-address reads, writes and instruction
 * fetches through the TLB, the page walker and a physical address space; non-RAM physical
 * addresses go to the {@link CpuBus} as MMIO. Segmentation happens before (in the CPU); this
 * class sees linear addresses only.
 *
 * <p>Outside VMX non-root operation the walker reads the machine's memory map directly. In
 * guest mode ({@link #configure}) the translation regime follows the VM-execution controls:
 * <ul>
 *   <li>EPT or NPT: the guest's paging structures are walked in guest-physical space, each access
 *       translated by the second level ({@link NestedPhysicalMemory}); failures are EPT
 *       violations/misconfigurations or nested page faults handled by the hypervisor;</li>
 *   <li>shadow paging: the walker reads the hypervisor's shadow tables in host-physical space,
 *       rooted at the hardware CR3 the hypervisor supplies, under hardware paging controls with
 *       CR0.WP, CR4.PAE and EFER.NXE forced on; a #PF the exception bitmap routes to the
 *       hypervisor is handled by it before the walk is retried.</li>
 * </ul>
 * The TLB caches linear → host translations in every regime ("combined mappings" in VMX terms,
 * SDM 3C §29.4.1), and the paging-structure caches cache the first-level walk (§4.10.3).
 *
 * <p>An access that crosses a page boundary is translated page by page before any byte is
 * written, so a fault on the second page leaves memory untouched.
 */
public final class Mmu {
    private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    /** More exits than this for one access means the hypervisor is not making progress. */
    static final int MAX_EXITS = 64;

    private final CpuState state;
    /** The machine's memory map: physical memory outside guest mode, the hypervisor's view of guest memory in it. */
    private final PhysicalMemory memoryMap;
    private final CpuBus bus;
    final Tlb tlb = new Tlb();
    private final WalkCounters counters = new WalkCounters();
    private final PagingStructureCache psc = new PagingStructureCache();
    private boolean pagingStructureCaches = true;
    /** Null outside VMX non-root operation. */
    private VmExecutionControls vmx;
    private HostPhysicalMemory hostPhysical;
    private NestedPhysicalMemory nested;
    /** The address space the first-level walker reads. */
    private PhysicalMemory walkSpace;
    private PageWalker walker;
    private PageWalker.Context context;
    /** Set by {@link #walk} when the hypervisor chose to emulate the access: the guest-physical page. */
    private long emulatedFrame;

    public Mmu(CpuState state, PhysicalMemory physical, CpuBus bus) {
        this.state = state;
        this.memoryMap = physical;
        this.bus = bus;
        this.walkSpace = physical;
        this.walker = new PageWalker(physical, psc, counters, false);
    }

    /**
     * VM entry with {@code controls} (null: the processor runs outside guest mode): selects the
     * translation regime. {@code host} is the host memory the second-level and shadow tables live
     * in. Everything cached is dropped.
     */
    public void configure(VmExecutionControls controls, HostMemory host) {
        this.vmx = controls;
        this.nested = null;
        if (controls == null) {
            hostPhysical = null;
            walkSpace = memoryMap;
        } else {
            hostPhysical = new HostPhysicalMemory(host);
            switch (controls.secondLevel()) {
                case EPT -> nested = new NestedPhysicalMemory(
                        new EptTranslation(controls.eptp(), hostPhysical, counters), hostPhysical, controls.exits());
                case NPT -> nested = new NestedPhysicalMemory(
                        new NptTranslation(controls.nestedCr3(), hostPhysical, counters), hostPhysical, controls.exits());
                case NONE -> { }
            }
            walkSpace = nested != null ? nested : hostPhysical;
        }
        walker = new PageWalker(walkSpace, psc, counters, false);
        setPagingStructureCaches(pagingStructureCaches);
        flushAll();
    }

    /**
     * Models a processor with or without paging-structure caches (for the first-level walk and, in
     * guest mode, the nested one). SDM 3A §4.10.3.1: software may rely on neither their presence
     * nor their absence, so this changes only the counters, never an outcome.
     */
    public void setPagingStructureCaches(boolean on) {
        pagingStructureCaches = on;
        psc.setEnabled(on);
        if (nested != null) {
            nested.secondLevel().enableCaches(on);
        }
    }

    /** The VM-execution controls in force, or null outside guest mode. */
    public VmExecutionControls controls() {
        return vmx;
    }

    /** Guest-physical memory as the processor reads it outside a walk (PDPTE loads). */
    public PhysicalMemory physical() {
        return nested != null ? nested : memoryMap;
    }

    /** Hardware event counters of this processor's translations. */
    public WalkCounters counters() {
        return counters;
    }

    // ---- invalidation, called by the CPU as SDM 3A §4.10.4 requires ----

    /**
     * CR0/CR4/EFER changed (paging mode, WP, SMEP, SMAP, PGE, NXE …): drop everything. When the
     * hypervisor owns those bits (shadow paging) the change is an exit.
     */
    public void pagingControlsChanged() {
        context = null;
        tlb.flushAll();
        psc.flush();
        if (vmx != null && vmx.pagingControlExiting()) {
            vmx.exits().pagingControlsChanged();
        }
    }

    /** MOV to CR3 (or a task switch loading CR3). */
    public void cr3Written() {
        context = null;
        tlb.flushNonGlobal();
        psc.flush();
    }

    /** INVLPG: the page's TLB entries and (§4.10.4.1) every paging-structure-cache entry. */
    public void invlpg(long linear) {
        tlb.flushPage(linear);
        psc.flush();
    }

    /**
     * The hypervisor changed memory slots, second-level or shadow tables (INVEPT/INVVPID of
     * everything), or the guest state was replaced: drop everything cached.
     */
    public void flushAll() {
        context = null;
        tlb.flushAll();
        psc.flush();
        if (nested != null) {
            nested.secondLevel().flush();
        }
    }

    /** A dirty log was harvested or a page became code: future writes must take the slow path. */
    public void revokeWrites() {
        tlb.revokeWrites();
    }

    /** The control state the processor's walker uses: the guest's, or in shadow mode the hardware's. */
    public PageWalker.Context context() {
        PageWalker.Context c = context;
        if (c == null) {
            c = vmx != null && nested == null ? shadowContext() : guestContext();
            context = c;
        }
        return c;
    }

    /** The architectural paging state of the guest (CR0, CR3, CR4, EFER, PDPTE registers). */
    public PageWalker.Context guestContext() {
        return new PageWalker.Context(PagingMode.of(state.cr0, state.cr4, state.efer), state.cr0, state.cr3,
                state.cr4, state.efer, state.pdpte.clone());
    }

    /**
     * The hardware paging state under shadow paging: the hypervisor's root in CR3; CR0.PG, PE and
     * WP, CR4.PAE and EFER.NXE forced on; 4- or 5-level paging in IA-32e mode, PAE paging
     * otherwise, with the four PDPTEs loaded from the root at VM entry (SDM 3A §4.4.1). SMEP and
     * SMAP are cleared while the guest has paging off (the guest would not have them then).
     */
    private PageWalker.Context shadowContext() {
        boolean longMode = (state.efer & ControlBits.EFER_LMA) != 0;
        boolean la57 = (state.cr4 & ControlBits.CR4_LA57) != 0;
        PagingMode mode = !longMode ? PagingMode.PAE : la57 ? PagingMode.LEVEL_5 : PagingMode.LEVEL_4;
        long cr3 = vmx.shadowRoot();
        long cr0 = state.cr0 | ControlBits.CR0_PG | ControlBits.CR0_PE | ControlBits.CR0_WP;
        long cr4 = (state.cr4 & (ControlBits.CR4_SMEP | ControlBits.CR4_SMAP | ControlBits.CR4_LA57)) | ControlBits.CR4_PAE;
        if ((state.cr0 & ControlBits.CR0_PG) == 0) {
            cr4 &= ~(ControlBits.CR4_SMEP | ControlBits.CR4_SMAP);
        }
        long efer = state.efer | ControlBits.EFER_NXE;
        long[] pdpte = new long[4];
        if (mode == PagingMode.PAE) {
            for (int i = 0; i < 4; i++) {
                pdpte[i] = hostPhysical.readEntry((cr3 & 0xFFFF_FFE0L) + 8L * i, 8);
            }
        }
        return new PageWalker.Context(mode, cr0, cr3, cr4, efer, pdpte);
    }

    /**
     * Translates as an access of {@code kind} would, without filling the TLB (a probe before a
     * read-modify-write, CLFLUSH): faults and exits happen as for the access. The frame is in the
     * walker's address space (guest-physical; host-physical under shadow paging; for an access
     * the hypervisor emulates, its guest-physical page with every right).
     */
    public Translation translate(long linear, int kind) {
        Translation t = walk(linear, kind);
        return t != null ? t : new Translation(emulatedFrame, true, true, false, true, false);
    }

    /** The walk with shadow-paging #PF exits resolved; null when the hypervisor emulates (see {@link #emulatedFrame}). */
    private Translation walk(long linear, int kind) {
        for (int exit = 0; ; exit++) {
            try {
                counters.walks++;
                return walker.translate(linear, kind, context());
            } catch (CpuException e) {
                if (vmx == null || e.vector() != Vector.PF || !vmx.pageFaultExits(e.errorCode())) {
                    throw e;
                }
                if (exit >= MAX_EXITS) {
                    throw new IllegalStateException(String.format("no progress on #PF exits at %#x", linear));
                }
                ExitResolution r = vmx.exits().pageFault(linear, e.errorCode(), kind);
                if (r instanceof ExitResolution.Emulate em) {
                    emulatedFrame = em.gpa() & ~0xFFFL;
                    return null;
                }
            }
        }
    }

    // ---- data accesses ----

    /** Reads {@code size} (1, 2, 4, 8) bytes, zero-extended. */
    public long read(long linear, int size, int kind) {
        long page = linear >>> 12;
        int i = Tlb.index(page);
        int off = (int) linear & 0xFFF;
        if (tlb.tag[i] == page && ((tlb.allowed[i] >>> kind) & 1) != 0 && off <= 4096 - size) {
            java.nio.ByteBuffer b = tlb.bytes[i];
            int at = tlb.offset[i] + off;
            return switch (size) {
                case 1 -> b.get(at) & 0xFFL;
                case 2 -> (short) U16.get(b, at) & 0xFFFFL;
                case 4 -> (int) U32.get(b, at) & 0xFFFF_FFFFL;
                default -> (long) U64.get(b, at);
            };
        }
        return readSlow(linear, size, kind);
    }

    /** Writes the low {@code size} bytes of {@code value}. */
    public void write(long linear, int size, long value, int kind) {
        long page = linear >>> 12;
        int i = Tlb.index(page);
        int off = (int) linear & 0xFFF;
        if (tlb.tag[i] == page && ((tlb.allowed[i] >>> kind) & 1) != 0 && off <= 4096 - size) {
            java.nio.ByteBuffer b = tlb.bytes[i];
            int at = tlb.offset[i] + off;
            switch (size) {
                case 1 -> b.put(at, (byte) value);
                case 2 -> U16.set(b, at, (short) value);
                case 4 -> U32.set(b, at, (int) value);
                default -> U64.set(b, at, value);
            }
            return;
        }
        writeSlow(linear, size, value, kind);
    }

    private long readSlow(long linear, int size, int kind) {
        int off = (int) linear & 0xFFF;
        if (off + size > 4096) {
            int first = 4096 - off;
            Resolved low = resolve(linear, kind);
            Resolved high = resolve(linear + first, kind);
            long lowPart = low.read(off, first, linear);
            long highPart = high.read(0, size - first, linear + first);
            return lowPart | highPart << (first * 8);
        }
        return resolve(linear, kind).read(off, size, linear);
    }

    private void writeSlow(long linear, int size, long value, int kind) {
        int off = (int) linear & 0xFFF;
        if (off + size > 4096) {
            int first = 4096 - off;
            Resolved low = resolve(linear, kind);
            Resolved high = resolve(linear + first, kind);
            low.write(off, first, value);
            high.write(0, size - first, value >>> (first * 8));
            return;
        }
        resolve(linear, kind).write(off, size, value);
    }

    /** One translated page: host RAM, or a physical frame whose bytes an emulator provides. */
    private final class Resolved {
        final HostPage host;
        final long frame;

        Resolved(HostPage host, long frame) {
            this.host = host;
            this.frame = frame;
        }

        long read(int off, int size, long linear) {
            if (host == null) {
                long v = vmx != null ? vmx.exits().emulatedRead(frame | off, size) : bus.mmioRead(frame | off, size);
                return v & mask(size);
            }
            long v = 0;
            java.nio.ByteBuffer b = host.buffer();
            for (int k = size - 1; k >= 0; k--) {
                v = (v << 8) | (b.get(host.offset() + off + k) & 0xFF);
            }
            return v;
        }

        void write(int off, int size, long value) {
            if (host == null) {
                if (vmx != null) {
                    vmx.exits().emulatedWrite(frame | off, size, value & mask(size));
                } else {
                    bus.mmioWrite(frame | off, size, value & mask(size));
                }
                return;
            }
            java.nio.ByteBuffer b = host.buffer();
            for (int k = 0; k < size; k++) {
                b.put(host.offset() + off + k, (byte) (value >>> (8 * k)));
            }
            if (host.region().holdsCode(host.pageIndex())) {
                host.region().codeWritten(host.pageIndex());
            }
        }
    }

    private static long mask(int size) {
        return size == 8 ? -1L : (1L << (size * 8)) - 1;
    }

    /** Walks (filling the TLB) and resolves the page of {@code linear} for an access of {@code kind}. */
    private Resolved resolve(long linear, int kind) {
        int type = Access.type(kind);
        Translation t = walk(linear, kind);
        if (t == null) {
            return new Resolved(null, emulatedFrame);
        }
        // The full physical address: a second-level exit reports it (SDM 3C §28.2.1, guest-physical address field).
        PageTarget target = walkSpace.resolve(t.physicalFrame() | (linear & 0xFFF), type, linear);
        if (target instanceof PageTarget.Ram ram) {
            tlb.fill(linear >>> 12, t.global(), ram.page(), allowedMask(t, ram, type));
            return new Resolved(ram.page(), t.physicalFrame());
        }
        return new Resolved(null, ((PageTarget.Emulated) target).address() & ~0xFFFL);
    }

    /**
     * The kinds that may use the entry without a walk (see {@link Tlb}): those the paging rights
     * allow whose type the physical backing allows; write kinds only after a write resolution of
     * a page whose dirty flag is set and that holds no decoded code.
     */
    private int allowedMask(Translation t, PageTarget.Ram ram, int resolvedType) {
        PageWalker.Context c = context();
        boolean codePage = ram.page().region().holdsCode(ram.page().pageIndex());
        int mask = 0;
        for (int kind = 0; kind < Access.KINDS; kind++) {
            if (!PageWalker.allowed(kind, t.user(), t.writable(), t.executeDisable(), c.cr0(), c.cr4())) {
                continue;
            }
            int type = Access.type(kind);
            if (!ram.allows(type)) {
                continue;
            }
            if (type == Access.WRITE && (resolvedType != Access.WRITE || !t.dirty() || codePage)) {
                continue;
            }
            mask |= 1 << kind;
        }
        return mask;
    }

    // ---- instruction fetch (used by the CPU's instruction cache) ----

    /** Reads one instruction byte; faults as a fetch of {@code kind} would. */
    public int fetchByte(long linear, int kind) {
        return (int) read(linear, 1, kind);
    }

    /**
     * Ensures a TLB entry allowing a fetch of {@code kind} from the page of {@code linear} and
     * returns its index, or -1 when the page is not RAM (code in MMIO is fetched byte by byte).
     */
    public int fetchEntry(long linear, int kind) {
        long page = linear >>> 12;
        int i = Tlb.index(page);
        if (tlb.tag[i] == page && ((tlb.allowed[i] >>> kind) & 1) != 0) {
            return i;
        }
        Resolved r = resolve(linear, kind);
        return r.host == null ? -1 : Tlb.index(page);
    }

    public Object decodedAt(int entry) {
        return tlb.decoded[entry];
    }

    public void setDecoded(int entry, Object decodedPage) {
        tlb.decoded[entry] = decodedPage;
    }

    public HostPage hostPageAt(int entry) {
        return new HostPage(tlb.region[entry], tlb.offset[entry]);
    }

    public dev.hvspec.machine.memory.HostMemory.Region regionAt(int entry) {
        return tlb.region[entry];
    }

    public int pageIndexAt(int entry) {
        return tlb.offset[entry] >>> 12;
    }
}
