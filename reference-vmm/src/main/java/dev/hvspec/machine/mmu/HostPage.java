package dev.hvspec.machine.mmu;

import dev.hvspec.machine.memory.HostMemory;

/**
 * A 4 KiB guest-physical page backed by host memory: {@code buffer[offset .. offset+4095]} of
 * {@code region}, and that page's index in the region (for the decoded-code generation).
 */
public record HostPage(HostMemory.Region region, int offset) {
    public java.nio.ByteBuffer buffer() {
        return region.buffer();
    }

    public int pageIndex() {
        return offset >>> 12;
    }
}
