package dev.hvspec.machine.cpu;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hardware breakpoints, general detect and the resume flag, against SDM 3B §17.2–§17.3:
 * instruction breakpoints fault before the instruction with RF pushed as 0, data breakpoints
 * trap after the access, MOV DRn with DR7.GD faults with DR6.BD, and fault-class exceptions
 * push RF = 1. Each guest is assembled by nasm; a #DB handler records DR6, the saved EIP and the
 * saved EFLAGS, then returns with RF set in the image (the SDM's advice for debuggers).
 */
class DebugBreakpointTest {
    private static final int DR6_SAVED = 0x1000, EIP_SAVED = 0x1004, FLAGS_SAVED = 0x1008, DB_COUNT = 0x100C;
    private static final int MARK = 0x1010, WATCHED = 0x2000, DE_FLAGS = 0x1014, FIRST_EIP = 0x101C;
    private static final long RF = 1L << 16;

    @BeforeAll
    static void nasm() {
        assumeTrue(CpuHarness.nasmAvailable(), "nasm is needed to assemble the guests");
    }

    /** A protected-mode guest: GDT, IDT with #DE and #DB handlers, then {@code body}, then HLT. */
    private static CpuHarness run(String body) throws Exception {
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
                    mov es, ax
                    mov ss, ax
                    mov esp, 0x90000
                    lidt [idtr]
                %s
                    hlt
                db_handler:
                    push eax
                    mov eax, dr6
                    mov [0x1000], eax
                    mov eax, [esp+4]
                    mov [0x1004], eax
                    cmp dword [0x100c], 0
                    jne .not_first
                    mov [0x101c], eax            ; the first #DB's saved EIP
                .not_first:
                    mov eax, [esp+12]
                    mov [0x1008], eax
                    inc dword [0x100c]
                    or dword [esp+12], 0x10000   ; RF in the image: resume without re-faulting
                    pop eax
                    iret
                de_handler:
                    push eax
                    mov eax, [esp+12]
                    mov [0x1014], eax
                    pop eax
                    mov ecx, 1                   ; make the DIV succeed on return
                    iret
                align 8
                gdt:
                    dq 0
                    dq 0x00CF9A000000FFFF
                    dq 0x00CF92000000FFFF
                gdtr:
                    dw gdtr - gdt - 1
                    dd gdt
                idt:
                    dw de_handler, 0x08
                    db 0, 0x8E
                    dw 0
                    dw db_handler, 0x08
                    db 0, 0x8E
                    dw 0
                idtr:
                    dw 15
                    dd idt
                """.formatted(body)));
        h.startReal(0x7C00);
        assertThat(h.runToHalt()).isInstanceOf(CpuExit.Halt.class);
        return h;
    }

    @Test
    void instructionBreakpointFaultsBeforeTheInstructionAndRfResumesIt() throws Exception {
        // SDM 3B §17.3.1.1: a fault; RIP is the breakpointed instruction, which has not run;
        // the RF image is the current RF (0); with RF set on return the instruction runs once.
        CpuHarness h = run("""
                    mov eax, target
                    mov dr0, eax
                    mov eax, 1                   ; L0, R/W0 = 00 (execute), LEN0 = 00
                    mov dr7, eax
                    mov ecx, 5
                    mov [0x1010], ecx
                target:
                    mov ecx, 7
                    mov [0x1010], ecx
                """);
        assertThat(h.u32(DB_COUNT)).as("#DB count").isEqualTo(1);
        assertThat(h.u32(DR6_SAVED) & 0xF).as("DR6.B3-B0").isEqualTo(0b0001);
        assertThat(h.u32(FLAGS_SAVED) & RF).as("pushed RF").isZero();
        assertThat(h.u32(MARK)).as("the instruction ran after the return").isEqualTo(7);
        assertThat(h.cpu.state().rflags & RF).as("RF cleared after the resumed instruction").isZero();
    }

    @Test
    void dataWriteBreakpointTrapsAfterTheWriteAndIgnoresReads() throws Exception {
        // SDM 3B §17.3.1.2: a trap; the write has happened and the saved EIP is the next instruction.
        CpuHarness h = run("""
                    mov eax, 0x2000
                    mov dr1, eax
                    mov eax, 0x00d00004          ; L1, R/W1 = 01 (writes), LEN1 = 11 (4 bytes)
                    mov dr7, eax
                    mov ebx, [0x2000]            ; a read: no #DB for a write breakpoint
                    mov dword [0x2002], 0x99     ; overlaps bytes 2-3 of the watched dword
                after:
                    mov [0x1010], dword after
                """);
        assertThat(h.u32(DB_COUNT)).isEqualTo(1);
        assertThat(h.u32(DR6_SAVED) & 0xF).isEqualTo(0b0010);
        assertThat(h.u32(EIP_SAVED)).as("saved EIP").isEqualTo(h.u32(MARK));
        assertThat(h.u32(WATCHED + 2)).isEqualTo(0x99);
    }

    @Test
    void readWriteBreakpointIgnoresTheLowAddressBitsItsLengthImplies() throws Exception {
        // SDM 3B §17.2.5: a 2-byte breakpoint at 0x2001 covers 0x2000-0x2001; R/W 11 hits on reads.
        CpuHarness h = run("""
                    mov eax, 0x2001
                    mov dr2, eax
                    mov eax, 0x07300010          ; L2, R/W2 = 11, LEN2 = 01 (2 bytes)
                    mov dr7, eax
                    mov al, [0x2002]             ; outside: no #DB
                    mov al, [0x2000]             ; inside
                after:
                    mov [0x1010], dword after
                """);
        assertThat(h.u32(DB_COUNT)).isEqualTo(1);
        assertThat(h.u32(DR6_SAVED) & 0xF).isEqualTo(0b0100);
        assertThat(h.u32(EIP_SAVED)).isEqualTo(h.u32(MARK));
    }

    @Test
    void disabledBreakpointsDoNotFire() throws Exception {
        // SDM 3B §17.2.4: only Ln/Gn enable a condition; DR0 holds the address with DR7 = 0.
        CpuHarness h = run("""
                    mov eax, target
                    mov dr0, eax
                    xor eax, eax
                    mov dr7, eax
                target:
                    nop
                """);
        assertThat(h.u32(DB_COUNT)).isZero();
    }

    @Test
    void generalDetectFaultsOnMovDrWithBdAndClearsGd() throws Exception {
        // SDM 3B §17.2.4: with DR7.GD, MOV DRn faults (#DB) before executing, DR6.BD is set and GD
        // is cleared on entry to the handler; a fault pushes RF = 1; the MOV then runs.
        CpuHarness h = run("""
                    mov eax, 0x2400              ; GD (bit 13) and the reserved bit 10
                    mov dr7, eax
                mov_dr:
                    mov eax, dr6
                    mov [0x1010], dword mov_dr
                """);
        assertThat(h.u32(DB_COUNT)).isEqualTo(1);
        assertThat(h.u32(DR6_SAVED) & (1 << 13)).as("DR6.BD").isNotZero();
        assertThat(h.u32(EIP_SAVED)).as("faulting MOV").isEqualTo(h.u32(MARK));
        assertThat(h.u32(FLAGS_SAVED) & RF).as("pushed RF").isEqualTo(RF);
        assertThat(h.cpu.state().dr[7] & (1 << 13)).as("DR7.GD").isZero();
    }

    @Test
    void faultClassExceptionsPushRfSet() throws Exception {
        // SDM 3B §17.3.1.1: "for any fault-class exception ... the value pushed for RF is 1".
        CpuHarness h = run("""
                    xor ecx, ecx
                    mov eax, 1
                    xor edx, edx
                    div ecx
                """);
        assertThat(h.u32(DE_FLAGS) & RF).isEqualTo(RF);
    }

    @Test
    void repeatedStringTrapsAfterTheIterationThatHitAndResumes() throws Exception {
        // SDM 3B §17.3.1.2 and §17.3.1.1: the trap follows the iteration that wrote the watched
        // byte; RIP still points at the REP MOVSB, ECX counts the rest, and RF = 1 is pushed.
        CpuHarness h = run("""
                    mov eax, 0x2003
                    mov dr3, eax
                    mov eax, 0x10000040          ; L3, R/W3 = 01, LEN3 = 00
                    mov dr7, eax
                    mov esi, 0x3000
                    mov edi, 0x2000
                    mov ecx, 8
                    cld
                copy:
                    rep movsb
                    mov [0x1010], dword copy
                    mov [0x1018], ecx
                """);
        assertThat(h.u32(DB_COUNT)).isEqualTo(1);
        assertThat(h.u32(DR6_SAVED) & 0xF).isEqualTo(0b1000);
        assertThat(h.u32(EIP_SAVED)).as("the REP MOVSB").isEqualTo(h.u32(MARK));
        assertThat(h.u32(FLAGS_SAVED) & RF).isEqualTo(RF);
        assertThat(h.u32(0x1018)).as("ECX after the resumed copy").isZero();
    }

    @Test
    void movSsHoldsTheSingleStepTrapUntilTheNextInstructionEnds() throws Exception {
        // SDM 3A §6.8.3: MOV SS inhibits debug exceptions until after the next instruction; TF
        // set by POPFD would trap after MOV SS, and traps after the MOV EBX instead, once.
        CpuHarness h = run("""
                    mov eax, 0x10
                    pushfd
                    or dword [esp], 0x100
                    popfd
                    mov ss, ax
                    mov ebx, 2
                after:
                    nop
                    pushfd
                    and dword [esp], ~0x100
                    popfd
                    mov [0x1010], dword after
                """);
        assertThat(h.u32(FIRST_EIP)).as("first #DB after the instruction following MOV SS").isEqualTo(h.u32(MARK));
        assertThat(h.u32(DR6_SAVED) & (1 << 14)).as("DR6.BS").isNotZero();
    }
}
