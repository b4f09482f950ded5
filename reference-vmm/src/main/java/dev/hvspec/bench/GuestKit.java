package dev.hvspec.bench;

import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.machine.cpu.isa.Operand;

import java.util.ArrayList;
import java.util.List;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/**
 * A small runtime for multiboot guests written with the {@link Assembler}: entered in 32-bit
 * protected mode with flat segments and paging off (the guest contract), it prints lines
 * {@code key=hex} on COM1, ends through isa-debug-exit, and records page faults (and a few other
 * exceptions) in variables so a program can provoke one and carry on at a resume address.
 *
 * <p>Fixed guest-physical layout: IDT at {@link #IDT}, variables at {@link #VARS}, stack below
 * {@link #STACK}, code and strings from {@link #ORIGIN}; programs keep their page tables and data
 * from {@link #FREE} up.
 */
public final class GuestKit {
    public static final long ORIGIN = 0x10_0000;
    public static final long IDT = 0x6000;
    public static final long VARS = 0x7000;
    public static final long STACK = 0x8_F000;
    public static final long FREE = 0x20_0000;
    /** Variables: the last fault's error code, CR2, vector, count, and where the handler resumes. */
    public static final long FAULT_ERROR = VARS, FAULT_CR2 = VARS + 8, FAULT_VECTOR = VARS + 16,
            FAULT_COUNT = VARS + 24, FAULT_RESUME = VARS + 32;
    /** Exceptions the handlers record: #DE, #UD, #GP, #PF (error code pushed for #GP and #PF). */
    static final int[] HANDLED = {0, 6, 13, 14};

    public final Assembler a = new Assembler(ORIGIN, 4);
    private final Label entry = a.label("entry");
    private final Label puts = a.label("puts"), putHex = a.label("puthex");
    private final Label puts64 = a.label("puts64"), putHex64 = a.label("puthex64");
    private final Label[] handlers32 = new Label[HANDLED.length];
    private final Label[] handlers64 = new Label[HANDLED.length];
    private final Label unexpected32 = a.label("unexpected32"), unexpected64 = a.label("unexpected64");
    private final List<Object[]> strings = new ArrayList<>();

    public GuestKit() {
        MultibootElf.header(a);
        a.bind(entry);
        a.mov(ESP, STACK);
        for (int i = 0; i < HANDLED.length; i++) {
            handlers32[i] = a.label();
            handlers64[i] = a.label();
        }
    }

    // ---- output ----

    private Label string(String s) {
        Label l = a.label();
        strings.add(new Object[] {l, s});
        return l;
    }

    private boolean longMode() {
        return a.mode() == 8;
    }

    /** Prints a constant string (32- or 64-bit code, whichever is being assembled). */
    public GuestKit print(String s) {
        if (longMode()) {
            a.push(RSI).mov(ESI, a.addressOf(string(s))).call(puts64).pop(RSI);
        } else {
            a.push(ESI).mov(ESI, a.addressOf(string(s))).call(puts).pop(ESI);
        }
        return this;
    }

    /** Prints {@code name=XXXXXXXX} and a newline with the value of a 32-bit register or memory operand. */
    public GuestKit report(String name, Operand value) {
        Operand.Reg acc = longMode() ? RAX : EAX;
        a.push(acc).mov(EAX, value);
        print(name + "=");
        a.call(longMode() ? putHex64 : putHex);
        print("\n");
        a.pop(acc);
        return this;
    }

    /** Prints a 64-bit value as {@code name=XXXXXXXXXXXXXXXX} (64-bit code only). */
    public GuestKit report64(String name, Operand value) {
        a.push(RAX).mov(RAX, value);
        print(name + "=");
        a.push(RAX).emit(dev.hvspec.machine.cpu.isa.Mnemonic.SHR, RAX, imm(32)).call(putHex64).pop(RAX);
        a.call(putHex64);
        print("\n");
        a.pop(RAX);
        return this;
    }

    /** Prints the 32-bit word at a physical/linear address. */
    public GuestKit reportMem(String name, long address) {
        return report(name, dword(address));
    }

    /** Ends the run with isa-debug-exit value {@code code} (exit status (code << 1) | 1). */
    public GuestKit exit(int code) {
        a.mov(EAX, code).mov(DX, 0xF4).out(DX, EAX).hlt();
        return this;
    }

    /** The address a label was bound to (after {@link #image()}). */
    public long address(Label label) {
        return a.addressOfBound(label);
    }

    // ---- exceptions ----

    /** Loads a 32-bit IDT whose gates for #DE, #UD, #GP and #PF record the fault; others stop the guest with 0x7E. */
    public GuestKit installIdt32() {
        for (int v = 0; v < 32; v++) {
            int h = indexOf(v);
            gate32(v, h >= 0 ? handlers32[h] : unexpected32);
        }
        Label idtr = a.label();
        a.lidt(a.absolute(0, idtr));
        Label skip = a.label();
        a.jmp(skip);
        a.bind(idtr).dw(32 * 8 - 1).dd(IDT);
        a.bind(skip);
        return this;
    }

    private void gate32(int vector, Label handler) {
        long at = IDT + vector * 8L;
        a.mov(EAX, a.addressOf(handler));
        a.mov(word(at), AX).shr(EAX, 16).mov(word(at + 6), AX);
        a.mov(word(at + 2), 0x08).mov(word(at + 4), 0x8E00); // present, DPL 0, 32-bit interrupt gate
    }

    /**
     * Builds a 64-bit IDT (16-byte gates, selector {@code codeSelector}) for the same vectors;
     * emitted as 32-bit code before the switch to long mode, loaded later with {@link #loadIdt64()}.
     * Vectors 32-255 are not present.
     */
    public GuestKit buildIdt64(int codeSelector) {
        a.push(EDI).push(ECX).push(EAX).mov(EDI, IDT).mov(ECX, 256 * 4).xor(EAX, EAX).rep().stos(4)
                .pop(EAX).pop(ECX).pop(EDI);
        for (int v = 0; v < 32; v++) {
            int h = indexOf(v);
            gate64(v, h >= 0 ? handlers64[h] : unexpected64, codeSelector, 0);
        }
        return this;
    }

    /** A 64-bit interrupt gate for {@code vector} to {@code handler} with DPL {@code dpl} (32-bit code, before long mode). */
    public GuestKit gate64(int vector, Label handler, int codeSelector, int dpl) {
        long at = IDT + vector * 16L;
        a.mov(EAX, a.addressOf(handler));
        a.mov(word(at), AX).shr(EAX, 16).mov(word(at + 6), AX);
        a.mov(word(at + 2), codeSelector).mov(word(at + 4), 0x8E00 | dpl << 13);
        a.mov(dword(at + 8), 0).mov(dword(at + 12), 0);
        return this;
    }

    /** LIDT of the 64-bit IDT (in 64-bit code). */
    public GuestKit loadIdt64() {
        Label idtr = a.label(), skip = a.label();
        a.lidt(a.absolute(0, idtr));
        a.jmp(skip);
        a.bind(idtr).dw(256 * 16 - 1).dq(IDT);
        a.bind(skip);
        return this;
    }

    /** Arms the fault handlers: the next recorded exception resumes at {@code resume}. */
    public GuestKit expectFault(Label resume) {
        a.mov(dword(FAULT_RESUME), a.addressOf(resume)).mov(dword(FAULT_RESUME + 4), 0);
        return clearFault();
    }

    /** Arms the fault handlers to resume at a linear address (64-bit code: e.g. user code at a high address). */
    public GuestKit expectFaultAt(long resumeLinear) {
        a.push(RAX).mov(RAX, imm(resumeLinear)).mov(qword(FAULT_RESUME), RAX).pop(RAX);
        return clearFault();
    }

    private GuestKit clearFault() {
        a.mov(dword(FAULT_ERROR), 0xFFFF_FFFFL).mov(dword(FAULT_ERROR + 4), 0).mov(dword(FAULT_CR2), 0)
                .mov(dword(FAULT_VECTOR), 0xFF);
        return this;
    }

    /** Prints the last fault as {@code name.vector}, {@code name.error}, {@code name.cr2} (32-bit code). */
    public GuestKit reportFault(String name) {
        reportMem(name + ".vector", FAULT_VECTOR);
        reportMem(name + ".error", FAULT_ERROR);
        return reportMem(name + ".cr2", FAULT_CR2);
    }

    private static int indexOf(int vector) {
        for (int i = 0; i < HANDLED.length; i++) {
            if (HANDLED[i] == vector) {
                return i;
            }
        }
        return -1;
    }

    // ---- the image ----

    /** Appends the runtime (helpers, handlers, strings) and returns the multiboot ELF image. */
    public byte[] image() {
        emitRuntime();
        byte[] code = a.assemble();
        return MultibootElf.image(code, ORIGIN, a.addressOfBound(entry));
    }

    private void emitRuntime() {
        a.bits(4);
        // puts: ESI → NUL-terminated string to COM1.
        Label loop = a.label(), done = a.label();
        a.bind(puts).push(EAX).push(EDX).mov(DX, 0x3F8);
        a.bind(loop).mov(AL, bytePtr(ESI, 0)).test(AL, AL).jccShort(Condition.E, done);
        a.out(DX, AL).inc(ESI).jmpShort(loop);
        a.bind(done).pop(EDX).pop(EAX).ret();
        // puthex: EAX as 8 hex digits.
        Label digit = a.label(), letter = a.label(), next = a.label();
        a.bind(putHex).push(EAX).push(EBX).push(ECX).push(EDX);
        a.mov(EBX, EAX).mov(ECX, 8).mov(DX, 0x3F8);
        a.bind(digit).emit(dev.hvspec.machine.cpu.isa.Mnemonic.ROL, EBX, imm(4));
        a.mov(AL, BL).and(AL, 0xF).cmp(AL, 10).jccShort(Condition.AE, letter);
        a.add(AL, '0').jmpShort(next);
        a.bind(letter).add(AL, 'a' - 10);
        a.bind(next).out(DX, AL).dec(ECX).jcc(Condition.NE, digit);
        a.pop(EDX).pop(ECX).pop(EBX).pop(EAX).ret();
        // The same two helpers in 64-bit code.
        a.bits(8);
        Label loop64 = a.label(), done64 = a.label();
        a.bind(puts64).push(RAX).push(RDX).mov(DX, 0x3F8);
        a.bind(loop64).mov(AL, bytePtr(RSI, 0)).test(AL, AL).jccShort(Condition.E, done64);
        a.out(DX, AL).inc(RSI).jmpShort(loop64);
        a.bind(done64).pop(RDX).pop(RAX).ret();
        Label digit64 = a.label(), letter64 = a.label(), next64 = a.label();
        a.bind(putHex64).push(RAX).push(RBX).push(RCX).push(RDX);
        a.mov(EBX, EAX).mov(ECX, 8).mov(DX, 0x3F8);
        a.bind(digit64).emit(dev.hvspec.machine.cpu.isa.Mnemonic.ROL, EBX, imm(4));
        a.mov(AL, BL).and(AL, 0xF).cmp(AL, 10).jccShort(Condition.AE, letter64);
        a.add(AL, '0').jmpShort(next64);
        a.bind(letter64).add(AL, 'a' - 10);
        a.bind(next64).out(DX, AL).dec(ECX).jcc(Condition.NE, digit64);
        a.pop(RDX).pop(RCX).pop(RBX).pop(RAX).ret();
        a.bits(4);
        // 32-bit handlers: record vector, error code (if any), CR2, and resume.
        for (int i = 0; i < HANDLED.length; i++) {
            int v = HANDLED[i];
            a.bind(handlers32[i]);
            if (v == 13 || v == 14) {
                a.pop(dword(FAULT_ERROR));
            }
            a.mov(dword(FAULT_VECTOR), v).push(EAX).mov(EAX, CR2).mov(dword(FAULT_CR2), EAX);
            a.inc(dword(FAULT_COUNT)).mov(EAX, dword(FAULT_RESUME)).mov(dword(ESP, 4), EAX).pop(EAX).iret();
        }
        a.bind(unexpected32);
        print("unexpected exception\n");
        exit(0x7E);
        // 64-bit handlers.
        a.bits(8);
        for (int i = 0; i < HANDLED.length; i++) {
            int v = HANDLED[i];
            a.bind(handlers64[i]);
            if (v == 13 || v == 14) {
                a.pop(qword(FAULT_ERROR));
            }
            a.mov(dword(FAULT_VECTOR), v).push(RAX).mov(RAX, CR2).mov(qword(FAULT_CR2), RAX);
            a.inc(dword(FAULT_COUNT)).mov(RAX, qword(FAULT_RESUME)).mov(qword(RSP, 8), RAX).pop(RAX).iretq();
        }
        a.bind(unexpected64).mov(EAX, 0x7E).mov(DX, 0xF4).out(DX, EAX).hlt();
        a.bits(4);
        for (Object[] s : strings) {
            a.bind((Label) s[0]).asciz((String) s[1]);
        }
    }
}
