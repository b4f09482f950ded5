package dev.hvspec.vmm.virtio.queue;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.List;

/**
 * A buffer the driver made available, as the device found it: the device-readable segments
 * followed by the device-writable ones (virtio 1.3 §2.7.4 "Message Framing"). {@link #id()} is
 * what goes back in the used ring: the head descriptor index of a split ring, the Buffer ID of a
 * packed ring. The device reads the readable part and writes the writable part as two byte
 * streams, whatever the arrangement of descriptors (§2.7.4.1: "The device MUST NOT make
 * assumptions about the particular arrangement of descriptors").
 */
public final class DescriptorChain {
    private final int id;
    private final int ringSlots;
    private final List<Segment> readable;
    private final List<Segment> writable;
    private final long readableBytes;
    private final long writableBytes;

    public DescriptorChain(int id, int ringSlots, List<Segment> segments) {
        this.id = id;
        this.ringSlots = ringSlots;
        this.readable = segments.stream().filter(s -> !s.writable()).toList();
        this.writable = segments.stream().filter(Segment::writable).toList();
        this.readableBytes = readable.stream().mapToLong(Segment::length).sum();
        this.writableBytes = writable.stream().mapToLong(Segment::length).sum();
    }

    public int id() {
        return id;
    }

    /** Descriptors the chain occupies in the ring itself (1 for an indirect chain). */
    public int ringSlots() {
        return ringSlots;
    }

    public List<Segment> readableSegments() {
        return readable;
    }

    public List<Segment> writableSegments() {
        return writable;
    }

    public long readableBytes() {
        return readableBytes;
    }

    public long writableBytes() {
        return writableBytes;
    }

    /** Reads {@code length} bytes starting at {@code offset} of the readable stream (short if it ends). */
    public byte[] read(GuestMemory memory, long offset, int length) throws GuestMemoryFault {
        long available = Math.max(0, readableBytes - offset);
        byte[] out = new byte[(int) Math.min(length, available)];
        copy(memory, readable, offset, out, 0, out.length, false);
        return out;
    }

    /** The whole readable stream, if it is at most {@code limit} bytes; otherwise its first {@code limit}. */
    public byte[] readAll(GuestMemory memory, int limit) throws GuestMemoryFault {
        return read(memory, 0, (int) Math.min(limit, readableBytes));
    }

    /**
     * Writes {@code length} bytes of {@code data} at {@code offset} of the writable stream, clipped
     * to its end; returns the number of bytes written.
     */
    public int write(GuestMemory memory, long offset, byte[] data, int from, int length) throws GuestMemoryFault {
        long room = Math.max(0, writableBytes - offset);
        int n = (int) Math.min(length, room);
        copy(memory, writable, offset, data, from, n, true);
        return n;
    }

    public int write(GuestMemory memory, long offset, byte[] data) throws GuestMemoryFault {
        return write(memory, offset, data, 0, data.length);
    }

    private static void copy(GuestMemory memory, List<Segment> segments, long offset, byte[] buffer, int from,
                             int length, boolean toGuest) throws GuestMemoryFault {
        long skip = offset;
        int done = 0;
        for (Segment s : segments) {
            if (done == length) {
                break;
            }
            if (skip >= s.length()) {
                skip -= s.length();
                continue;
            }
            int n = (int) Math.min(s.length() - skip, length - done);
            if (toGuest) {
                memory.write(s.address() + skip, buffer, from + done, n);
            } else {
                memory.read(s.address() + skip, buffer, from + done, n);
            }
            done += n;
            skip = 0;
        }
    }

    @Override
    public String toString() {
        return "chain " + id + " (" + readableBytes + " readable, " + writableBytes + " writable bytes)";
    }
}
