package dev.hvspec.machine.cpu;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** End-to-end runs of small nasm-assembled programs through decode, execute and event delivery. */
class CpuSmokeTest {
    @BeforeAll
    static void needsNasm() {
        assumeTrue(CpuHarness.nasmAvailable(), "nasm is not installed (CI installs it)");
    }

    @Test
    void realModeArithmeticAndPortOutput() throws Exception {
        CpuHarness h = new CpuHarness(1 << 20);
        h.load(0x7C00, CpuHarness.nasm("""
                bits 16
                org 0x7c00
                    mov ax, 0x1234
                    add ax, 0x0101      ; 0x1335
                    mov cx, 3
                again:
                    mov al, 'A'
                    add al, cl
                    out 0xe9, al        ; D C B
                    loop again
                    hlt
                """));
        h.startReal(0x7C00);
        assertThat(h.runToHalt()).isInstanceOf(CpuExit.Halt.class);
        assertThat(h.console.toString()).isEqualTo("DCB");
        assertThat(h.cpu.state().gpr[CpuState.RCX] & 0xFFFF).isZero();
    }

    @Test
    void realModeSoftwareInterruptThroughTheIvt() throws Exception {
        CpuHarness h = new CpuHarness(1 << 20);
        h.load(0x7C00, CpuHarness.nasm("""
                bits 16
                org 0x7c00
                    xor ax, ax
                    mov ds, ax
                    mov ss, ax
                    mov sp, 0x7000
                    mov word [0x80*4], handler
                    mov word [0x80*4+2], 0
                    int 0x80
                    mov al, 'R'
                    out 0xe9, al
                    hlt
                handler:
                    mov al, 'H'
                    out 0xe9, al
                    iret
                """));
        h.startReal(0x7C00);
        assertThat(h.runToHalt()).isInstanceOf(CpuExit.Halt.class);
        assertThat(h.console.toString()).isEqualTo("HR");
        assertThat(h.cpu.state().gpr[CpuState.RSP] & 0xFFFF).isEqualTo(0x7000);
    }

    @Test
    void protectedThenLongModeWithPaging() throws Exception {
        CpuHarness h = new CpuHarness(4 << 20);
        h.load(0x7C00, CpuHarness.nasm("""
                bits 16
                org 0x7c00
                    cli
                    lgdt [gdtr]
                    mov eax, cr0
                    or eax, 1
                    mov cr0, eax
                    jmp 0x08:pm
                bits 32
                pm:
                    mov ax, 0x10
                    mov ds, ax
                    mov es, ax
                    mov ss, ax
                    mov esp, 0x90000
                    ; identity-map the first 2 MiB with one PML4, PDPT, PD (2 MiB page)
                    mov dword [0x10000], 0x11003
                    mov dword [0x11000], 0x12003
                    mov dword [0x12000], 0x00083
                    mov eax, 0x10000
                    mov cr3, eax
                    mov eax, cr4
                    or eax, 1 << 5
                    mov cr4, eax
                    mov ecx, 0xC0000080
                    rdmsr
                    or eax, 1 << 8
                    wrmsr
                    mov eax, cr0
                    or eax, 1 << 31
                    mov cr0, eax
                    jmp 0x18:lm
                bits 64
                lm:
                    mov rax, 0x123456789
                    mov rbx, 0x100000000
                    add rax, rbx
                    mov [rel result], rax
                    mov al, 'L'
                    out 0xe9, al
                    hlt
                align 8
                result: dq 0
                gdt:
                    dq 0
                    dq 0x00CF9A000000FFFF   ; 32-bit code
                    dq 0x00CF92000000FFFF   ; data
                    dq 0x00AF9A000000FFFF   ; 64-bit code
                gdtr:
                    dw gdtr - gdt - 1
                    dd gdt
                """));
        h.startReal(0x7C00);
        CpuExit exit = h.runToHalt();
        assertThat(exit).isInstanceOf(CpuExit.Halt.class);
        assertThat(h.console.toString()).isEqualTo("L");
        assertThat(h.cpu.state().gpr[CpuState.RAX] & ~0xFFL).isEqualTo(0x223456700L);
        assertThat(h.cpu.state().mode64()).isTrue();
    }

    @Test
    void protectedModeDivideErrorGoesThroughTheIdt() throws Exception {
        CpuHarness h = new CpuHarness(1 << 20);
        h.load(0x7C00, CpuHarness.nasm("""
                bits 16
                org 0x7c00
                    cli
                    lgdt [gdtr]
                    mov eax, cr0
                    or eax, 1
                    mov cr0, eax
                    jmp 0x08:pm
                bits 32
                pm:
                    mov ax, 0x10
                    mov ds, ax
                    mov ss, ax
                    mov esp, 0x90000
                    lidt [idtr]
                    xor ecx, ecx
                    mov eax, 1
                faulting:
                    div ecx
                    hlt
                de_handler:
                    mov eax, [esp]          ; the saved EIP: the faulting DIV
                    mov [saved], eax
                    mov al, 'E'
                    out 0xe9, al
                    hlt
                align 8
                saved: dd 0
                gdt:
                    dq 0
                    dq 0x00CF9A000000FFFF
                    dq 0x00CF92000000FFFF
                gdtr:
                    dw gdtr - gdt - 1
                    dd gdt
                idt:
                    dw de_handler - 0        ; offset 15:0 (code below 64 KiB)
                    dw 0x08
                    db 0, 0x8E
                    dw 0
                idtr:
                    dw 7
                    dd idt
                """));
        h.startReal(0x7C00);
        assertThat(h.runToHalt()).isInstanceOf(CpuExit.Halt.class);
        assertThat(h.console.toString()).isEqualTo("E");
    }
}
