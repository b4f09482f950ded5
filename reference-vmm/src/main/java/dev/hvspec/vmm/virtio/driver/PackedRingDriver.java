package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.queue.PackedVirtqueue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver side of a packed virtqueue, after virtio 1.3 §2.8.21-2.8.22 (the spec's
 * implementation example): descriptors written in ring order with AVAIL = the Driver Ring Wrap
 * Counter and USED = its inverse, the Buffer ID in the last descriptor of a list, the first
 * descriptor's flags written last after a barrier; used descriptors recognized by AVAIL = USED =
 * the driver's used wrap counter, skipping as many slots as the buffer occupied.
 */
public final class PackedRingDriver implements DriverQueue {
    private final GuestMemory memory;
    private final PackedVirtqueue.Layout layout;
    private final int size;
    private final ArrayDeque<Integer> freeIds = new ArrayDeque<>();
    private final Map<Integer, Integer> slotsOf = new HashMap<>();
    private int freeSlots;
    private int nextAvail;
    private boolean availWrap = true;
    private int nextUsed;
    private boolean usedWrap = true;

    public PackedRingDriver(GuestMemory memory, PackedVirtqueue.Layout layout) {
        this.memory = memory;
        this.layout = layout;
        this.size = layout.size();
        this.freeSlots = size;
        for (int i = 0; i < size; i++) {
            freeIds.add(i);
        }
    }

    /** Allocates the ring (alignment 16) and the two event suppression structures (alignment 4), zeroed (§2.8.10.1). */
    public static PackedRingDriver allocate(GuestMemory memory, GuestAllocator allocator, int size) throws GuestMemoryFault {
        long ring = allocator.allocate(16L * size, 16);
        long driverEvent = allocator.allocate(4, 4);
        long deviceEvent = allocator.allocate(4, 4);
        memory.write(ring, new byte[16 * size]);
        memory.write(driverEvent, new byte[4]);
        memory.write(deviceEvent, new byte[4]);
        return new PackedRingDriver(memory, new PackedVirtqueue.Layout(ring, driverEvent, deviceEvent, size));
    }

    public PackedVirtqueue.Layout layout() {
        return layout;
    }

    public int nextAvail() {
        return nextAvail;
    }

    public boolean availWrapCounter() {
        return availWrap;
    }

    private int availFlags(boolean wrap) {
        return wrap ? PackedVirtqueue.DESC_F_AVAIL : PackedVirtqueue.DESC_F_USED;
    }

    @Override
    public int add(List<SplitRingDriver.Element> elements) throws GuestMemoryFault {
        List<SplitRingDriver.Element> ordered = new ArrayList<>(elements.stream().filter(e -> !e.writable()).toList());
        ordered.addAll(elements.stream().filter(SplitRingDriver.Element::writable).toList());
        if (ordered.isEmpty() || ordered.size() > freeSlots || freeIds.isEmpty()) {
            throw new IllegalStateException("no room in the ring");
        }
        int id = freeIds.poll();
        int first = nextAvail;
        int firstFlags = 0;
        for (int i = 0; i < ordered.size(); i++) {
            SplitRingDriver.Element e = ordered.get(i);
            boolean last = i == ordered.size() - 1;
            int flags = (e.writable() ? PackedVirtqueue.DESC_F_WRITE : 0) | (last ? 0 : PackedVirtqueue.DESC_F_NEXT)
                    | availFlags(availWrap);
            long at = layout.descriptorRing() + 16L * nextAvail;
            memory.writeU64(at, e.address());
            memory.writeU32(at + 8, e.length());
            memory.writeU16(at + 12, last ? id : 0); // §2.8.6: Buffer ID in the last descriptor
            if (i == 0) {
                firstFlags = flags;
            } else {
                memory.writeU16(at + 14, flags);
            }
            advance();
        }
        memory.fullFence(); // §2.8.21.1: a barrier before the flags that expose the list
        memory.writeU16(layout.descriptorRing() + 16L * first + 14, firstFlags);
        slotsOf.put(id, ordered.size());
        freeSlots -= ordered.size();
        return id;
    }

    /** One ring descriptor pointing at an indirect table of the elements (§2.8.7). */
    public int addIndirect(List<SplitRingDriver.Element> elements, GuestAllocator allocator) throws GuestMemoryFault {
        long table = allocator.allocate(16L * elements.size(), 16);
        for (int i = 0; i < elements.size(); i++) {
            SplitRingDriver.Element e = elements.get(i);
            long at = table + 16L * i;
            memory.writeU64(at, e.address());
            memory.writeU32(at + 8, e.length());
            memory.writeU16(at + 12, 0);
            memory.writeU16(at + 14, e.writable() ? PackedVirtqueue.DESC_F_WRITE : 0);
        }
        if (freeSlots < 1 || freeIds.isEmpty()) {
            throw new IllegalStateException("no room in the ring");
        }
        int id = freeIds.poll();
        long at = layout.descriptorRing() + 16L * nextAvail;
        memory.writeU64(at, table);
        memory.writeU32(at + 8, 16L * elements.size());
        memory.writeU16(at + 12, id);
        memory.fullFence();
        memory.writeU16(at + 14, PackedVirtqueue.DESC_F_INDIRECT | availFlags(availWrap));
        advance();
        slotsOf.put(id, 1);
        freeSlots--;
        return id;
    }

    private void advance() {
        nextAvail++;
        if (nextAvail == size) {
            nextAvail = 0;
            availWrap = !availWrap;
        }
    }

    /** Descriptors are exposed by their flags as they are added; nothing more to do. */
    @Override
    public void publish() {
    }

    /** §2.8.21.2: after a barrier, notify unless the device's event suppression says otherwise. */
    @Override
    public boolean notificationNeeded() throws GuestMemoryFault {
        memory.fullFence();
        int flags = memory.readU16(layout.deviceEvent() + 2) & 3;
        return flags != PackedVirtqueue.RING_EVENT_FLAGS_DISABLE;
    }

    @Override
    public List<SplitRingDriver.Used> takeUsed() throws GuestMemoryFault {
        List<SplitRingDriver.Used> out = new ArrayList<>();
        for (int guard = 0; guard < size; guard++) {
            long at = layout.descriptorRing() + 16L * nextUsed;
            int flags = memory.readU16(at + 14);
            boolean avail = (flags & PackedVirtqueue.DESC_F_AVAIL) != 0;
            boolean used = (flags & PackedVirtqueue.DESC_F_USED) != 0;
            if (avail != usedWrap || used != usedWrap) {
                break;
            }
            memory.fullFence();
            int id = memory.readU16(at + 12);
            long len = (flags & PackedVirtqueue.DESC_F_WRITE) != 0 ? memory.readU32(at + 8) : 0;
            Integer slots = slotsOf.remove(id);
            if (slots == null) {
                throw new IllegalStateException("device used unknown buffer id " + id);
            }
            out.add(new SplitRingDriver.Used(id, len));
            freeIds.add(id);
            freeSlots += slots;
            nextUsed += slots;
            if (nextUsed >= size) {
                nextUsed -= size;
                usedWrap = !usedWrap;
            }
        }
        return out;
    }

    /** The Driver Event Suppression structure (§2.8.14): flags and, for RING_EVENT_FLAGS_DESC, offset and wrap. */
    public void setDriverEvent(int flags, int offset, boolean wrap) throws GuestMemoryFault {
        memory.writeU16(layout.driverEvent(), (offset & 0x7FFF) | (wrap ? 0x8000 : 0));
        memory.writeU16(layout.driverEvent() + 2, flags);
    }

    /** Raw write of ring slot {@code index} (for scenarios that break the rules). */
    public void writeSlot(int index, long address, long length, int id, int flags) throws GuestMemoryFault {
        long at = layout.descriptorRing() + 16L * index;
        memory.writeU64(at, address);
        memory.writeU32(at + 8, length);
        memory.writeU16(at + 12, id);
        memory.writeU16(at + 14, flags);
    }

    public int[] slot(int index) throws GuestMemoryFault {
        long at = layout.descriptorRing() + 16L * index;
        return new int[] {(int) memory.readU32(at + 8), memory.readU16(at + 12), memory.readU16(at + 14)};
    }
}
