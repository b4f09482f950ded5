package dev.hvspec.vmm.boot;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Loads a Multiboot (0.6.96) kernel the way QEMU's {@code -kernel} does: an ELF32 image by its
 * program headers, or an a.out-kludge image by the header's address fields; the multiboot
 * information structure at 0x9500 with the memory map at 0x9000, the command line
 * "{@code <kernel path> <arguments>}", boot loader name "qemu", modules after the kernel.
 */
public final class MultibootLoader {
    public static final int HEADER_MAGIC = 0x1BADB002;
    public static final int BOOT_MAGIC = 0x2BADB002;
    /** Where the memory map goes and where the information structure follows it (QEMU's layout). */
    public static final long MMAP_ADDRESS = 0x9000;
    public static final long MBI_ADDRESS = MMAP_ADDRESS + 0x500;
    static final int MBI_SIZE = 88;
    // Multiboot §3.3 information-structure flags.
    static final int FLAG_MEMORY = 1, FLAG_BOOT_DEVICE = 1 << 1, FLAG_CMDLINE = 1 << 2, FLAG_MODULES = 1 << 3,
            FLAG_MMAP = 1 << 6, FLAG_BOOTLOADER = 1 << 9;
    /** Multiboot header flag 16: the address fields are valid (a.out kludge). */
    public static final int HEADER_HAS_ADDRESS = 1 << 16;

    /** A module to load: its contents and the string after its file name. */
    public record Module(byte[] contents, String commandLine) {
    }

    /** Where the kernel wants to start: EIP, and EBX (the information structure). */
    public record Entry(long eip, long ebx) {
    }

    private MultibootLoader() {
    }

    /** The offset of a valid multiboot header in the first 8192 bytes (§3.1.1), or -1. */
    public static int findHeader(byte[] image) {
        ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 12 <= Math.min(image.length, 8192); i += 4) {
            int magic = b.getInt(i);
            int flags = b.getInt(i + 4);
            int checksum = b.getInt(i + 8);
            if (magic == HEADER_MAGIC && magic + flags + checksum == 0) {
                return i;
            }
        }
        return -1;
    }

    public static Entry load(byte[] image, String kernelPath, String arguments, List<Module> modules,
                             List<E820Entry> memoryMap, GuestMemory ram) throws BootException {
        int at = findHeader(image);
        if (at < 0) {
            throw new BootException("no multiboot header in the first 8 KiB");
        }
        ByteBuffer header = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        int flags = header.getInt(at + 4);
        long loadAddress;
        long kernelSize;
        long entry;
        try {
            if ((flags & HEADER_HAS_ADDRESS) == 0) {
                Elf32Image elf = Elf32Image.parse(image);
                for (Elf32Image.Segment s : elf.segments()) {
                    write(ram, s.physicalAddress(), image, (int) s.fileOffset(), (int) s.fileSize());
                    write(ram, s.physicalAddress() + s.fileSize(), new byte[(int) (s.memorySize() - s.fileSize())], 0,
                            (int) (s.memorySize() - s.fileSize()));
                }
                loadAddress = elf.lowestAddress();
                kernelSize = elf.highestAddress() - loadAddress;
                entry = elf.entry();
            } else {
                // §3.1.3: header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr.
                if (at + 32 > image.length) {
                    throw new BootException("truncated multiboot address fields");
                }
                long headerAddr = header.getInt(at + 12) & 0xFFFF_FFFFL;
                loadAddress = header.getInt(at + 16) & 0xFFFF_FFFFL;
                long loadEnd = header.getInt(at + 20) & 0xFFFF_FFFFL;
                long bssEnd = header.getInt(at + 24) & 0xFFFF_FFFFL;
                entry = header.getInt(at + 28) & 0xFFFF_FFFFL;
                if (headerAddr < loadAddress || headerAddr - loadAddress > at) {
                    throw new BootException("invalid multiboot load_addr");
                }
                long textOffset = at - (headerAddr - loadAddress);
                long loadSize = loadEnd != 0 ? loadEnd - loadAddress : image.length - textOffset;
                if (loadEnd != 0 && loadEnd < loadAddress || textOffset + loadSize > image.length || loadSize < 0) {
                    throw new BootException("invalid multiboot load_end_addr");
                }
                kernelSize = bssEnd != 0 ? bssEnd - loadAddress : loadSize;
                if (kernelSize < loadSize) {
                    throw new BootException("invalid multiboot bss_end_addr");
                }
                write(ram, loadAddress, image, (int) textOffset, (int) loadSize);
                write(ram, loadAddress + loadSize, new byte[(int) (kernelSize - loadSize)], 0, (int) (kernelSize - loadSize));
            }
            return writeInformation(kernelPath, arguments, modules, memoryMap, ram, loadAddress, kernelSize, entry);
        } catch (GuestMemoryFault e) {
            throw new BootException("the kernel does not fit in guest RAM: " + e.getMessage());
        }
    }

    private static Entry writeInformation(String kernelPath, String arguments, List<Module> modules,
                                          List<E820Entry> memoryMap, GuestMemory ram, long loadAddress,
                                          long kernelSize, long entry) throws GuestMemoryFault {
        long modInfo = loadAddress + pageAlign(kernelSize);
        long strings = modInfo + 16L * modules.size();
        long cursor = strings;
        long[] moduleCmdlines = new long[modules.size()];
        for (int i = 0; i < modules.size(); i++) {
            moduleCmdlines[i] = cursor;
            cursor = writeString(ram, cursor, modules.get(i).commandLine());
        }
        long cmdline = cursor;
        cursor = writeString(ram, cursor, kernelPath + " " + arguments);
        long bootloader = cursor;
        cursor = writeString(ram, cursor, "qemu");
        cursor = pageAlign(cursor);
        for (int i = 0; i < modules.size(); i++) {
            byte[] contents = modules.get(i).contents();
            write(ram, cursor, contents, 0, contents.length);
            ram.writeU32(modInfo + 16L * i, cursor);
            ram.writeU32(modInfo + 16L * i + 4, cursor + contents.length);
            ram.writeU32(modInfo + 16L * i + 8, moduleCmdlines[i]);
            ram.writeU32(modInfo + 16L * i + 12, 0);
            cursor = pageAlign(cursor + contents.length);
        }
        // The memory map: entries of size(4) base(8) length(8) type(4), size = 20 (§3.3 "mmap_*").
        long mmap = MMAP_ADDRESS;
        for (E820Entry e : memoryMap) {
            ram.writeU32(mmap, 20);
            ram.writeU64(mmap + 4, e.base());
            ram.writeU64(mmap + 12, e.length());
            ram.writeU32(mmap + 20, e.type());
            mmap += 24;
        }
        ByteBuffer mbi = ByteBuffer.allocate(MBI_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        mbi.putInt(0, FLAG_MEMORY | FLAG_BOOT_DEVICE | FLAG_CMDLINE | FLAG_MODULES | FLAG_MMAP | FLAG_BOOTLOADER);
        mbi.putInt(4, (int) lowerMemoryKiB(memoryMap));
        mbi.putInt(8, (int) upperMemoryKiB(memoryMap));
        mbi.putInt(12, 0x8000FFFF); // boot device: BIOS drive 0x80, no partitions (as QEMU reports)
        mbi.putInt(16, (int) cmdline);
        mbi.putInt(20, modules.size());
        mbi.putInt(24, (int) modInfo);
        mbi.putInt(44, (int) (mmap - MMAP_ADDRESS));
        mbi.putInt(48, (int) MMAP_ADDRESS);
        mbi.putInt(64, (int) bootloader);
        write(ram, MBI_ADDRESS, mbi.array(), 0, MBI_SIZE);
        return new Entry(entry, MBI_ADDRESS);
    }

    /** mem_lower: KiB of RAM from address 0 (the first E820 RAM entry starting at 0). */
    static long lowerMemoryKiB(List<E820Entry> map) {
        for (E820Entry e : map) {
            if (e.type() == E820Entry.RAM && e.base() == 0) {
                return Math.min(e.length(), 0xA0000) / 1024;
            }
        }
        return 0;
    }

    /** mem_upper: KiB of contiguous RAM from 1 MiB up to the first hole (§3.3). */
    static long upperMemoryKiB(List<E820Entry> map) {
        long end = 0x100000;
        boolean grown = true;
        while (grown) {
            grown = false;
            for (E820Entry e : map) {
                if (e.type() == E820Entry.RAM && e.base() <= end && end < e.base() + e.length()
                        && e.base() + e.length() <= 0x1_0000_0000L) {
                    end = e.base() + e.length();
                    grown = true;
                }
            }
        }
        return (end - 0x100000) / 1024;
    }

    private static long writeString(GuestMemory ram, long address, String s) throws GuestMemoryFault {
        byte[] bytes = (s + "\0").getBytes(StandardCharsets.ISO_8859_1);
        ram.write(address, bytes);
        return address + bytes.length;
    }

    private static void write(GuestMemory ram, long address, byte[] data, int offset, int length) throws GuestMemoryFault {
        if (length > 0) {
            ram.write(address, data, offset, length);
        }
    }

    static long pageAlign(long value) {
        return (value + 4095) & ~4095L;
    }
}
