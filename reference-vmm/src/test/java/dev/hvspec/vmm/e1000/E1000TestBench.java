package dev.hvspec.vmm.e1000;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.vmm.net.NetBackend;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.PciHostBridge;

import java.util.ArrayList;
import java.util.List;

/**
 * An 82540EM on a host bridge with 2 MiB of RAM for unit tests: BAR0 at 0xC0000000, the link up,
 * a transmit ring of 64 descriptors at 0x1000 and a receive ring of 64 descriptors at 0x2000 with
 * 2048-byte buffers from 0x100000. Offsets and bits are the 8254x SDM's.
 */
final class E1000TestBench {
    static final long BAR0 = 0xC000_0000L;
    static final long TX_RING = 0x1000;
    static final long RX_RING = 0x2000;
    static final long TX_BUFFER = 0x10000;
    static final long RX_BUFFERS = 0x100000;
    static final int RING = 64;

    final ManualClock clock = new ManualClock();
    final TimerQueue timers = new TimerQueue(clock);
    final GuestRam ram = GuestRam.ofSize(2 << 20);
    final List<byte[]> sent = new ArrayList<>();
    final Intel82540EM nic;
    static final int IO_BAR = 0xC000;

    private final MmioDevice window;
    private final dev.hvspec.machine.bus.PortIoDevice ioPorts;
    private NetBackend.FrameReceiver receiver;
    private int txTail;

    E1000TestBench(E1000Config config) {
        NetBackend network = new NetBackend() {
            @Override
            public void transmit(byte[] frame) {
                sent.add(frame);
            }

            @Override
            public void connect(FrameReceiver r) {
                receiver = r;
            }
        };
        nic = new Intel82540EM(config, timers, network);
        PciHostBridge bridge = new PciHostBridge(ram, (a, d) -> { }, IntxRouter.UNCONNECTED);
        bridge.attach(3, 0, nic);
        bridge.configWrite(0, 3, 0, 0x10, 4, (int) BAR0);
        bridge.configWrite(0, 3, 0, 0x14, 4, IO_BAR);
        bridge.configWrite(0, 3, 0, 0x04, 2, 0x0007);
        window = bridge.memorySpace(BAR0);
        ioPorts = bridge.ioSpace();
        write(0x0000, 1 << 6);                 // CTRL.SLU
        advance(2_000_000);                    // auto-negotiation
        write(0x3800, (int) TX_RING);          // TDBAL
        write(0x3808, RING * 16);              // TDLEN
        write(0x0400, 1 << 1 | 1 << 3);        // TCTL: EN, PSP
    }

    void advance(long nanos) {
        clock.advance(nanos);
        timers.runExpired();
    }

    void write(int register, int value) {
        window.mmioWrite(register, 4, value & 0xFFFF_FFFFL);
    }

    int read(int register) {
        return (int) window.mmioRead(register, 4);
    }

    MmioDevice registers() {
        return window;
    }

    /** The I/O window of the host bridge; BAR1 is at {@link #IO_BAR}. */
    dev.hvspec.machine.bus.PortIoDevice io() {
        return ioPorts;
    }

    /** Receive ring of {@code RING} descriptors, all but one given to the hardware, with RCTL as given. */
    void setUpReceive(int rctl) throws GuestMemoryFault {
        for (int i = 0; i < RING; i++) {
            ram.writeU64(RX_RING + 16L * i, RX_BUFFERS + 2048L * i);
            ram.writeU64(RX_RING + 16L * i + 8, 0);
        }
        write(0x2800, (int) RX_RING);          // RDBAL
        write(0x2808, RING * 16);              // RDLEN
        write(0x2818, RING - 1);               // RDT
        write(0x0100, rctl);                   // RCTL
    }

    boolean deliver(byte[] frame) {
        return receiver.receive(frame);
    }

    /** A context descriptor then one data descriptor carrying {@code packet}, and the doorbell. */
    void sendWithContext(byte[] packet, int ipcss, int ipcso, int ipcse, int tucss, int tucso, int tucmd,
                         int hdrlen, int mss, boolean tse, int popts) throws GuestMemoryFault {
        ram.write(TX_BUFFER, packet);
        long c = TX_RING + 16L * txTail;
        ram.writeU64(c, (ipcss & 0xFFL) | (ipcso & 0xFFL) << 8 | (ipcse & 0xFFFFL) << 16
                | (tucss & 0xFFL) << 32 | (tucso & 0xFFL) << 40);
        ram.writeU64(c + 8, ((long) (packet.length - hdrlen) & 0xFFFFF) | ((tucmd | 0x20) & 0xFFL) << 24
                | (hdrlen & 0xFFL) << 40 | (mss & 0xFFFFL) << 48);
        long d = TX_RING + 16L * ((txTail + 1) % RING);
        ram.writeU64(d, TX_BUFFER);
        ram.writeU64(d + 8, (packet.length & 0xFFFFFL) | 1L << 20
                | (long) (0x01 | 0x02 | 0x08 | 0x20 | (tse ? 0x04 : 0)) << 24 | (long) (popts & 0xFF) << 40);
        txTail = (txTail + 2) % RING;
        write(0x3818, txTail);                 // TDT
    }

    /** Writes one descriptor (two quadwords) at the tail without ringing. */
    void queue(long low, long high) throws GuestMemoryFault {
        long d = TX_RING + 16L * txTail;
        ram.writeU64(d, low);
        ram.writeU64(d + 8, high);
        txTail = (txTail + 1) % RING;
    }

    void ringTransmit() {
        write(0x3818, txTail);
    }

    /** One legacy descriptor with EOP, IFCS, RS, and the doorbell. */
    void sendLegacy(byte[] frame) throws GuestMemoryFault {
        ram.write(TX_BUFFER, frame);
        long d = TX_RING + 16L * txTail;
        ram.writeU64(d, TX_BUFFER);
        ram.writeU64(d + 8, frame.length | (long) (0x01 | 0x02 | 0x08) << 24);
        txTail = (txTail + 1) % RING;
        write(0x3818, txTail);
    }
}
