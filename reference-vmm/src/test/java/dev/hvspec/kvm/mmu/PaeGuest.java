package dev.hvspec.kvm.mmu;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * PAE paging (SDM 3A §4.4) with EFER.NXE: 2-MByte pages, execute-disable, a reserved bit, and the
 * PDPTE registers — a PDPTE changed in memory takes effect only when CR3 is loaded again (§4.4.1).
 */
final class PaeGuest {
    static final long PDPT = 0x20_0000, PD0 = 0x20_1000, PT0 = 0x20_2000, PD1 = 0x20_3000, PT1 = 0x20_4000,
            PD2 = 0x20_5000, PT2 = 0x20_6000;
    static final long DATA_A = 0x30_0000, CODE_B = 0x30_1000, DATA_C = 0x30_2000, LARGE = 0x40_0000;
    static final long VA = 0x4000_0000L;
    static final long XD = 0x8000_0000L; // bit 63 as the high dword of an entry

    static byte[] image() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        k.installIdt32();
        a.mov(dword(DATA_A), 0x1111_1111L).mov(dword(DATA_C), 0x3333_3333L).mov(dword(LARGE + 0x20), 0x4444_4444L);
        a.mov(dword(CODE_B), 0x7777_77B8L).mov(dword(CODE_B + 4), 0xC377);          // mov eax, 0x77777777; ret
        Label loop = a.label();                                                     // PT0: identity 0-2 MiB
        a.mov(ECX, 0);
        a.bind(loop).mov(EAX, ECX).shl(EAX, 12).or(EAX, 3).mov(mem(4, null, ECX, 8, PT0), EAX);
        a.mov(mem(4, null, ECX, 8, PT0 + 4), 0).inc(ECX).cmp(ECX, 512).jcc(Condition.NE, loop);
        entry(a, PD0, PT0 | 3, 0);
        entry(a, PD0 + 8, 0x20_0000 | 0x83, 0);                                    // 2-4 MiB: one 2-MByte page
        entry(a, PDPT, PD0 | 1, 0);
        entry(a, PDPT + 8, PD1 | 1, 0);                                            // 1-2 GiB
        entry(a, PD1, PT1 | 7, 0);
        entry(a, PD1 + 8, LARGE | 0x87, 0);                                        // VA + 2 MiB: user 2-MByte page
        entry(a, PT1, DATA_A | 3, XD);                                             // VA: data, execute-disable
        entry(a, PT1 + 8, CODE_B | 3, 0);                                          // VA + 4 KiB: code
        entry(a, PT1 + 16, DATA_A | 3, 0x0008_0000L);                              // VA + 8 KiB: bit 51 set (reserved)
        entry(a, PD2, PT2 | 7, 0);
        entry(a, PT2, DATA_C | 3, 0);
        a.mov(ECX, 0xC000_0080L).rdmsr().or(EAX, 1 << 11).wrmsr();                  // EFER.NXE
        a.mov(EAX, CR4).or(EAX, 1 << 5).mov(CR4, EAX);                              // CR4.PAE
        a.mov(EAX, PDPT).mov(CR3, EAX);
        a.mov(EAX, CR0).or(EAX, 0x8001_0000L).mov(CR0, EAX);

        k.report("t1.read", dword(VA));
        a.mov(ECX, VA + 0x1000).call(ECX);
        k.report("t2.call", EAX);
        Label r3 = a.label(), r4 = a.label();
        k.expectFault(r3);
        a.mov(ECX, VA).jmp(ECX);                                                   // fetch from an XD page
        a.bind(r3);
        k.reportFault("t3");
        k.expectFault(r4);
        a.mov(EAX, dword(VA + 0x2000));
        a.bind(r4);
        k.reportFault("t4");
        k.report("t5.large", dword(VA + 0x20_0000 + 0x20));
        k.reportMem("t5.pde", PD1 + 8).reportMem("t5.pte0", PT1).reportMem("t5.pte0.high", PT1 + 4);
        // PDPTE registers: the in-memory PDPTE changes, the translation does not until CR3 is loaded.
        entry(a, PDPT + 8, PD2 | 1, 0);
        a.emit(dev.hvspec.machine.cpu.isa.Mnemonic.INVLPG, mem(0, VA));
        k.report("t6.stale", dword(VA));
        a.mov(EAX, PDPT).mov(CR3, EAX);
        k.report("t6.reloaded", dword(VA));
        k.reportMem("faults", GuestKit.FAULT_COUNT);
        k.exit(0);
        return k.image();
    }

    /** Writes a 64-bit entry as two 32-bit stores (low then high). */
    static void entry(Assembler a, long at, long low, long high) {
        a.mov(dword(at), low).mov(dword(at + 4), high);
    }

    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("t1.read", "11111111");
        EXPECTED.put("t2.call", "77777777");
        EXPECTED.put("t3.vector", "0000000e");
        EXPECTED.put("t3.error", "00000011");   // §4.7: P | I/D (fetch, PAE with NXE)
        EXPECTED.put("t3.cr2", "40000000");
        EXPECTED.put("t4.vector", "0000000e");
        EXPECTED.put("t4.error", "00000009");   // P | RSVD: bit 51 is beyond MAXPHYADDR (40)
        EXPECTED.put("t4.cr2", "40002000");
        EXPECTED.put("t5.large", "44444444");
        EXPECTED.put("t5.pde", "004000a7");     // PS|US|RW|P | A
        EXPECTED.put("t5.pte0", "00300023");    // RW|P | A (read only)
        EXPECTED.put("t5.pte0.high", "80000000"); // XD untouched
        EXPECTED.put("t6.stale", "11111111");   // §4.4.1: the PDPTE registers still hold the old PDPTE
        EXPECTED.put("t6.reloaded", "33333333");
        EXPECTED.put("faults", "00000002");
    }
}
