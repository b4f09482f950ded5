package dev.hvspec.vmm.virtio.console;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioDeviceType;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.RingViolation;
import dev.hvspec.vmm.virtio.queue.Virtqueue;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

import static dev.hvspec.vmm.virtio.VirtioFeatures.bit;

/**
 * The console device (virtio 1.3 §5.3): port 0's receiveq (0) and transmitq (1) always; with
 * VIRTIO_CONSOLE_F_MULTIPORT the control receiveq (2) and transmitq (3) and, for port {@code n >= 1},
 * receiveq {@code 2 + 2n} and transmitq {@code 3 + 2n}. Configuration (§5.3.4): {@code le16 rows;
 * le16 cols; le32 max_nr_ports; le32 emerg_wr} — rows first, as the specification says (Linux
 * used the opposite order for years and has since changed to the specification's).
 *
 * <p>Output the guest transmits goes to each port's sink; input the host sends waits (up to
 * {@link #MAX_PENDING} bytes per port) for receive buffers. emerg_wr accepts a character at any
 * time, even on an unconfigured device (§5.3.5.1). Control messages {@code struct
 * virtio_console_control { le32 id; le16 event; le16 value; }} follow §5.3.6.2: after the
 * driver's DEVICE_READY the device announces its ports with DEVICE_ADD; after PORT_READY it tells
 * whether the port is a console (CONSOLE_PORT), its name (PORT_NAME) and whether the host side
 * is open (PORT_OPEN).
 */
public final class VirtioConsole extends VirtioDevice {
    public static final int F_SIZE = 0;
    public static final int F_MULTIPORT = 1;
    public static final int F_EMERG_WRITE = 2;

    public static final int DEVICE_READY = 0;
    public static final int DEVICE_ADD = 1;
    public static final int DEVICE_REMOVE = 2;
    public static final int PORT_READY = 3;
    public static final int CONSOLE_PORT = 4;
    public static final int RESIZE = 5;
    public static final int PORT_OPEN = 6;
    public static final int PORT_NAME = 7;

    public static final int CFG_ROWS = 0;
    public static final int CFG_COLS = 2;
    public static final int CFG_MAX_NR_PORTS = 4;
    public static final int CFG_EMERG_WR = 8;
    public static final int CONFIG_SIZE = 12;
    public static final int MAX_PENDING = 64 * 1024;
    /** Output bytes taken from one transmit buffer (Linux sends at most a page per buffer). */
    public static final int MAX_OUTPUT_PER_BUFFER = 64 * 1024;
    public static final int MAX_CONTROL_PENDING = 256;
    public static final int CONTROL_RECEIVEQ = 2;
    public static final int CONTROL_TRANSMITQ = 3;

    /** One port as the host sees it. */
    private static final class Port {
        final int id;
        final String name;
        final boolean console;
        final Consumer<byte[]> output;
        final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        int pendingBytes;
        boolean guestOpen;

        Port(int id, String name, boolean console, Consumer<byte[]> output) {
            this.id = id;
            this.name = name;
            this.console = console;
            this.output = output;
        }
    }

    private final byte[] config = new byte[CONFIG_SIZE];
    private final ByteBuffer cfg = ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN);
    private final int maxPorts;
    private final IntConsumer emergency;
    private final Map<Integer, Port> ports = new TreeMap<>();
    private final ArrayDeque<byte[]> control = new ArrayDeque<>();
    private boolean driverReady;
    private long droppedInput;
    private long droppedOutput;

    /**
     * @param maxPorts  ports the device supports (1 = no MULTIPORT)
     * @param port0     where port 0's output goes
     * @param emergency where characters written to emerg_wr go
     */
    public VirtioConsole(int maxPorts, Consumer<byte[]> port0, IntConsumer emergency) {
        if (maxPorts < 1 || maxPorts > 31) {
            throw new IllegalArgumentException("max_nr_ports must be 1..31");
        }
        this.maxPorts = maxPorts;
        this.emergency = emergency;
        cfg.putShort(CFG_ROWS, (short) 25);
        cfg.putShort(CFG_COLS, (short) 80);
        cfg.putInt(CFG_MAX_NR_PORTS, maxPorts);
        ports.put(0, new Port(0, "", true, port0));
    }

    @Override
    public VirtioDeviceType type() {
        return VirtioDeviceType.CONSOLE;
    }

    @Override
    public long deviceFeatures() {
        long f = bit(F_SIZE) | bit(F_EMERG_WRITE);
        return maxPorts > 1 ? f | bit(F_MULTIPORT) : f;
    }

    @Override
    public int queueCount() {
        return maxPorts > 1 ? 2 + 2 * maxPorts : 2;
    }

    @Override
    public byte[] config() {
        return config;
    }

    static int receiveQueue(int port) {
        return port == 0 ? 0 : 2 + 2 * port;
    }

    static int transmitQueue(int port) {
        return port == 0 ? 1 : 3 + 2 * port;
    }

    /** §5.3.5.1: a write to emerg_wr is allowed at any time; its low byte is output. */
    @Override
    protected void configWritten(int offset, int size, long value) {
        if (offset == CFG_EMERG_WR) {
            emergency.accept((int) value & 0xFF);
        }
    }

    @Override
    protected void resetDevice() {
        driverReady = false;
        control.clear();
        for (Port p : ports.values()) {
            p.pending.clear();
            p.pendingBytes = 0;
            p.guestOpen = false;
        }
    }

    // ---- host side ----

    /**
     * Adds port {@code id} (§5.3.6.2.1: the device MUST NOT add a port that exists nor one at or
     * beyond max_nr_ports, so those are rejected here).
     */
    public void addPort(int id, String name, boolean console, Consumer<byte[]> output) {
        synchronized (lock()) {
            if (id <= 0 || id >= maxPorts || ports.containsKey(id)) {
                throw new IllegalArgumentException("port " + id + " cannot be added");
            }
            ports.put(id, new Port(id, name, console, output));
            if (driverReady) {
                sendControl(id, DEVICE_ADD, 0, null);
            }
        }
    }

    /** Removes a port added before (§5.3.6.2.1: only ports created with DEVICE_ADD). */
    public void removePort(int id) {
        synchronized (lock()) {
            if (id == 0 || !ports.containsKey(id)) {
                throw new IllegalArgumentException("port " + id + " was never added");
            }
            ports.remove(id);
            if (driverReady) {
                sendControl(id, DEVICE_REMOVE, 0, null);
            }
        }
    }

    /** Input for the guest on {@code port}; bytes beyond the pending limit are dropped. */
    public void send(int port, byte[] data) {
        synchronized (lock()) {
            Port p = ports.get(port);
            if (p == null || p.pendingBytes + data.length > MAX_PENDING) {
                droppedInput += data.length;
                return;
            }
            p.pending.add(data.clone());
            p.pendingBytes += data.length;
            deliverInput(p);
        }
    }

    /** The console of port 0 changed size: a configuration change with VIRTIO_CONSOLE_F_SIZE (§5.3.6). */
    public void resize(int rows, int cols) {
        synchronized (lock()) {
            cfg.putShort(CFG_ROWS, (short) rows);
            cfg.putShort(CFG_COLS, (short) cols);
            configChanged();
        }
    }

    public boolean guestOpened(int port) {
        synchronized (lock()) {
            Port p = ports.get(port);
            return p != null && p.guestOpen;
        }
    }

    public long droppedOutput() {
        synchronized (lock()) {
            return droppedOutput;
        }
    }

    public long droppedInput() {
        synchronized (lock()) {
            return droppedInput;
        }
    }

    // ---- queues ----

    @Override
    protected void queueNotified(int index) {
        boolean multiport = negotiated(F_MULTIPORT);
        if (multiport && index == CONTROL_TRANSMITQ) {
            drain(index, this::controlMessage);
        } else if (multiport && index == CONTROL_RECEIVEQ) {
            deliverControl();
        } else {
            int port = index < 2 ? 0 : (index - 2) / 2;
            Port p = ports.get(port);
            if (p == null || (port > 0 && !multiport)) {
                return;
            }
            if (index % 2 == 1) {
                drain(index, chain -> output(p, chain));
            } else {
                deliverInput(p);
            }
        }
    }

    /**
     * A transmitq buffer: its device-readable bytes go to the port (writable parts are ignored).
     * At most {@link #MAX_OUTPUT_PER_BUFFER} bytes of one buffer are output; the rest is dropped, so
     * a buffer of overlapping multi-megabyte descriptors cannot flood the host.
     */
    private long output(Port p, DescriptorChain chain) throws GuestMemoryFault {
        long n = Math.min(chain.readableBytes(), MAX_OUTPUT_PER_BUFFER);
        droppedOutput += chain.readableBytes() - n;
        if (n > 0) {
            p.output.accept(chain.read(memory(), 0, (int) n));
        }
        return 0;
    }

    private void deliverInput(Port p) {
        Virtqueue q = queue(receiveQueue(p.id));
        if (q == null || !live() || p.pending.isEmpty()) {
            return;
        }
        try {
            boolean used = false;
            while (!p.pending.isEmpty()) {
                DescriptorChain chain = q.pop();
                if (chain == null) {
                    break;
                }
                byte[] data = p.pending.peek();
                // §5.3.6.1: a receiveq buffer must be device-writable; one that is not gets nothing.
                int n = chain.write(memory(), 0, data);
                q.push(chain, n);
                used = true;
                if (n > 0 && n < data.length) {
                    p.pending.poll();
                    p.pending.addFirst(Arrays.copyOfRange(data, n, data.length));
                } else if (n > 0) {
                    p.pending.poll();
                }
                p.pendingBytes -= n;
            }
            if (used) {
                notifyUsedIfNeeded(receiveQueue(p.id));
            }
        } catch (VirtqueueException e) {
            fail(e);
        } catch (GuestMemoryFault fault) {
            fail(new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage()));
        }
    }

    /** A driver-to-device control message (§5.3.6.2). */
    private long controlMessage(DescriptorChain chain) throws GuestMemoryFault {
        if (chain.readableBytes() < 8) {
            return 0; // too short to be a message: ignored
        }
        ByteBuffer m = ByteBuffer.wrap(chain.read(memory(), 0, 8)).order(ByteOrder.LITTLE_ENDIAN);
        int id = m.getInt(0);
        int event = m.getShort(4) & 0xFFFF;
        int value = m.getShort(6) & 0xFFFF;
        switch (event) {
            case DEVICE_READY -> {
                if (value == 1 && !driverReady) {
                    driverReady = true;
                    for (Port p : ports.values()) {
                        sendControl(p.id, DEVICE_ADD, 0, null);
                    }
                }
            }
            case PORT_READY -> {
                Port p = ports.get(id);
                if (p != null && value == 1) {
                    if (p.console) {
                        sendControl(id, CONSOLE_PORT, 1, null);
                    }
                    if (!p.name.isEmpty()) {
                        sendControl(id, PORT_NAME, 1, p.name.getBytes(StandardCharsets.UTF_8));
                    }
                    sendControl(id, PORT_OPEN, 1, null); // the host side of every port is open
                }
            }
            case PORT_OPEN -> {
                Port p = ports.get(id);
                if (p != null) {
                    p.guestOpen = value == 1;
                }
            }
            default -> {
                // other events are device-to-driver only, or unknown: ignored
            }
        }
        return 0;
    }

    private void sendControl(int id, int event, int value, byte[] extra) {
        if (control.size() >= MAX_CONTROL_PENDING) {
            return;
        }
        int extraLength = extra == null ? 0 : extra.length;
        ByteBuffer m = ByteBuffer.allocate(8 + extraLength).order(ByteOrder.LITTLE_ENDIAN);
        m.putInt(id).putShort((short) event).putShort((short) value);
        if (extra != null) {
            m.put(extra);
        }
        control.add(m.array());
        deliverControl();
    }

    private void deliverControl() {
        Virtqueue q = queue(CONTROL_RECEIVEQ);
        if (q == null || !live() || !negotiated(F_MULTIPORT)) {
            return;
        }
        try {
            boolean used = false;
            while (!control.isEmpty()) {
                DescriptorChain chain = q.pop();
                if (chain == null) {
                    break;
                }
                byte[] message = control.poll();
                q.push(chain, chain.write(memory(), 0, message));
                used = true;
            }
            if (used) {
                notifyUsedIfNeeded(CONTROL_RECEIVEQ);
            }
        } catch (VirtqueueException e) {
            fail(e);
        } catch (GuestMemoryFault fault) {
            fail(new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage()));
        }
    }
}
