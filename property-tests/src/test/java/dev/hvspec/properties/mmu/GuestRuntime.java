package dev.hvspec.properties.mmu;

import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.vmm.kvm.Sregs;

import java.nio.ByteBuffer;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * The fixed part of every generated guest: GDT, TSSs, IDT, a code page of access routines, two
 * stacks, and a window through which the guest writes its page tables — all mapped in one
 * top-level slot of the forest's root table that the generator leaves alone ({@link #rootIndex}),
 * through runtime tables whose accessed and dirty flags are preset (so the runtime's own accesses
 * change nothing the properties compare).
 *
 * <p>Routines, each run with RIP at its address and ending with {@code OUT 0xE0, AL}: read or write
 * of 1/2/4/8 bytes at RBX (RAX ← value read, RCX = value written), a jump to RBX (a fetch: the
 * target page holds {@code mov eax, tag; out 0xE0, al} at offset 0x800), INVLPG [RBX], MOV CR3, RBX.
 * A #PF goes through the IDT to a handler that leaves the error code in EDX and CR2 in RSI and
 * does {@code OUT 0xE1, AL}; any other exception does {@code OUT 0xE2, AL} with its vector in EDI.
 * The user-mode routines run from a U=1 mapping of the same code page, with IOPL 3 so OUT works.
 */
final class GuestRuntime {
    // Guest-physical layout.
    static final long GDT = 0x1000, TSS32 = 0x1800, TSS64 = 0x1900, IDT = 0x2000, CODE = 0x3000, KSTACK = 0x5000,
            USTACK = 0x6000, RT_TABLES = 0x8000;
    static final long TABLES = 0x1_0000, TABLES_END = 0x10_0000;
    /** Offset in the runtime region of the window onto [TABLES, TABLES_END). */
    static final long WINDOW = 0x10_0000;
    // Routine offsets in the code page.
    static final int READ = 0x00, WRITE = 0x40, FETCH = 0x80, INVLPG = 0x90, MOV_CR3 = 0xA0, PAGE_FAULT = 0xC0,
            OTHER = 0x100;
    static final int DONE_PORT = 0xE0, FAULT_PORT = 0xE1, UNEXPECTED_PORT = 0xE2;
    static final int CODE32 = 0x08, DATA0 = 0x10, CODE64 = 0x18, DATA3 = 0x23, CODE32_USER = 0x2B,
            CODE64_USER = 0x33, TR32 = 0x38, TR64 = 0x40;

    final Mode mode;
    /** Linear base of the runtime region. */
    final long rt;
    /** The entry of the root table (the PAE PDPT, or the top-level table) that maps the runtime region. */
    final int rootIndex;

    GuestRuntime(Mode mode) {
        this.mode = mode;
        switch (mode) {
            case LEGACY_32 -> { rt = 0xFFC0_0000L; rootIndex = 1023; }
            case PAE -> { rt = 0xC000_0000L; rootIndex = 3; }
            // Canonical with 48 bits as well as 57: PML5 entry 511, PML4 entry 511.
            default -> { rt = 0xFFFF_FF80_0000_0000L; rootIndex = 511; }
        }
    }

    /** The linear address at which the guest writes the paging-structure byte at guest-physical {@code gpa}. */
    long window(long gpa) {
        return rt + WINDOW + (gpa - TABLES);
    }

    long routine(int offset, int cpl) {
        return rt + (cpl == 3 ? 0x4000 : 0x3000) + offset;
    }

    long stack(int cpl) {
        return rt + (cpl == 3 ? 0x6FF0 : 0x5FF0);
    }

    /** Writes the runtime into {@code ram} and hooks it into the root table at {@code root}. */
    void install(ByteBuffer ram, long root) {
        long[] gdt = {0, 0x00CF_9B00_0000_FFFFL, 0x00CF_9300_0000_FFFFL, 0x00AF_9B00_0000_FFFFL,
            0x00CF_F300_0000_FFFFL, 0x00CF_FB00_0000_FFFFL, 0x00AF_FB00_0000_FFFFL};
        for (int i = 0; i < gdt.length; i++) {
            ram.putLong((int) (GDT + 8L * i), gdt[i]);
        }
        ram.putInt((int) TSS32 + 4, (int) stack(0)).putInt((int) TSS32 + 8, DATA0);
        ram.putLong((int) TSS64 + 4, stack(0));
        ram.put((int) CODE, CODE_BY_MODE.get(mode));
        boolean wide = mode.longMode();
        for (int v = 0; v < 32; v++) {
            long handler = routine(v == 14 ? PAGE_FAULT : OTHER + 16 * v, 0);
            if (wide) {
                int at = (int) (IDT + 16L * v);
                ram.putLong(at, (handler & 0xFFFF) | (long) CODE64 << 16 | 0x8E00L << 32 | (handler >>> 16 & 0xFFFF) << 48);
                ram.putLong(at + 8, handler >>> 32);
            } else {
                ram.putLong((int) (IDT + 8L * v),
                        (handler & 0xFFFF) | (long) CODE32 << 16 | 0x8E00L << 32 | (handler >>> 16 & 0xFFFF) << 48);
            }
        }
        // Runtime tables: one per level below the root, then a page table.
        long flags = SdmOracle.P | SdmOracle.RW | SdmOracle.US | SdmOracle.A;
        long next = RT_TABLES;
        long pt;
        if (mode == Mode.LEGACY_32) {
            pt = next;
            ram.putInt((int) (root + 4L * rootIndex), (int) (pt | flags));
        } else if (mode == Mode.PAE) {
            long pd = next;
            pt = next + 0x1000;
            ram.putLong((int) (root + 8L * rootIndex), pd | SdmOracle.P);
            ram.putLong((int) pd, pt | flags);
        } else {
            long table = root;
            for (int level = mode.levels; level > 1; level--) {
                long child = next;
                next += 0x1000;
                int index = (int) (rt >>> mode.shift(level) & 0x1FF);
                ram.putLong((int) (table + 8L * index), child | flags);
                table = child;
            }
            pt = table;
        }
        long leaf = SdmOracle.P | SdmOracle.A | SdmOracle.D;
        map(ram, pt, 1, GDT, leaf | SdmOracle.RW);
        map(ram, pt, 2, IDT, leaf);
        map(ram, pt, 3, CODE, leaf);
        map(ram, pt, 4, CODE, leaf | SdmOracle.US);
        map(ram, pt, 5, KSTACK, leaf | SdmOracle.RW);
        map(ram, pt, 6, USTACK, leaf | SdmOracle.RW | SdmOracle.US);
        for (long gpa = TABLES; gpa < TABLES_END; gpa += 0x1000) {
            map(ram, pt, (int) ((WINDOW + gpa - TABLES) >>> 12), gpa, leaf | SdmOracle.RW);
        }
    }

    private void map(ByteBuffer ram, long pt, int index, long gpa, long flags) {
        if (mode == Mode.LEGACY_32) {
            ram.putInt((int) (pt + 4L * index), (int) (gpa | flags));
        } else {
            ram.putLong((int) (pt + 8L * index), gpa | flags);
        }
    }

    /** The routines of each mode, assembled once (read-only after class initialisation). */
    private static final java.util.Map<Mode, byte[]> CODE_BY_MODE;

    static {
        java.util.EnumMap<Mode, byte[]> m = new java.util.EnumMap<>(Mode.class);
        for (Mode mode : Mode.values()) {
            m.put(mode, new GuestRuntime(mode).code());
        }
        CODE_BY_MODE = java.util.Collections.unmodifiableMap(m);
    }

    /** The routines, assembled for the mode's code size. */
    private byte[] code() {
        boolean wide = mode.longMode();
        Assembler a = new Assembler(rt + 0x3000, wide ? 8 : 4);
        Operand.Reg b = wide ? RBX : EBX;
        Operand.Reg[] acc = {AL, AX, EAX, RAX};
        Operand.Reg[] src = {CL, CX, ECX, RCX};
        for (int i = 0; i < 4; i++) {
            at(a, READ + 16 * i);
            if (i < 3 || wide) {
                a.mov(acc[i], mem(1 << i, b, 0)).out(DONE_PORT, AL);
            }
        }
        for (int i = 0; i < 4; i++) {
            at(a, WRITE + 16 * i);
            if (i < 3 || wide) {
                a.mov(mem(1 << i, b, 0), src[i]).out(DONE_PORT, AL);
            }
        }
        at(a, FETCH);
        a.jmp(b);
        at(a, INVLPG);
        a.emit(Mnemonic.INVLPG, mem(0, b, 0)).out(DONE_PORT, AL);
        at(a, MOV_CR3);
        a.mov(CR3, b).out(DONE_PORT, AL);
        at(a, PAGE_FAULT);
        a.pop(wide ? RDX : EDX).mov(wide ? RSI : ESI, CR2).out(FAULT_PORT, AL);
        for (int v = 0; v < 32; v++) {
            at(a, OTHER + 16 * v);
            a.mov(EDI, v).out(UNEXPECTED_PORT, AL);
        }
        return a.assemble();
    }

    private static void at(Assembler a, int offset) {
        long pad = a.origin() + offset - a.position();
        if (pad < 0) {
            throw new IllegalStateException("routine overflow at " + offset);
        }
        a.space((int) pad);
    }

    /** The system registers for running a routine at {@code cpl} under the given paging controls. */
    Sregs sregs(int cpl, long cr0, long cr3, long cr4, long efer, long apicBase) {
        boolean wide = mode.longMode();
        int dpl = cpl;
        int codeSelector = wide ? (cpl == 3 ? CODE64_USER : CODE64) : (cpl == 3 ? CODE32_USER : CODE32);
        int dataSelector = cpl == 3 ? DATA3 : DATA0;
        Sregs.Segment cs = new Sregs.Segment(0, 0xFFFF_FFFFL, codeSelector, 0xB, true, dpl, !wide, true, wide, true,
                false, false);
        Sregs.Segment data = new Sregs.Segment(0, 0xFFFF_FFFFL, dataSelector, 0x3, true, dpl, true, true, false, true,
                false, false);
        Sregs.Segment tr = new Sregs.Segment(rt + (wide ? 0x1900 : 0x1800), 0x67, wide ? TR64 : TR32, 0xB, true, 0,
                false, false, false, false, false, false);
        Sregs.Segment ldt = new Sregs.Segment(0, 0, 0, 0, false, 0, false, false, false, false, false, true);
        return new Sregs(cs, data, data, data, data, data, tr, ldt, new Sregs.Dtable(rt + 0x1000, 0x4F),
                new Sregs.Dtable(rt + 0x2000, wide ? 32 * 16 - 1 : 32 * 8 - 1), cr0, 0, cr3, cr4, 0, efer, apicBase);
    }
}
