package dev.hvspec.machine.memory;

import java.util.ArrayList;
import java.util.List;

/**
 * The guest-physical address space of a VM: its memory slots. Anything not covered by a slot is
 * MMIO (accesses exit to the hypervisor). Lookups are lock-free; updates publish a new array.
 */
public final class MemorySlots {
    private volatile MemorySlot[] slots = new MemorySlot[0];

    public MemorySlot find(long gpa) {
        for (MemorySlot s : slots) {
            if (s.contains(gpa)) {
                return s;
            }
        }
        return null;
    }

    public MemorySlot byId(int id) {
        for (MemorySlot s : slots) {
            if (s.id() == id) {
                return s;
            }
        }
        return null;
    }

    public List<MemorySlot> all() {
        return List.of(slots);
    }

    /** Replaces (or with {@code slot == null} deletes) slot {@code id}. Overlap checks are the caller's. */
    public synchronized void put(int id, MemorySlot slot) {
        List<MemorySlot> next = new ArrayList<>();
        for (MemorySlot s : slots) {
            if (s.id() != id) {
                next.add(s);
            }
        }
        if (slot != null) {
            next.add(slot);
        }
        slots = next.toArray(MemorySlot[]::new);
    }

    /** True if {@code [gpa, gpa+size)} overlaps a slot other than {@code exceptId}. */
    public boolean overlaps(long gpa, long size, int exceptId) {
        for (MemorySlot s : slots) {
            if (s.id() != exceptId && gpa < s.gpa() + s.size() && s.gpa() < gpa + size) {
                return true;
            }
        }
        return false;
    }

    /** The DMA view of these slots, for userspace devices and tests. */
    public GuestMemory asGuestMemory() {
        return new SlotGuestMemory(this);
    }

    private record SlotGuestMemory(MemorySlots slots) implements GuestMemory {
        @Override
        public boolean isRam(long gpa, long length) {
            while (length > 0) {
                MemorySlot s = slots.find(gpa);
                if (s == null || !s.backed()) {
                    return false;
                }
                long chunk = Math.min(length, s.gpa() + s.size() - gpa);
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
                MemorySlot s = slots.find(gpa);
                int chunk = (int) Math.min(length, s.gpa() + s.size() - gpa);
                s.region().buffer().get(s.regionOffset(gpa), dst, offset, chunk);
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
                MemorySlot s = slots.find(gpa);
                int chunk = (int) Math.min(length, s.gpa() + s.size() - gpa);
                int at = s.regionOffset(gpa);
                s.region().buffer().put(at, src, offset, chunk);
                for (long p = at >>> 12; p <= (at + chunk - 1) >>> 12; p++) {
                    if (s.region().holdsCode((int) p)) {
                        s.region().codeWritten((int) p);
                    }
                }
                gpa += chunk;
                offset += chunk;
                length -= chunk;
            }
        }
    }
}
