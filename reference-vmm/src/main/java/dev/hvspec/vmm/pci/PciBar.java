package dev.hvspec.vmm.pci;

import dev.hvspec.machine.bus.MmioDevice;

/**
 * One Base Address Register of a type-0 header (PCI Local Bus 3.0 §6.2.5.1): the kind of space
 * it maps, its size (a power of two, what the sizing write of all-ones reveals), and the region
 * the function decodes there. The region sees offsets relative to the BAR's base, for I/O BARs
 * as for memory BARs (the {@link MmioDevice} signature serves both).
 */
public record PciBar(Kind kind, long size, boolean prefetchable, MmioDevice region) {
    /** §6.2.5.1: bit 0 selects I/O (1) or memory (0); memory type 00 = 32-bit, 10 = 64-bit. */
    public enum Kind { IO, MEMORY_32, MEMORY_64 }

    public PciBar {
        if (Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("BAR size must be a power of two: " + size);
        }
        if (kind == Kind.IO && (size < 4 || size > 256)) {
            // §6.2.5.1: I/O BARs map 4 bytes at least; "devices should not use more than 256 bytes".
            throw new IllegalArgumentException("I/O BAR size must be 4..256 bytes: " + size);
        }
        if (kind != Kind.IO && size < 16) {
            throw new IllegalArgumentException("memory BAR size must be at least 16 bytes: " + size);
        }
        if (kind == Kind.MEMORY_32 && size > (1L << 31)) {
            throw new IllegalArgumentException("32-bit memory BAR too large: " + size);
        }
        if (kind == Kind.IO && prefetchable) {
            throw new IllegalArgumentException("I/O BARs are never prefetchable");
        }
    }

    public static PciBar io(int size, MmioDevice region) {
        return new PciBar(Kind.IO, size, false, region);
    }

    public static PciBar memory32(long size, MmioDevice region) {
        return new PciBar(Kind.MEMORY_32, size, false, region);
    }

    public static PciBar memory64(long size, boolean prefetchable, MmioDevice region) {
        return new PciBar(Kind.MEMORY_64, size, prefetchable, region);
    }

    /** The read-only low bits of the BAR register: space indicator, type, prefetchable (§6.2.5.1). */
    int flagBits() {
        return switch (kind) {
            case IO -> 0x1;
            case MEMORY_32 -> prefetchable ? 0x8 : 0x0;
            case MEMORY_64 -> 0x4 | (prefetchable ? 0x8 : 0x0);
        };
    }

    /** Write mask of the (low) BAR dword: the address bits at and above the size. */
    int lowWriteMask() {
        long addressBits = kind == Kind.IO ? 0xFFFF_FFFCL : 0xFFFF_FFF0L;
        return (int) (addressBits & ~(size - 1));
    }

    /** Write mask of the upper dword of a 64-bit BAR. */
    int highWriteMask() {
        return (int) ~((size - 1) >>> 32);
    }

    boolean is64Bit() {
        return kind == Kind.MEMORY_64;
    }
}
