package dev.hvspec.properties.e1000;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;
import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.vmm.e1000.E1000Config;
import dev.hvspec.vmm.e1000.Intel82540EM;
import dev.hvspec.vmm.net.NetBackend;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.PciHostBridge;

import java.util.ArrayList;
import java.util.List;

/**
 * One 82540EM behind a PCI host bridge with 1 MiB of RAM, driven the way a driver would: BAR0 at
 * 0xC0000000, a transmit ring of 64 descriptors at 0x1000, packet buffers from 0x10000. Frames the
 * device sends are collected. Register offsets are the 8254x SDM's (chapter 13).
 */
final class E1000Harness {
    static final long BAR0 = 0xC000_0000L;
    static final long TX_RING = 0x1000;
    static final long BUFFER = 0x10000;
    static final int RING = 64;

    private static final int CTRL = 0x0000;
    private static final int TCTL = 0x0400;
    private static final int TDBAL = 0x3800;
    private static final int TDLEN = 0x3808;
    private static final int TDT = 0x3818;

    final GuestRam ram = GuestRam.ofSize(1 << 20);
    final List<byte[]> sent = new ArrayList<>();
    final ManualClock clock = new ManualClock();
    final TimerQueue timers = new TimerQueue(clock);
    final Intel82540EM nic;
    private final MmioDevice window;
    private NetBackend.FrameReceiver receiver;
    private int tail;

    E1000Harness() {
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
        nic = new Intel82540EM(E1000Config.of(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}), timers, network);
        PciHostBridge bridge = new PciHostBridge(ram, (a, d) -> { }, IntxRouter.UNCONNECTED);
        bridge.attach(3, 0, nic);
        bridge.configWrite(0, 3, 0, 0x10, 4, (int) BAR0);
        bridge.configWrite(0, 3, 0, 0x04, 2, 0x0006); // memory space, bus master
        window = bridge.memorySpace(BAR0);
        write(CTRL, 1 << 6);   // SLU: the MAC takes the link once the PHY has negotiated
        clock.advance(2_000_000);
        timers.runExpired();
        write(TDBAL, (int) TX_RING);
        write(TDLEN, RING * 16);
        write(TCTL, 1 << 1); // EN, no padding: frames leave exactly as built
    }

    /** Any access a guest can make to BAR0: offset within the BAR, size 1, 2, 4 or 8. */
    void access(boolean write, int offset, int size, long value) {
        if (write) {
            window.mmioWrite(offset, size, value);
        } else {
            window.mmioRead(offset, size);
        }
    }

    boolean deliver(byte[] frame) {
        return receiver.receive(frame);
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

    /** Sends {@code frame} in one legacy descriptor with EOP, IFCS and, if asked, IC (CSO/CSS). */
    void sendLegacy(byte[] frame, boolean insertChecksum, int cso, int css) throws GuestMemoryFault {
        ram.write(BUFFER, frame);
        long d = TX_RING + 16L * tail;
        int cmd = 0x01 | 0x02 | (insertChecksum ? 0x04 : 0);
        ram.writeU64(d, BUFFER);
        ram.writeU64(d + 8, frame.length | (long) (cso & 0xFF) << 16 | (long) cmd << 24 | (long) (css & 0xFF) << 40);
        ring(1);
    }

    /** A TCP/IP context descriptor, then {@code frame} in one data descriptor with EOP, IFCS, (TSE) and POPTS. */
    void sendWithContext(byte[] frame, int ipcss, int ipcso, int ipcse, int tucss, int tucso, int tucse,
                         int tucmd, int hdrlen, int mss, boolean tse, int popts) throws GuestMemoryFault {
        ram.write(BUFFER, frame);
        long c = TX_RING + 16L * tail;
        ram.writeU64(c, (ipcss & 0xFFL) | (ipcso & 0xFFL) << 8 | (ipcse & 0xFFFFL) << 16
                | (tucss & 0xFFL) << 32 | (tucso & 0xFFL) << 40 | (tucse & 0xFFFFL) << 48);
        ram.writeU64(c + 8, ((long) (frame.length - hdrlen) & 0xFFFFF) | ((tucmd | 0x20) & 0xFFL) << 24
                | (hdrlen & 0xFFL) << 40 | (mss & 0xFFFFL) << 48);
        long d = TX_RING + 16L * ((tail + 1) % RING);
        int dcmd = 0x01 | 0x02 | 0x20 | (tse ? 0x04 : 0);
        ram.writeU64(d, BUFFER);
        ram.writeU64(d + 8, (frame.length & 0xFFFFFL) | 1L << 20 | (long) dcmd << 24 | (long) (popts & 0xFF) << 40);
        ring(2);
    }

    private void ring(int descriptors) {
        tail = (tail + descriptors) % RING;
        write(TDT, tail);
    }

    // ---- the oracle: RFC 1071, written out directly ----

    /** The one's complement sum of the big-endian 16-bit words of {@code data[from..to]} (odd byte padded). */
    static int onesComplementSum(byte[] data, int from, int to) {
        long sum = 0;
        for (int i = from; i <= to; i += 2) {
            int word = (data[i] & 0xFF) << 8;
            if (i + 1 <= to) {
                word |= data[i + 1] & 0xFF;
            }
            sum += word;
        }
        while (sum > 0xFFFF) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    static int get16(byte[] d, int at) {
        return (d[at] & 0xFF) << 8 | (d[at + 1] & 0xFF);
    }

    static void put16(byte[] d, int at, int v) {
        d[at] = (byte) (v >>> 8);
        d[at + 1] = (byte) v;
    }
}
