package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.PortIoDevice;
import dev.hvspec.machine.time.VirtualClock;

/**
 * Port 0x61, the PC/AT "system control port B" (PIIX/ICH "NMI Status and Control Register").
 * Write: bit 0 = timer counter 2 GATE, bit 1 = speaker data enable, bit 2 = PCI SERR# NMI disable,
 * bit 3 = IOCHK# NMI disable. Read: those four bits, bit 4 = refresh cycle toggle, bit 5 = OUT2,
 * bit 6 = IOCHK# NMI source status, bit 7 = SERR# NMI source status (always 0: no such sources).
 *
 * <p>The refresh toggle flips every 18 PIT clocks (about 15.09 µs), the DRAM refresh period the
 * PC/AT BIOS programs into counter 1; it is derived from the virtual clock, not from counter 1.
 * Linux calibrates the TSC by gating counter 2 here and polling OUT2 in bit 5.
 */
public final class NmiStatusControlPort implements PortIoDevice {
    public static final int PORT = 0x61;
    static final int REFRESH_CLOCKS = 18;

    private final Intel8254 pit;
    private final VirtualClock clock;
    private int nmiEnables; // bits 3:2 as written

    public NmiStatusControlPort(Intel8254 pit, VirtualClock clock) {
        this.pit = pit;
        this.clock = clock;
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        long edges = Intel8254Counter.edgeAt(clock.nanos());
        int value = nmiEnables
                | (pit.gate(2) ? 0x01 : 0)
                | (pit.speakerDataEnabled() ? 0x02 : 0)
                | ((edges / REFRESH_CLOCKS) % 2 == 1 ? 0x10 : 0)
                | (pit.output(2) ? 0x20 : 0);
        return size == 1 ? value : value | (PortIoDevice.allOnes(size) & ~0xFF);
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        nmiEnables = value & 0x0C;
        pit.setSpeakerDataEnabled((value & 0x02) != 0);
        pit.setGate(2, (value & 0x01) != 0);
    }

    /** IOCHK# and SERR# NMIs are disabled by bits 3 and 2 (no such sources exist in this machine). */
    public synchronized int nmiEnables() {
        return nmiEnables;
    }
}
