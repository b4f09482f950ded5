package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.ArrayList;
import java.util.List;

/**
 * A device's view of guest memory that counts the bytes it reads and logs the addresses it
 * writes, so scenarios can check bounded work and write ordering without knowing how the device
 * is implemented.
 */
final class CountingMemory implements GuestMemory {
    private final GuestMemory inner;
    private long bytesRead;
    private final List<Long> writes = new ArrayList<>();

    CountingMemory(GuestMemory inner) {
        this.inner = inner;
    }

    @Override
    public synchronized void read(long gpa, byte[] dst, int offset, int length) throws GuestMemoryFault {
        bytesRead += length;
        inner.read(gpa, dst, offset, length);
    }

    @Override
    public synchronized void write(long gpa, byte[] src, int offset, int length) throws GuestMemoryFault {
        writes.add(gpa);
        inner.write(gpa, src, offset, length);
    }

    @Override
    public boolean isRam(long gpa, long length) {
        return inner.isRam(gpa, length);
    }

    synchronized long bytesRead() {
        return bytesRead;
    }

    synchronized void resetCounters() {
        bytesRead = 0;
        writes.clear();
    }

    /** Index in the write log of the first write to {@code address}, or -1. */
    synchronized int firstWriteTo(long address) {
        return writes.indexOf(address);
    }
}
