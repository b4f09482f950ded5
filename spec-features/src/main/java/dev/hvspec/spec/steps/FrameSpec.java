package dev.hvspec.spec.steps;

import java.nio.ByteBuffer;

/**
 * Ethernet frames written in scenarios as {@code key=value} tokens: {@code dst=ff:ff:ff:ff:ff:ff
 * src=52:54:00:00:00:01 type=0x0806 len=60} (payload bytes 0x00, 0x01, ...), optionally
 * {@code vlan=5} (an 802.1Q tag), or {@code udp=10.0.0.1:1234>10.0.0.2:5678 payload=32} for an
 * IPv4/UDP datagram whose UDP checksum field holds either the full checksum ({@code csum=full})
 * or only the pseudo-header sum ({@code csum=partial}, what a driver leaves for NEEDS_CSUM).
 * The IPv4 header checksum is always complete. Checksums here are computed independently of the
 * device code (RFC 768, RFC 791, RFC 1071).
 */
final class FrameSpec {
    private FrameSpec() {
    }

    static byte[] parse(String text) {
        byte[] dst = mac("ff:ff:ff:ff:ff:ff");
        byte[] src = mac("52:54:00:00:00:99");
        int type = 0x0806;
        int length = 60;
        int vlan = -1;
        String udp = null;
        int payload = 32;
        String csum = "full";
        for (String token : text.trim().split("\\s+")) {
            String[] kv = token.split("=", 2);
            switch (kv[0]) {
                case "dst" -> dst = mac(kv[1]);
                case "src" -> src = mac(kv[1]);
                case "type" -> type = Values.parseInt(kv[1]);
                case "len" -> length = Integer.parseInt(kv[1]);
                case "vlan" -> vlan = Integer.parseInt(kv[1]);
                case "udp" -> udp = kv[1];
                case "payload" -> payload = Integer.parseInt(kv[1]);
                case "csum" -> csum = kv[1];
                default -> throw new IllegalArgumentException("frame field " + kv[0]);
            }
        }
        int tag = vlan >= 0 ? 4 : 0;
        byte[] l3 = udp != null ? udpPacket(udp, payload, csum.equals("partial")) : null;
        int total = l3 != null ? 14 + tag + l3.length : length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put(dst).put(src);
        if (vlan >= 0) {
            b.putShort((short) 0x8100).putShort((short) vlan);
        }
        if (l3 != null) {
            b.putShort((short) 0x0800).put(l3);
        } else {
            b.putShort((short) type);
            for (int i = 0; b.hasRemaining(); i++) {
                b.put((byte) i);
            }
        }
        return b.array();
    }

    static byte[] mac(String text) {
        String[] p = text.split(":");
        byte[] m = new byte[6];
        for (int i = 0; i < 6; i++) {
            m[i] = (byte) Integer.parseInt(p[i], 16);
        }
        return m;
    }

    private static byte[] ip(String text) {
        String[] p = text.split("\\.");
        byte[] a = new byte[4];
        for (int i = 0; i < 4; i++) {
            a[i] = (byte) Integer.parseInt(p[i]);
        }
        return a;
    }

    /** "10.0.0.1:1234>10.0.0.2:5678" -> an IPv4 header and a UDP datagram with {@code payload} bytes. */
    private static byte[] udpPacket(String flow, int payload, boolean partial) {
        String[] ends = flow.split(">");
        String[] from = ends[0].split(":");
        String[] to = ends[1].split(":");
        byte[] sip = ip(from[0]);
        byte[] dip = ip(to[0]);
        int udpLength = 8 + payload;
        ByteBuffer p = ByteBuffer.allocate(20 + udpLength);
        p.put((byte) 0x45).put((byte) 0).putShort((short) (20 + udpLength)).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(sip).put(dip);
        byte[] bytes = p.array();
        int ipSum = sum(bytes, 0, 20, 0);
        bytes[10] = (byte) (~ipSum >>> 8);
        bytes[11] = (byte) ~ipSum;
        p.putShort((short) Integer.parseInt(from[1])).putShort((short) Integer.parseInt(to[1]))
                .putShort((short) udpLength).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            p.put((byte) (0x40 + i));
        }
        int pseudo = pseudoHeaderSum(sip, dip, udpLength);
        int checksum = partial ? pseudo : ~sum(bytes, 20, bytes.length, pseudo) & 0xFFFF;
        if (!partial && checksum == 0) {
            checksum = 0xFFFF; // RFC 768: a computed zero is sent as all ones
        }
        bytes[26] = (byte) (checksum >>> 8);
        bytes[27] = (byte) checksum;
        return bytes;
    }

    private static int pseudoHeaderSum(byte[] sip, byte[] dip, int udpLength) {
        byte[] pseudo = new byte[12];
        System.arraycopy(sip, 0, pseudo, 0, 4);
        System.arraycopy(dip, 0, pseudo, 4, 4);
        pseudo[9] = 17;
        pseudo[10] = (byte) (udpLength >>> 8);
        pseudo[11] = (byte) udpLength;
        return sum(pseudo, 0, 12, 0);
    }

    /** Ones' complement sum of 16-bit big-endian words, folded, plus {@code initial}. */
    static int sum(byte[] b, int from, int to, int initial) {
        long s = initial;
        for (int i = from; i < to; i += 2) {
            int hi = b[i] & 0xFF;
            int lo = i + 1 < to ? b[i + 1] & 0xFF : 0;
            s += hi << 8 | lo;
        }
        while (s > 0xFFFF) {
            s = (s & 0xFFFF) + (s >> 16);
        }
        return (int) s;
    }

    /** Whether an untagged IPv4/UDP frame carries a correct UDP checksum. */
    static boolean udpChecksumValid(byte[] frame) {
        int l3 = 14;
        int udpLength = (frame[l3 + 24] & 0xFF) << 8 | (frame[l3 + 25] & 0xFF);
        byte[] sip = java.util.Arrays.copyOfRange(frame, l3 + 12, l3 + 16);
        byte[] dip = java.util.Arrays.copyOfRange(frame, l3 + 16, l3 + 20);
        int total = sum(frame, l3 + 20, l3 + 20 + udpLength, pseudoHeaderSum(sip, dip, udpLength));
        return total == 0xFFFF;
    }
}
