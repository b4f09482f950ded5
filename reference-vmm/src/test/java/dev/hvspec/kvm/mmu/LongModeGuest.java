package dev.hvspec.kvm.mmu;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.bench.LongModeSetup;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import java.util.LinkedHashMap;
import java.util.Map;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * 4-level paging in 64-bit mode (SDM 3A §4.5) with user and supervisor pages: user accesses from
 * ring 3 (U/S, R/W, XD), SMEP and SMAP with EFLAGS.AC (§4.6.1), 2-MByte pages, a PTE change with
 * INVLPG, and a second address space.
 */
final class LongModeGuest {
    static final long PML4 = 0x20_0000, PDPT0 = 0x20_1000, PD0 = 0x20_2000, PDPT_U = 0x20_3000, PD_U = 0x20_4000,
            PT_U = 0x20_5000, PML4_B = 0x20_6000, PDPT_UB = 0x20_7000, PD_UB = 0x20_8000, PT_UB = 0x20_9000;
    static final long USER_DATA = 0x30_0000, SUP_DATA = 0x30_1000, USER_RO = 0x30_2000, OTHER = 0x30_4000,
            OTHER_B = 0x30_5000, LARGE = 0x40_0000;
    /** The user region: PML4 entry 1. */
    static final long U = 0x80_0000_0000L;
    static final long XD = 1L << 63;
    static final long NEXT = GuestKit.VARS + 0x40;

    static byte[] image() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        k.installIdt32();
        a.mov(dword(USER_DATA), 0x1111_1111L).mov(dword(SUP_DATA), 0x2222_2222L).mov(dword(USER_RO), 0x3333_3333L);
        a.mov(dword(OTHER), 0x5555_5555L).mov(dword(OTHER_B), 0x6666_6666L).mov(dword(LARGE + 0x30), 0x4444_4444L);
        Label userPage = a.label(), back = a.label();
        Label u1 = a.label(), u2 = a.label(), u3 = a.label(), u4 = a.label(), stub = a.label();
        // Tables (32-bit code, paging off): identity 0-6 MiB in 2-MByte pages, the user region at U.
        PaeGuest.entry(a, PML4, PDPT0 | 3, 0);
        PaeGuest.entry(a, PML4 + 8, PDPT_U | 7, 0);
        PaeGuest.entry(a, PDPT0, PD0 | 3, 0);
        for (int i = 0; i < 3; i++) {
            PaeGuest.entry(a, PD0 + 8L * i, (long) i << 21 | 0x83, 0);
        }
        PaeGuest.entry(a, PDPT_U, PD_U | 7, 0);
        PaeGuest.entry(a, PD_U, PT_U | 7, 0);
        a.mov(EAX, a.addressOf(userPage)).or(EAX, 5).mov(dword(PT_U), EAX).mov(dword(PT_U + 4), 0); // user code, read-only
        PaeGuest.entry(a, PT_U + 8, USER_DATA | 7, 0x8000_0000L);    // user data, XD
        PaeGuest.entry(a, PT_U + 16, SUP_DATA | 3, 0);              // supervisor data
        PaeGuest.entry(a, PT_U + 24, USER_RO | 5, 0x8000_0000L);    // user read-only
        PaeGuest.entry(a, PML4_B, PDPT0 | 3, 0);                    // a second address space
        PaeGuest.entry(a, PML4_B + 8, PDPT_UB | 7, 0);
        PaeGuest.entry(a, PDPT_UB, PD_UB | 7, 0);
        PaeGuest.entry(a, PD_UB, PT_UB | 7, 0);
        PaeGuest.entry(a, PT_UB + 8, OTHER_B | 7, 0x8000_0000L);
        LongModeSetup.enter(k, PML4, false);
        k.gate64(0x80, back, LongModeSetup.KERNEL_CODE, 3);        // INT 0x80 from ring 3 back to ring 0

        // Ring 3.
        toUser(k, u1, userPage, stub, "u1");
        toUser(k, u2, userPage, stub, "u2");
        k.reportFault("u2");
        toUser(k, u3, userPage, stub, "u3");
        k.reportFault("u3");
        toUser(k, u4, userPage, stub, "u4");
        k.reportFault("u4");
        k.reportMem("u1.read", USER_DATA + 0x100).reportMem("u1.pte", PT_U + 8).reportMem("u2.pte", PT_U + 16);

        // Ring 0: SMAP, SMEP, large pages.
        k.report("s1.read", dword(USER_DATA));
        a.mov(RAX, CR4).or(EAX, 1 << 21).mov(CR4, RAX);             // CR4.SMAP
        Label r2 = a.label(), r3 = a.label();
        k.expectFault(r2);
        a.mov(RBX, imm(U + 0x1000)).mov(EAX, mem(4, RBX, 0));
        a.bind(r2);
        k.reportFault("s2");
        a.emit(Mnemonic.PUSHF).or(qword(RSP, 0), 1 << 18).emit(Mnemonic.POPF);   // EFLAGS.AC = 1
        a.mov(RBX, imm(U + 0x1000)).mov(ECX, mem(4, RBX, 0));
        k.report("s2.ac", ECX);
        a.emit(Mnemonic.PUSHF).and(qword(RSP, 0), ~(1 << 18)).emit(Mnemonic.POPF);
        a.mov(RAX, CR4).or(EAX, 1 << 20).mov(CR4, RAX);             // CR4.SMEP
        k.expectFault(r3);
        a.mov(RBX, imm(U)).jmp(RBX);
        a.bind(r3);
        k.reportFault("s3");
        a.mov(RAX, CR4).and(EAX, ~(3 << 20)).mov(CR4, RAX);
        k.report("s4.large", dword(LARGE + 0x30));
        k.reportMem("s4.pde", PD0 + 16);

        // A PTE change with INVLPG, then a second address space.
        a.mov(RBX, imm(U + 0x1000));
        LongModeSetup.entry(a, PT_U + 8, OTHER | 7 | XD);
        a.emit(Mnemonic.INVLPG, mem(0, RBX, 0));
        k.report("s5.remapped", mem(4, RBX, 0));
        a.mov(EAX, PML4_B).mov(CR3, RAX);
        k.report("s6.other", mem(4, RBX, 0));
        a.mov(EAX, PML4).mov(CR3, RAX);
        k.report("s6.back", mem(4, RBX, 0));
        k.reportMem("faults", GuestKit.FAULT_COUNT);
        k.exit(0);

        // int 0x80 from ring 3 lands here (ring 0): drop the frame, continue where toUser said.
        a.bind(back).mov(RSP, GuestKit.STACK).jmp(qword(NEXT));

        // The user page (ring 3 code, executed at U).
        a.align(4096).bind(userPage);
        a.bind(u1).mov(RBX, imm(U + 0x1000)).mov(EAX, mem(4, RBX, 0)).mov(mem(4, RBX, 0x100), EAX).interrupt(0x80);
        a.bind(u2).mov(RBX, imm(U + 0x2000)).mov(EAX, mem(4, RBX, 0)).interrupt(0x80);
        a.bind(u3).mov(RBX, imm(U + 0x3000)).mov(mem(4, RBX, 0), EAX).interrupt(0x80);
        a.bind(u4).mov(RBX, imm(U + 0x1000)).jmp(RBX);
        a.bind(stub).interrupt(0x80);
        return k.image();
    }

    /**
     * IRETQ to ring 3 at the user-region address of {@code entry}; a recorded fault resumes at
     * {@code stub} (also in the user page), whose INT 0x80 returns to ring 0 after this call.
     */
    static void toUser(GuestKit k, Label entry, Label userPage, Label stub, String name) {
        Assembler a = k.a;
        Label after = a.label();
        a.mov(dword(NEXT), a.addressOf(after)).mov(dword(NEXT + 4), 0);
        userAddress(a, stub, userPage);
        a.push(RAX).pop(RCX);
        a.mov(qword(GuestKit.FAULT_RESUME), RCX);
        a.mov(dword(GuestKit.FAULT_ERROR), 0xFFFF_FFFFL).mov(dword(GuestKit.FAULT_CR2), 0)
                .mov(dword(GuestKit.FAULT_VECTOR), 0xFF);
        userAddress(a, entry, userPage);
        a.push(LongModeSetup.USER_DATA).push(RCX);                  // SS, RSP (set below)
        a.mov(RCX, imm(U + 0x1FF0)).mov(qword(RSP, 0), RCX);
        a.push(0x3002).push(LongModeSetup.USER_CODE).push(RAX);   // RFLAGS (IOPL 3), CS, RIP
        a.iretq();
        a.bind(after);
    }

    /** RAX = U + (label - userPage). */
    static void userAddress(Assembler a, Label label, Label userPage) {
        a.mov(RAX, imm(U)).add(RAX, a.addressOf(label)).sub(RAX, a.addressOf(userPage));
    }

    static final Map<String, String> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("u2.vector", "0000000e");
        EXPECTED.put("u2.error", "00000005");   // P | U/S: a user read of a supervisor page
        EXPECTED.put("u2.cr2", "00002000");     // low 32 bits of U + 0x2000
        EXPECTED.put("u3.vector", "0000000e");
        EXPECTED.put("u3.error", "00000007");   // P | W | U/S: a user write to a read-only page
        EXPECTED.put("u3.cr2", "00003000");
        EXPECTED.put("u4.vector", "0000000e");
        EXPECTED.put("u4.error", "00000015");   // P | U/S | I/D: a user fetch from an XD page
        EXPECTED.put("u4.cr2", "00001000");
        EXPECTED.put("u1.read", "11111111");
        EXPECTED.put("u1.pte", "00300067");     // RW|US|P | A | D
        EXPECTED.put("u2.pte", "00301003");     // the faulting access did not set A (§4.8: A only when allowed)
        EXPECTED.put("s1.read", "11111111");
        EXPECTED.put("s2.vector", "0000000e");
        EXPECTED.put("s2.error", "00000001");   // P: SMAP forbids a supervisor read of a user page with AC = 0
        EXPECTED.put("s2.cr2", "00001000");
        EXPECTED.put("s2.ac", "11111111");      // … and allows it with AC = 1
        EXPECTED.put("s3.vector", "0000000e");
        EXPECTED.put("s3.error", "00000011");   // P | I/D: SMEP forbids supervisor fetches from user pages
        EXPECTED.put("s3.cr2", "00000000");
        EXPECTED.put("s4.large", "44444444");
        EXPECTED.put("s4.pde", "004000a3");     // PS|RW|P | A
        EXPECTED.put("s5.remapped", "55555555");
        EXPECTED.put("s6.other", "66666666");
        EXPECTED.put("s6.back", "55555555");
        EXPECTED.put("faults", "00000005");
    }
}
