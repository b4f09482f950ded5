package dev.hvspec.vmm.devices;

import dev.hvspec.machine.bus.PortIoDevice;

import java.util.function.IntConsumer;

/**
 * QEMU's isa-debug-exit device as the guest contract uses it (I/O base 0xF4, size 4): a write of
 * V ends the VM and the VMM process exits with status {@code (V << 1) | 1}. The value is what the
 * guest wrote, at the width of its access. Reads return all-ones (the device has no read side).
 */
public final class IsaDebugExit implements PortIoDevice {
    public static final int PORT = 0xF4;
    public static final int SIZE = 4;

    private final IntConsumer onExit;

    /** @param onExit receives the process exit status {@code (V << 1) | 1} */
    public IsaDebugExit(IntConsumer onExit) {
        this.onExit = onExit;
    }

    /** The exit status for a written value, as QEMU computes it (an int: the shift wraps like C's). */
    public static int exitStatus(int value) {
        return (value << 1) | 1;
    }

    @Override
    public int ioRead(int port, int size) {
        return PortIoDevice.allOnes(size);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        onExit.accept(exitStatus(value));
    }
}
