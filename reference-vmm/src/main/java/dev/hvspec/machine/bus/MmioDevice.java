package dev.hvspec.machine.bus;

/**
 * A device mapped into the guest-physical address space. {@code offset} is relative to the base
 * of the region the device was mapped at; {@code size} is 1, 2, 4 or 8 bytes. Implementations
 * must not throw for any guest input.
 */
public interface MmioDevice {
    long mmioRead(long offset, int size);

    void mmioWrite(long offset, int size, long value);
}
