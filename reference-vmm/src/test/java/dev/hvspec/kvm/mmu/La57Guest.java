package dev.hvspec.kvm.mmu;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.bench.LongModeSetup;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Label;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/** 5-level paging (SDM 3A §4.5 with CR4.LA57): a page at a 57-bit address, a fault above it, canonicality. */
final class La57Guest {
    static final long PML5 = 0x20_0000, PML4 = 0x20_1000, PDPT = 0x20_2000, PD = 0x20_3000, PML4_H = 0x20_5000,
            PDPT_H = 0x20_6000, PD_H = 0x20_7000, PT_H = 0x20_8000, DATA = 0x30_0000;
    /** PML5 index 0x80: bits 56:48 = 0x080. Canonical with 57 bits, not with 48. */
    static final long HIGH = 0x0080_0000_0000_0000L;

    static byte[] image() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        k.installIdt32();
        a.mov(dword(DATA), 0x5757_5757L);
        PaeGuest.entry(a, PML5, PML4 | 3, 0);
        PaeGuest.entry(a, PML5 + 8 * 0x80, PML4_H | 3, 0);
        PaeGuest.entry(a, PML4, PDPT | 3, 0);
        PaeGuest.entry(a, PDPT, PD | 3, 0);
        for (int i = 0; i < 3; i++) {
            PaeGuest.entry(a, PD + 8L * i, (long) i << 21 | 0x83, 0);
        }
        PaeGuest.entry(a, PML4_H, PDPT_H | 3, 0);
        PaeGuest.entry(a, PDPT_H, PD_H | 3, 0);
        PaeGuest.entry(a, PD_H, PT_H | 3, 0);
        PaeGuest.entry(a, PT_H, DATA | 3, 0);
        LongModeSetup.enter(k, PML5, true);
        a.mov(RBX, imm(HIGH));
        k.report("t1.read", mem(4, RBX, 0));
        a.mov(mem(4, RBX, 4), 0x1234);
        Label r2 = a.label(), r3 = a.label();
        k.expectFault(r2);
        a.mov(EAX, mem(4, RBX, 0x1000));
        a.bind(r2);
        k.reportMem("t2.vector", GuestKit.FAULT_VECTOR).reportMem("t2.error", GuestKit.FAULT_ERROR);
        k.report64("t2.cr2", qword(GuestKit.FAULT_CR2));
        k.expectFault(r3);
        a.mov(RBX, imm(0x0100_0000_0000_0000L)).mov(EAX, mem(4, RBX, 0)); // bit 56 set, bits 63:57 clear
        a.bind(r3);
        k.reportMem("t3.vector", GuestKit.FAULT_VECTOR).reportMem("t3.error", GuestKit.FAULT_ERROR);
        k.reportMem("t4.pml5e", PML5 + 8 * 0x80).reportMem("t4.pte", PT_H);
        k.reportMem("faults", GuestKit.FAULT_COUNT);
        k.exit(0);
        return k.image();
    }

    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("t1.read", "57575757");
        EXPECTED.put("t2.vector", "0000000e");
        EXPECTED.put("t2.error", "00000000");
        EXPECTED.put("t2.cr2", "0080000000001000");
        EXPECTED.put("t3.vector", "0000000d");   // §3.3.7.1 (with LA57): a non-canonical address is #GP(0)
        EXPECTED.put("t3.error", "00000000");
        EXPECTED.put("t4.pml5e", "00205023");   // P|RW | A
        EXPECTED.put("t4.pte", "00300063");     // P|RW | A | D
        EXPECTED.put("faults", "00000002");
    }
}
