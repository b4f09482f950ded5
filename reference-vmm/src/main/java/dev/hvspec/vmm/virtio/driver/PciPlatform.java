package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.vmm.pci.PciHostBridge;

/**
 * What a driver running in the guest can do, for the reference PCI driver: configuration
 * accesses to its function, CPU memory accesses (MMIO included), port I/O and RAM.
 */
public interface PciPlatform {
    int configRead(int offset, int size);

    void configWrite(int offset, int size, int value);

    long mmioRead(long address, int size);

    void mmioWrite(long address, int size, long value);

    int ioRead(int port, int size);

    void ioWrite(int port, int size, int value);

    GuestMemory ram();

    /**
     * A driver of function {@code device}.0 on bus 0 of {@code bridge}: configuration accesses
     * through the bridge, memory accesses to its memory space at {@code windowBase}, and no port
     * I/O (reads return all ones, writes go nowhere).
     */
    static PciPlatform memoryOnly(PciHostBridge bridge, int device, long windowBase, GuestMemory ram) {
        MmioDevice window = bridge.memorySpace(windowBase);
        return new PciPlatform() {
            @Override
            public int configRead(int offset, int size) {
                return bridge.configRead(0, device, 0, offset, size);
            }

            @Override
            public void configWrite(int offset, int size, int value) {
                bridge.configWrite(0, device, 0, offset, size, value);
            }

            @Override
            public long mmioRead(long address, int size) {
                return window.mmioRead(address - windowBase, size);
            }

            @Override
            public void mmioWrite(long address, int size, long value) {
                window.mmioWrite(address - windowBase, size, value);
            }

            @Override
            public int ioRead(int port, int size) {
                return -1;
            }

            @Override
            public void ioWrite(int port, int size, int value) {
            }

            @Override
            public GuestMemory ram() {
                return ram;
            }
        };
    }
}
