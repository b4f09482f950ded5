package dev.hvspec.machine.cpu.isa;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HexFormat;

import static dev.hvspec.machine.cpu.isa.Asm.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The assembler against NASM: the same program written with our fluent API and in NASM syntax
 * must give identical bytes (NASM picks the shortest encodings, as we do).
 */
class AssemblerTest {
    /** A boot stub real → protected → long mode, with data, alignment and label references. */
    private static Assembler bootStub() {
        Assembler a = new Assembler(0x7C00, 2);
        Label gdtr = a.label("gdtr"), gdt = a.label("gdt"), pm = a.label("pm"), lm = a.label("lm");
        Label msg = a.label("msg"), loop = a.label("loop"), done = a.label("done");
        a.cli().xor(AX, AX).mov(DS, AX).mov(SS, AX).mov(SP, 0x7C00);
        a.lgdt(a.absolute(0, gdtr));
        a.mov(EAX, CR0).or(EAX, 1).mov(CR0, EAX);
        a.jmpFar(0x08, pm, 4);
        a.bits(4).bind(pm);
        a.mov(EAX, 0x10).mov(DS, AX).mov(ES, AX).mov(SS, AX).mov(ESP, 0x90000);
        a.mov(ESI, a.addressOf(msg)).mov(DX, 0x3F8);
        a.bind(loop).lods(1).test(AL, AL).jccShort(Condition.E, done).out(DX, AL).jmpShort(loop);
        a.bind(done);
        a.mov(EAX, CR4).or(EAX, 1 << 5).mov(CR4, EAX);
        a.mov(ECX, 0xC0000080).rdmsr().or(EAX, 1 << 8).wrmsr();
        a.mov(dword(EBX, 8), 0x12345678).add(mem(4, EBX, ECX, 4, -16), EDX);
        a.lea(EDI, mem(0, ESP, null, 1, 0x20));
        a.jmpFar(0x18, lm, 4);
        a.bits(8).bind(lm);
        a.mov(RAX, a.addressOf64(msg)).mov(R9, qword(RSP, 8)).add(R9, 0x7F).push(R15).pop(RBX);
        a.mov(EAX, a.ripRelative(4, msg)).mov(DX, 0xF4).out(DX, EAX);
        a.rep().stos(8).movs(1).hlt().jmp(lm);
        a.align(8).bind(gdt).dq(0, 0x00CF9A000000FFFFL, 0x00CF92000000FFFFL, 0x00AF9A000000FFFFL);
        a.bind(gdtr).dw(0x1F).dd(gdt);
        a.bind(msg).asciz("hello");
        return a;
    }

    private static final String BOOT_STUB_NASM = """
            bits 16
            org 0x7c00
                cli
                xor ax, ax
                mov ds, ax
                mov ss, ax
                mov sp, 0x7c00
                lgdt [gdtr]
                mov eax, cr0
                or eax, 1
                mov cr0, eax
                jmp dword 0x08:pm
            bits 32
            pm: mov eax, 0x10
                mov ds, ax
                mov es, ax
                mov ss, ax
                mov esp, 0x90000
                mov esi, msg
                mov dx, 0x3f8
            loop: lodsb
                test al, al
                je short done
                out dx, al
                jmp short loop
            done:
                mov eax, cr4
                or eax, 1 << 5
                mov cr4, eax
                mov ecx, 0xc0000080
                rdmsr
                or eax, 1 << 8
                wrmsr
                mov dword [ebx + 8], 0x12345678
                add [ebx + ecx*4 - 16], edx
                lea edi, [esp + 0x20]
                jmp dword 0x18:lm
            bits 64
            lm: mov rax, msg
                mov r9, [rsp + 8]
                add r9, 0x7f
                push r15
                pop rbx
                mov eax, [rel msg]
                mov dx, 0xf4
                out dx, eax
                rep stosq
                movsb
                hlt
                jmp near lm
            align 8, db 0
            gdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff, 0x00af9a000000ffff
            gdtr: dw 0x1f
                dd gdt
            msg: db "hello", 0
            """;

    @Test
    void bootStubMatchesNasm() throws Exception {
        Nasm.assumeInstalled();
        byte[] ours = bootStub().assemble();
        byte[] theirs = Nasm.assemble(BOOT_STUB_NASM).binary();
        assertThat(HexFormat.of().formatHex(ours)).isEqualTo(HexFormat.of().formatHex(theirs));
    }

    @Test
    void assembledCodeDecodesToWhatWasAsked() throws Exception {
        // Independent of nasm: decode our own output and check a few instructions by hand.
        Assembler a = new Assembler(0x1000, 4);
        a.add(EAX, 5).add(EAX, 0x100).mov(ECX, 0).shl(EDX, 1);
        byte[] code = a.assemble();
        Decoder d = new Decoder(EnumSet.allOf(IsaFeature.class));
        Instruction add8 = d.decode(CodeSource.of(code, 0), 4);
        assertThat(add8.opcode()).as("83 /0 ib is the shortest").isEqualTo(0x83 | (1 << 19));
        Instruction add32 = d.decode(CodeSource.of(code, 3), 4);
        assertThat(add32.opcodeByte()).as("05 id (EAX form) beats 81 /0 id").isEqualTo(0x05);
        Instruction mov = d.decode(CodeSource.of(code, 8), 4);
        assertThat(mov.opcodeByte()).isEqualTo(0xB9);
        Instruction shl = d.decode(CodeSource.of(code, 13), 4);
        assertThat(shl.opcodeByte()).as("D1 /4 shifts by the implied 1").isEqualTo(0xD1);
        assertThat(code).hasSize(15);
    }

    @Test
    void shortJumpOutOfRangeIsAnError() {
        Assembler a = new Assembler(0, 4);
        Label far = a.label();
        a.jmpShort(far).space(200).bind(far);
        assertThatThrownBy(a::assemble).isInstanceOf(IllegalStateException.class).hasMessageContaining("out of range");
    }

    @Test
    void unboundLabelIsAnError() {
        Assembler a = new Assembler(0, 4);
        a.jmp(a.label("nowhere"));
        assertThatThrownBy(a::assemble).hasMessageContaining("nowhere");
    }

    @Test
    void impossibleOperandsAreRejected() {
        Assembler a = new Assembler(0, 4);
        assertThatThrownBy(() -> a.mov(R8D, 1)).as("R8D needs REX, only in 64-bit mode")
                .isInstanceOf(IllegalArgumentException.class);
        Assembler b = new Assembler(0, 8);
        assertThatThrownBy(() -> b.emit(Mnemonic.PUSHA)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.mov(AH, R8B)).as("AH cannot be used with REX").isInstanceOf(IllegalArgumentException.class);
    }
}
