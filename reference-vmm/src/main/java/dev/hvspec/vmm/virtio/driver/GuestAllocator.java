package dev.hvspec.vmm.virtio.driver;

/**
 * A bump allocator of guest-physical memory for the reference driver: rings, buffers and
 * indirect tables come from {@code [base, limit)}, aligned as asked, never freed.
 */
public final class GuestAllocator {
    private final long limit;
    private long next;

    public GuestAllocator(long base, long limit) {
        this.next = base;
        this.limit = limit;
    }

    public synchronized long allocate(long bytes, long alignment) {
        long at = (next + alignment - 1) & -alignment;
        if (at + bytes > limit) {
            throw new IllegalStateException("driver memory exhausted");
        }
        next = at + bytes;
        return at;
    }

    public synchronized long next() {
        return next;
    }
}
