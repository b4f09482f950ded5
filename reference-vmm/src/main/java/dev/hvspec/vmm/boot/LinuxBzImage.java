package dev.hvspec.vmm.boot;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Loads a Linux bzImage through the 32-bit boot protocol (Linux Documentation/arch/x86/boot.rst,
 * "The 32-bit Boot Protocol"): the protected-mode kernel at 1 MiB, a zero page ({@code struct
 * boot_params}) holding a copy of the image's setup header with the loader's fields filled in and
 * the E820 memory map, the command line, and the initrd at the top of low RAM as QEMU places it.
 * The real-mode setup code is not run: the loader does its job (the memory map) itself.
 */
public final class LinuxBzImage {
    /** boot.rst "The Real-Mode Kernel Header": the setup header starts at 0x1F1 of the image. */
    static final int SETUP_SECTS = 0x1F1, HEADER_MAGIC = 0x202, VERSION = 0x206, TYPE_OF_LOADER = 0x210,
            LOADFLAGS = 0x211, CODE32_START = 0x214, RAMDISK_IMAGE = 0x218, RAMDISK_SIZE = 0x21C,
            CMD_LINE_PTR = 0x228, INITRD_ADDR_MAX = 0x22C, CMDLINE_SIZE = 0x238, INIT_SIZE = 0x260;
    /** boot.rst "Zero Page" / zero-page.rst: where the memory map goes in struct boot_params. */
    static final int E820_ENTRIES = 0x1E8, E820_TABLE = 0x2D0, E820_MAX = 128;
    /** "HdrS": the setup header signature (protocol 2.00 and later). */
    static final int HDRS = 0x5372_6448;
    /** The oldest protocol this loader drives: 2.06 gives cmdline_size and the 32-bit entry rules we rely on. */
    static final int MIN_VERSION = 0x0206;
    /** LOADED_HIGH: the protected-mode code is loaded at 0x100000 (loadflags bit 0). */
    static final int LOADED_HIGH = 1;
    /** boot.rst: type_of_loader 0xFF means "undefined" (no assigned boot loader ID). */
    static final int LOADER_UNDEFINED = 0xFF;

    /** Where the loader puts things, as QEMU's x86 loader does for protocol ≥ 2.02. */
    public static final long BOOT_PARAMS = 0x1_0000, CMDLINE = 0x2_0000, KERNEL = 0x10_0000;

    /** The state the kernel's 32-bit entry wants: EIP = code32_start, ESI = the zero page. */
    public record Entry(long eip, long esi) {
    }

    private LinuxBzImage() {
    }

    /** True if the image carries a Linux setup header ("HdrS" at 0x202). */
    public static boolean isBzImage(byte[] image) {
        return image.length > 0x264 && le32(image, HEADER_MAGIC) == HDRS;
    }

    /**
     * Loads the kernel, the zero page, the command line and the initrd into {@code ram}.
     *
     * @param initrd the initrd's contents, or null for none
     */
    public static Entry load(byte[] image, String commandLine, byte[] initrd, List<E820Entry> memoryMap,
                             GuestMemory ram) throws BootException {
        if (!isBzImage(image)) {
            throw new BootException("not a Linux bzImage (no HdrS setup header)");
        }
        int version = le16(image, VERSION);
        if (version < MIN_VERSION) {
            throw new BootException(String.format("Linux boot protocol %d.%02d is too old (2.06 or later needed)",
                    version >> 8, version & 0xFF));
        }
        if ((image[LOADFLAGS] & LOADED_HIGH) == 0) {
            throw new BootException("a zImage (not loaded high) cannot be booted; use a bzImage");
        }
        int setupSects = image[SETUP_SECTS] & 0xFF;
        if (setupSects == 0) {
            setupSects = 4; // boot.rst: "If this field is 0, the real value is 4."
        }
        int kernelOffset = (setupSects + 1) * 512;
        if (kernelOffset >= image.length) {
            throw new BootException("truncated bzImage: no protected-mode kernel after the setup code");
        }
        byte[] cmdline = (commandLine + "\0").getBytes(StandardCharsets.ISO_8859_1);
        long cmdlineSize = le32(image, CMDLINE_SIZE) & 0xFFFF_FFFFL;
        if (cmdline.length - 1 > cmdlineSize) {
            throw new BootException("the command line is longer than the kernel's cmdline_size (" + cmdlineSize + ")");
        }
        long initSize = le32(image, INIT_SIZE) & 0xFFFF_FFFFL;
        long lowRamEnd = lowRamEnd(memoryMap);
        if (KERNEL + Math.max(initSize, image.length - kernelOffset) > lowRamEnd) {
            throw new BootException("guest RAM too small for the kernel (init_size " + initSize + " bytes)");
        }
        // The zero page: everything 0 but the copied setup header and what the loader fills in.
        ByteBuffer zeroPage = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        int headerEnd = 0x202 + (image[0x201] & 0xFF); // the byte at 0x201 is the header's length past 0x202
        zeroPage.put(SETUP_SECTS, image, SETUP_SECTS, Math.min(headerEnd, 4096) - SETUP_SECTS);
        zeroPage.put(TYPE_OF_LOADER, (byte) LOADER_UNDEFINED);
        zeroPage.putInt(CMD_LINE_PTR, (int) CMDLINE);
        zeroPage.putInt(CODE32_START, (int) KERNEL);
        if (initrd != null) {
            long initrdMax = Math.min(le32(image, INITRD_ADDR_MAX) & 0xFFFF_FFFFL, lowRamEnd - 1);
            long initrdAt = (initrdMax + 1 - initrd.length) & ~0xFFFL;
            if (initrdAt < KERNEL + initSize) {
                throw new BootException("guest RAM too small for the initrd (" + initrd.length + " bytes)");
            }
            writeOrFail(ram, initrdAt, initrd);
            zeroPage.putInt(RAMDISK_IMAGE, (int) initrdAt);
            zeroPage.putInt(RAMDISK_SIZE, initrd.length);
        }
        int entries = Math.min(memoryMap.size(), E820_MAX);
        zeroPage.put(E820_ENTRIES, (byte) entries);
        for (int i = 0; i < entries; i++) {
            E820Entry e = memoryMap.get(i);
            zeroPage.putLong(E820_TABLE + 20 * i, e.base());
            zeroPage.putLong(E820_TABLE + 20 * i + 8, e.length());
            zeroPage.putInt(E820_TABLE + 20 * i + 16, e.type());
        }
        byte[] kernel = new byte[image.length - kernelOffset];
        System.arraycopy(image, kernelOffset, kernel, 0, kernel.length);
        writeOrFail(ram, KERNEL, kernel);
        writeOrFail(ram, CMDLINE, cmdline);
        writeOrFail(ram, BOOT_PARAMS, zeroPage.array());
        return new Entry(KERNEL, BOOT_PARAMS);
    }

    /** The end of the RAM that starts at 1 MiB (below the PCI hole): where QEMU tops the initrd. */
    static long lowRamEnd(List<E820Entry> map) {
        long end = KERNEL;
        for (E820Entry e : map) {
            if (e.type() == E820Entry.RAM && e.base() <= end && end < e.base() + e.length()
                    && e.base() + e.length() <= 0x1_0000_0000L) {
                end = e.base() + e.length();
            }
        }
        return end;
    }

    private static void writeOrFail(GuestMemory ram, long address, byte[] data) throws BootException {
        try {
            ram.write(address, data);
        } catch (GuestMemoryFault e) {
            throw new BootException("guest RAM too small for the Linux image: " + e.getMessage());
        }
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] b, int at) {
        return le16(b, at) | le16(b, at + 2) << 16;
    }
}
