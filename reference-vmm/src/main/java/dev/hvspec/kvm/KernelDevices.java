package dev.hvspec.kvm;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.bus.PortIoDevice;

import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The devices emulated inside the kernel (KVM's in-kernel I/O buses: PIC, PIT, IOAPIC, local
 * APIC): accesses that hit them are handled without an exit to userspace.
 */
final class KernelDevices {
    private final PortIoDevice[] ports = new PortIoDevice[0x10000];
    private final CopyOnWriteArrayList<Mmio> mmio = new CopyOnWriteArrayList<>();

    record Mmio(long base, long size, MmioDevice device) {
        boolean contains(long address, int length) {
            return address >= base && address + length <= base + size;
        }
    }

    synchronized void registerPorts(int first, int count, PortIoDevice device) {
        for (int p = first; p < first + count; p++) {
            ports[p] = device;
        }
    }

    void registerMmio(long base, long size, MmioDevice device) {
        mmio.add(new Mmio(base, size, device));
    }

    void unregisterMmio(MmioDevice device) {
        mmio.removeIf(m -> m.device() == device);
    }

    PortIoDevice port(int port) {
        return ports[port & 0xFFFF];
    }

    Mmio mmio(long address, int length) {
        for (Mmio m : mmio) {
            if (m.contains(address, length)) {
                return m;
            }
        }
        return null;
    }
}
