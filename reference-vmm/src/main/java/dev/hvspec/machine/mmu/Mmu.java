package dev.hvspec.machine.mmu;

import dev.hvspec.machine.cpu.CpuBus;
import dev.hvspec.machine.cpu.CpuState;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The memory front of one logical processor: linear-address reads, writes and instruction
 * fetches through the TLB, the page walker and the physical memory; non-RAM physical addresses go
 * to the {@link CpuBus} as MMIO. Segmentation happens before (in the CPU); this class sees linear
 * addresses only.
 *
 * <p>An access that crosses a page boundary is translated page by page before any byte is
 * written, so a fault on the second page leaves memory untouched.
 */
public final class Mmu {
    private static final VarHandle U16 = MethodHandles.byteBufferViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final CpuState state;
    private final PhysicalMemory physical;
    private final CpuBus bus;
    private final PageWalker walker;
    final Tlb tlb = new Tlb();
    private PageWalker.Context context;

    public Mmu(CpuState state, PhysicalMemory physical, CpuBus bus) {
        this.state = state;
        this.physical = physical;
        this.bus = bus;
        this.walker = new PageWalker(physical);
    }

    public PhysicalMemory physical() {
        return physical;
    }

    // ---- invalidation, called by the CPU as SDM 3A §4.10.4 requires ----

    /** CR0/CR4/EFER changed (paging mode, WP, SMEP, SMAP, PGE, NXE …): drop everything. */
    public void pagingControlsChanged() {
        context = null;
        tlb.flushAll();
    }

    /** MOV to CR3 (or a task switch loading CR3). */
    public void cr3Written() {
        context = null;
        tlb.flushNonGlobal();
    }

    public void invlpg(long linear) {
        tlb.flushPage(linear);
    }

    /** The hypervisor changed memory slots or second-level tables: drop everything. */
    public void flushAll() {
        context = null;
        tlb.flushAll();
    }

    /** A dirty log was harvested or a page became code: future writes must take the slow path. */
    public void revokeWrites() {
        tlb.revokeWrites();
    }

    public PageWalker.Context context() {
        PageWalker.Context c = context;
        if (c == null) {
            c = new PageWalker.Context(PagingMode.of(state.cr0, state.cr4, state.efer), state.cr0, state.cr3,
                    state.cr4, state.efer, state.pdpte.clone());
            context = c;
        }
        return c;
    }

    /** Translates without side effects on the TLB (KVM_TRANSLATE, debuggers); throws #PF like an access would. */
    public Translation translate(long linear, int kind) {
        return walker.translate(linear, kind, context());
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

    /** One translated page: host RAM or an MMIO frame. */
    private final class Resolved {
        final HostPage host;
        final long frame;

        Resolved(HostPage host, long frame) {
            this.host = host;
            this.frame = frame;
        }

        long read(int off, int size, long linear) {
            if (host == null) {
                return bus.mmioRead(frame | off, size) & mask(size);
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
                bus.mmioWrite(frame | off, size, value & mask(size));
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
        Translation t = walker.translate(linear, kind, context());
        boolean write = Access.type(kind) == Access.WRITE;
        HostPage host = physical.resolve(t.physicalFrame(), write);
        if (write && host == null) {
            // Not writable RAM (MMIO, or a read-only slot whose reads still come from RAM).
            tlb.fill(linear >>> 12, t.global(), physical.resolve(t.physicalFrame(), false), allowedMask(t, null));
            return new Resolved(null, t.physicalFrame());
        }
        tlb.fill(linear >>> 12, t.global(), host, allowedMask(t, write ? host : null));
        return new Resolved(host, t.physicalFrame());
    }

    /** The kinds that may use the entry without a walk (see {@link Tlb}). */
    private int allowedMask(Translation t, HostPage writableHost) {
        PageWalker.Context c = context();
        int mask = 0;
        for (int kind = 0; kind < Access.KINDS; kind++) {
            if (!PageWalker.allowed(kind, t.user(), t.writable(), t.executeDisable(), c.cr0(), c.cr4())) {
                continue;
            }
            if (Access.type(kind) == Access.WRITE && (writableHost == null || !t.dirty()
                    || writableHost.region().holdsCode(writableHost.pageIndex()))) {
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
