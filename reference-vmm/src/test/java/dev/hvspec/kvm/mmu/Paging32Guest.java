package dev.hvspec.kvm.mmu;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * 32-bit paging (SDM 3A §4.3) exercised by a guest: 4-KByte and 4-MByte pages, A/D flags, #PF
 * error codes and CR2, a PTE change followed by INVLPG, a second address space, CR0.WP = 0.
 * The expected values are worked out by hand from the SDM in {@link #EXPECTED}.
 */
final class Paging32Guest {
    static final long PD = 0x20_0000, PT0 = 0x20_1000, PT1 = 0x20_2000, PD2 = 0x20_3000, PT2 = 0x20_4000;
    static final long DATA_A = 0x30_0000, DATA_B = 0x30_1000, DATA_C = 0x30_2000, LARGE = 0x40_0000;
    static final long VA = 0x4000_0000L, ALIAS = 0x4000_1000L, HOLE = 0x4000_2000L, LARGE_VA = 0x4040_0000L;

    static byte[] image() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        k.installIdt32();
        a.mov(dword(DATA_A), 0x1111_1111L).mov(dword(DATA_B), 0x2222_2222L).mov(dword(DATA_C), 0x3333_3333L);
        a.mov(dword(LARGE + 0x10), 0x4444_4444L);
        identityMap(a, PT0);
        a.mov(dword(PD), PT0 | 3).mov(dword(PD + 256 * 4), PT1 | 7).mov(dword(PD + 257 * 4), LARGE | 0x87);
        a.mov(dword(PT1), DATA_A | 3).mov(dword(PT1 + 4), DATA_A | 5);
        a.mov(dword(PD2), PT0 | 3).mov(dword(PD2 + 256 * 4), PT2 | 7).mov(dword(PT2), DATA_C | 3);
        a.mov(EAX, PD).mov(CR3, EAX);
        a.mov(EAX, CR4).or(EAX, 1 << 4).mov(CR4, EAX);                     // CR4.PSE
        a.mov(EAX, CR0).or(EAX, 0x8001_0000L).mov(CR0, EAX);               // CR0.PG | CR0.WP

        k.report("t1.read", dword(VA));
        a.mov(dword(VA), 0xAAAA_0001L);
        k.report("t2.alias", dword(ALIAS));
        k.reportMem("t3.pte0", PT1).reportMem("t3.pte1", PT1 + 4).reportMem("t3.pde256", PD + 256 * 4);

        Label r4 = a.label(), r5 = a.label();
        k.expectFault(r4);
        a.mov(dword(ALIAS), 0x1234);
        a.bind(r4);
        k.reportFault("t4");
        k.expectFault(r5);
        a.mov(EAX, dword(HOLE));
        a.bind(r5);
        k.reportFault("t5");

        k.report("t6.large", dword(LARGE_VA + 0x10));
        k.reportMem("t6.pde257", PD + 257 * 4);

        a.mov(dword(PT1), DATA_B | 3);
        a.emit(Mnemonic.INVLPG, mem(0, VA));
        k.report("t7.remapped", dword(VA));

        a.mov(EAX, PD2).mov(CR3, EAX);
        k.report("t8.other", dword(VA));
        a.mov(EAX, PD).mov(CR3, EAX);
        k.report("t8.back", dword(VA));

        a.mov(EAX, CR0).and(EAX, ~0x1_0000L).mov(CR0, EAX);                // CR0.WP = 0
        a.mov(dword(ALIAS), 0x5555_5555L);
        a.mov(EAX, CR0).or(EAX, 0x1_0000L).mov(CR0, EAX);
        k.reportMem("t9.written", DATA_A).reportMem("t9.pte1", PT1 + 4);
        k.reportMem("faults", GuestKit.FAULT_COUNT);
        k.exit(0);
        return k.image();
    }

    /** Fills the page table at {@code pt} with an identity map of the first 4 MiB (supervisor, writable). */
    static void identityMap(Assembler a, long pt) {
        Label loop = a.label();
        a.mov(ECX, 0);
        a.bind(loop).mov(EAX, ECX).shl(EAX, 12).or(EAX, 3).mov(mem(4, null, ECX, 4, pt), EAX);
        a.inc(ECX).cmp(ECX, 1024).jcc(Condition.NE, loop);
    }

    /** What the SDM says the guest must print. */
    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("t1.read", "11111111");
        EXPECTED.put("t2.alias", "aaaa0001");
        EXPECTED.put("t3.pte0", "00300063");   // P|RW | A (0x20) | D (0x40): read, then written (§4.8)
        EXPECTED.put("t3.pte1", "00300025");   // P|US | A: only read
        EXPECTED.put("t3.pde256", "00202027"); // P|RW|US | A: a non-leaf entry gets A only
        EXPECTED.put("t4.vector", "0000000e");
        EXPECTED.put("t4.error", "00000003");  // §4.7: P=1 (protection), W/R=1, U/S=0
        EXPECTED.put("t4.cr2", "40001000");
        EXPECTED.put("t5.vector", "0000000e");
        EXPECTED.put("t5.error", "00000000");  // not present, read, supervisor
        EXPECTED.put("t5.cr2", "40002000");
        EXPECTED.put("t6.large", "44444444");
        EXPECTED.put("t6.pde257", "004000a7"); // PS|US|RW|P | A
        EXPECTED.put("t7.remapped", "22222222");
        EXPECTED.put("t8.other", "33333333");
        EXPECTED.put("t8.back", "22222222");
        EXPECTED.put("t9.written", "55555555"); // §4.6.1: CR0.WP = 0 lets supervisor writes ignore R/W
        EXPECTED.put("t9.pte1", "00300065");   // … and the write sets D
        EXPECTED.put("faults", "00000002");
    }
}
