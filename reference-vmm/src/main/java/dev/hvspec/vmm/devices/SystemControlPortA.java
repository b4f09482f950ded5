package dev.hvspec.vmm.devices;

import dev.hvspec.machine.bus.PortIoDevice;

/**
 * PS/2 System Control Port A at 0x92 (the "fast A20" port): bit 1 is the A20 gate, always
 * enabled on this board (the guest contract promises A20 on); bit 0 requests a fast reset.
 */
public final class SystemControlPortA implements PortIoDevice {
    public static final int PORT = 0x92;
    private final Runnable reset;
    private int value = 0x02;

    public SystemControlPortA(Runnable reset) {
        this.reset = reset;
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        return value | (size > 1 ? PortIoDevice.allOnes(size) & ~0xFF : 0);
    }

    @Override
    public synchronized void ioWrite(int port, int size, int v) {
        value = (v & 0xFE) | 0x02; // A20 stays enabled
        if ((v & 1) != 0) {
            reset.run();
        }
    }
}
