package dev.hvspec.bench;

import dev.hvspec.machine.cpu.isa.Assembler;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Wraps 32-bit code into a Multiboot v1 ELF32 executable (Multiboot 0.6.96 §3.1; System V ABI
 * ELF header and program header): one PT_LOAD segment at the code's origin whose first 12 bytes
 * are the multiboot header (magic, flags 0, checksum). Use {@link #header(Assembler)} as the first
 * thing assembled.
 */
public final class MultibootElf {
    static final int ELF_HEADER = 52;
    static final int PROGRAM_HEADER = 32;
    static final int SEGMENT_OFFSET = 0x1000;

    private MultibootElf() {
    }

    /** Emits the multiboot header (magic 0x1BADB002, flags 0: an ELF image needs no address fields). */
    public static void header(Assembler a) {
        a.dd(0x1BADB002L, 0, (-0x1BADB002L) & 0xFFFF_FFFFL);
    }

    /** The ELF image of {@code code} (assembled at {@code origin}), entered at {@code entry}. */
    public static byte[] image(byte[] code, long origin, long entry) {
        ByteBuffer b = ByteBuffer.allocate(SEGMENT_OFFSET + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0});
        b.position(16);
        b.putShort((short) 2).putShort((short) 3).putInt(1);        // ET_EXEC, EM_386, EV_CURRENT
        b.putInt((int) entry).putInt(ELF_HEADER).putInt(0).putInt(0); // e_entry, e_phoff, e_shoff, e_flags
        b.putShort((short) ELF_HEADER).putShort((short) PROGRAM_HEADER).putShort((short) 1); // ehsize, phentsize, phnum
        b.putShort((short) 0).putShort((short) 0).putShort((short) 0);                      // no sections
        b.putInt(1).putInt(SEGMENT_OFFSET).putInt((int) origin).putInt((int) origin);      // PT_LOAD, offset, vaddr, paddr
        b.putInt(code.length).putInt(code.length).putInt(7).putInt(0x1000);                // filesz, memsz, RWX, align
        b.position(SEGMENT_OFFSET);
        b.put(code);
        return b.array();
    }
}
