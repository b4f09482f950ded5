package dev.hvspec.vmm.virtio.queue;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The device side of a packed virtqueue (virtio 1.3 §2.8): one ring of 16-byte descriptors that
 * driver and device both write, told apart by the AVAIL and USED flag bits and the two ring wrap
 * counters, plus the two event suppression structures.
 *
 * <pre>
 * struct pvirtq_desc { le64 addr; le32 len; le16 id; le16 flags; }                     §2.8.13
 * struct pvirtq_event_suppress { le16 desc (off:15, wrap:1); le16 flags (2 bits); }   §2.8.14
 * </pre>
 *
 * <p>A descriptor is available when its AVAIL bit equals the device's view of the Driver Ring
 * Wrap Counter and its USED bit differs (§2.8.1). A list chained with NEXT occupies consecutive
 * slots and carries its Buffer ID in the last descriptor (§2.8.6). The device writes one used
 * descriptor per list, at its next used position, with AVAIL = USED = its Device Ring Wrap Counter
 * (§2.8.1) and the flags written last. The device never suppresses available buffer
 * notifications: it writes RING_EVENT_FLAGS_ENABLE to the Device Event Suppression structure.
 */
public final class PackedVirtqueue implements Virtqueue {
    public static final int DESC_F_NEXT = 1;
    public static final int DESC_F_WRITE = 2;
    public static final int DESC_F_INDIRECT = 4;
    public static final int DESC_F_AVAIL = 1 << 7;
    public static final int DESC_F_USED = 1 << 15;
    public static final int RING_EVENT_FLAGS_ENABLE = 0;
    public static final int RING_EVENT_FLAGS_DISABLE = 1;
    public static final int RING_EVENT_FLAGS_DESC = 2;
    /** §2.8: "Packed virtqueues support up to 2^15 entries each." */
    public static final int MAX_SIZE = 32768;

    /** The three areas (§2.8.10.1 table): descriptor ring, driver and device event suppression. */
    public record Layout(long descriptorRing, long driverEvent, long deviceEvent, int size) {
        public Layout {
            if (size < 1 || size > MAX_SIZE) {
                throw new IllegalArgumentException("packed queue size must be 1..32768: " + size);
            }
        }
    }

    private final GuestMemory memory;
    private final Layout layout;
    private final SplitVirtqueue.Options options;
    private final int size;
    private int nextAvail;
    private boolean availWrap = true;  // §2.8.1: wrap counters start at 1
    private int nextUsed;
    private boolean usedWrap = true;
    private int inFlight;
    private int usedSlotsSinceCheck;
    private boolean deviceEventWritten;
    private final ArrayDeque<Integer> poppedSlots = new ArrayDeque<>();

    public PackedVirtqueue(GuestMemory memory, Layout layout, SplitVirtqueue.Options options) {
        this.memory = memory;
        this.layout = layout;
        this.options = options;
        this.size = layout.size();
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    public int nextAvail() {
        return nextAvail;
    }

    public boolean availWrapCounter() {
        return availWrap;
    }

    public int nextUsed() {
        return nextUsed;
    }

    public boolean usedWrapCounter() {
        return usedWrap;
    }

    private long descriptor(int index) {
        return layout.descriptorRing() + 16L * index;
    }

    private boolean available(int flags, boolean wrap) {
        boolean avail = (flags & DESC_F_AVAIL) != 0;
        boolean used = (flags & DESC_F_USED) != 0;
        return avail == wrap && used != wrap;
    }

    @Override
    public DescriptorChain pop() throws VirtqueueException {
        try {
            if (!deviceEventWritten) {
                memory.writeU32(layout.deviceEvent(), RING_EVENT_FLAGS_ENABLE << 16);
                deviceEventWritten = true;
            }
            int first = memory.readU16(descriptor(nextAvail) + 14);
            if (!available(first, availWrap)) {
                return null;
            }
            if (inFlight >= size) {
                throw new VirtqueueException(RingViolation.TOO_MANY_IN_FLIGHT, inFlight + " of " + size);
            }
            memory.fullFence(); // §2.8.21: read the descriptor only after seeing its flags
            List<Segment> segments = new ArrayList<>();
            int index = nextAvail;
            boolean wrap = availWrap;
            int slots = 0;
            long total = 0;
            boolean seenWritable = false;
            while (true) {
                if (slots >= size) {
                    throw new VirtqueueException(RingViolation.CHAIN_TOO_LONG, "list of more than " + size);
                }
                long at = descriptor(index);
                int flags = memory.readU16(at + 14);
                if (slots > 0 && !available(flags, wrap)) {
                    // §2.8.6: the driver makes the first descriptor available after the rest of the list.
                    throw new VirtqueueException(RingViolation.CHAIN_TOO_LONG, "list continues into unavailable slot " + index);
                }
                long addr = memory.readU64(at);
                long len = memory.readU32(at + 8);
                int id = memory.readU16(at + 12);
                slots++;
                index++;
                if (index == size) {
                    index = 0;
                    wrap = !wrap;
                }
                if ((flags & DESC_F_INDIRECT) != 0) {
                    if (!options.indirectDescriptors()) {
                        throw new VirtqueueException(RingViolation.INDIRECT_NOT_NEGOTIATED, "slot " + (index - 1));
                    }
                    if (slots > 1 || (flags & DESC_F_NEXT) != 0) {
                        throw new VirtqueueException(RingViolation.INDIRECT_IN_CHAIN, "slot " + (index - 1));
                    }
                    indirectSegments(addr, len, segments);
                    finish(index, wrap, slots);
                    return new DescriptorChain(id, slots, segments);
                }
                if (len == 0) {
                    throw new VirtqueueException(RingViolation.ZERO_LENGTH, "slot " + (index - 1));
                }
                boolean writable = (flags & DESC_F_WRITE) != 0;
                if (!writable && seenWritable) {
                    throw new VirtqueueException(RingViolation.WRITABLE_BEFORE_READABLE, "slot " + (index - 1));
                }
                seenWritable |= writable;
                total += len;
                if (total > 0xFFFF_FFFFL) {
                    throw new VirtqueueException(RingViolation.TOTAL_LENGTH_OVERFLOW, total + " bytes");
                }
                if (!memory.isRam(addr, len)) {
                    throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, "buffer 0x" + Long.toHexString(addr));
                }
                segments.add(new Segment(addr, len, writable));
                if ((flags & DESC_F_NEXT) == 0) {
                    finish(index, wrap, slots);
                    return new DescriptorChain(id, slots, segments); // §2.8.6: Buffer ID in the last descriptor
                }
            }
        } catch (GuestMemoryFault fault) {
            throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage());
        }
    }

    private void finish(int index, boolean wrap, int slots) {
        nextAvail = index;
        availWrap = wrap;
        inFlight++;
        poppedSlots.push(slots);
        if (poppedSlots.size() > size) {
            poppedSlots.removeLast();
        }
    }

    /** §2.8.7: the table's len / 16 descriptors are used in order; only their WRITE flag counts. */
    private void indirectSegments(long table, long len, List<Segment> segments)
            throws VirtqueueException, GuestMemoryFault {
        if (len == 0 || len % 16 != 0) {
            throw new VirtqueueException(RingViolation.INDIRECT_LENGTH, "len " + len);
        }
        if (len / 16 > options.maxIndirect()) {
            throw new VirtqueueException(RingViolation.CHAIN_TOO_LONG, "indirect table of " + len / 16);
        }
        if (!memory.isRam(table, len)) {
            throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, "indirect table at 0x" + Long.toHexString(table));
        }
        long total = 0;
        boolean seenWritable = false;
        for (long at = table; at < table + len; at += 16) {
            long addr = memory.readU64(at);
            long blen = memory.readU32(at + 8);
            boolean writable = (memory.readU16(at + 14) & DESC_F_WRITE) != 0;
            if (blen == 0) {
                throw new VirtqueueException(RingViolation.ZERO_LENGTH, "indirect entry " + (at - table) / 16);
            }
            if (!writable && seenWritable) {
                throw new VirtqueueException(RingViolation.WRITABLE_BEFORE_READABLE, "indirect entry " + (at - table) / 16);
            }
            seenWritable |= writable;
            total += blen;
            if (total > 0xFFFF_FFFFL) {
                throw new VirtqueueException(RingViolation.TOTAL_LENGTH_OVERFLOW, total + " bytes");
            }
            if (!memory.isRam(addr, blen)) {
                throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, "buffer 0x" + Long.toHexString(addr));
            }
            segments.add(new Segment(addr, blen, writable));
        }
    }

    @Override
    public void unpop(int count) {
        for (int i = 0; i < count && !poppedSlots.isEmpty() && inFlight > 0; i++) {
            int slots = poppedSlots.pop();
            nextAvail -= slots;
            if (nextAvail < 0) {
                nextAvail += size;
                availWrap = !availWrap;
            }
            inFlight--;
        }
    }

    @Override
    public void push(DescriptorChain chain, long writtenBytes) throws VirtqueueException {
        long len = Math.max(0, Math.min(writtenBytes, chain.writableBytes()));
        long at = descriptor(nextUsed);
        int flags = (usedWrap ? DESC_F_AVAIL | DESC_F_USED : 0) | (len > 0 ? DESC_F_WRITE : 0);
        try {
            memory.writeU16(at + 12, chain.id());
            memory.writeU32(at + 8, len);
            memory.fullFence(); // §2.8.21: flags last, so the driver never sees a half-written descriptor
            memory.writeU16(at + 14, flags);
        } catch (GuestMemoryFault fault) {
            throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage());
        }
        nextUsed += chain.ringSlots();
        if (nextUsed >= size) {
            nextUsed -= size;
            usedWrap = !usedWrap;
        }
        usedSlotsSinceCheck += chain.ringSlots();
        if (inFlight > 0) {
            inFlight--;
        }
        poppedSlots.pollLast();
    }

    @Override
    public boolean shouldNotify() throws VirtqueueException {
        int usedSlots = usedSlotsSinceCheck;
        usedSlotsSinceCheck = 0;
        if (usedSlots == 0) {
            return false;
        }
        try {
            memory.fullFence();
            int offWrap = memory.readU16(layout.driverEvent());
            int flags = memory.readU16(layout.driverEvent() + 2) & 0x3;
            if (flags == RING_EVENT_FLAGS_DISABLE) {
                return false;
            }
            if (flags != RING_EVENT_FLAGS_DESC || !options.eventIdx()) {
                return true; // ENABLE (and the reserved value 3, and DESC without EVENT_IDX)
            }
            // §2.8.10: notify when the descriptor at desc_event_off, in the lap desc_event_wrap, is used.
            int off = offWrap & 0x7FFF;
            boolean wrap = (offWrap >>> 15) != 0;
            int newIdx = nextUsed;
            int oldIdx = newIdx - usedSlots;
            if (wrap != usedWrap) {
                off -= size;
            }
            return RingIndex.needEvent(off & 0xFFFF, newIdx & 0xFFFF, oldIdx & 0xFFFF);
        } catch (GuestMemoryFault fault) {
            throw new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage());
        }
    }
}
