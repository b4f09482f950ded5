package dev.hvspec.kvm.mmu;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * Exceptions with paging on (SDM 3A chapter 6): #DE, #UD, #GP with a selector error code, and page
 * faults that straddle pages — an instruction whose last bytes are on a not-present page (CR2 is
 * the first byte not translated), and a write across a page boundary, which must leave the first
 * page untouched — and a read-modify-write of a read-only page.
 */
final class ExceptionsGuest {
    static final long PD = 0x20_0000, PT0 = 0x20_1000, PT1 = 0x20_2000;
    static final long CODE = 0x30_0000, DATA = 0x30_1000, RO = 0x30_2000;
    static final long VA = 0x4000_0000L;

    static byte[] image() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        k.installIdt32();
        a.mov(dword(CODE + 0xFFC), 0xB890_9090L);                   // nop; nop; nop; mov eax, imm32 (cut by the page end)
        a.mov(dword(DATA + 0xFFC), 0x5566_7788L);
        a.mov(dword(RO), 100);
        Paging32Guest.identityMap(a, PT0);
        a.mov(dword(PD), PT0 | 3).mov(dword(PD + 256 * 4), PT1 | 3);
        a.mov(dword(PT1), CODE | 3).mov(dword(PT1 + 8), DATA | 3).mov(dword(PT1 + 16), RO | 1); // VA+4K, VA+12K absent
        a.mov(EAX, PD).mov(CR3, EAX);
        a.mov(EAX, CR0).or(EAX, 0x8001_0000L).mov(CR0, EAX);

        Label r1 = a.label(), r2 = a.label(), r3 = a.label(), r4 = a.label(), r5 = a.label(), r6 = a.label();
        k.expectFault(r1);
        a.xor(EDX, EDX).xor(ECX, ECX).mov(EAX, 1).emit(Mnemonic.DIV, ECX);
        a.bind(r1);
        k.reportMem("de.vector", GuestKit.FAULT_VECTOR);
        k.expectFault(r2);
        a.ud2();
        a.bind(r2);
        k.reportMem("ud.vector", GuestKit.FAULT_VECTOR);
        k.expectFault(r3);
        a.mov(AX, 0x1230).mov(DS, AX);                               // GDT index 0x246: beyond the limit
        a.bind(r3);
        a.mov(AX, 0x10).mov(DS, AX);
        k.reportMem("gp.vector", GuestKit.FAULT_VECTOR).reportMem("gp.error", GuestKit.FAULT_ERROR);
        k.expectFault(r4);
        a.mov(ECX, VA + 0xFFC).jmp(ECX);                            // mov eax, imm32 runs into VA + 4 KiB
        a.bind(r4);
        k.reportFault("fetch");
        k.expectFault(r5);
        a.mov(dword(VA + 0x2FFE), 0xAABB_CCDDL);                    // crosses into VA + 12 KiB
        a.bind(r5);
        k.reportFault("split");
        k.reportMem("split.untouched", DATA + 0xFFC);
        k.expectFault(r6);
        a.add(dword(VA + 0x4000), 1);
        a.bind(r6);
        k.reportFault("rmw");
        k.reportMem("rmw.untouched", RO);
        k.reportMem("faults", GuestKit.FAULT_COUNT);
        k.exit(0);
        return k.image();
    }

    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("de.vector", "00000000");
        EXPECTED.put("ud.vector", "00000006");
        EXPECTED.put("gp.vector", "0000000d");
        EXPECTED.put("gp.error", "00001230");     // §6.13: the selector index, TI = 0, EXT = 0
        EXPECTED.put("fetch.vector", "0000000e");
        EXPECTED.put("fetch.error", "00000000");  // not present, read (a fetch without NXE/SMEP sets no I/D)
        EXPECTED.put("fetch.cr2", "40001000");    // the first byte of the instruction that is not mapped
        EXPECTED.put("split.vector", "0000000e");
        EXPECTED.put("split.error", "00000002");  // not present, write
        EXPECTED.put("split.cr2", "40003000");
        EXPECTED.put("split.untouched", "55667788");
        EXPECTED.put("rmw.vector", "0000000e");
        EXPECTED.put("rmw.error", "00000003");    // present, write (the read part was allowed)
        EXPECTED.put("rmw.cr2", "40004000");
        EXPECTED.put("rmw.untouched", "00000064");
        EXPECTED.put("faults", "00000006");
    }
}
