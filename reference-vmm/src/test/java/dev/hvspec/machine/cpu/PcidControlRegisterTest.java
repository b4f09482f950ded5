package dev.hvspec.machine.cpu;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static dev.hvspec.machine.cpu.ControlBits.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * SDM 3A §4.10.1: CR4.PCIDE can be 1 only in IA-32e mode, so "MOV to CR0 causes a
 * general-protection exception if it would clear CR0.PG to 0 while CR4.PCIDE = 1". Checked from
 * compatibility mode, where clearing CR0.PG is otherwise the documented way out of IA-32e mode.
 */
class PcidControlRegisterTest {
    @BeforeAll
    static void needsNasm() {
        assumeTrue(CpuHarness.nasmAvailable(), "nasm is not installed (CI installs it)");
    }

    /** Long mode with CR4.PCIDE = 1 (CR3[11:0] = 0), then a far jump to 32-bit code: compatibility mode. */
    private static CpuHarness inCompatibilityModeWithPcide() throws Exception {
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
                    mov ss, ax
                    mov esp, 0x90000
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
                    mov rax, cr4
                    or eax, 1 << 17
                    mov cr4, rax
                    jmp dword far [rel compat_ptr]   ; m16:32 (nasm adds REX.W to a plain far)
                bits 32
                compat:
                    hlt
                align 8
                compat_ptr:
                    dd compat
                    dw 0x08
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
        assertThat(h.runToHalt()).isInstanceOf(CpuExit.Halt.class);
        CpuState s = h.cpu.state();
        assertThat(s.longModeActive()).as("IA-32e mode").isTrue();
        assertThat(s.mode64()).as("64-bit mode").isFalse();
        assertThat(s.cr4 & CR4_PCIDE).as("CR4.PCIDE").isEqualTo(CR4_PCIDE);
        return h;
    }

    @Test
    void clearingPagingWhilePcideIsSetRaisesGp() throws Exception {
        CpuHarness h = inCompatibilityModeWithPcide();
        CpuState s = h.cpu.state();
        long cr0 = s.cr0;
        assertThatThrownBy(() -> ControlRegisters.writeCr0(h.cpu, cr0 & ~CR0_PG))
                .isInstanceOfSatisfying(CpuException.class, e -> {
                    assertThat(e.vector()).isEqualTo(Vector.GP);
                    assertThat(e.errorCode()).isZero();
                });
        assertThat(s.cr0).as("CR0 unchanged").isEqualTo(cr0);
        assertThat(s.longModeActive()).as("still in IA-32e mode").isTrue();
    }

    @Test
    void withPcideClearedCompatibilityModeLeavesIa32eModeByClearingPaging() throws Exception {
        CpuHarness h = inCompatibilityModeWithPcide();
        CpuState s = h.cpu.state();
        ControlRegisters.writeCr4(h.cpu, s.cr4 & ~CR4_PCIDE);
        ControlRegisters.writeCr0(h.cpu, s.cr0 & ~CR0_PG);
        assertThat(s.cr0 & CR0_PG).isZero();
        assertThat(s.longModeActive()).as("SDM 3A §10.8.5.4: LMA = 0 once paging is off").isFalse();
    }
}
