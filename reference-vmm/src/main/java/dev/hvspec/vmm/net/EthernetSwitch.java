package dev.hvspec.vmm.net;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An in-process learning Ethernet switch between NICs, possibly of different VMs in one host
 * process (IEEE 802.1D transparent bridging, reduced to what guests notice): each port learns
 * the source MAC addresses of the frames it sends; a frame to a learned unicast address goes to
 * that port only, anything else (broadcast, multicast, unknown unicast) to every other port.
 * Frames are delivered synchronously, outside the switch's lock, and never back to the sender.
 */
public final class EthernetSwitch {
    /** Learned addresses kept at most (oldest forgotten first), so a guest cannot grow the table without bound. */
    public static final int MAX_ADDRESSES = 4096;

    private final List<Port> ports = new ArrayList<>();
    private final Map<Long, Port> table = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Port> eldest) {
            return size() > MAX_ADDRESSES;
        }
    };

    /** A new port: plug a NIC into it by giving the port to the NIC as its backend. */
    public synchronized Port newPort() {
        Port p = new Port(ports.size());
        ports.add(p);
        return p;
    }

    static long mac(byte[] frame, int at) {
        long v = 0;
        for (int i = 0; i < 6; i++) {
            v = v << 8 | (frame[at + i] & 0xFF);
        }
        return v;
    }

    private void forward(Port from, byte[] frame) {
        if (frame.length < 14) {
            return; // not an Ethernet frame
        }
        List<Port> targets = new ArrayList<>();
        synchronized (this) {
            long source = mac(frame, 6);
            if ((frame[6] & 1) == 0) {
                table.put(source, from);
            }
            Port known = (frame[0] & 1) == 0 ? table.get(mac(frame, 0)) : null;
            if (known != null) {
                if (known != from) {
                    targets.add(known);
                }
            } else {
                for (Port p : ports) {
                    if (p != from) {
                        targets.add(p);
                    }
                }
            }
        }
        for (Port p : targets) {
            p.deliver(frame);
        }
    }

    /** One switch port, the {@link NetBackend} of the NIC plugged into it. */
    public final class Port implements NetBackend {
        private final int number;
        private FrameReceiver receiver;
        private long received;
        private long dropped;

        private Port(int number) {
            this.number = number;
        }

        public int number() {
            return number;
        }

        @Override
        public void transmit(byte[] frame) {
            forward(this, frame.clone());
        }

        @Override
        public synchronized void connect(FrameReceiver receiver) {
            this.receiver = receiver;
        }

        private void deliver(byte[] frame) {
            FrameReceiver r;
            synchronized (this) {
                r = receiver;
            }
            boolean ok = r != null && r.receive(frame.clone());
            synchronized (this) {
                if (ok) {
                    received++;
                } else {
                    dropped++;
                }
            }
        }

        public synchronized long received() {
            return received;
        }

        public synchronized long dropped() {
            return dropped;
        }
    }
}
