package dev.hvspec.kvm.mmu;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * Back to real mode from the multiboot state (SDM 3A §10.9.2): through a 16-bit protected-mode
 * segment, CR0.PE = 0, a far jump; then real-mode addressing (segment × 16 + offset, A20 on so
 * FFFF:0010 is 1 MiB), INT n and an exception through the IVT (§20.1.4), and back to protected mode.
 */
final class RealModeGuest {
    static final long BLOB = 0x8000;
    static final long RESULTS = 0x7100, BACK = 0x7180;

    static byte[] image() {
        byte[] blob = blob();
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        Label data = a.label(), back = a.label(), skip = a.label();
        a.jmp(skip).bind(data).db(blob).bind(skip);
        a.mov(ESI, a.addressOf(data)).mov(EDI, BLOB).mov(ECX, blob.length).rep().movs(1);
        a.mov(dword(BACK), a.addressOf(back));
        a.emit(Mnemonic.JMPF, far(0x18, BLOB, 4));                                  // 16-bit protected-mode code segment
        a.bind(back);
        k.installIdt32();
        k.reportMem("t1.segments", RESULTS).reportMem("t2.a20", RESULTS + 4).reportMem("t3.int", RESULTS + 8)
                .reportMem("t4.ud", RESULTS + 12).reportMem("t4.saved-ip-is-ud2", RESULTS + 16);
        k.exit(0);
        return k.image();
    }

    /** 16-bit code at {@link #BLOB}: leave protected mode, run the real-mode checks, come back. */
    private static byte[] blob() {
        Assembler b = new Assembler(BLOB, 2);
        Label real = b.label(), handler80 = b.label(), handlerUd = b.label(), ivtr = b.label(), pm = b.label();
        b.mov(AX, 0x20).mov(DS, AX).mov(ES, AX).mov(SS, AX);      // 16-bit data segments, limit 64 KiB
        b.mov(EAX, CR0).and(EAX, ~1L).mov(CR0, EAX);
        b.jmpFar(0, real, 2);
        b.bind(real).xor(AX, AX).mov(DS, AX).mov(ES, AX).mov(SS, AX).mov(SP, 0x5F00);
        b.lidt(b.absolute(0, ivtr));
        b.mov(word(0x80 * 4), b.addressOf(handler80)).mov(word(0x80 * 4 + 2), 0);
        b.mov(word(6 * 4), b.addressOf(handlerUd)).mov(word(6 * 4 + 2), 0);
        // t1: 1234:5678 and 179B:0008 are the same linear address 0x179B8.
        b.mov(AX, 0x1234).mov(ES, AX).mov(seg(ES, dword(0x5678)), 0xCAFE_BABEL);
        b.mov(AX, 0x179B).mov(DS, AX).mov(EAX, dword(0x0008));
        b.xor(BX, BX).mov(DS, BX).mov(dword(RESULTS), EAX);
        // t2: FFFF:0010 is linear 0x100000 with A20 on: the multiboot header's magic.
        b.mov(AX, 0xFFFF).mov(DS, AX).mov(EAX, dword(0x0010));
        b.xor(BX, BX).mov(DS, BX).mov(dword(RESULTS + 4), EAX);
        // t3: INT 0x80 through the IVT.
        b.interrupt(0x80);
        // t4: #UD through IVT vector 6; the handler steps over UD2 (2 bytes).
        Label ud = b.here();
        b.ud2();
        // SDM 3A §6.5: a fault saves the address of the faulting instruction.
        b.xor(EAX, EAX).cmp(word(RESULTS + 20), b.addressOf(ud)).emit(Mnemonic.SETCC, dev.hvspec.machine.cpu.isa.Condition.E, AL);
        b.mov(dword(RESULTS + 16), EAX);
        // Back to protected mode and to the 32-bit code whose address is at BACK.
        b.mov(EAX, CR0).or(EAX, 1).mov(CR0, EAX);
        b.jmpFar(0x08, pm, 4);
        b.bind(handler80).mov(dword(RESULTS + 8), 0x8080_8080L).iret();
        b.bind(handlerUd).push(BP).mov(BP, SP).push(AX).mov(AX, word(BP, 2)).mov(word(RESULTS + 20), AX).pop(AX);
        b.add(word(BP, 2), 2).pop(BP).mov(dword(RESULTS + 12), 6).iret();
        b.bind(ivtr).dw(0x3FF).dd(0);
        b.bits(4).bind(pm).mov(EAX, 0x10).mov(DS, AX).mov(ES, AX).mov(SS, AX).mov(ESP, GuestKit.STACK);
        b.jmp(dword(BACK));
        return b.assemble();
    }

    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("t1.segments", "cafebabe");
        EXPECTED.put("t2.a20", "1badb002");
        EXPECTED.put("t3.int", "80808080");
        EXPECTED.put("t4.ud", "00000006");
        EXPECTED.put("t4.saved-ip-is-ud2", "00000001");
    }
}
