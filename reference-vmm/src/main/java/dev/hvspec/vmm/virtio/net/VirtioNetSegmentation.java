package dev.hvspec.vmm.virtio.net;

import dev.hvspec.vmm.e1000.InternetChecksum;
import dev.hvspec.vmm.e1000.OffloadContext;
import dev.hvspec.vmm.e1000.TcpSegmentation;
import dev.hvspec.vmm.e1000.TxDescriptor;

import java.util.ArrayList;
import java.util.List;

/**
 * What virtio-net does with a transmitted packet whose virtio_net_hdr asks for segmentation
 * (virtio 1.3 §5.1.6.2 "Packet Transmission", point 3) when the backend takes only plain
 * Ethernet frames (null, loopback, switch, pcap): it cuts the packet itself, as a NIC with TSO
 * would, and puts complete checksums in every piece.
 *
 * <ul>
 *   <li>VIRTIO_NET_HDR_GSO_TCPV4 / TCPV6 (HOST_TSO4/6): TCP segmentation. Each segment is the
 *       headers plus at most gso_size (the MSS) payload bytes. The header replication, IPv4 Total
 *       Length and Identification (+1 per segment), sequence numbers (+MSS) and PSH/FIN only in the
 *       last segment are the e1000's {@link TcpSegmentation} (8254x SDM §3.5), the same rules; the
 *       IPv6 Payload Length, CWR (ECN, below) and the checksums are set here.</li>
 *   <li>VIRTIO_NET_HDR_GSO_UDP (HOST_UFO): UDP fragmentation: the UDP checksum is computed over the
 *       whole datagram, then the IP payload is cut into IP fragments of at most gso_size bytes
 *       (rounded down to a multiple of 8, RFC 791 / RFC 8200 fragment offsets), IPv4 with MF and
 *       Fragment Offset, IPv6 with a Fragment extension header. This is Linux's UFO, where gso_size
 *       counts the UDP header in the first fragment.</li>
 *   <li>VIRTIO_NET_HDR_GSO_ECN (HOST_ECN): the TCP packet has CWR set; as TSO hardware and Linux's
 *       software GSO do, CWR stays in the first segment only (RFC 3168 §6.1.2: CWR once per
 *       window reduction).</li>
 * </ul>
 *
 * <p>The headers are read from the packet, not from hdr_len: without VIRTIO_NET_F_GUEST_HDRLEN
 * "the device MUST NOT rely on hdr_len to be correct" (§5.1.6.2.2). csum_start/csum_offset are
 * not needed either: every checksum (IPv4 header, TCP/UDP with a pseudo-header of the piece's own
 * length, RFC 793/768/8200 §8.1) is computed afresh, so a driver's partial sum — which Linux
 * seeds with the length of the whole packet — does not matter. Packets the device cannot follow
 * (gso_type not negotiated, NEEDS_CSUM missing, gso_size 0, not Ethernet/IP/TCP-or-UDP as the
 * type says, IPv6 extension headers, an IPv4 fragment, truncated headers) are refused: the
 * caller drops them, as the driver broke a MUST of §5.1.6.2.1; the device carries on.
 */
public final class VirtioNetSegmentation {
    public static final int GSO_TCPV4 = 1;
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int PROTO_TCP = 6;
    private static final int PROTO_UDP = 17;
    private static final int IPV6_FRAGMENT = 44;
    private static final int TCP_CWR = 0x80;

    /** The fields of struct virtio_net_hdr that matter for segmentation (§5.1.6). */
    public record GsoRequest(int flags, int gsoType, int gsoSize) {
        static GsoRequest of(byte[] header) {
            return new GsoRequest(header[0] & 0xFF, header[1] & 0xFF, (header[4] & 0xFF) | (header[5] & 0xFF) << 8);
        }
    }

    /** Segments to send, or why the packet is refused. */
    public sealed interface Result {
    }

    public record Segments(List<byte[]> frames) implements Result {
    }

    public record Refused(String reason) implements Result {
    }

    private final int ipv6FragmentId;

    private VirtioNetSegmentation(int ipv6FragmentId) {
        this.ipv6FragmentId = ipv6FragmentId;
    }

    /**
     * Cuts {@code frame} as {@code request} asks, given the negotiated features.
     *
     * @param ipv6FragmentId the Identification for IPv6 fragments (UFO over IPv6), chosen by the device
     */
    public static Result segment(GsoRequest request, byte[] frame, long features, int ipv6FragmentId) {
        return new VirtioNetSegmentation(ipv6FragmentId).cut(request, frame, features);
    }

    private Result cut(GsoRequest r, byte[] frame, long features) {
        int type = r.gsoType() & ~GSO_ECN;
        boolean ecn = (r.gsoType() & GSO_ECN) != 0;
        // §5.1.6.2.1: gso_type only as the HOST_* features negotiated allow; ECN needs HOST_ECN.
        int needed = switch (type) {
            case GSO_TCPV4 -> VirtioNet.F_HOST_TSO4;
            case GSO_TCPV6 -> VirtioNet.F_HOST_TSO6;
            case GSO_UDP -> VirtioNet.F_HOST_UFO;
            default -> -1; // UDP_L4 (HOST_USO is not offered) and unknown types
        };
        if (needed < 0 || (features & 1L << needed) == 0) {
            return new Refused("gso_type " + r.gsoType() + " not negotiated");
        }
        if (ecn && (type == GSO_UDP || (features & 1L << VirtioNet.F_HOST_ECN) == 0)) {
            return new Refused("GSO_ECN without HOST_ECN or on UDP");
        }
        // §5.1.6.2.1: with gso_type != NONE the driver MUST set NEEDS_CSUM and gso_size.
        if ((r.flags() & VirtioNet.HDR_F_NEEDS_CSUM) == 0) {
            return new Refused("segmentation without NEEDS_CSUM");
        }
        if (r.gsoSize() == 0) {
            return new Refused("gso_size 0");
        }
        Headers h = Headers.parse(frame, type == GSO_TCPV4 || type == GSO_TCPV6 ? PROTO_TCP : PROTO_UDP);
        if (h == null || (type == GSO_TCPV4 && !h.ipv4()) || (type == GSO_TCPV6 && h.ipv4())) {
            return new Refused("headers do not match gso_type " + type);
        }
        return type == GSO_UDP ? fragmentUdp(h, frame, r.gsoSize()) : segmentTcp(h, frame, r.gsoSize());
    }

    /** Where the IP and transport headers are; null if the packet is not what the type says. */
    record Headers(int l3, boolean ipv4, int l4, int hdrlen) {
        static Headers parse(byte[] f, int protocol) {
            if (f.length < EthernetFrames.HEADER) {
                return null;
            }
            int l3 = EthernetFrames.HEADER;
            int ethertype = EthernetFrames.u16(f, 12);
            if (ethertype == EthernetFrames.TPID_8021Q) {
                l3 += EthernetFrames.VLAN_TAG;
                ethertype = f.length >= l3 ? EthernetFrames.u16(f, 16) : -1;
            }
            int l4;
            boolean ipv4 = ethertype == EthernetFrames.ETHERTYPE_IPV4;
            if (ipv4) {
                int ihl = f.length > l3 ? (f[l3] & 0x0F) * 4 : 0;
                if (ihl < 20 || f.length < l3 + ihl || (f[l3] & 0xF0) != 0x40 || (f[l3 + 9] & 0xFF) != protocol
                        || (EthernetFrames.u16(f, l3 + 6) & 0x3FFF) != 0) {
                    return null; // not IPv4 with this protocol, or already a fragment (MF or offset set)
                }
                l4 = l3 + ihl;
            } else if (ethertype == ETHERTYPE_IPV6) {
                if (f.length < l3 + 40 || (f[l3] & 0xF0) != 0x60 || (f[l3 + 6] & 0xFF) != protocol) {
                    return null; // extension headers are not followed
                }
                l4 = l3 + 40;
            } else {
                return null;
            }
            int l4len = protocol == PROTO_TCP ? (f.length >= l4 + 20 ? (f[l4 + 12] & 0xF0) >> 2 : 0) : 8;
            if (l4len < (protocol == PROTO_TCP ? 20 : 8) || f.length < l4 + l4len) {
                return null;
            }
            return new Headers(l3, ipv4, l4, l4 + l4len);
        }
    }

    /** TCP segmentation with the e1000's arithmetic, then the fields it does not set (see the class comment). */
    private Result segmentTcp(Headers h, byte[] frame, int mss) {
        byte[] packet = frame.clone();
        if (h.ipv4()) {
            put16(packet, h.l3() + 10, 0); // the IPv4 header checksum is summed from 0 per segment
        }
        int tucmd = TxDescriptor.TUCMD_TCP | (h.ipv4() ? TxDescriptor.TUCMD_IP : 0) | TxDescriptor.CMD_TSE;
        OffloadContext context = new OffloadContext(h.l3(), h.l3() + 10, h.l4() - 1, h.l4(), h.l4() + 16, 0,
                frame.length - h.hdrlen(), tucmd, h.hdrlen(), mss);
        if (TcpSegmentation.refusal(context, packet.length).isPresent()) {
            return new Refused(TcpSegmentation.refusal(context, packet.length).get());
        }
        List<byte[]> segments = TcpSegmentation.segment(packet, packet.length, context, h.ipv4(), false);
        for (int n = 0; n < segments.size(); n++) {
            byte[] seg = segments.get(n);
            if (!h.ipv4()) {
                put16(seg, h.l3() + 4, seg.length - h.l3() - 40); // RFC 8200 §3: Payload Length after the fixed header
            }
            if (n > 0) {
                seg[h.l4() + 13] &= (byte) ~TCP_CWR; // RFC 3168 §6.1.2: CWR in the first segment only
            }
            insertL4Checksum(seg, h, PROTO_TCP, h.l4() + 16);
        }
        return new Segments(segments);
    }

    /** UFO: the whole datagram's UDP checksum, then IP fragments of at most {@code fragmentSize} payload bytes. */
    private Result fragmentUdp(Headers h, byte[] frame, int fragmentSize) {
        int chunk = fragmentSize & ~7; // fragment offsets count 8-byte units (RFC 791, RFC 8200 §4.5)
        if (chunk == 0) {
            return new Refused("gso_size below 8 for UDP fragmentation");
        }
        byte[] datagram = frame.clone();
        put16(datagram, h.l4() + 4, datagram.length - h.l4()); // UDP Length
        insertL4Checksum(datagram, h, PROTO_UDP, h.l4() + 6);
        int payload = datagram.length - h.l4();
        List<byte[]> fragments = new ArrayList<>();
        for (int off = 0; off < payload; off += chunk) {
            int size = Math.min(chunk, payload - off);
            boolean more = off + size < payload;
            fragments.add(h.ipv4() ? ipv4Fragment(datagram, h, off, size, more) : ipv6Fragment(datagram, h, off, size, more));
        }
        return new Segments(fragments);
    }

    private static byte[] ipv4Fragment(byte[] datagram, Headers h, int off, int size, boolean more) {
        byte[] f = new byte[h.l4() + size];
        System.arraycopy(datagram, 0, f, 0, h.l4());
        System.arraycopy(datagram, h.l4() + off, f, h.l4(), size);
        put16(f, h.l3() + 2, h.l4() - h.l3() + size);                                 // Total Length
        put16(f, h.l3() + 6, (more ? 0x2000 : 0) | off >> 3);                         // MF, Fragment Offset (DF cleared)
        put16(f, h.l3() + 10, 0);
        put16(f, h.l3() + 10, ~InternetChecksum.sum(f, h.l3(), h.l4() - 1, 0) & 0xFFFF); // RFC 791 header checksum
        return f;
    }

    private byte[] ipv6Fragment(byte[] datagram, Headers h, int off, int size, boolean more) {
        byte[] f = new byte[h.l4() + 8 + size];
        System.arraycopy(datagram, 0, f, 0, h.l4());
        System.arraycopy(datagram, h.l4() + off, f, h.l4() + 8, size);
        f[h.l3() + 6] = (byte) IPV6_FRAGMENT;                  // Next Header: Fragment (RFC 8200 §4.5)
        put16(f, h.l3() + 4, 8 + size);                         // Payload Length
        f[h.l4()] = (byte) PROTO_UDP;                           // the fragment header's Next Header
        put16(f, h.l4() + 2, off | (more ? 1 : 0));             // Fragment Offset (already in 8-byte units << 3), M
        put16(f, h.l4() + 4, ipv6FragmentId >>> 16);
        put16(f, h.l4() + 6, ipv6FragmentId);
        return f;
    }

    /**
     * The TCP or UDP checksum of {@code seg} (RFC 793 §3.1, RFC 768, RFC 8200 §8.1): the ones'
     * complement of the sum of the pseudo-header (addresses, protocol, length) and the transport
     * header and data, with the checksum field taken as 0. A UDP result of 0 is sent as FFFFh.
     */
    private static void insertL4Checksum(byte[] seg, Headers h, int protocol, int at) {
        int length = seg.length - h.l4();
        put16(seg, at, 0);
        int sum = h.ipv4() ? InternetChecksum.sum(seg, h.l3() + 12, h.l3() + 19, 0)
                : InternetChecksum.sum(seg, h.l3() + 8, h.l3() + 39, 0);
        sum = InternetChecksum.add(sum, protocol);
        sum = InternetChecksum.add(sum, length & 0xFFFF);
        sum = InternetChecksum.add(sum, length >>> 16);
        sum = InternetChecksum.sum(seg, h.l4(), seg.length - 1, sum);
        int checksum = ~sum & 0xFFFF;
        put16(seg, at, checksum == 0 && protocol == PROTO_UDP ? 0xFFFF : checksum);
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
