package dev.hvspec.vmm.bus;

import dev.hvspec.machine.bus.PortIoDevice;

/**
 * The 64 KiB x86 I/O port space of the PC board. An access goes to the device that claimed its
 * first port; other ports go to the fallback (the PCI I/O space) if there is one, and otherwise
 * read as all-ones and ignore writes (a floating ISA bus).
 */
public final class IoPortBus {
    public static final int PORT_COUNT = 0x10000;

    private final PortIoDevice[] owners = new PortIoDevice[PORT_COUNT];
    /** Where accesses nobody claimed go (the PCI host bridge's I/O space), or null. */
    private volatile PortIoDevice fallback;

    /**
     * Subtractive decode: ports no device claimed go to {@code device} (on a PC, the PCI host
     * bridge, which decodes I/O BARs wherever the OS put them).
     */
    public void setFallback(PortIoDevice device) {
        this.fallback = device;
    }

    /** Claims {@code count} ports from {@code first} for {@code device}; overlaps are a wiring bug. */
    public synchronized void register(int first, int count, PortIoDevice device) {
        if (first < 0 || count <= 0 || first + count > PORT_COUNT) {
            throw new IllegalArgumentException("port range out of bounds: " + first + "+" + count);
        }
        for (int p = first; p < first + count; p++) {
            if (owners[p] != null) {
                throw new IllegalStateException(String.format("port 0x%04X is already claimed", p));
            }
        }
        for (int p = first; p < first + count; p++) {
            owners[p] = device;
        }
    }

    public PortIoDevice owner(int port) {
        return owners[port & 0xFFFF];
    }

    public int read(int port, int size) {
        PortIoDevice device = owners[port & 0xFFFF];
        if (device == null) {
            device = fallback;
        }
        return device == null ? PortIoDevice.allOnes(size) : device.ioRead(port & 0xFFFF, size);
    }

    public void write(int port, int size, int value) {
        PortIoDevice device = owners[port & 0xFFFF];
        if (device == null) {
            device = fallback;
        }
        if (device != null) {
            device.ioWrite(port & 0xFFFF, size, value);
        }
    }
}
