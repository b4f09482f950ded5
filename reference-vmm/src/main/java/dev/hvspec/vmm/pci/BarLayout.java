package dev.hvspec.vmm.pci;

import dev.hvspec.machine.bus.MmioDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * A BAR assembled from sub-regions at fixed offsets (e.g. the MSI-X table at 0 and the PBA at
 * 0x800, or virtio's common, ISR, device and notify structures). An access goes to the region
 * holding its first byte, with the offset made relative to that region; offsets no region
 * claims read as zero and ignore writes (the function decodes its whole BAR, PCI 3.0 §6.2.5.1).
 */
public final class BarLayout implements MmioDevice {
    private record Part(long offset, long length, MmioDevice region) {
    }

    private final List<Part> parts = new ArrayList<>();

    public BarLayout add(long offset, long length, MmioDevice region) {
        for (Part p : parts) {
            if (offset < p.offset + p.length && p.offset < offset + length) {
                throw new IllegalArgumentException("overlapping BAR regions at 0x" + Long.toHexString(offset));
            }
        }
        parts.add(new Part(offset, length, region));
        return this;
    }

    @Override
    public long mmioRead(long offset, int size) {
        for (Part p : parts) {
            if (offset >= p.offset && offset - p.offset < p.length) {
                return p.region.mmioRead(offset - p.offset, size);
            }
        }
        return 0;
    }

    @Override
    public void mmioWrite(long offset, int size, long value) {
        for (Part p : parts) {
            if (offset >= p.offset && offset - p.offset < p.length) {
                p.region.mmioWrite(offset - p.offset, size, value);
                return;
            }
        }
    }
}
