package dev.hvspec.vmm.virtio.net;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RSS parameters, hash input selection and queue choice (virtio 1.3 §5.1.6.4 "Hash calculation
 * for incoming packets", §5.1.6.5 "Receive-side scaling (RSS)"). Expected hashes are the
 * Microsoft verification suite's (see {@link ToeplitzHashTest}).
 */
class ReceiveSideScalingTest {
    static final byte[] KEY = ToeplitzHashTest.MICROSOFT_KEY;

    /** An Ethernet frame with an IPv4 header (no options) and a TCP (6) or UDP (17) header. */
    static byte[] ipv4(int protocol, int[] src, int[] dst, int sport, int dport, int fragment) {
        int l4 = protocol == 6 ? 20 : 8;
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + l4);
        b.put(new byte[] {0x52, 0x54, 0, 0, 0, 1, 0x52, 0x54, 0, 0, 0, 2}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4)).putShort((short) 0).putShort((short) fragment)
                .put((byte) 64).put((byte) protocol).putShort((short) 0);
        for (int a : src) {
            b.put((byte) a);
        }
        for (int a : dst) {
            b.put((byte) a);
        }
        b.putShort((short) sport).putShort((short) dport);
        return b.array();
    }

    static byte[] rssConfig(int hashTypes, int[] table, int unclassified, int maxTxVq, byte[] key) {
        ByteBuffer b = ByteBuffer.allocate(8 + 2 * table.length + 3 + key.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(hashTypes).putShort((short) (table.length - 1)).putShort((short) unclassified);
        for (int q : table) {
            b.putShort((short) q);
        }
        b.putShort((short) maxTxVq).put((byte) key.length).put(key);
        return b.array();
    }

    static final int[] SRC = {66, 9, 149, 187};
    static final int[] DST = {161, 142, 100, 80};

    @Test
    void tcpOverIpv4UsesTheFourTupleWhenTcpv4IsEnabled() {
        ReceiveSideScaling rss = new ReceiveSideScaling();
        assertThat(rss.configureHash(hashConfigBuffer(ReceiveSideScaling.HASH_TYPE_TCPV4 | ReceiveSideScaling.HASH_TYPE_IPV4, KEY))).isTrue();
        ReceiveSideScaling.Hash h = rss.hash(ipv4(6, SRC, DST, 2794, 1766, 0));
        assertThat(h).isEqualTo(new ReceiveSideScaling.Hash(0x51ccc178, ReceiveSideScaling.REPORT_TCPV4));
        // UDP with only TCPv4 and IPv4 enabled: the addresses alone (§5.1.6.4 "IPv4 packets": "Else if ... IPv4")
        assertThat(rss.hash(ipv4(17, SRC, DST, 2794, 1766, 0)))
                .isEqualTo(new ReceiveSideScaling.Hash(0x323e8fc2, ReceiveSideScaling.REPORT_IPV4));
        // a fragment (MF set) has no transport header to hash
        assertThat(rss.hash(ipv4(6, SRC, DST, 2794, 1766, 0x2000)))
                .isEqualTo(new ReceiveSideScaling.Hash(0x323e8fc2, ReceiveSideScaling.REPORT_IPV4));
    }

    @Test
    void withoutAnEnabledTypeNoHashIsCalculated() {
        ReceiveSideScaling rss = new ReceiveSideScaling();
        assertThat(rss.hash(ipv4(6, SRC, DST, 2794, 1766, 0))).isEqualTo(ReceiveSideScaling.Hash.NONE);
        assertThat(rss.configureHash(hashConfigBuffer(ReceiveSideScaling.HASH_TYPE_UDPV4, KEY))).isTrue();
        assertThat(rss.hash(ipv4(6, SRC, DST, 2794, 1766, 0))).isEqualTo(ReceiveSideScaling.Hash.NONE);
        assertThat(rss.hash(ipv4(17, SRC, DST, 2794, 1766, 0)).report()).isEqualTo(ReceiveSideScaling.REPORT_UDPV4);
    }

    @Test
    void rssConfigSteersByTheIndirectionTableAndUnclassifiedQueue() {
        ReceiveSideScaling rss = new ReceiveSideScaling();
        int[] table = {0, 1, 2, 3, 0, 1, 2, 3};
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(ReceiveSideScaling.HASH_TYPE_TCPV4, table, 3, 4, KEY)), 4))
                .isEqualTo(4);
        assertThat(rss.steering()).isTrue();
        // 0xafc7327f & 7 = 7 -> table[7] = 3; 0x51ccc178 & 7 = 0 -> table[0] = 0
        assertThat(rss.receiveQueue(rss.hash(ipv4(6, new int[] {38, 27, 205, 30}, new int[] {209, 142, 163, 6}, 48228, 2217, 0))))
                .isEqualTo(3);
        assertThat(rss.receiveQueue(rss.hash(ipv4(6, SRC, DST, 2794, 1766, 0)))).isZero();
        assertThat(rss.receiveQueue(ReceiveSideScaling.Hash.NONE)).isEqualTo(3);
        rss.automaticSteering();
        assertThat(rss.steering()).isFalse();
    }

    @Test
    void malformedRssConfigsAreRefusedAndChangeNothing() {
        ReceiveSideScaling rss = new ReceiveSideScaling();
        int tcp = ReceiveSideScaling.HASH_TYPE_TCPV4;
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(tcp, new int[] {0, 1, 0}, 0, 2, KEY)), 2)).as("3 entries").isEqualTo(-1);
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(tcp, new int[256], 0, 2, KEY)), 2)).as("256 entries").isEqualTo(-1);
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(tcp, new int[] {0, 2}, 0, 2, KEY)), 2)).as("queue 2 of 2").isEqualTo(-1);
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(tcp, new int[] {0, 1}, 2, 2, KEY)), 2)).as("unclassified").isEqualTo(-1);
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(tcp, new int[] {0, 1}, 0, 0, KEY)), 2)).as("max_tx_vq 0").isEqualTo(-1);
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(tcp, new int[] {0, 1}, 0, 3, KEY)), 2)).as("max_tx_vq 3").isEqualTo(-1);
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(1 << 6, new int[] {0, 1}, 0, 2, KEY)), 2)).as("IP_EX").isEqualTo(-1);
        assertThat(rss.configureRss(ByteBuffer.wrap(rssConfig(tcp, new int[] {0, 1}, 0, 2, new byte[41])), 2)).as("key 41").isEqualTo(-1);
        byte[] good = rssConfig(tcp, new int[] {0, 1}, 0, 2, KEY);
        assertThat(rss.configureRss(ByteBuffer.wrap(good, 0, good.length - 1), 2)).as("truncated").isEqualTo(-1);
        assertThat(rss.steering()).isFalse();
        assertThat(rss.enabledHashTypes()).isZero();
        assertThat(rss.configureRss(ByteBuffer.wrap(good), 2)).isEqualTo(2);
    }

    @Test
    void hashConfigNeedsZeroReservedWords() {
        ReceiveSideScaling rss = new ReceiveSideScaling();
        byte[] config = hashConfig(ReceiveSideScaling.HASH_TYPE_IPV4, KEY);
        config[6] = 1;
        assertThat(rss.configureHash(ByteBuffer.wrap(config))).isFalse();
        assertThat(rss.enabledHashTypes()).isZero();
    }

    @Test
    void ipv6ExtensionHeadersAreSkippedToFindTcp() {
        // 3ffe:2501:200:1fff::7 port 2794 -> 3ffe:2501:200:3::1 port 1766, behind an 8-byte destination options header
        ByteBuffer b = ByteBuffer.allocate(14 + 40 + 8 + 20);
        b.put(new byte[12]).putShort((short) 0x86DD);
        b.putInt(0x6000_0000).putShort((short) 28).put((byte) 60).put((byte) 64);
        b.put(ToeplitzHashTest.hex("3ffe250102001fff0000000000000007")).put(ToeplitzHashTest.hex("3ffe2501020000030000000000000001"));
        b.put((byte) 6).put((byte) 0).put(new byte[6]);
        b.putShort((short) 2794).putShort((short) 1766);
        ReceiveSideScaling rss = new ReceiveSideScaling();
        assertThat(rss.configureHash(hashConfigBuffer(ReceiveSideScaling.HASH_TYPE_TCPV6 | ReceiveSideScaling.HASH_TYPE_IPV6, KEY))).isTrue();
        assertThat(rss.hash(b.array())).isEqualTo(new ReceiveSideScaling.Hash(0x40207d3d, ReceiveSideScaling.REPORT_TCPV6));
    }

    static ByteBuffer hashConfigBuffer(int types, byte[] key) {
        return ByteBuffer.wrap(hashConfig(types, key));
    }

    static byte[] hashConfig(int types, byte[] key) {
        ByteBuffer b = ByteBuffer.allocate(13 + key.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(types).putLong(0).put((byte) key.length).put(key);
        return b.array();
    }
}
