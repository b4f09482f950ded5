package dev.hvspec.bench;

import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Label;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * The switch from the multiboot state to 64-bit mode (SDM 3A §10.8.5): a GDT with 64-bit kernel
 * and user segments and a 64-bit TSS (RSP0 for faults taken in ring 3), CR4.PAE (and LA57), CR3,
 * EFER.LME and NXE, CR0.PG, a far jump to the 64-bit code segment, then SS/DS, TR and the IDT.
 */
public final class LongModeSetup {
    public static final int KERNEL_CODE = 0x18, KERNEL_DATA = 0x10, USER_DATA = 0x23, USER_CODE = 0x2B, TSS = 0x30;
    public static final long TSS_BASE = 0x5800;

    private LongModeSetup() {
    }

    /** Emits the switch (32-bit code before, 64-bit code after); page tables must be ready at {@code cr3}. */
    public static void enter(GuestKit k, long cr3, boolean la57) {
        Assembler a = k.a;
        Label gdt = a.label(), gdtr = a.label(), lm = a.label(), skip = a.label();
        a.jmp(skip);
        a.align(8).bind(gdt).dq(0, 0x00CF_9A00_0000_FFFFL, 0x00CF_9200_0000_FFFFL, 0x00AF_9A00_0000_FFFFL,
                0x00CF_F200_0000_FFFFL, 0x00AF_FA00_0000_FFFFL);
        // 64-bit TSS descriptor (SDM 3A §8.2.3): limit 0x67, base TSS_BASE, type 9, present.
        a.dq(0x67 | (TSS_BASE & 0xFF_FFFF) << 16 | 9L << 40 | 1L << 47 | (TSS_BASE >>> 24 & 0xFF) << 56, 0);
        a.bind(gdtr).dw(8 * 8 - 1).dd(gdt);
        a.bind(skip);
        a.lgdt(a.absolute(0, gdtr));
        for (int i = 0; i < 0x68; i += 4) {
            a.mov(dword(TSS_BASE + i), 0);
        }
        a.mov(dword(TSS_BASE + 4), GuestKit.STACK);                 // RSP0
        k.buildIdt64(KERNEL_CODE);
        a.mov(EAX, CR4).or(EAX, 1 << 5 | (la57 ? 1 << 12 : 0)).mov(CR4, EAX);
        a.mov(EAX, cr3).mov(CR3, EAX);
        a.mov(ECX, 0xC000_0080L).rdmsr().or(EAX, 1 << 8 | 1 << 11).wrmsr();   // EFER.LME | NXE
        a.mov(EAX, CR0).or(EAX, 0x8001_0000L).mov(CR0, EAX);                   // PG | WP
        a.jmpFar(KERNEL_CODE, lm, 4);
        a.bits(8).bind(lm);
        a.mov(EAX, KERNEL_DATA).mov(DS, AX).mov(ES, AX).mov(SS, AX);
        a.mov(RSP, GuestKit.STACK);
        a.mov(AX, TSS).ltr(AX);
        k.loadIdt64();
    }

    /** Writes a 64-bit entry (64-bit code). */
    public static void entry(Assembler a, long at, long value) {
        a.mov(RAX, imm(value)).mov(qword(at), RAX);
    }
}
