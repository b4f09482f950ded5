package dev.hvspec.properties.virtio;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.ArrayList;
import java.util.List;

/**
 * Guest memory as the device under test sees it: counts the bytes read (and stops a runaway
 * device with an error past a budget, so a hang becomes a failed property) and records every
 * write range.
 */
final class RecordingMemory implements GuestMemory {
    record Write(long address, int length) {
    }

    private final GuestMemory inner;
    private final long readBudget;
    private long bytesRead;
    private final List<Write> writes = new ArrayList<>();

    RecordingMemory(GuestMemory inner, long readBudget) {
        this.inner = inner;
        this.readBudget = readBudget;
    }

    @Override
    public void read(long gpa, byte[] dst, int offset, int length) throws GuestMemoryFault {
        bytesRead += length;
        if (bytesRead > readBudget) {
            throw new AssertionError("device read more than " + readBudget + " bytes for one notification");
        }
        inner.read(gpa, dst, offset, length);
    }

    @Override
    public void write(long gpa, byte[] src, int offset, int length) throws GuestMemoryFault {
        writes.add(new Write(gpa, length));
        inner.write(gpa, src, offset, length);
    }

    @Override
    public boolean isRam(long gpa, long length) {
        return inner.isRam(gpa, length);
    }

    long bytesRead() {
        return bytesRead;
    }

    List<Write> writes() {
        return writes;
    }

    void reset() {
        bytesRead = 0;
        writes.clear();
    }
}
