package dev.hvspec.vmm.virtio.net;

import java.nio.ByteBuffer;

/**
 * Large packets as a Linux driver hands them over for segmentation, built here independently of
 * the device: Ethernet, IPv4 (10.0.0.1 -> 10.0.0.2) or IPv6 (fd00::1 -> fd00::2), then TCP
 * (port 4096 -> 80, seq 1000, PSH|ACK) or UDP (5000 -> 6000), payload bytes i mod 251. The
 * transport checksum field holds the pseudo-header sum with the whole packet's length, as Linux
 * leaves it (the device must not rely on it for the segments).
 */
public final class Packets {
    private Packets() {
    }

    static final byte[] MACS = {0x52, 0x54, 0, 0, 0, 2, 0x52, 0x54, 0, 0, 0, 1};

    public static byte[] tcp(boolean v6, int payload, int tcpFlagsExtra) {
        return packet(v6, 6, 20, payload, tcpFlagsExtra);
    }

    public static byte[] udp(boolean v6, int payload) {
        return packet(v6, 17, 8, payload, 0);
    }

    private static byte[] packet(boolean v6, int proto, int l4header, int payload, int tcpFlagsExtra) {
        int ipHeader = v6 ? 40 : 20;
        int l4len = l4header + payload;
        ByteBuffer b = ByteBuffer.allocate(14 + ipHeader + l4len);
        b.put(MACS).putShort((short) (v6 ? 0x86DD : 0x0800));
        if (v6) {
            b.putInt(0x6000_0000).putShort((short) l4len).put((byte) proto).put((byte) 64);
            b.put(Checksums.V6_SRC).put(Checksums.V6_DST);
        } else {
            b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4len)).putShort((short) 0x4321).putShort((short) 0)
                    .put((byte) 64).put((byte) proto).putShort((short) 0).put(Checksums.V4_SRC).put(Checksums.V4_DST);
        }
        if (proto == 6) {
            b.putShort((short) 4096).putShort((short) 80).putInt(1000).putInt(1).put((byte) 0x50)
                    .put((byte) (0x18 | tcpFlagsExtra)).putShort((short) 0xFFFF).putShort((short) 0).putShort((short) 0);
        } else {
            b.putShort((short) 5000).putShort((short) 6000).putShort((short) l4len).putShort((short) 0);
        }
        for (int i = 0; i < payload; i++) {
            b.put((byte) (i % 251));
        }
        byte[] a = b.array();
        int at = 14 + ipHeader + (proto == 6 ? 16 : 6);
        int seed = Checksums.fold(Checksums.pseudo(a, v6, proto, l4len));
        a[at] = (byte) (seed >>> 8);
        a[at + 1] = (byte) seed;
        return a;
    }
}
