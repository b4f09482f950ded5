package dev.hvspec.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of an ELF32 executable a loader needs (System V ABI, "ELF Header" and "Program
 * Header"): the entry point and the PT_LOAD segments with their physical addresses. Every field is
 * bounds-checked: a garbage or truncated file is a {@link BootException}, never an exception.
 */
public record Elf32Image(long entry, List<Segment> segments) {
    static final int PT_LOAD = 1;
    static final int EM_386 = 3;
    static final int ET_EXEC = 2;

    /** A PT_LOAD segment: {@code fileSize} bytes from {@code fileOffset}, zero-filled to {@code memorySize}. */
    public record Segment(long physicalAddress, long virtualAddress, long fileOffset, long fileSize, long memorySize) {
    }

    public static boolean looksLikeElf(byte[] file) {
        return file.length >= 4 && file[0] == 0x7F && file[1] == 'E' && file[2] == 'L' && file[3] == 'F';
    }

    public static Elf32Image parse(byte[] file) throws BootException {
        if (!looksLikeElf(file)) {
            throw new BootException("not an ELF file");
        }
        if (file.length < 52) {
            throw new BootException("truncated ELF header");
        }
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        if (file[4] != 1) {
            throw new BootException("not a 32-bit ELF (EI_CLASS " + file[4] + "): give a 32-bit multiboot image");
        }
        if (file[5] != 1) {
            throw new BootException("not a little-endian ELF");
        }
        int type = b.getShort(16) & 0xFFFF;
        int machine = b.getShort(18) & 0xFFFF;
        if (machine != EM_386) {
            throw new BootException("ELF machine " + machine + " is not EM_386");
        }
        if (type != ET_EXEC) {
            throw new BootException("ELF type " + type + " is not an executable");
        }
        long entry = b.getInt(24) & 0xFFFF_FFFFL;
        long phoff = b.getInt(28) & 0xFFFF_FFFFL;
        int phentsize = b.getShort(42) & 0xFFFF;
        int phnum = b.getShort(44) & 0xFFFF;
        if (phentsize < 32 || phoff + (long) phnum * phentsize > file.length) {
            throw new BootException("program headers lie outside the file");
        }
        List<Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            if ((b.getInt(at) & 0xFFFF_FFFFL) != PT_LOAD) {
                continue;
            }
            long offset = b.getInt(at + 4) & 0xFFFF_FFFFL;
            long vaddr = b.getInt(at + 8) & 0xFFFF_FFFFL;
            long paddr = b.getInt(at + 12) & 0xFFFF_FFFFL;
            long filesz = b.getInt(at + 16) & 0xFFFF_FFFFL;
            long memsz = b.getInt(at + 20) & 0xFFFF_FFFFL;
            if (offset + filesz > file.length) {
                throw new BootException("segment " + i + " lies outside the file");
            }
            if (filesz > memsz) {
                throw new BootException("segment " + i + " has p_filesz > p_memsz");
            }
            segments.add(new Segment(paddr, vaddr, offset, filesz, memsz));
        }
        if (segments.isEmpty()) {
            throw new BootException("no PT_LOAD segments");
        }
        return new Elf32Image(entry, segments);
    }

    public long lowestAddress() {
        return segments.stream().mapToLong(Segment::physicalAddress).min().orElse(0);
    }

    public long highestAddress() {
        return segments.stream().mapToLong(s -> s.physicalAddress() + s.memorySize()).max().orElse(0);
    }
}
