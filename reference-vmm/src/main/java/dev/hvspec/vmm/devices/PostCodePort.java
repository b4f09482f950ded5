package dev.hvspec.vmm.devices;

import dev.hvspec.machine.bus.PortIoDevice;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * The PC's POST code port at I/O 80h (the diagnostic port BIOSes write progress codes to, and
 * that Linux writes to for I/O delays), as QEMU's pc machine has it ("ioport80"): writes are
 * accepted and otherwise ignored, reads return all ones. The VMM may listen to the codes written
 * — the network benchmark's guest marks the start and end of its measured phase here.
 */
public final class PostCodePort implements PortIoDevice {
    public static final int PORT = 0x80;

    private final List<IntConsumer> listeners = new CopyOnWriteArrayList<>();

    /** {@code listener} gets every code written (the low byte of the access), on the writing vCPU's thread. */
    public void addListener(IntConsumer listener) {
        listeners.add(listener);
    }

    @Override
    public int ioRead(int port, int size) {
        return PortIoDevice.allOnes(size);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        for (IntConsumer l : listeners) {
            l.accept(value & 0xFF);
        }
    }
}
