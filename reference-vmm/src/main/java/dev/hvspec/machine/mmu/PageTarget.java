package dev.hvspec.machine.mmu;

/** Where the bytes of one 4 KiB page go for an access: host RAM, or an emulator (MMIO). */
public sealed interface PageTarget {
    /**
     * Host RAM. {@code types} is the mask of access types ({@code 1 << Access.READ} …) that
     * may use this backing without asking the physical memory again (so the TLB may keep them).
     */
    record Ram(HostPage page, int types) implements PageTarget {
        public boolean allows(int type) {
            return (types >>> type & 1) != 0;
        }
    }

    /** Not RAM for this access: the bytes at {@code address} are read or written by an emulator. */
    record Emulated(long address) implements PageTarget {
    }

    int READ_FETCH = 1 << Access.READ | 1 << Access.FETCH;
    int ALL = READ_FETCH | 1 << Access.WRITE;
}
