package dev.hvspec.vmm.virtio.queue;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.ArrayList;
import java.util.List;

/**
 * The device side of a split virtqueue (virtio 1.3 §2.7): a descriptor table of {@code size}
 * 16-byte descriptors, the available ring written by the driver and the used ring written by the
 * device, all in guest memory reached through the device's DMA view.
 *
 * <pre>
 * struct virtq_desc  { le64 addr; le32 len; le16 flags; le16 next; }            §2.7.5
 * struct virtq_avail { le16 flags; le16 idx; le16 ring[size]; le16 used_event; } §2.7.6
 * struct virtq_used  { le16 flags; le16 idx; struct { le32 id; le32 len; } ring[size]; le16 avail_event; } §2.7.8
 * </pre>
 *
 * <p>The driver is untrusted. Taking a buffer reads at most {@code size} descriptors of the table
 * plus at most {@code maxIndirect} of one indirect table, checks every rule the driver could
 * break (see {@link RingViolation}) and every address against guest RAM, so a notification costs
 * bounded work whatever the rings contain.
 */
public final class SplitVirtqueue implements Virtqueue {
    public static final int DESC_F_NEXT = 1;
    public static final int DESC_F_WRITE = 2;
    public static final int DESC_F_INDIRECT = 4;
    public static final int AVAIL_F_NO_INTERRUPT = 1;
    public static final int USED_F_NO_NOTIFY = 1;
    public static final int DESCRIPTOR_SIZE = 16;
    /** The maximum Queue Size (§2.7: "The maximum Queue Size value is 32768"). */
    public static final int MAX_SIZE = 32768;

    /** Where the three parts are and how many entries they have (§2.7 table "Virtqueue Part"). */
    public record Layout(long descriptorTable, long availRing, long usedRing, int size) {
        public Layout {
            if (size < 1 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
                throw new IllegalArgumentException("split queue size must be a power of 2 up to 32768: " + size);
            }
        }

        public static long descriptorTableBytes(int size) {
            return 16L * size;
        }

        public static long availRingBytes(int size) {
            return 6 + 2L * size;
        }

        public static long usedRingBytes(int size) {
            return 6 + 8L * size;
        }
    }

    /**
     * Negotiated features that change the ring, and the device's limit on indirect tables
     * (§2.7.4.1: "The device MAY have a reasonable limit of descriptors it will allow in a chain").
     */
    public record Options(boolean indirectDescriptors, boolean eventIdx, int maxIndirect) {
        public static final int DEFAULT_MAX_INDIRECT = 1024;

        public static Options of(boolean indirect, boolean eventIdx) {
            return new Options(indirect, eventIdx, DEFAULT_MAX_INDIRECT);
        }
    }

    private final GuestMemory memory;
    private final Layout layout;
    private final Options options;
    private final int size;
    private int lastAvailIdx;
    private int usedIdx;
    private int signalledUsedIdx;
    private int inFlight;
    private boolean usedFlagsWritten;

    public SplitVirtqueue(GuestMemory memory, Layout layout, Options options) {
        this.memory = memory;
        this.layout = layout;
        this.options = options;
        this.size = layout.size();
    }

    @Override
    public int size() {
        return size;
    }

    /**
     * Resumes a queue whose device state was saved elsewhere (live migration, vhost's
     * VHOST_SET_VRING_BASE): the next available index to take and the used idx. Nothing may be
     * in flight.
     */
    public void restore(int lastAvailIdx, int usedIdx) {
        this.lastAvailIdx = lastAvailIdx & 0xFFFF;
        this.usedIdx = usedIdx & 0xFFFF;
        this.signalledUsedIdx = this.usedIdx;
        this.inFlight = 0;
    }

    public Layout layout() {
        return layout;
    }

    /** The device's next position in the available ring (free-running, mod 2^16). */
    public int lastAvailIdx() {
        return lastAvailIdx;
    }

    /** The device's used idx (free-running, mod 2^16). */
    public int usedIdx() {
        return usedIdx;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public DescriptorChain pop() throws VirtqueueException {
        try {
            initializeUsedFlags();
            int availIdx = availIdx();
            if (availIdx == lastAvailIdx) {
                if (!options.eventIdx()) {
                    return null;
                }
                // §2.7.10: ask to be notified when the driver writes the entry at lastAvailIdx,
                // then look again in case it did so meanwhile.
                memory.writeU16(availEventAddress(), lastAvailIdx);
                memory.fullFence();
                availIdx = availIdx();
                if (availIdx == lastAvailIdx) {
                    return null;
                }
            }
            int pending = RingIndex.distance(lastAvailIdx, availIdx);
            if (pending > size) {
                throw new VirtqueueException(RingViolation.AVAIL_INDEX_JUMP,
                        "idx " + availIdx + " with " + lastAvailIdx + " consumed, queue size " + size);
            }
            if (inFlight >= size) {
                throw new VirtqueueException(RingViolation.TOO_MANY_IN_FLIGHT, inFlight + " of " + size);
            }
            memory.fullFence(); // read the ring entry only after seeing idx (§2.7.13 barrier pairing)
            int head = memory.readU16(layout.availRing() + 4 + 2L * (lastAvailIdx % size));
            if (head >= size) {
                throw new VirtqueueException(RingViolation.HEAD_OUT_OF_RANGE, "head " + head + ", size " + size);
            }
            DescriptorChain chain = walk(head);
            lastAvailIdx = (lastAvailIdx + 1) & 0xFFFF;
            inFlight++;
            return chain;
        } catch (GuestMemoryFault fault) {
            throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage());
        }
    }

    @Override
    public void unpop(int count) {
        int n = Math.min(count, inFlight);
        lastAvailIdx = (lastAvailIdx - n) & 0xFFFF;
        inFlight -= n;
    }

    @Override
    public void push(DescriptorChain chain, long writtenBytes) throws VirtqueueException {
        long len = Math.max(0, Math.min(writtenBytes, chain.writableBytes()));
        long element = layout.usedRing() + 4 + 8L * (usedIdx % size);
        try {
            // §2.7.8.1: "The device MUST set len prior to updating the used idx."
            memory.writeU32(element, chain.id());
            memory.writeU32(element + 4, len);
            memory.fullFence();
            usedIdx = (usedIdx + 1) & 0xFFFF;
            memory.writeU16(layout.usedRing() + 2, usedIdx);
        } catch (GuestMemoryFault fault) {
            throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage());
        }
        if (inFlight > 0) {
            inFlight--;
        }
    }

    @Override
    public boolean shouldNotify() throws VirtqueueException {
        try {
            memory.fullFence(); // see the driver's flags / used_event after our idx update
            int old = signalledUsedIdx;
            signalledUsedIdx = usedIdx;
            if (options.eventIdx()) {
                // §2.7.7.2 with VIRTIO_F_EVENT_IDX: ignore flags, notify iff used_event was passed.
                int usedEvent = memory.readU16(layout.availRing() + 4 + 2L * size);
                return RingIndex.needEvent(usedEvent, usedIdx, old);
            }
            // §2.7.7.2 without it: flags 0 MUST notify, flags 1 SHOULD NOT (other values are a
            // driver error; only bit 0 is looked at).
            return old != usedIdx && (memory.readU16(layout.availRing()) & AVAIL_F_NO_INTERRUPT) == 0;
        } catch (GuestMemoryFault fault) {
            throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage());
        }
    }

    private int availIdx() throws GuestMemoryFault {
        return memory.readU16(layout.availRing() + 2);
    }

    private long availEventAddress() {
        return layout.usedRing() + 4 + 8L * size;
    }

    /** §2.7.10.1: the device MUST set used flags to 0 (EVENT_IDX) or to 0 or 1; we never suppress. */
    private void initializeUsedFlags() throws GuestMemoryFault {
        if (!usedFlagsWritten) {
            memory.writeU16(layout.usedRing(), 0);
            usedFlagsWritten = true;
        }
    }

    /** Follows a chain from {@code head}, through at most one indirect table. */
    private DescriptorChain walk(int head) throws VirtqueueException, GuestMemoryFault {
        List<Segment> segments = new ArrayList<>();
        long table = layout.descriptorTable();
        int tableSize = size;
        boolean inIndirect = false;
        boolean seenWritable = false;
        long total = 0;
        int index = head;
        int walked = 0; // descriptors read in the current table: a loop shows up as too many
        while (true) {
            if (walked >= tableSize) {
                throw new VirtqueueException(RingViolation.CHAIN_TOO_LONG,
                        (inIndirect ? "indirect table of " : "queue of ") + tableSize + " entries");
            }
            walked++;
            long at = table + (long) DESCRIPTOR_SIZE * index;
            long addr = memory.readU64(at);
            long len = memory.readU32(at + 8);
            int flags = memory.readU16(at + 12);
            int next = memory.readU16(at + 14);
            if ((flags & DESC_F_INDIRECT) != 0) {
                if (!options.indirectDescriptors()) {
                    throw new VirtqueueException(RingViolation.INDIRECT_NOT_NEGOTIATED, "descriptor " + index);
                }
                if (inIndirect) {
                    throw new VirtqueueException(RingViolation.NESTED_INDIRECT, "descriptor " + index);
                }
                if ((flags & DESC_F_NEXT) != 0) {
                    throw new VirtqueueException(RingViolation.INDIRECT_WITH_NEXT, "descriptor " + index);
                }
                if (len == 0 || len % DESCRIPTOR_SIZE != 0) {
                    throw new VirtqueueException(RingViolation.INDIRECT_LENGTH, "len " + len);
                }
                if (len / DESCRIPTOR_SIZE > options.maxIndirect()) {
                    throw new VirtqueueException(RingViolation.CHAIN_TOO_LONG,
                            "indirect table of " + len / DESCRIPTOR_SIZE + " > " + options.maxIndirect());
                }
                if (!memory.isRam(addr, len)) {
                    throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, "indirect table at 0x" + Long.toHexString(addr));
                }
                // §2.7.5.3.2: the device MUST ignore the write-only flag of the referring descriptor.
                table = addr;
                tableSize = (int) (len / DESCRIPTOR_SIZE);
                inIndirect = true;
                walked = 0;
                index = 0;
                continue;
            }
            if (len == 0) {
                throw new VirtqueueException(RingViolation.ZERO_LENGTH, "descriptor " + index);
            }
            boolean writable = (flags & DESC_F_WRITE) != 0;
            if (!writable && seenWritable) {
                throw new VirtqueueException(RingViolation.WRITABLE_BEFORE_READABLE, "descriptor " + index);
            }
            seenWritable |= writable;
            total += len;
            if (total > 0xFFFF_FFFFL) {
                throw new VirtqueueException(RingViolation.TOTAL_LENGTH_OVERFLOW, total + " bytes");
            }
            if (!memory.isRam(addr, len)) {
                throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY,
                        "buffer 0x" + Long.toHexString(addr) + "+" + len);
            }
            segments.add(new Segment(addr, len, writable));
            if ((flags & DESC_F_NEXT) == 0) {
                return new DescriptorChain(head, 1, segments);
            }
            if (next >= tableSize) {
                throw new VirtqueueException(RingViolation.NEXT_OUT_OF_RANGE, "next " + next + " of " + tableSize);
            }
            index = next;
        }
    }
}
