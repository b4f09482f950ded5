package dev.hvspec.vmm.virtio.net;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * virtio-net's hash calculation and receive-side scaling (virtio 1.3 §5.1.6.4 "Processing of Incoming
 * Packets": "Hash calculation for incoming packets" and "Hash reporting for incoming packets";
 * §5.1.6.5 "Control Virtqueue": "Automatic receive steering in multiqueue mode / Hash calculation"
 * and "Receive-side scaling (RSS)"): the parameters the driver sets with
 * VIRTIO_NET_CTRL_MQ_RSS_CONFIG or VIRTIO_NET_CTRL_MQ_HASH_CONFIG, the hash of a received frame
 * and, while RSS steering is on, the receive queue the indirection table gives it.
 *
 * <p>Supported hash types: IPv4, TCPv4, UDPv4, IPv6, TCPv6, UDPv6. The _EX types (home address
 * option, type 2 routing header) are not offered; an IPv6 packet's extension headers are skipped
 * to find its TCP or UDP header, as the specification says for a device without them. A
 * fragmented datagram (IPv4 MF or fragment offset, an IPv6 fragment header) has no transport
 * header for the hash: only its addresses are hashed, as Microsoft's "RSS hashing types" says.
 *
 * <p>Not thread-safe: the device calls it under its lock.
 */
public final class ReceiveSideScaling {
    public static final int HASH_TYPE_IPV4 = 1 << 0;
    public static final int HASH_TYPE_TCPV4 = 1 << 1;
    public static final int HASH_TYPE_UDPV4 = 1 << 2;
    public static final int HASH_TYPE_IPV6 = 1 << 3;
    public static final int HASH_TYPE_TCPV6 = 1 << 4;
    public static final int HASH_TYPE_UDPV6 = 1 << 5;
    /** supported_hash_types of the device configuration. */
    public static final int SUPPORTED_HASH_TYPES = 0x3F;

    public static final int REPORT_NONE = 0;
    public static final int REPORT_IPV4 = 1;
    public static final int REPORT_TCPV4 = 2;
    public static final int REPORT_UDPV4 = 3;
    public static final int REPORT_IPV6 = 4;
    public static final int REPORT_TCPV6 = 5;
    public static final int REPORT_UDPV6 = 6;

    /** rss_max_key_size: §5.1.4 device requirements "MUST set rss_max_key_size to at least 40". */
    public static final int MAX_KEY_SIZE = 40;
    /** rss_max_indirection_table_length: §5.1.4 device requirements "at least 128". */
    public static final int MAX_INDIRECTION_TABLE_LENGTH = 128;

    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int TCP = 6;
    private static final int UDP = 17;
    /** IPv6 extension headers walked before giving up on finding the transport header. */
    private static final int MAX_EXTENSION_HEADERS = 8;

    /** A calculated hash and its VIRTIO_NET_HASH_REPORT_* type; {@link #NONE} if none was calculated. */
    public record Hash(int value, int report) {
        public static final Hash NONE = new Hash(0, REPORT_NONE);

        public boolean calculated() {
            return report != REPORT_NONE;
        }
    }

    private int hashTypes;
    private byte[] key = new byte[0];
    private int[] indirectionTable = new int[0];
    private int unclassifiedQueue;
    private boolean steering;

    /** Device reset: "Initially the device has all hash types disabled" (§5.1.6.5 "Hash calculation"), no RSS steering. */
    public void reset() {
        hashTypes = 0;
        key = new byte[0];
        indirectionTable = new int[0];
        unclassifiedQueue = 0;
        steering = false;
    }

    /** Whether the last multiqueue command was RSS_CONFIG: receive queues come from the indirection table. */
    public boolean steering() {
        return steering;
    }

    public int enabledHashTypes() {
        return hashTypes;
    }

    /** VIRTIO_NET_CTRL_MQ_VQ_PAIRS_SET: automatic receive steering; "the last command sent" decides (§5.1.6.5 "Control Virtqueue", Multiqueue). */
    public void automaticSteering() {
        steering = false;
    }

    /**
     * VIRTIO_NET_CTRL_MQ_RSS_CONFIG with {@code struct virtio_net_rss_config} (§5.1.6.5 "Setting RSS parameters"): le32
     * hash_types, le16 indirection_table_mask, le16 unclassified_queue, le16
     * indirection_table[mask + 1], le16 max_tx_vq, u8 hash_key_length, u8 hash_key_data[]. Returns
     * max_tx_vq, or -1 (VIRTIO_NET_ERR, nothing changed) if the structure breaks a driver rule of
     * the driver requirements of "Setting RSS parameters": a table length that is not a power of two or not below
     * rss_max_indirection_table_length, unsupported hash types, a queue beyond max_virtqueue_pairs,
     * max_tx_vq of 0 or beyond max_virtqueue_pairs, a key longer than rss_max_key_size, or a size
     * that does not match.
     */
    public int configureRss(ByteBuffer data, int maxPairs) {
        ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (d.remaining() < 8) {
            return -1;
        }
        int types = d.getInt(0);
        int mask = d.getShort(4) & 0xFFFF;
        int unclassified = d.getShort(6) & 0xFFFF;
        int entries = mask + 1;
        if ((entries & mask) != 0 || mask >= MAX_INDIRECTION_TABLE_LENGTH || (types & ~SUPPORTED_HASH_TYPES) != 0
                || unclassified >= maxPairs) {
            return -1;
        }
        int tail = 8 + 2 * entries;
        if (d.remaining() < tail + 3) {
            return -1;
        }
        int[] table = new int[entries];
        for (int i = 0; i < entries; i++) {
            table[i] = d.getShort(8 + 2 * i) & 0xFFFF;
            if (table[i] >= maxPairs) {
                return -1;
            }
        }
        int maxTxVq = d.getShort(tail) & 0xFFFF;
        int keyLength = d.get(tail + 2) & 0xFF;
        if (maxTxVq < 1 || maxTxVq > maxPairs || keyLength > MAX_KEY_SIZE || d.remaining() != tail + 3 + keyLength) {
            return -1;
        }
        byte[] k = new byte[keyLength];
        d.get(tail + 3, k);
        hashTypes = types;
        indirectionTable = table;
        unclassifiedQueue = unclassified;
        key = k;
        steering = true;
        return maxTxVq;
    }

    /**
     * VIRTIO_NET_CTRL_MQ_HASH_CONFIG with {@code struct virtio_net_hash_config} (§5.1.6.5 "Hash calculation"):
     * le32 hash_types, le16 reserved[4] ("MUST contain zeroes"), u8 hash_key_length, u8
     * hash_key_data[]. Sets the hash parameters for reporting and leaves RSS steering, as the last
     * multiqueue command. False (VIRTIO_NET_ERR) for unsupported types, non-zero reserved words, a
     * key longer than rss_max_key_size or a size that does not match.
     */
    public boolean configureHash(ByteBuffer data) {
        ByteBuffer d = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (d.remaining() < 13) {
            return false;
        }
        int types = d.getInt(0);
        long reserved = d.getLong(4);
        int keyLength = d.get(12) & 0xFF;
        if ((types & ~SUPPORTED_HASH_TYPES) != 0 || reserved != 0 || keyLength > MAX_KEY_SIZE
                || d.remaining() != 13 + keyLength) {
            return false;
        }
        byte[] k = new byte[keyLength];
        d.get(13, k);
        hashTypes = types;
        key = k;
        steering = false;
        return true;
    }

    /**
     * The receive queue pair (0 = receiveq1) for a frame with hash {@code h} while {@link #steering()}
     * (§5.1.6.5 device requirements "RSS processing"): unclassified_queue if no hash was calculated, else the
     * indirection table entry at hash & indirection_table_mask.
     */
    public int receiveQueue(Hash h) {
        if (!h.calculated()) {
            return unclassifiedQueue;
        }
        return indirectionTable[h.value() & (indirectionTable.length - 1)];
    }

    /** The hash of a received Ethernet frame under the enabled hash types and the key. */
    public Hash hash(byte[] frame) {
        if (hashTypes == 0) {
            return Hash.NONE;
        }
        HashInput in = hashInput(frame, hashTypes);
        return in == null ? Hash.NONE : new Hash(ToeplitzHash.hash(key, in.bytes()), in.report());
    }

    /** The bytes hashed for a frame and the report type they stand for. */
    record HashInput(byte[] bytes, int report) {
    }

    /**
     * §5.1.6.4 "IPv4 packets" and "IPv6 packets without extension header": source address, destination address, then for
     * TCP or UDP source and destination port, in packet order (Microsoft's "RSS hashing functions"
     * input layout: @12-15, @16-19, @20-21, @22-23 for IPv4 with TCP). Null if no hash applies.
     */
    static HashInput hashInput(byte[] frame, int types) {
        if (frame.length < EthernetFrames.HEADER) {
            return null;
        }
        int l3 = EthernetFrames.HEADER;
        int ethertype = EthernetFrames.u16(frame, 12);
        if (ethertype == EthernetFrames.TPID_8021Q && frame.length >= l3 + EthernetFrames.VLAN_TAG) {
            ethertype = EthernetFrames.u16(frame, 16);
            l3 += EthernetFrames.VLAN_TAG;
        }
        if (ethertype == EthernetFrames.ETHERTYPE_IPV4) {
            return ipv4(frame, l3, types);
        }
        if (ethertype == ETHERTYPE_IPV6) {
            return ipv6(frame, l3, types);
        }
        return null;
    }

    private static HashInput ipv4(byte[] f, int l3, int types) {
        if (f.length < l3 + 20 || (f[l3] & 0xF0) != 0x40) {
            return null;
        }
        int ihl = (f[l3] & 0x0F) * 4;
        if (ihl < 20 || f.length < l3 + ihl) {
            return null;
        }
        boolean fragment = (EthernetFrames.u16(f, l3 + 6) & 0x3FFF) != 0; // MF or a fragment offset
        int protocol = fragment ? -1 : f[l3 + 9] & 0xFF;
        int l4 = l3 + ihl;
        byte[] addresses = Arrays.copyOfRange(f, l3 + 12, l3 + 20);
        if ((types & HASH_TYPE_TCPV4) != 0 && protocol == TCP && f.length >= l4 + 20) {
            return new HashInput(withPorts(addresses, f, l4), REPORT_TCPV4);
        }
        if ((types & HASH_TYPE_UDPV4) != 0 && protocol == UDP && f.length >= l4 + 8) {
            return new HashInput(withPorts(addresses, f, l4), REPORT_UDPV4);
        }
        if ((types & HASH_TYPE_IPV4) != 0) {
            return new HashInput(addresses, REPORT_IPV4);
        }
        return null;
    }

    private static HashInput ipv6(byte[] f, int l3, int types) {
        if (f.length < l3 + 40 || (f[l3] & 0xF0) != 0x60) {
            return null;
        }
        int next = f[l3 + 6] & 0xFF;
        int at = l3 + 40;
        for (int i = 0; i < MAX_EXTENSION_HEADERS && next != TCP && next != UDP; i++) {
            if (f.length < at + 8) {
                next = -1;
                break;
            }
            int length;
            switch (next) {
                case 0, 43, 60 -> length = ((f[at + 1] & 0xFF) + 1) * 8; // hop-by-hop, routing, destination options
                case 51 -> length = ((f[at + 1] & 0xFF) + 2) * 4;         // authentication header
                default -> length = -1;                                  // fragment (44), ESP, none, unknown
            }
            if (length < 0) {
                next = -1;
                break;
            }
            next = f[at] & 0xFF;
            at += length;
        }
        byte[] addresses = Arrays.copyOfRange(f, l3 + 8, l3 + 40);
        if ((types & HASH_TYPE_TCPV6) != 0 && next == TCP && f.length >= at + 20) {
            return new HashInput(withPorts(addresses, f, at), REPORT_TCPV6);
        }
        if ((types & HASH_TYPE_UDPV6) != 0 && next == UDP && f.length >= at + 8) {
            return new HashInput(withPorts(addresses, f, at), REPORT_UDPV6);
        }
        if ((types & HASH_TYPE_IPV6) != 0) {
            return new HashInput(addresses, REPORT_IPV6);
        }
        return null;
    }

    private static byte[] withPorts(byte[] addresses, byte[] f, int l4) {
        byte[] in = Arrays.copyOf(addresses, addresses.length + 4);
        System.arraycopy(f, l4, in, addresses.length, 4); // source port, destination port
        return in;
    }
}
