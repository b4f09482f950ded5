package dev.hvspec.vmm.compat;

import dev.hvspec.machine.cpu.isa.Asm;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Condition;
import dev.hvspec.machine.cpu.isa.Label;
import dev.hvspec.vmm.boot.FlatMultibootImage;

import static dev.hvspec.machine.cpu.isa.Asm.AL;
import static dev.hvspec.machine.cpu.isa.Asm.AX;
import static dev.hvspec.machine.cpu.isa.Asm.DX;
import static dev.hvspec.machine.cpu.isa.Asm.EAX;
import static dev.hvspec.machine.cpu.isa.Asm.EBX;
import static dev.hvspec.machine.cpu.isa.Asm.ESI;
import static dev.hvspec.machine.cpu.isa.Asm.ESP;

/**
 * The guest of the old/new matrix: a flat multiboot program (32-bit protected mode, as a multiboot
 * loader enters it) that prints on COM1, programs the 8259A pair and the 8254 the way a PC
 * operating system does, counts {@link #TICKS} timer interrupts (IRQ 0, vector 20H) in a
 * {@code sti; hlt} loop and ends with isa-debug-exit {@link #EXIT_VALUE}. Where the PIC and the PIT
 * live (kernel or userspace) is the VMM's business; the guest only sees that ticks arrive.
 */
public final class MatrixGuest {
    static final long LOAD_ADDRESS = 0x10_0000;
    public static final int TICKS = 5;
    /** isa-debug-exit value: the process exit status is (V << 1) | 1 = 33. */
    public static final int EXIT_VALUE = 0x10;
    public static final String BANNER = "hvspec matrix guest\n";
    public static final String DONE = TICKS + " PIT ticks through the 8259A\n";
    /** 8254 input clock 1.193182 MHz (i8254 datasheet): a count of 1193 is one millisecond. */
    static final int PIT_COUNT = 1193;
    static final int COM1 = 0x3F8;
    static final int IRQ0_VECTOR = 0x20;

    private MatrixGuest() {
    }

    /** What the guest prints on COM1 when every tick arrived. */
    public static String expectedOutput() {
        return BANNER + DONE;
    }

    public static byte[] image() {
        Assembler a = new Assembler(LOAD_ADDRESS + FlatMultibootImage.HEADER_SIZE, 4);
        Label idt = a.label(), idtr = a.label(), ticks = a.label(), handler = a.label();
        Label print = a.label(), banner = a.label(), done = a.label(), wait = a.label();
        a.mov(ESP, 0x8_0000);
        // IDT entry 20H: a 32-bit interrupt gate to the handler through the loader's code selector 08H (SDM 3A §6.11).
        a.mov(EBX, a.addressOf(idt)).mov(EAX, a.addressOf(handler));
        a.mov(Asm.mem(2, EBX, IRQ0_VECTOR * 8), AX);
        a.mov(Asm.mem(2, EBX, IRQ0_VECTOR * 8 + 2), 0x08);
        a.mov(Asm.mem(2, EBX, IRQ0_VECTOR * 8 + 4), 0x8E00);
        a.shr(EAX, 16).mov(Asm.mem(2, EBX, IRQ0_VECTOR * 8 + 6), AX);
        a.lidt(a.absolute(0, idtr));
        a.mov(ESI, a.addressOf(banner)).call(print);
        // 8259A pair: ICW1 (edge, cascade, ICW4), ICW2 vector base, ICW3 wiring, ICW4 8086 mode; then
        // OCW1 masks all but IRQ 0 (i8259a datasheet, "Initialization command words").
        int[][] pic = {{0x20, 0x11}, {0x21, IRQ0_VECTOR}, {0x21, 0x04}, {0x21, 0x01},
                {0xA0, 0x11}, {0xA1, 0x28}, {0xA1, 0x02}, {0xA1, 0x01}, {0x21, 0xFE}, {0xA1, 0xFF}};
        for (int[] w : pic) {
            a.mov(AL, w[1]).out(w[0], AL);
        }
        // 8254 counter 0: LSB then MSB, mode 2 (rate generator), binary (i8254 datasheet, control word).
        a.mov(AL, 0x34).out(0x43, AL);
        a.mov(AL, PIT_COUNT & 0xFF).out(0x40, AL);
        a.mov(AL, PIT_COUNT >>> 8).out(0x40, AL);
        a.sti();
        a.bind(wait).hlt();
        a.cmp(a.absolute(4, ticks), TICKS).jcc(Condition.B, wait);
        a.cli();
        a.mov(ESI, a.addressOf(done)).call(print);
        a.mov(DX, 0xF4).mov(EAX, EXIT_VALUE).out(DX, EAX);
        a.hlt();
        // print: the NUL-terminated string at ESI, one byte per THR write once LSR.THRE says empty (PC16550D §8.4).
        Label next = a.label(), empty = a.label(), end = a.label();
        a.bind(print);
        a.bind(next).mov(AL, Asm.mem(1, ESI, 0)).test(AL, AL).jcc(Condition.E, end);
        a.mov(DX, COM1 + 5);
        a.bind(empty).in(AL, DX).test(AL, 0x20).jcc(Condition.E, empty);
        a.mov(AL, Asm.mem(1, ESI, 0)).mov(DX, COM1).out(DX, AL);
        a.inc(ESI).jmp(next);
        a.bind(end).ret();
        // IRQ 0: count, non-specific EOI to the master 8259A (OCW2 20H), return.
        a.bind(handler).push(EAX);
        a.inc(a.absolute(4, ticks));
        a.mov(AL, 0x20).out(0x20, AL);
        a.pop(EAX).iret();
        a.align(8).bind(idt);
        for (int i = 0; i < 0x30; i++) {
            a.dq(0);
        }
        a.bind(idtr).dw(0x30 * 8 - 1).dd(idt);
        a.align(4).bind(ticks).dd(0);
        a.bind(banner).asciz(BANNER);
        a.bind(done).asciz(DONE);
        return FlatMultibootImage.of(LOAD_ADDRESS, a.assemble());
    }
}
