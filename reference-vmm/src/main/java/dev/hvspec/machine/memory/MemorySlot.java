package dev.hvspec.machine.memory;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One guest-physical memory slot (KVM api.rst §4.35 KVM_SET_USER_MEMORY_REGION): guest-physical
 * {@code [gpa, gpa + size)} backed by host memory at {@code hostAddress} inside {@code region}.
 * Writes to a read-only slot are MMIO to the hardware (they exit); with dirty logging every page
 * written by a vCPU is recorded in {@link #dirtyBitmap()}. A slot may name host memory that is not
 * mapped ({@code region == null}): using it is a fault of the host, -EFAULT from KVM_RUN.
 */
public record MemorySlot(int id, long gpa, long size, HostMemory.Region region, long hostAddress,
                         boolean readOnly, AtomicLongArray dirtyBitmap) {
    /** True when the host memory behind the slot exists ({@code region} is null for an unmapped user range). */
    public boolean backed() {
        return region != null;
    }

    public static final int PAGE_SHIFT = 12;

    public boolean contains(long address) {
        return address >= gpa && address - gpa < size;
    }

    public long pages() {
        return size >>> PAGE_SHIFT;
    }

    public boolean logsDirty() {
        return dirtyBitmap != null;
    }

    /** Offset in {@code region.bytes()} of guest-physical {@code address}. */
    public int regionOffset(long address) {
        return (int) (hostAddress - region.base() + (address - gpa));
    }

    /** Records a write to the page of {@code address} (bit n of the bitmap = page n of the slot). */
    public void markDirty(long address) {
        if (dirtyBitmap != null) {
            long page = (address - gpa) >>> PAGE_SHIFT;
            int word = (int) (page >>> 6);
            long bit = 1L << (page & 63);
            long old;
            do {
                old = dirtyBitmap.get(word);
                if ((old & bit) != 0) {
                    return;
                }
            } while (!dirtyBitmap.compareAndSet(word, old, old | bit));
        }
    }
}
