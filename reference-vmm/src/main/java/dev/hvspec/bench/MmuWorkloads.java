package dev.hvspec.bench;

import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * The guests of {@code hvspec bench mmu}: 64-bit programs whose page-table work is done with
 * paging on (so a shadow MMU sees every write), each ending by printing a checksum that shows the
 * work was done right ({@code checksum=…}) and exiting through isa-debug-exit 0.
 *
 * <p>Memory: identity map of the first 32 MiB in 2-MByte pages (kernel, tables, frames); the
 * workload's own mappings live at {@link #VA} (PML4 entry 1) and use frames from {@link #FRAMES}.
 */
public final class MmuWorkloads {
    public static final long MEMORY = 64L << 20;
    static final long PML4 = 0x20_0000, PDPT0 = 0x20_1000, PD0 = 0x20_2000, PDPT1 = 0x20_3000, PD1 = 0x20_4000;
    static final long PTS = 0x28_0000;
    static final long SPACES = 0x30_0000;
    static final long FRAMES = 0x80_0000;
    static final long VA = 0x80_0000_0000L;
    /** The identity map covers this much (the frames must lie below it). */
    static final long IDENTITY = 32L << 20;

    private MmuWorkloads() {
    }

    /** 64-bit mode with the identity map and PML4[1] → PDPT1 → PD1 (the rest is up to the workload). */
    private static GuestKit prologue() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        k.installIdt32();
        entry32(a, PML4, PDPT0 | 3);
        entry32(a, PML4 + 8, PDPT1 | 3);
        entry32(a, PDPT0, PD0 | 3);
        entry32(a, PDPT1, PD1 | 3);
        for (long i = 0; i < IDENTITY >>> 21; i++) {
            entry32(a, PD0 + 8 * i, i << 21 | 0x83);
        }
        LongModeSetup.enter(k, PML4, false);
        return k;
    }

    private static void entry32(Assembler a, long at, long value) {
        a.mov(dword(at), value).mov(dword(at + 4), 0);
    }

    private static byte[] epilogue(GuestKit k, Assembler a) {
        k.report64("checksum", RAX);
        k.exit(0);
        return k.image();
    }

    /**
     * Demand paging: for each of {@code pages} pages, write its PTE (a fresh frame), then write the
     * page; afterwards read every page back. Checksum: the sum of the page numbers, pages·(pages-1)/2.
     */
    public static byte[] touchPages(int pages) {
        check(pages, (IDENTITY - FRAMES) >>> 12);
        GuestKit k = prologue();
        Assembler a = k.a;
        for (long j = 0; j < (pages + 511) / 512; j++) {
            LongModeSetup.entry(a, PD1 + 8 * j, PTS + 0x1000 * j | 3);
        }
        Label map = a.label(), sum = a.label();
        a.mov(R8, imm(VA)).xor(ECX, ECX);
        a.bind(map).mov(RAX, RCX).shl(RAX, 12).add(RAX, imm(FRAMES | 3)).mov(mem(8, null, RCX, 8, PTS), RAX);
        a.mov(RBX, RCX).shl(RBX, 12).add(RBX, R8).mov(qword(RBX, 0), RCX);
        a.inc(RCX).cmp(RCX, pages).jcc(Condition.NE, map);
        a.xor(EAX, EAX).xor(ECX, ECX);
        a.bind(sum).mov(RBX, RCX).shl(RBX, 12).add(RBX, R8).add(RAX, qword(RBX, 0));
        a.inc(RCX).cmp(RCX, pages).jcc(Condition.NE, sum);
        return epilogue(k, a);
    }

    /**
     * Address spaces: {@code spaces} page tables sharing the kernel mapping, each mapping 16
     * private pages at {@link #VA}; {@code rounds} times, switch to each (MOV to CR3) and increment
     * a counter in each of its pages. Checksum: spaces·16·rounds.
     */
    public static byte[] addressSpaces(int spaces, int rounds) {
        check(spaces * 16L, (IDENTITY - FRAMES) >>> 12);
        check(spaces * 0x4000L, FRAMES - SPACES);
        GuestKit k = prologue();
        Assembler a = k.a;
        Label build = a.label(), fill = a.label(), round = a.label(), space = a.label(), touch = a.label();
        Label sumSpace = a.label(), sumPage = a.label();
        // R9 = space number, R10 = its PML4; the PDPT, PD and PT follow in the next 3 pages.
        a.xor(R9, R9).mov(R10, imm(SPACES));
        a.bind(build);
        a.mov(RAX, imm(PDPT0 | 3)).mov(qword(R10, 0), RAX);
        a.lea(RAX, mem(0, R10, 0x1003)).mov(qword(R10, 8), RAX);
        a.lea(RAX, mem(0, R10, 0x2003)).mov(qword(R10, 0x1000), RAX);
        a.lea(RAX, mem(0, R10, 0x3003)).mov(qword(R10, 0x2000), RAX);
        a.xor(ECX, ECX);
        a.bind(fill).mov(RAX, R9).shl(RAX, 4).add(RAX, RCX).shl(RAX, 12).add(RAX, imm(FRAMES | 3));
        a.mov(mem(8, R10, RCX, 8, 0x3000), RAX);
        a.inc(RCX).cmp(RCX, 16).jcc(Condition.NE, fill);
        a.add(R10, 0x4000).inc(R9).cmp(R9, spaces).jcc(Condition.NE, build);
        a.mov(R8, imm(VA)).xor(R11, R11);
        a.bind(round).xor(R9, R9).mov(R10, imm(SPACES));
        a.bind(space).mov(CR3, R10).xor(ECX, ECX);
        a.bind(touch).mov(RBX, RCX).shl(RBX, 12).add(RBX, R8).inc(qword(RBX, 0));
        a.inc(RCX).cmp(RCX, 16).jcc(Condition.NE, touch);
        a.add(R10, 0x4000).inc(R9).cmp(R9, spaces).jcc(Condition.NE, space);
        a.inc(R11).cmp(R11, rounds).jcc(Condition.NE, round);
        a.mov(EAX, PML4).mov(CR3, RAX);
        // Sum through the identity map.
        a.xor(EAX, EAX).xor(R9, R9);
        a.bind(sumSpace).xor(ECX, ECX);
        a.bind(sumPage).mov(RBX, R9).shl(RBX, 4).add(RBX, RCX).shl(RBX, 12).add(RAX, mem(8, RBX, FRAMES));
        a.inc(RCX).cmp(RCX, 16).jcc(Condition.NE, sumPage);
        a.inc(R9).cmp(R9, spaces).jcc(Condition.NE, sumSpace);
        return epilogue(k, a);
    }

    /**
     * Remapping: {@code remaps} times, point one PTE at a new frame, INVLPG the page and write the
     * iteration number into it. Checksum: remaps·(remaps-1)/2, summed through the identity map.
     */
    public static byte[] remap(int remaps) {
        check(remaps, (IDENTITY - FRAMES) >>> 12);
        GuestKit k = prologue();
        Assembler a = k.a;
        LongModeSetup.entry(a, PD1, PTS | 3);
        Label loop = a.label(), sum = a.label();
        a.mov(R8, imm(VA)).xor(ECX, ECX);
        a.bind(loop).mov(RAX, RCX).shl(RAX, 12).add(RAX, imm(FRAMES | 3)).mov(qword(PTS), RAX);
        a.emit(Mnemonic.INVLPG, mem(0, R8, 0)).mov(qword(R8, 0), RCX);
        a.inc(RCX).cmp(RCX, remaps).jcc(Condition.NE, loop);
        a.xor(EAX, EAX).xor(ECX, ECX);
        a.bind(sum).mov(RBX, RCX).shl(RBX, 12).add(RAX, mem(8, RBX, FRAMES));
        a.inc(RCX).cmp(RCX, remaps).jcc(Condition.NE, sum);
        return epilogue(k, a);
    }

    private static void check(long n, long max) {
        if (n < 1 || n > max) {
            throw new IllegalArgumentException("workload size " + n + " out of range 1.." + max);
        }
    }
}
