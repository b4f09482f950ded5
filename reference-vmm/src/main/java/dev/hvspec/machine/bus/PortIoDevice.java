package dev.hvspec.machine.bus;

/**
 * A device on the x86 I/O port space (IN/OUT, SDM 1 §18.2).
 *
 * <p>{@code port} is the absolute port number the access was made to; {@code size} is 1, 2 or 4
 * bytes. Values are zero-extended to int. Implementations must not throw for any guest input:
 * a register that does not exist reads as all-ones of the access size, writes are ignored.
 */
public interface PortIoDevice {
    int ioRead(int port, int size);

    void ioWrite(int port, int size, int value);

    /** All-ones of an access size: what an unclaimed or undefined port reads as on a PC. */
    static int allOnes(int size) {
        return size >= 4 ? 0xFFFF_FFFF : (1 << (size * 8)) - 1;
    }
}
