package dev.hvspec.vmm.virtio.net;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.RingViolation;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The control virtqueue of virtio-net (virtio 1.3 §5.1.6.5): {@code struct virtio_net_ctrl
 * { u8 class; u8 command; u8 command-specific-data[]; u8 ack; }}. The device answers
 * VIRTIO_NET_OK or VIRTIO_NET_ERR in {@code ack}; a command whose feature was not negotiated,
 * whose data has the wrong size or whose values are out of range gets ERR. A buffer without
 * class, command or a writable ack byte cannot be answered: DEVICE_NEEDS_RESET.
 */
final class NetControl {
    static final int OK = 0;
    static final int ERR = 1;

    static final int CLASS_RX = 0;
    static final int RX_PROMISC = 0;
    static final int RX_ALLMULTI = 1;
    static final int RX_ALLUNI = 2;
    static final int RX_NOMULTI = 3;
    static final int RX_NOUNI = 4;
    static final int RX_NOBCAST = 5;
    static final int CLASS_MAC = 1;
    static final int MAC_TABLE_SET = 0;
    static final int MAC_ADDR_SET = 1;
    static final int CLASS_VLAN = 2;
    static final int VLAN_ADD = 0;
    static final int VLAN_DEL = 1;
    static final int CLASS_ANNOUNCE = 3;
    static final int ANNOUNCE_ACK = 0;
    static final int CLASS_MQ = 4;
    static final int MQ_VQ_PAIRS_SET = 0;
    static final int MQ_RSS_CONFIG = 1;
    static final int MQ_HASH_CONFIG = 2;
    static final int CLASS_GUEST_OFFLOADS = 5;
    static final int GUEST_OFFLOADS_SET = 0;

    /** Largest command accepted: a MAC table of 10000 addresses fits, anything bigger is ERR. */
    static final int MAX_COMMAND = 2 + 8 + 6 * 10_000;

    private final VirtioNet net;

    NetControl(VirtioNet net) {
        this.net = net;
    }

    long handle(DescriptorChain chain) throws VirtqueueException, GuestMemoryFault {
        if (chain.readableBytes() < 2 || chain.writableBytes() < 1) {
            throw new VirtqueueException(RingViolation.MALFORMED_REQUEST, "control command without class, command or ack");
        }
        int ack;
        if (chain.readableBytes() > MAX_COMMAND) {
            ack = ERR;
        } else {
            byte[] command = chain.readAll(net.memoryView(), MAX_COMMAND);
            ByteBuffer data = ByteBuffer.wrap(command, 2, command.length - 2).slice().order(ByteOrder.LITTLE_ENDIAN);
            ack = execute(command[0] & 0xFF, command[1] & 0xFF, data);
        }
        chain.write(net.memoryView(), 0, new byte[] {(byte) ack});
        return 1;
    }

    private int execute(int cls, int cmd, ByteBuffer data) {
        return switch (cls) {
            case CLASS_RX -> rxMode(cmd, data);
            case CLASS_MAC -> mac(cmd, data);
            case CLASS_VLAN -> vlan(cmd, data);
            case CLASS_ANNOUNCE -> announce(cmd, data);
            case CLASS_MQ -> multiqueue(cmd, data);
            case CLASS_GUEST_OFFLOADS -> offloads(cmd, data);
            default -> ERR;
        };
    }

    /** §5.1.6.5.1: PROMISC and ALLMULTI with CTRL_RX; ALLUNI, NOMULTI, NOUNI, NOBCAST with CTRL_RX_EXTRA. */
    private int rxMode(int cmd, ByteBuffer data) {
        boolean extra = cmd >= RX_ALLUNI && cmd <= RX_NOBCAST;
        if (!net.has(VirtioNet.F_CTRL_RX) || (extra && !net.has(VirtioNet.F_CTRL_RX_EXTRA)) || cmd > RX_NOBCAST
                || data.remaining() != 1) {
            return ERR;
        }
        int value = data.get(0) & 0xFF;
        if (value > 1) {
            return ERR;
        }
        boolean on = value == 1;
        NetRxFilter f = net.filter;
        switch (cmd) {
            case RX_PROMISC -> f.promisc = on;
            case RX_ALLMULTI -> f.allMulti = on;
            case RX_ALLUNI -> f.allUni = on;
            case RX_NOMULTI -> f.noMulti = on;
            case RX_NOUNI -> f.noUni = on;
            default -> f.noBroadcast = on;
        }
        return OK;
    }

    /** §5.1.6.5.2: MAC_TABLE_SET (le32 n, n unicast, le32 m, m multicast) with CTRL_RX; ADDR_SET with CTRL_MAC_ADDR. */
    private int mac(int cmd, ByteBuffer data) {
        if (cmd == MAC_ADDR_SET) {
            if (!net.has(VirtioNet.F_CTRL_MAC_ADDR) || data.remaining() != 6) {
                return ERR;
            }
            byte[] mac = new byte[6];
            data.get(0, mac);
            net.setMac(mac);
            return OK;
        }
        if (cmd != MAC_TABLE_SET || !net.has(VirtioNet.F_CTRL_RX)) {
            return ERR;
        }
        if (data.remaining() < 4) {
            return ERR;
        }
        long unicastCount = data.getInt(0) & 0xFFFF_FFFFL;
        long multicastAt = 4 + 6 * unicastCount;
        if (multicastAt + 4 > data.remaining()) {
            return ERR;
        }
        long multicastCount = data.getInt((int) multicastAt) & 0xFFFF_FFFFL;
        if (multicastAt + 4 + 6 * multicastCount != data.remaining()) {
            return ERR;
        }
        net.filter.unicast.clear();
        net.filter.multicast.clear();
        for (int i = 0; i < unicastCount; i++) {
            byte[] mac = new byte[6];
            data.get(4 + 6 * i, mac);
            net.filter.unicast.add(mac);
        }
        for (int i = 0; i < multicastCount; i++) {
            byte[] mac = new byte[6];
            data.get((int) multicastAt + 4 + 6 * i, mac);
            net.filter.multicast.add(mac);
        }
        return OK; // §5.1.6.5.2.1: the table is updated before the command is used
    }

    /** §5.1.6.5.3: le16 VLAN id to add to or remove from the filter table. */
    private int vlan(int cmd, ByteBuffer data) {
        if (!net.has(VirtioNet.F_CTRL_VLAN) || data.remaining() != 2 || cmd > VLAN_DEL) {
            return ERR;
        }
        int vid = data.getShort(0) & 0xFFFF;
        if (vid >= 4096) {
            return ERR;
        }
        net.filter.vlans.set(vid, cmd == VLAN_ADD);
        return OK;
    }

    /** §5.1.6.5.4.2: ANNOUNCE_ACK clears VIRTIO_NET_S_ANNOUNCE before the buffer is used. */
    private int announce(int cmd, ByteBuffer data) {
        if (!net.has(VirtioNet.F_GUEST_ANNOUNCE) || cmd != ANNOUNCE_ACK) {
            return ERR;
        }
        net.clearAnnounce();
        return OK;
    }

    /**
     * §5.1.6.5.6: VQ_PAIRS_SET with 1..max_virtqueue_pairs; RSS_CONFIG (with RSS) and HASH_CONFIG
     * (with HASH_REPORT) are {@link ReceiveSideScaling}'s. The last of them decides the steering.
     */
    private int multiqueue(int cmd, ByteBuffer data) {
        if (cmd == MQ_RSS_CONFIG) {
            int maxTxVq = net.has(VirtioNet.F_RSS) ? net.rss.configureRss(data, net.maxPairs()) : -1;
            if (maxTxVq < 0) {
                return ERR;
            }
            net.activePairs = maxTxVq; // "how many transmit virtqueues it may use"
            return OK;
        }
        if (cmd == MQ_HASH_CONFIG) {
            return net.has(VirtioNet.F_HASH_REPORT) && net.rss.configureHash(data) ? OK : ERR;
        }
        if (!net.has(VirtioNet.F_MQ) || cmd != MQ_VQ_PAIRS_SET || data.remaining() != 2) {
            return ERR;
        }
        int pairs = data.getShort(0) & 0xFFFF;
        if (pairs < 1 || pairs > net.maxPairs()) {
            return ERR;
        }
        net.activePairs = pairs;
        net.rss.automaticSteering();
        return OK;
    }

    /** §5.1.6.5.7: GUEST_OFFLOADS_SET with a le64 subset of the negotiated receive offloads. */
    private int offloads(int cmd, ByteBuffer data) {
        if (!net.has(VirtioNet.F_CTRL_GUEST_OFFLOADS) || cmd != GUEST_OFFLOADS_SET || data.remaining() != 8) {
            return ERR;
        }
        long offloads = data.getLong(0);
        long allowed = net.negotiatedFeatures() & (1L << VirtioNet.F_GUEST_CSUM | 1L << VirtioNet.F_GUEST_TSO4
                | 1L << VirtioNet.F_GUEST_TSO6 | 1L << VirtioNet.F_GUEST_ECN | 1L << VirtioNet.F_GUEST_UFO);
        if ((offloads & ~allowed) != 0) {
            return ERR;
        }
        net.guestOffloads = offloads;
        return OK;
    }
}
