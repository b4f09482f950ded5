package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.queue.RingIndex;
import dev.hvspec.vmm.virtio.queue.SplitVirtqueue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The driver side of a split virtqueue, written from the driver-normative sections of virtio
 * 1.3 §2.7: it lays the rings out with the required alignment and zeroed (§2.7.1, §2.7.10.1),
 * places readable elements before writable ones (§2.7.4.2), publishes buffers by a barrier then
 * the idx update (§2.7.13.3.1), decides on notifications from flags or avail_event after a
 * barrier (§2.7.13.4.1, §2.7.10), and collects used buffers. Raw writers let scenarios break
 * the rules on purpose.
 */
public final class SplitRingDriver implements DriverQueue {
    /** A guest buffer element. */
    public record Element(long address, long length, boolean writable) {
    }

    /** A used ring entry. */
    public record Used(int id, long length) {
    }

    private final GuestMemory memory;
    private final SplitVirtqueue.Layout layout;
    private final boolean eventIdx;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final Map<Integer, List<Integer>> chains = new HashMap<>();
    private int availIdx;
    private int added;
    private int lastPublishOld;
    private int lastSeenUsed;

    public SplitRingDriver(GuestMemory memory, SplitVirtqueue.Layout layout, boolean eventIdx) {
        this.memory = memory;
        this.layout = layout;
        this.eventIdx = eventIdx;
        for (int i = 0; i < layout.size(); i++) {
            free.add(i);
        }
    }

    /** Allocates the three parts (alignment 16, 2 and 4, §2.7) and zeroes them. */
    public static SplitRingDriver allocate(GuestMemory memory, GuestAllocator allocator, int size, boolean eventIdx)
            throws GuestMemoryFault {
        long desc = allocator.allocate(SplitVirtqueue.Layout.descriptorTableBytes(size), 16);
        long avail = allocator.allocate(SplitVirtqueue.Layout.availRingBytes(size), 2);
        long used = allocator.allocate(SplitVirtqueue.Layout.usedRingBytes(size), 4);
        memory.write(desc, new byte[(int) SplitVirtqueue.Layout.descriptorTableBytes(size)]);
        memory.write(avail, new byte[(int) SplitVirtqueue.Layout.availRingBytes(size)]);
        memory.write(used, new byte[(int) SplitVirtqueue.Layout.usedRingBytes(size)]);
        return new SplitRingDriver(memory, new SplitVirtqueue.Layout(desc, avail, used, size), eventIdx);
    }

    /**
     * Continues from a ring state where {@code idx} buffers were made available and used (the
     * counterpart of {@link SplitVirtqueue#restore}); writes both indices into the rings.
     */
    public void restore(int idx) throws GuestMemoryFault {
        availIdx = idx & 0xFFFF;
        lastPublishOld = availIdx;
        lastSeenUsed = availIdx;
        memory.writeU16(layout.availRing() + 2, availIdx);
        memory.writeU16(layout.usedRing() + 2, availIdx);
    }

    public SplitVirtqueue.Layout layout() {
        return layout;
    }

    public int freeDescriptors() {
        return free.size();
    }

    /**
     * Places a buffer in free descriptors, chained with NEXT (§2.7.13.1), readable elements first,
     * and its head in the next available ring entry (§2.7.13.2). Returns the head index. The
     * buffer becomes visible to the device only at {@link #publish()}.
     */
    @Override
    public int add(List<Element> elements) throws GuestMemoryFault {
        List<Element> ordered = readableFirst(elements);
        if (ordered.size() > free.size() || ordered.isEmpty()) {
            throw new IllegalStateException("not enough free descriptors");
        }
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i < ordered.size(); i++) {
            used.add(free.poll());
        }
        for (int i = 0; i < ordered.size(); i++) {
            Element e = ordered.get(i);
            boolean last = i == ordered.size() - 1;
            int flags = (e.writable() ? SplitVirtqueue.DESC_F_WRITE : 0) | (last ? 0 : SplitVirtqueue.DESC_F_NEXT);
            writeDescriptor(used.get(i), e.address(), e.length(), flags, last ? 0 : used.get(i + 1));
        }
        int head = used.get(0);
        chains.put(head, used);
        placeHead(head);
        return head;
    }

    /**
     * Places a buffer as {@code direct} chained descriptors followed by one descriptor pointing
     * at an indirect table of {@code indirect} elements (§2.7.5.3; the device must accept zero
     * or more direct descriptors before the indirect one).
     */
    public int addIndirect(List<Element> direct, List<Element> indirect, GuestAllocator allocator) throws GuestMemoryFault {
        long table = allocator.allocate(16L * indirect.size(), 16);
        for (int i = 0; i < indirect.size(); i++) {
            Element e = indirect.get(i);
            boolean last = i == indirect.size() - 1;
            int flags = (e.writable() ? SplitVirtqueue.DESC_F_WRITE : 0) | (last ? 0 : SplitVirtqueue.DESC_F_NEXT);
            writeTableEntry(table, i, e.address(), e.length(), flags, last ? 0 : i + 1);
        }
        List<Integer> used = new ArrayList<>();
        for (int i = 0; i <= direct.size(); i++) {
            used.add(free.poll());
        }
        for (int i = 0; i < direct.size(); i++) {
            Element e = direct.get(i);
            writeDescriptor(used.get(i), e.address(), e.length(),
                    (e.writable() ? SplitVirtqueue.DESC_F_WRITE : 0) | SplitVirtqueue.DESC_F_NEXT, used.get(i + 1));
        }
        writeDescriptor(used.get(direct.size()), table, 16L * indirect.size(), SplitVirtqueue.DESC_F_INDIRECT, 0);
        int head = used.get(0);
        chains.put(head, used);
        placeHead(head);
        return head;
    }

    private static List<Element> readableFirst(List<Element> elements) {
        List<Element> out = new ArrayList<>(elements.stream().filter(e -> !e.writable()).toList());
        out.addAll(elements.stream().filter(Element::writable).toList());
        return out;
    }

    private void placeHead(int head) throws GuestMemoryFault {
        setAvailEntry((availIdx + added) % layout.size(), head);
        added++;
    }

    /**
     * Makes the placed buffers visible: a memory barrier, then idx += added (§2.7.13.3.1 "The
     * driver MUST perform a suitable memory barrier before the idx update").
     */
    @Override
    public void publish() throws GuestMemoryFault {
        memory.fullFence();
        lastPublishOld = availIdx;
        availIdx = (availIdx + added) & 0xFFFF;
        added = 0;
        memory.writeU16(layout.availRing() + 2, availIdx);
    }

    /**
     * Whether the driver must notify after its last publish: §2.7.10.1 — after a barrier
     * (§2.7.13.4.1), with EVENT_IDX iff avail_event was passed, else iff used flags are 0.
     */
    @Override
    public boolean notificationNeeded() throws GuestMemoryFault {
        memory.fullFence();
        if (eventIdx) {
            int availEvent = memory.readU16(layout.usedRing() + 4 + 8L * layout.size());
            return RingIndex.needEvent(availEvent, availIdx, lastPublishOld);
        }
        return (memory.readU16(layout.usedRing()) & SplitVirtqueue.USED_F_NO_NOTIFY) == 0;
    }

    /** Collects used buffers since the last call and frees their descriptors. */
    @Override
    public List<Used> takeUsed() throws GuestMemoryFault {
        List<Used> out = new ArrayList<>();
        int usedIdx = memory.readU16(layout.usedRing() + 2);
        memory.fullFence();
        while (lastSeenUsed != usedIdx && out.size() <= layout.size()) {
            Used u = usedEntry(lastSeenUsed % layout.size());
            out.add(u);
            List<Integer> descs = chains.remove(u.id());
            if (descs != null) {
                free.addAll(descs);
            }
            lastSeenUsed = (lastSeenUsed + 1) & 0xFFFF;
        }
        return out;
    }

    /** §2.7.7.1: with EVENT_IDX the driver MAY set used_event to when it next wants a notification. */
    public void setUsedEvent(int index) throws GuestMemoryFault {
        memory.writeU16(layout.availRing() + 4 + 2L * layout.size(), index);
    }

    /** §2.7.7.1: without EVENT_IDX, flags 1 advises the device that notifications are not needed. */
    public void setAvailFlags(int flags) throws GuestMemoryFault {
        memory.writeU16(layout.availRing(), flags);
    }

    // ---- raw access, for scenarios that break the rules ----

    public void writeDescriptor(int index, long address, long length, int flags, int next) throws GuestMemoryFault {
        writeTableEntry(layout.descriptorTable(), index, address, length, flags, next);
    }

    public void writeTableEntry(long table, int index, long address, long length, int flags, int next)
            throws GuestMemoryFault {
        long at = table + 16L * index;
        memory.writeU64(at, address);
        memory.writeU32(at + 8, length);
        memory.writeU16(at + 12, flags);
        memory.writeU16(at + 14, next);
    }

    public void setAvailEntry(int slot, int head) throws GuestMemoryFault {
        memory.writeU16(layout.availRing() + 4 + 2L * slot, head);
    }

    /** Writes avail idx directly (the driver's own counter follows it). */
    public void setAvailIdx(int idx) throws GuestMemoryFault {
        memory.fullFence();
        lastPublishOld = availIdx;
        availIdx = idx & 0xFFFF;
        added = 0;
        memory.writeU16(layout.availRing() + 2, availIdx);
    }

    public int availIdx() {
        return availIdx;
    }

    public int usedIdx() throws GuestMemoryFault {
        return memory.readU16(layout.usedRing() + 2);
    }

    public int usedFlags() throws GuestMemoryFault {
        return memory.readU16(layout.usedRing());
    }

    public int availEvent() throws GuestMemoryFault {
        return memory.readU16(layout.usedRing() + 4 + 8L * layout.size());
    }

    public Used usedEntry(int slot) throws GuestMemoryFault {
        long at = layout.usedRing() + 4 + 8L * slot;
        return new Used((int) memory.readU32(at), memory.readU32(at + 4));
    }
}
