package dev.hvspec.kvm;

import dev.hvspec.machine.memory.HostMemory;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Zeroed 4 KiB pages of kernel memory for the tables KVM builds (EPT/NPT tables, shadow pages, the
 * PAE root), taken from host memory below 2 GiB in 1 MiB chunks (as the kernel allocates with
 * {@code GFP_DMA32} for structures a 32-bit CR3 must reach). A page's address is its
 * host-physical address. Callers hold the VM's MMU lock.
 */
final class KernelPagePool {
    static final int CHUNK_PAGES = 256;

    private final HostMemory memory;
    private final String name;
    private final List<HostMemory.Region> chunks = new ArrayList<>();
    private final ArrayDeque<Long> free = new ArrayDeque<>();
    private int inUse;

    KernelPagePool(HostMemory memory, String name) {
        this.memory = memory;
        this.name = name;
    }

    /** A zeroed page; its host-physical address. */
    long allocate() {
        if (free.isEmpty()) {
            HostMemory.Region chunk = memory.mmap32((long) CHUNK_PAGES * HostKernel.PAGE_SIZE, name);
            chunks.add(chunk);
            for (int i = 0; i < CHUNK_PAGES; i++) {
                free.add(chunk.base() + (long) i * HostKernel.PAGE_SIZE);
            }
        }
        inUse++;
        return free.poll();
    }

    /** Returns a page, zeroing it for its next user. */
    void free(long hpa) {
        HostMemory.Region r = memory.regionAt(hpa, HostKernel.PAGE_SIZE);
        ByteBuffer b = r.buffer();
        int at = (int) (hpa - r.base());
        for (int i = 0; i < HostKernel.PAGE_SIZE; i += 8) {
            b.putLong(at + i, 0);
        }
        inUse--;
        free.push(hpa);
    }

    int pagesInUse() {
        return inUse;
    }
}
