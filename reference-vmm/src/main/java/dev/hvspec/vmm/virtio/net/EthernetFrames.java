package dev.hvspec.vmm.virtio.net;

/**
 * The few facts about Ethernet frames a NIC needs: addresses (IEEE 802, bit 0 of the first octet
 * = group address), 802.1Q tags (TPID 0x8100, VID = low 12 bits of the TCI), the flow a frame
 * belongs to, and the Internet checksum (RFC 1071: the 16-bit ones' complement of the ones'
 * complement sum).
 */
public final class EthernetFrames {
    public static final int HEADER = 14;
    public static final int VLAN_TAG = 4;
    public static final int TPID_8021Q = 0x8100;
    public static final int ETHERTYPE_IPV4 = 0x0800;

    private EthernetFrames() {
    }

    public static boolean isBroadcast(byte[] frame) {
        for (int i = 0; i < 6; i++) {
            if (frame[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    public static boolean isMulticast(byte[] frame) {
        return (frame[0] & 1) != 0;
    }

    public static boolean destinationIs(byte[] frame, byte[] mac) {
        for (int i = 0; i < 6; i++) {
            if (frame[i] != mac[i]) {
                return false;
            }
        }
        return true;
    }

    /** The VLAN ID of an 802.1Q-tagged frame, or -1 if untagged. */
    public static int vlanId(byte[] frame) {
        if (frame.length < HEADER + VLAN_TAG || u16(frame, 12) != TPID_8021Q) {
            return -1;
        }
        return u16(frame, 14) & 0x0FFF;
    }

    static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    /**
     * A key identifying the flow of a frame, seen from its sender: IPv4 addresses, protocol and
     * TCP/UDP ports when present, otherwise the two MAC addresses. {@code reversed} gives the key
     * of the opposite direction, so a received frame finds the flow its reply was sent on.
     */
    public static String flowKey(byte[] frame, boolean reversed) {
        int l3 = HEADER + (vlanId(frame) >= 0 ? VLAN_TAG : 0);
        if (frame.length >= l3 + 20 && u16(frame, l3 - 2) == ETHERTYPE_IPV4 && (frame[l3] >> 4) == 4) {
            int ihl = (frame[l3] & 0x0F) * 4;
            int proto = frame[l3 + 9] & 0xFF;
            String src = ipv4(frame, l3 + 12);
            String dst = ipv4(frame, l3 + 16);
            int sport = 0;
            int dport = 0;
            if ((proto == 6 || proto == 17) && frame.length >= l3 + ihl + 4) {
                sport = u16(frame, l3 + ihl);
                dport = u16(frame, l3 + ihl + 2);
            }
            return reversed ? proto + ":" + dst + ":" + dport + ">" + src + ":" + sport
                    : proto + ":" + src + ":" + sport + ">" + dst + ":" + dport;
        }
        String a = macString(frame, 6);
        String b = macString(frame, 0);
        return reversed ? b + ">" + a : a + ">" + b;
    }

    private static String ipv4(byte[] b, int at) {
        return (b[at] & 0xFF) + "." + (b[at + 1] & 0xFF) + "." + (b[at + 2] & 0xFF) + "." + (b[at + 3] & 0xFF);
    }

    private static String macString(byte[] b, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            sb.append(String.format(i == 0 ? "%02x" : ":%02x", b[at + i] & 0xFF));
        }
        return sb.toString();
    }

    /** RFC 1071 ones' complement sum of {@code data[from, to)}, folded to 16 bits (not complemented). */
    public static int onesComplementSum(byte[] data, int from, int to) {
        long sum = 0;
        for (int i = from; i + 1 < to; i += 2) {
            sum += u16(data, i);
        }
        if (((to - from) & 1) != 0) {
            sum += (data[to - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /**
     * Completes a partial checksum as virtio-net's NEEDS_CSUM asks (virtio 1.3 §5.1.6.2): the
     * ones' complement of the sum from {@code start} to the end of the frame, stored big-endian
     * at {@code start + offset}. Returns false (and leaves the frame alone) if the fields point
     * outside the frame.
     */
    public static boolean completeChecksum(byte[] frame, int start, int offset) {
        if (start < 0 || offset < 0 || (long) start + offset + 2 > frame.length) {
            return false;
        }
        int at = start + offset;
        int checksum = ~onesComplementSum(frame, start, frame.length) & 0xFFFF;
        frame[at] = (byte) (checksum >>> 8);
        frame[at + 1] = (byte) checksum;
        return true;
    }
}
