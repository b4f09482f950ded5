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
 * The dirty flag of 2-MByte pages (SDM 3A §4.8: the processor sets D in the PDE that maps a
 * 2-MByte page the first time there is a write to that page) when one frame range is mapped by two
 * PDEs, and when the guest clears D again. Under shadow paging both guest PDEs are backed by the
 * same kind of direct shadow page; a write through a clean PDE must still exit so that D is set
 * in it (found by {@code MmuStrategiesProperties.noStaleTranslation}, PAE seed 32893). QEMU 7.2
 * TCG ({@code -cpu qemu64}) prints exactly {@link #EXPECTED} for this image.
 */
final class LargePageDirtyGuest {
    static final long PDPT = 0x20_0000, PD0 = 0x20_1000, PT0 = 0x20_2000, PD1 = 0x20_3000;
    static final long LARGE = 0x40_0000;
    /** Two linear 2-MByte pages, both mapping the frames at {@link #LARGE}. */
    static final long VA1 = 0x4000_0000L, VA2 = 0x4020_0000L;

    static byte[] image() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        k.installIdt32();
        Label loop = a.label();                                                     // PT0: identity 0-2 MiB
        a.mov(ECX, 0);
        a.bind(loop).mov(EAX, ECX).shl(EAX, 12).or(EAX, 3).mov(mem(4, null, ECX, 8, PT0), EAX);
        a.mov(mem(4, null, ECX, 8, PT0 + 4), 0).inc(ECX).cmp(ECX, 512).jcc(Condition.NE, loop);
        PaeGuest.entry(a, PD0, PT0 | 3, 0);
        PaeGuest.entry(a, PD0 + 8, 0x20_0000 | 0x83, 0);                           // 2-4 MiB (the tables)
        PaeGuest.entry(a, PDPT, PD0 | 1, 0);
        PaeGuest.entry(a, PDPT + 8, PD1 | 1, 0);                                   // 1-2 GiB
        PaeGuest.entry(a, PD1, LARGE | 0x83, 0);                                   // VA1: PS|RW|P, A = D = 0
        PaeGuest.entry(a, PD1 + 8, LARGE | 0x83, 0);                               // VA2: the same frames
        a.mov(EAX, CR4).or(EAX, 1 << 5).mov(CR4, EAX);                              // CR4.PAE
        a.mov(EAX, PDPT).mov(CR3, EAX);
        a.mov(EAX, CR0).or(EAX, 0x8001_0000L).mov(CR0, EAX);                       // PG, WP

        // t1: a write through VA1 dirties PD1[0]; a read through VA2 (of another 4-KByte part)
        // sets A in PD1[1], and a write through VA2 to the part VA1 wrote must set D in PD1[1].
        a.mov(dword(VA1 + 0x10), 0x1111_1111L);
        k.report("t1.read", dword(VA2 + 0x1000 + 0x10));
        a.mov(dword(VA2 + 0x20), 0x2222_2222L);
        k.reportMem("t1.pde1", PD1 + 8).reportMem("t1.pde0", PD1);
        k.report("t1.alias", dword(VA1 + 0x20));
        // t2: the guest clears D in PD1[0] and invalidates (§4.10.4.1); a read of another 4-KByte
        // part of the page, then a write to the part written before must set D again.
        a.mov(dword(PD1), LARGE | 0xA3);
        a.emit(Mnemonic.INVLPG, mem(0, VA1));
        k.report("t2.read", dword(VA1 + 0x1000 + 0x10));
        a.mov(dword(VA1 + 0x30), 0x3333_3333L);
        k.reportMem("t2.pde0", PD1);
        k.report("t2.alias", dword(VA2 + 0x30));
        k.reportMem("faults", GuestKit.FAULT_COUNT);
        k.exit(0);
        return k.image();
    }

    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("t1.read", "00000000");     // untouched memory
        EXPECTED.put("t1.pde1", "004000e3");     // PS|RW|P | A | D: the write through VA2 dirtied it (§4.8)
        EXPECTED.put("t1.pde0", "004000e3");
        EXPECTED.put("t1.alias", "22222222");    // VA2 aliases VA1
        EXPECTED.put("t2.read", "00000000");     // untouched memory
        EXPECTED.put("t2.pde0", "004000e3");     // D set again by the write after it was cleared
        EXPECTED.put("t2.alias", "33333333");
        EXPECTED.put("faults", "00000000");
    }
}
