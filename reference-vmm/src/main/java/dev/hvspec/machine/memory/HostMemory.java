package dev.hvspec.machine.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The host's memory: regions allocated by the userspace VMM ({@code mmap}) or by the kernel
 * layer, each at a fixed host address and backed by a byte array. A host address is how the KVM
 * ABI names userspace memory ({@code kvm_userspace_memory_region.userspace_addr}, pointers in
 * ioctl arguments) and what the hardware's second-level translation produces.
 *
 * <p>The model identifies a host (userspace) address with the host-physical address of its
 * backing, so EPT/NPT entries and shadow page-table entries hold region addresses. They must
 * therefore fit the processor's physical-address width (MAXPHYADDR = 40, SDM 3C §29.3.2: bits
 * 51:N of an EPT entry are reserved): regions are placed from 256 GiB upwards, below 1 TiB.
 * {@link #mmap32} places a region below 2 GiB, as Linux {@code MAP_32BIT} (and the kernel's
 * {@code GFP_DMA32}) do, for structures that 32-bit registers must point at (a PAE page-directory-
 * pointer table loaded through a 32-bit CR3).
 *
 * <p>Thread-safe: regions are published through a copy-on-write array.
 */
public final class HostMemory {
    /** Where the first region is placed; an address a Linux x86-64 mmap could return. */
    public static final long FIRST_ADDRESS = 0x40_0000_0000L;
    /** The end of the address space regions may use: 2^MAXPHYADDR (see the class comment). */
    public static final long LIMIT = 1L << 40;
    /** Where {@link #mmap32} regions start, and the end of that arena (2 GiB, as MAP_32BIT). */
    public static final long LOW_FIRST_ADDRESS = 0x4000_0000L;
    public static final long LOW_LIMIT = 0x8000_0000L;
    /** Regions are aligned to 2 MiB so that guest large pages can map them. */
    public static final long ALIGNMENT = 2L << 20;
    public static final int PAGE_SIZE = 4096;

    /**
     * An allocated region: {@code [base, base + size)}, backed by a direct little-endian buffer
     * (direct buffers allow aligned atomic access through VarHandles, which LOCKed instructions
     * and A/D-bit updates need; heap byte arrays do not on current JDKs).
     */
    public static final class Region {
        private final long base;
        private final ByteBuffer buffer;
        private final String name;
        /** Per 4 KiB page: non-zero once instructions were decoded from it (see {@link #codeGeneration}). */
        final byte[] holdsCode;
        /** Per 4 KiB page: bumped by every write to a page that holds decoded code. */
        final int[] codeGeneration;

        Region(long base, int size, String name) {
            this.base = base;
            this.buffer = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
            this.name = name;
            int pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
            this.holdsCode = new byte[pages];
            this.codeGeneration = new int[pages];
        }

        public long base() {
            return base;
        }

        public ByteBuffer buffer() {
            return buffer;
        }

        public long size() {
            return buffer.capacity();
        }

        public String name() {
            return name;
        }

        public boolean contains(long address, long length) {
            return address >= base && length >= 0 && address - base <= buffer.capacity() - length;
        }

        /** Marks a page as holding decoded instructions; returns its current code generation. */
        public int markCode(int page) {
            holdsCode[page] = 1;
            return codeGeneration[page];
        }

        public boolean holdsCode(int page) {
            return holdsCode[page] != 0;
        }

        public int codeGeneration(int page) {
            return codeGeneration[page];
        }

        /** Called for every write to a page that holds code: invalidates decoded instructions. */
        public void codeWritten(int page) {
            codeGeneration[page]++;
        }
    }

    private volatile Region[] regions = new Region[0];
    private long next = FIRST_ADDRESS;
    private long nextLow = LOW_FIRST_ADDRESS;

    /** Allocates a zeroed region of {@code size} bytes (at most 2 GiB - 8 KiB) and returns it. */
    public synchronized Region mmap(long size, String name) {
        int rounded = rounded(size);
        if (next + rounded > LIMIT) {
            throw new OutOfMemoryError("host address space exhausted");
        }
        Region region = new Region(next, rounded, name);
        next += (rounded + ALIGNMENT - 1) & -ALIGNMENT;
        next += ALIGNMENT; // a guard gap between regions
        return publish(region);
    }

    /** Like {@link #mmap}, but below 2 GiB (Linux MAP_32BIT); page-aligned, with a guard page between regions. */
    public synchronized Region mmap32(long size, String name) {
        int rounded = rounded(size);
        if (nextLow + rounded > LOW_LIMIT) {
            throw new OutOfMemoryError("no host memory left below 2 GiB");
        }
        Region region = new Region(nextLow, rounded, name);
        nextLow += rounded + PAGE_SIZE;
        return publish(region);
    }

    private static int rounded(long size) {
        if (size <= 0 || size > Integer.MAX_VALUE - 8192) {
            throw new IllegalArgumentException("region size out of range: " + size);
        }
        return (int) ((size + PAGE_SIZE - 1) & -PAGE_SIZE);
    }

    private Region publish(Region region) {
        Region[] grown = Arrays.copyOf(regions, regions.length + 1);
        grown[grown.length - 1] = region;
        regions = grown;
        return region;
    }

    /**
     * Allocates a zeroed region that is not mapped into the process (memory the kernel owns, e.g.
     * a KVM_SET_MEMORY_REGION slot); {@link #map(Region)} makes it visible at its address.
     */
    public synchronized Region allocateUnmapped(long size, String name) {
        Region region = mmap(size, name);
        munmap(region);
        return region;
    }

    /** Maps a region allocated by {@link #allocateUnmapped} (mmap of a file whose pages the kernel owns). */
    public synchronized void map(Region region) {
        for (Region r : regions) {
            if (r == region) {
                return;
            }
        }
        Region[] grown = Arrays.copyOf(regions, regions.length + 1);
        grown[grown.length - 1] = region;
        regions = grown;
    }

    public synchronized void munmap(Region region) {
        regions = Arrays.stream(regions).filter(r -> r != region).toArray(Region[]::new);
    }

    /** The region containing all of {@code [address, address + length)}, or null. */
    public Region regionAt(long address, long length) {
        for (Region r : regions) {
            if (r.contains(address, length)) {
                return r;
            }
        }
        return null;
    }
}
