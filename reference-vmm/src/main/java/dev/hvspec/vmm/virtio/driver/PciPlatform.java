package dev.hvspec.vmm.virtio.driver;

import dev.hvspec.machine.memory.GuestMemory;

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
}
