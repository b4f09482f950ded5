package dev.hvspec.machine.memory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Guest-physical RAM as ranges of buffers: how the userspace VMM sees the memory it allocated and
 * registered as slots (for loaders and DMA-capable devices). Accesses that leave RAM fault.
 */
public final class BufferGuestMemory implements GuestMemory {
    /** {@code [gpa, gpa + buffer.capacity())} backed by {@code buffer}. */
    public record Range(long gpa, ByteBuffer buffer) {
        long end() {
            return gpa + buffer.capacity();
        }
    }

    private final Range[] ranges;

    public BufferGuestMemory(List<Range> ranges) {
        List<Range> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(Range::gpa));
        this.ranges = sorted.toArray(Range[]::new);
    }

    private Range find(long gpa) {
        for (Range r : ranges) {
            if (gpa >= r.gpa() && gpa < r.end()) {
                return r;
            }
        }
        return null;
    }

    @Override
    public boolean isRam(long gpa, long length) {
        while (length > 0) {
            Range r = find(gpa);
            if (r == null) {
                return false;
            }
            long chunk = Math.min(length, r.end() - gpa);
            gpa += chunk;
            length -= chunk;
        }
        return true;
    }

    @Override
    public void read(long gpa, byte[] dst, int offset, int length) throws GuestMemoryFault {
        if (!isRam(gpa, length)) {
            throw new GuestMemoryFault(gpa, length);
        }
        while (length > 0) {
            Range r = find(gpa);
            int chunk = (int) Math.min(length, r.end() - gpa);
            r.buffer().get((int) (gpa - r.gpa()), dst, offset, chunk);
            gpa += chunk;
            offset += chunk;
            length -= chunk;
        }
    }

    @Override
    public void write(long gpa, byte[] src, int offset, int length) throws GuestMemoryFault {
        if (!isRam(gpa, length)) {
            throw new GuestMemoryFault(gpa, length);
        }
        while (length > 0) {
            Range r = find(gpa);
            int chunk = (int) Math.min(length, r.end() - gpa);
            r.buffer().put((int) (gpa - r.gpa()), src, offset, chunk);
            gpa += chunk;
            offset += chunk;
            length -= chunk;
        }
    }
}
