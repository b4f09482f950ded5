package dev.hvspec.vmm.virtio.net;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.net.NetBackend;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioDeviceType;
import dev.hvspec.vmm.virtio.VirtioFeatures;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.RingViolation;
import dev.hvspec.vmm.virtio.queue.Virtqueue;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.hvspec.vmm.virtio.VirtioFeatures.bit;

/**
 * The virtio network device (virtio 1.3 §5.1) in front of a {@link NetBackend}.
 *
 * <p>Queues: receiveq{@code i} = 2i, transmitq{@code i} = 2i+1 for i below max_virtqueue_pairs,
 * and the control queue at 2N, where N is max_virtqueue_pairs if VIRTIO_NET_F_MQ is negotiated
 * and 1 otherwise (§5.1.2). Every packet is preceded by {@code struct virtio_net_hdr} (12 bytes;
 * 10 through a legacy interface without MRG_RXBUF, §5.1.6.1).
 *
 * <p>Offered: CSUM (the device completes partial checksums), GUEST_CSUM and the GUEST_TSO4/6,
 * ECN, UFO receive offloads (the device never sends such packets, which the features allow),
 * MTU (1500), MAC, MRG_RXBUF, STATUS, CTRL_VQ with CTRL_RX, CTRL_RX_EXTRA, CTRL_VLAN,
 * GUEST_ANNOUNCE, MQ, CTRL_MAC_ADDR, CTRL_GUEST_OFFLOADS, HASH_REPORT and (with more than one
 * queue pair) RSS: hashing and RSS steering are {@link ReceiveSideScaling}'s; with HASH_REPORT the
 * header is {@code struct virtio_net_hdr_v1_hash} (20 bytes). HOST_TSO4/TSO6/UFO/ECN: packets
 * asking for segmentation are cut by the device ({@link VirtioNetSegmentation}). Not offered:
 * HOST_USO, GUEST_HDRLEN. Feature dependencies of §5.1.3.1 are enforced at FEATURES_OK.
 */
public final class VirtioNet extends VirtioDevice {
    public static final int F_CSUM = 0;
    public static final int F_GUEST_CSUM = 1;
    public static final int F_CTRL_GUEST_OFFLOADS = 2;
    public static final int F_MTU = 3;
    public static final int F_MAC = 5;
    public static final int F_GUEST_TSO4 = 7;
    public static final int F_GUEST_TSO6 = 8;
    public static final int F_GUEST_ECN = 9;
    public static final int F_GUEST_UFO = 10;
    public static final int F_HOST_TSO4 = 11;
    public static final int F_HOST_TSO6 = 12;
    public static final int F_HOST_ECN = 13;
    public static final int F_HOST_UFO = 14;
    public static final int F_MRG_RXBUF = 15;
    public static final int F_STATUS = 16;
    public static final int F_CTRL_VQ = 17;
    public static final int F_CTRL_RX = 18;
    public static final int F_CTRL_VLAN = 19;
    public static final int F_CTRL_RX_EXTRA = 20;
    public static final int F_GUEST_ANNOUNCE = 21;
    public static final int F_MQ = 22;
    public static final int F_CTRL_MAC_ADDR = 23;
    public static final int F_GUEST_USO4 = 54;
    public static final int F_GUEST_USO6 = 55;
    public static final int F_HOST_USO = 56;
    public static final int F_HASH_REPORT = 57;
    public static final int F_RSS = 60;
    public static final int F_RSC_EXT = 61;

    public static final int HDR_F_NEEDS_CSUM = 1;
    public static final int HDR_F_DATA_VALID = 2;
    public static final int HDR_F_RSC_INFO = 4;
    public static final int GSO_NONE = 0;
    public static final int HEADER_SIZE = 12;
    /** With VIRTIO_NET_F_HASH_REPORT: hash_value, hash_report and padding_reserved follow (§5.1.6). */
    public static final int HASH_HEADER_SIZE = 20;
    public static final int LEGACY_HEADER_SIZE = 10;

    public static final int S_LINK_UP = 1;
    public static final int S_ANNOUNCE = 2;

    public static final int CFG_MAC = 0;
    public static final int CFG_STATUS = 6;
    public static final int CFG_MAX_VIRTQUEUE_PAIRS = 8;
    public static final int CFG_MTU = 10;
    public static final int CFG_RSS_MAX_KEY_SIZE = 17;
    public static final int CFG_RSS_MAX_INDIRECTION_TABLE_LENGTH = 18;
    public static final int CFG_SUPPORTED_HASH_TYPES = 20;
    public static final int CONFIG_SIZE = 24;

    public static final int MTU = 1500;
    public static final int QUEUE_SIZE = 256;
    /** Largest frame accepted for transmission: a 64 KiB IP packet with Ethernet and VLAN headers. */
    public static final int MAX_FRAME = 65535 + EthernetFrames.HEADER + EthernetFrames.VLAN_TAG;

    /** §5.1.3.1: feature -> features one of which it requires. */
    static final Map<Integer, int[]> REQUIRES = Map.ofEntries(
            Map.entry(F_GUEST_TSO4, new int[] {F_GUEST_CSUM}), Map.entry(F_GUEST_TSO6, new int[] {F_GUEST_CSUM}),
            Map.entry(F_GUEST_ECN, new int[] {F_GUEST_TSO4, F_GUEST_TSO6}), Map.entry(F_GUEST_UFO, new int[] {F_GUEST_CSUM}),
            Map.entry(F_GUEST_USO4, new int[] {F_GUEST_CSUM}), Map.entry(F_GUEST_USO6, new int[] {F_GUEST_CSUM}),
            Map.entry(F_HOST_TSO4, new int[] {F_CSUM}), Map.entry(F_HOST_TSO6, new int[] {F_CSUM}),
            Map.entry(F_HOST_ECN, new int[] {F_HOST_TSO4, F_HOST_TSO6}), Map.entry(F_HOST_UFO, new int[] {F_CSUM}),
            Map.entry(F_HOST_USO, new int[] {F_CSUM}), Map.entry(F_CTRL_RX, new int[] {F_CTRL_VQ}),
            Map.entry(F_CTRL_VLAN, new int[] {F_CTRL_VQ}), Map.entry(F_GUEST_ANNOUNCE, new int[] {F_CTRL_VQ}),
            Map.entry(F_MQ, new int[] {F_CTRL_VQ}), Map.entry(F_CTRL_MAC_ADDR, new int[] {F_CTRL_VQ}),
            Map.entry(F_RSC_EXT, new int[] {F_HOST_TSO4, F_HOST_TSO6}), Map.entry(F_RSS, new int[] {F_CTRL_VQ}));

    private final NetBackend backend;
    private final byte[] config = new byte[CONFIG_SIZE];
    private final byte[] permanentMac;
    private final int maxPairs;
    final NetRxFilter filter = new NetRxFilter();
    private final NetControl control = new NetControl(this);
    final ReceiveSideScaling rss = new ReceiveSideScaling();
    private final List<byte[]> outbound = new ArrayList<>();
    private final Map<String, Integer> flows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 1024;
        }
    };
    int activePairs = 1;
    long guestOffloads;
    private long txFrames;
    private long txDropped;
    private long rxFrames;
    private long rxDropped;
    private int ipv6FragmentId;

    public VirtioNet(NetBackend backend, byte[] mac, int maxPairs) {
        if (mac.length != 6 || maxPairs < 1 || maxPairs > 0x8000) {
            throw new IllegalArgumentException("bad MAC or queue pair count");
        }
        this.backend = backend;
        this.permanentMac = mac.clone();
        this.maxPairs = maxPairs;
        System.arraycopy(mac, 0, config, CFG_MAC, 6);
        putU16(CFG_STATUS, S_LINK_UP);
        putU16(CFG_MAX_VIRTQUEUE_PAIRS, maxPairs);
        putU16(CFG_MTU, MTU);
        config[CFG_RSS_MAX_KEY_SIZE] = ReceiveSideScaling.MAX_KEY_SIZE;
        putU16(CFG_RSS_MAX_INDIRECTION_TABLE_LENGTH, ReceiveSideScaling.MAX_INDIRECTION_TABLE_LENGTH);
        putU16(CFG_SUPPORTED_HASH_TYPES, ReceiveSideScaling.SUPPORTED_HASH_TYPES); // le32, high half 0
        backend.connect(this::receive);
    }

    public VirtioNet(NetBackend backend, byte[] mac) {
        this(backend, mac, 1);
    }

    private void putU16(int at, int v) {
        config[at] = (byte) v;
        config[at + 1] = (byte) (v >>> 8);
    }

    int configU16(int at) {
        return (config[at] & 0xFF) | (config[at + 1] & 0xFF) << 8;
    }

    @Override
    public VirtioDeviceType type() {
        return VirtioDeviceType.NET;
    }

    @Override
    public long deviceFeatures() {
        long f = bit(F_CSUM) | bit(F_GUEST_CSUM) | bit(F_CTRL_GUEST_OFFLOADS) | bit(F_MTU) | bit(F_MAC)
                | bit(F_GUEST_TSO4) | bit(F_GUEST_TSO6) | bit(F_GUEST_ECN) | bit(F_GUEST_UFO) | bit(F_MRG_RXBUF)
                | bit(F_STATUS) | bit(F_CTRL_VQ) | bit(F_CTRL_RX) | bit(F_CTRL_VLAN) | bit(F_CTRL_RX_EXTRA)
                | bit(F_GUEST_ANNOUNCE) | bit(F_CTRL_MAC_ADDR) | bit(F_HASH_REPORT)
                | bit(F_HOST_TSO4) | bit(F_HOST_TSO6) | bit(F_HOST_ECN) | bit(F_HOST_UFO);
        return maxPairs > 1 ? f | bit(F_MQ) | bit(F_RSS) : f;
    }

    /** §5.1.3.1: "Some networking feature bits require other networking feature bits". */
    @Override
    public boolean acceptsFeatures(long features) {
        for (Map.Entry<Integer, int[]> rule : REQUIRES.entrySet()) {
            if (VirtioFeatures.has(features, rule.getKey())) {
                boolean any = false;
                for (int needed : rule.getValue()) {
                    any |= VirtioFeatures.has(features, needed);
                }
                if (!any) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int queueCount() {
        return 2 * maxPairs + 1;
    }

    @Override
    public int queueMaxSize(int index) {
        return QUEUE_SIZE;
    }

    @Override
    public byte[] config() {
        return config;
    }

    /** §5.1.2: N = max_virtqueue_pairs if VIRTIO_NET_F_MQ or VIRTIO_NET_F_RSS is negotiated, else 1. */
    int controlQueue() {
        return 2 * (negotiated(F_MQ) || negotiated(F_RSS) ? maxPairs : 1);
    }

    int maxPairs() {
        return maxPairs;
    }

    int headerSize() {
        if (negotiated(F_HASH_REPORT)) {
            return HASH_HEADER_SIZE; // §5.1.6.3.1: "20 bytes if VIRTIO_NET_F_HASH_REPORT is negotiated"
        }
        return core().legacy() && !negotiated(F_MRG_RXBUF) ? LEGACY_HEADER_SIZE : HEADER_SIZE;
    }

    @Override
    protected void resetDevice() {
        filter.reset();
        activePairs = 1;
        guestOffloads = 0;
        rss.reset();
        flows.clear();
        outbound.clear();
        System.arraycopy(permanentMac, 0, config, CFG_MAC, 6);
        putU16(CFG_STATUS, configU16(CFG_STATUS) & S_LINK_UP);
    }

    @Override
    protected void queueReset(int index) {
        flows.values().removeIf(q -> 2 * q + 1 == index);
    }

    // ---- host side ----

    /** The link goes up or down (VIRTIO_NET_S_LINK_UP, a configuration change, §5.1.4). */
    public void setLinkUp(boolean up) {
        synchronized (lock()) {
            putU16(CFG_STATUS, (configU16(CFG_STATUS) & ~S_LINK_UP) | (up ? S_LINK_UP : 0));
            configChanged();
        }
    }

    /** Asks the driver to announce itself (after migration, §5.1.6.5.4): sets VIRTIO_NET_S_ANNOUNCE. */
    public void requestAnnouncement() {
        synchronized (lock()) {
            if (negotiated(F_GUEST_ANNOUNCE)) {
                putU16(CFG_STATUS, configU16(CFG_STATUS) | S_ANNOUNCE);
                configChanged();
            }
        }
    }

    void clearAnnounce() {
        putU16(CFG_STATUS, configU16(CFG_STATUS) & ~S_ANNOUNCE);
    }

    private boolean carrier() {
        return (configU16(CFG_STATUS) & S_LINK_UP) != 0;
    }

    boolean has(int feature) {
        return negotiated(feature);
    }

    long negotiatedFeatures() {
        return features();
    }

    dev.hvspec.machine.memory.GuestMemory memoryView() {
        return memory();
    }

    byte[] mac() {
        byte[] m = new byte[6];
        System.arraycopy(config, CFG_MAC, m, 0, 6);
        return m;
    }

    /** VIRTIO_NET_CTRL_MAC_ADDR_SET: the default MAC the filter accepts, reflected in config space. */
    void setMac(byte[] mac) {
        System.arraycopy(mac, 0, config, CFG_MAC, 6);
        core().configChangedByDriver();
    }

    /** Transmitted, transmit-dropped, received and receive-dropped frame counts. */
    public long[] statistics() {
        synchronized (lock()) {
            return new long[] {txFrames, txDropped, rxFrames, rxDropped};
        }
    }

    // ---- driver notifications ----

    @Override
    protected void queueNotified(int index) {
        if (negotiated(F_CTRL_VQ) && index == controlQueue()) {
            drain(index, control::handle);
        } else if (index % 2 == 1 && index / 2 < activePairs) {
            drain(index, chain -> transmit(chain, index / 2));
        }
        // receive queues: buffers wait for packets; transmit queues beyond virtqueue_pairs are
        // not in use (§5.1.6.5.6.1: the driver MUST NOT queue packets there).
    }

    /** One packet from a transmit queue: header checks, checksum completion, then the backend. */
    private long transmit(DescriptorChain chain, int pair) throws VirtqueueException, GuestMemoryFault {
        int hdr = headerSize();
        if (chain.readableBytes() < hdr) {
            throw new VirtqueueException(RingViolation.MALFORMED_REQUEST, "transmit buffer shorter than virtio_net_hdr");
        }
        long frameLength = chain.readableBytes() - hdr;
        if (frameLength < EthernetFrames.HEADER || frameLength > MAX_FRAME || !carrier()) {
            txDropped++;
            return 0;
        }
        byte[] header = chain.read(memory(), 0, hdr);
        byte[] frame = chain.read(memory(), hdr, (int) frameLength);
        int flags = header[0] & 0xFF;
        int gsoType = header[1] & 0xFF;
        if (gsoType != GSO_NONE) {
            return transmitSegmented(header, frame, pair);
        }
        // §5.1.6.2.2: without NEEDS_CSUM the device MUST NOT use csum_start and csum_offset.
        if ((flags & HDR_F_NEEDS_CSUM) != 0 && negotiated(F_CSUM)) {
            int start = (header[6] & 0xFF) | (header[7] & 0xFF) << 8;
            int offset = (header[8] & 0xFF) | (header[9] & 0xFF) << 8;
            if (!EthernetFrames.completeChecksum(frame, start, offset)) {
                txDropped++;
                return 0;
            }
        }
        if (activePairs > 1) {
            flows.put(EthernetFrames.flowKey(frame, false), pair);
        }
        txFrames++;
        outbound.add(frame);
        return 0; // nothing written into a transmit buffer
    }

    /** §5.1.6.2 with HOST_TSO4/TSO6/UFO/ECN: the backends take plain frames, so the device cuts the packet. */
    private long transmitSegmented(byte[] header, byte[] frame, int pair) {
        VirtioNetSegmentation.Result cut = VirtioNetSegmentation.segment(
                VirtioNetSegmentation.GsoRequest.of(header), frame, features(), ++ipv6FragmentId);
        if (!(cut instanceof VirtioNetSegmentation.Segments(List<byte[]> segments))) {
            txDropped++; // a request the driver must not make (§5.1.6.2.1): dropped, the device carries on
            return 0;
        }
        if (activePairs > 1) {
            flows.put(EthernetFrames.flowKey(frame, false), pair);
        }
        txFrames += segments.size();
        outbound.addAll(segments);
        return 0;
    }

    @Override
    protected void afterNotification() {
        List<byte[]> frames;
        synchronized (lock()) {
            if (outbound.isEmpty()) {
                return;
            }
            frames = new ArrayList<>(outbound);
            outbound.clear();
        }
        for (byte[] frame : frames) {
            backend.transmit(frame);
        }
    }

    // ---- receive ----

    /** A frame from the backend; returns false if it was dropped for lack of buffers or a link. */
    public boolean receive(byte[] frame) {
        synchronized (lock()) {
            if (!live() || !carrier() || frame.length < EthernetFrames.HEADER) {
                rxDropped++;
                return false;
            }
            int tag = EthernetFrames.vlanId(frame) >= 0 ? EthernetFrames.VLAN_TAG : 0;
            if (negotiated(F_MTU) && frame.length > MTU + EthernetFrames.HEADER + tag) {
                rxDropped++; // §5.1.4.1: no received packets beyond mtu + Ethernet header
                return false;
            }
            if (negotiated(F_CTRL_RX) && !filter.accepts(frame, mac(), negotiated(F_CTRL_VLAN))) {
                rxDropped++;
                return true;
            }
            // §5.1.6.4: the device calculates a hash if RSS or HASH_REPORT was negotiated (and configured).
            ReceiveSideScaling.Hash hash = negotiated(F_RSS) || negotiated(F_HASH_REPORT) ? rss.hash(frame)
                    : ReceiveSideScaling.Hash.NONE;
            int queue = rss.steering() ? 2 * rss.receiveQueue(hash) : receiveQueueFor(frame);
            try {
                boolean delivered = negotiated(F_MRG_RXBUF) ? deliverMergeable(queue, frame, hash)
                        : deliverSingle(queue, frame, hash);
                if (delivered) {
                    rxFrames++;
                    notifyUsedIfNeeded(queue);
                } else {
                    rxDropped++;
                }
                return delivered;
            } catch (VirtqueueException e) {
                fail(e);
                return false;
            } catch (GuestMemoryFault fault) {
                fail(new VirtqueueException(RingViolation.OUTSIDE_MEMORY, fault.getMessage()));
                return false;
            }
        }
    }

    /** §5.1.6.5.6: only receiveq1 until VQ_PAIRS_SET; then the queue of the flow's transmit queue. */
    private int receiveQueueFor(byte[] frame) {
        if (activePairs <= 1) {
            return 0;
        }
        String key = EthernetFrames.flowKey(frame, true);
        Integer pair = flows.get(key);
        if (pair == null || pair >= activePairs) {
            pair = Math.floorMod(key.hashCode(), activePairs);
        }
        return 2 * pair;
    }

    private byte[] header(int numBuffers, ReceiveSideScaling.Hash hash) {
        byte[] h = new byte[headerSize()];
        if (h.length >= HEADER_SIZE) {
            h[10] = (byte) numBuffers;
            h[11] = (byte) (numBuffers >>> 8);
        }
        if (h.length == HASH_HEADER_SIZE) {
            // "Hash reporting for incoming packets": hash_value and hash_report, or REPORT_NONE (0).
            java.nio.ByteBuffer.wrap(h).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(12, hash.value()).putShort(16, (short) hash.report());
        }
        return h; // flags 0: no checksum information (§5.1.6.4.1 without GUEST_CSUM flags MUST be 0)
    }

    /** Without MRG_RXBUF the whole packet goes into one buffer, num_buffers 1 (§5.1.6.3.2). */
    private boolean deliverSingle(int queue, byte[] frame, ReceiveSideScaling.Hash hash) throws VirtqueueException, GuestMemoryFault {
        Virtqueue q = queue(queue);
        if (q == null) {
            return false;
        }
        DescriptorChain chain = q.pop();
        if (chain == null) {
            return false;
        }
        byte[] h = header(1, hash);
        if (chain.writableBytes() < h.length + frame.length) {
            q.unpop(1); // too small for this packet; it may fit a smaller one
            return false;
        }
        chain.write(memory(), 0, h);
        chain.write(memory(), h.length, frame);
        q.push(chain, h.length + frame.length);
        return true;
    }

    /**
     * With MRG_RXBUF the packet may span buffers: all but the last are filled completely, and the
     * first buffer's header says how many were used (§5.1.6.4.1). If the queue does not hold
     * enough room, no buffer is used and the packet is dropped.
     */
    private boolean deliverMergeable(int queue, byte[] frame, ReceiveSideScaling.Hash hash) throws VirtqueueException, GuestMemoryFault {
        Virtqueue q = queue(queue);
        if (q == null) {
            return false;
        }
        int hdr = headerSize();
        long needed = hdr + (long) frame.length;
        List<DescriptorChain> chains = new ArrayList<>();
        long room = 0;
        while (room < needed) {
            DescriptorChain c = q.pop();
            if (c == null) {
                q.unpop(chains.size());
                return false;
            }
            if (c.writableBytes() < hdr) {
                // §5.1.6.3.1: with MRG_RXBUF each buffer MUST be at least the size of the header.
                throw new VirtqueueException(RingViolation.MALFORMED_REQUEST, "receive buffer smaller than virtio_net_hdr");
            }
            chains.add(c);
            room += c.writableBytes();
        }
        byte[] stream = new byte[(int) needed];
        System.arraycopy(header(chains.size(), hash), 0, stream, 0, hdr);
        System.arraycopy(frame, 0, stream, hdr, frame.length);
        int done = 0;
        for (DescriptorChain c : chains) {
            int n = (int) Math.min(c.writableBytes(), stream.length - done);
            c.write(memory(), 0, stream, done, n);
            done += n;
        }
        done = 0;
        for (DescriptorChain c : chains) {
            int n = (int) Math.min(c.writableBytes(), stream.length - done);
            q.push(c, n);
            done += n;
        }
        return true;
    }
}
