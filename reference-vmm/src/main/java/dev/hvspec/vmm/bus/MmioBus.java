package dev.hvspec.vmm.bus;

import dev.hvspec.machine.bus.MmioDevice;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The userspace part of the guest-physical MMIO space: regions claimed by devices the VMM
 * emulates. Accesses nobody claims read as all-ones and ignore writes.
 */
public final class MmioBus {
    record Region(long base, long size, MmioDevice device) {
        boolean contains(long address) {
            return address >= base && address - base < size;
        }
    }

    private final CopyOnWriteArrayList<Region> regions = new CopyOnWriteArrayList<>();
    /** Where accesses nobody claimed go (the PCI memory space: BARs wherever the OS put them), or null. */
    private volatile MmioDevice fallback;

    /** Subtractive decode for the rest of the physical address space; the device gets absolute addresses. */
    public void setFallback(MmioDevice device) {
        this.fallback = device;
    }

    public void register(long base, long size, MmioDevice device) {
        for (Region r : regions) {
            if (base < r.base() + r.size() && r.base() < base + size) {
                throw new IllegalStateException(String.format("MMIO 0x%x+0x%x overlaps 0x%x", base, size, r.base()));
            }
        }
        regions.add(new Region(base, size, device));
    }

    public void unregister(MmioDevice device) {
        regions.removeIf(r -> r.device() == device);
    }

    public long read(long address, int size) {
        for (Region r : regions) {
            if (r.contains(address)) {
                return r.device().mmioRead(address - r.base(), size);
            }
        }
        if (fallback != null) {
            return fallback.mmioRead(address, size);
        }
        return size == 8 ? -1L : (1L << (8 * size)) - 1;
    }

    public void write(long address, int size, long value) {
        for (Region r : regions) {
            if (r.contains(address)) {
                r.device().mmioWrite(address - r.base(), size, value);
                return;
            }
        }
        if (fallback != null) {
            fallback.mmioWrite(address, size, value);
        }
    }
}
