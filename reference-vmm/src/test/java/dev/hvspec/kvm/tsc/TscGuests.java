package dev.hvspec.kvm.tsc;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import static dev.hvspec.machine.cpu.isa.Asm.*;

/** Guests that look at the TSC's rate: RDTSC across a counted loop, and a TSC-deadline interrupt. */
final class TscGuests {
    /** Iterations of the DEC/JNZ loop between the two RDTSCs. */
    static final int LOOPS = 1000;
    /**
     * Instructions retired from the first RDTSC's clock read to the second's: the first RDTSC
     * itself, MOV ESI, MOV ECX, and LOOPS × (DEC, JNZ). On a 1 ns-per-instruction clock that is the
     * nanoseconds between the reads (VmClock: RDTSC sees the progress of the instructions before it).
     */
    static final int INSTRUCTIONS_BETWEEN_READS = 1 + 2 + 2 * LOOPS;

    /** The TSC-deadline timer's vector. */
    static final int TIMER_VECTOR = 0x40;
    /** How far ahead of the current TSC the deadline is armed, in TSC ticks. */
    static final long DEADLINE_TICKS = 600_000;
    /** Instructions per iteration of the wait loop (INC, CMP, JE). */
    static final int WAIT_LOOP_INSTRUCTIONS = 3;
    private static final long DEADLINE = GuestKit.FREE, FIRED_TSC = GuestKit.FREE + 8, FIRED = GuestKit.FREE + 16;
    private static final long LAPIC = 0xFEE0_0000L, SVR = LAPIC + 0xF0, EOI = LAPIC + 0xB0, LVT_TIMER = LAPIC + 0x320;
    private static final int IA32_TSC_DEADLINE = 0x6E0;

    private TscGuests() {
    }

    /** Prints {@code delta=}: the low 32 bits of the TSC difference across the loop (SDM 3B §17.17). */
    static byte[] rateImage() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        Label loop = a.label();
        a.rdtsc().mov(ESI, EAX).mov(ECX, LOOPS);
        a.bind(loop).dec(ECX).jcc(Condition.NE, loop);
        a.rdtsc().sub(EAX, ESI);
        k.report("delta", EAX);
        k.exit(0);
        return k.image();
    }

    /**
     * Arms the local APIC timer in TSC-deadline mode (SDM 3A §11.5.4.1: LVT timer mode 10b, the
     * interrupt when the TSC reaches IA32_TSC_DEADLINE) {@link #DEADLINE_TICKS} ahead and counts
     * wait-loop iterations until its interrupt; prints {@code spins=} and {@code late=} (the TSC the
     * handler read minus the deadline).
     */
    static byte[] deadlineImage() {
        GuestKit k = new GuestKit();
        Assembler a = k.a;
        Label handler = a.label(), idtr = a.label(), skip = a.label(), wait = a.label();
        long gate = GuestKit.IDT + TIMER_VECTOR * 8L;
        a.mov(EAX, a.addressOf(handler));
        a.mov(word(gate), AX).shr(EAX, 16).mov(word(gate + 6), AX);
        a.mov(word(gate + 2), 0x08).mov(word(gate + 4), 0x8E00); // present, DPL 0, 32-bit interrupt gate
        a.lidt(a.absolute(0, idtr)).jmp(skip);
        a.bind(idtr).dw((TIMER_VECTOR + 1) * 8 - 1).dd(GuestKit.IDT);
        a.bind(skip);
        a.mov(dword(FIRED), 0);
        a.mov(dword(SVR), 0x1FF);                              // APIC software enable, spurious vector FFH
        a.mov(dword(LVT_TIMER), TIMER_VECTOR | 0b10 << 17);    // TSC-deadline mode, not masked
        a.rdtsc().add(EAX, DEADLINE_TICKS).emit(Mnemonic.ADC, EDX, imm(0));
        a.mov(dword(DEADLINE), EAX).mov(dword(DEADLINE + 4), EDX);
        a.mov(ECX, IA32_TSC_DEADLINE).xor(EBX, EBX).wrmsr().sti();
        a.bind(wait).inc(EBX).cmp(dword(FIRED), 0).jcc(Condition.E, wait);
        a.cli();
        k.report("spins", EBX);
        a.mov(EAX, dword(FIRED_TSC)).sub(EAX, dword(DEADLINE));
        k.report("late", EAX);
        k.exit(0);
        a.bind(handler).push(EAX).push(EDX).rdtsc();
        a.mov(dword(FIRED_TSC), EAX).mov(dword(FIRED_TSC + 4), EDX).mov(dword(FIRED), 1);
        a.mov(dword(EOI), 0).pop(EDX).pop(EAX).iret();
        return k.image();
    }
}
