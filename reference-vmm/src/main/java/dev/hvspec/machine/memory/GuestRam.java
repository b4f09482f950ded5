package dev.hvspec.machine.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Guest-physical RAM as a set of non-overlapping ranges, each backed by a byte array: the
 * userspace VMM's view of the memory it registered with the kernel, and what device models DMA
 * into. Anything outside the ranges faults ({@link GuestMemoryFault}).
 */
public final class GuestRam implements GuestMemory {
    /** One range of guest-physical RAM: {@code [gpa, gpa + bytes.length)}. */
    public record Range(long gpa, byte[] bytes) {
        public long end() {
            return gpa + bytes.length;
        }

        boolean contains(long address, long length) {
            return address >= gpa && length >= 0 && address - gpa <= bytes.length - length;
        }
    }

    private final Range[] ranges;

    public GuestRam(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::gpa));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).gpa() < sorted.get(i - 1).end()) {
                throw new IllegalArgumentException("overlapping RAM ranges at 0x" + Long.toHexString(sorted.get(i).gpa()));
            }
        }
        this.ranges = sorted.toArray(Range[]::new);
    }

    /** One contiguous range of {@code size} bytes at guest-physical 0. */
    public static GuestRam ofSize(int size) {
        return new GuestRam(List.of(new Range(0, new byte[size])));
    }

    public List<Range> ranges() {
        return List.of(ranges);
    }

    /** The range holding all of {@code [gpa, gpa + length)}, or null. */
    public Range rangeOf(long gpa, long length) {
        for (Range r : ranges) {
            if (r.contains(gpa, length)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public boolean isRam(long gpa, long length) {
        return rangeOf(gpa, length) != null;
    }

    @Override
    public void read(long gpa, byte[] dst, int offset, int length) throws GuestMemoryFault {
        Range r = rangeOf(gpa, length);
        if (r == null) {
            throw new GuestMemoryFault(gpa, length);
        }
        System.arraycopy(r.bytes(), (int) (gpa - r.gpa()), dst, offset, length);
    }

    @Override
    public void write(long gpa, byte[] src, int offset, int length) throws GuestMemoryFault {
        Range r = rangeOf(gpa, length);
        if (r == null) {
            throw new GuestMemoryFault(gpa, length);
        }
        System.arraycopy(src, offset, r.bytes(), (int) (gpa - r.gpa()), length);
    }
}
