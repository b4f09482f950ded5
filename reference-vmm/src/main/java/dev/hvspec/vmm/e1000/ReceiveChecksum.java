package dev.hvspec.vmm.e1000;

/**
 * Receive checksum offload (8254x SDM §3.2, "the Packet checksum ... For supported packet/frame
 * types, the entire checksum calculation may be offloaded", p. 32; RXCSUM, p. 322; the status and
 * error bits of the receive descriptor), as a pure function of the stored frame (after VLAN
 * stripping, with the FCS when it is kept) and RXCSUM.
 * <ul>
 *   <li>The Packet Checksum field is the 16-bit one's complement sum of the frame from
 *       RXCSUM.PCSS to its end.</li>
 *   <li>For an IPv4 frame (EtherType 0800h, possibly behind one 802.1Q tag), RXCSUM.IPOFL checks
 *       the header checksum: status IPCS, error IPE if it is wrong.</li>
 *   <li>RXCSUM.TUOFL checks the TCP or UDP checksum of an unfragmented IPv4 datagram over the
 *       pseudo-header: status TCPCS, error TCPE if wrong. A UDP checksum of 0 means "none" and is
 *       not checked.</li>
 *   <li>"If neither RXCSUM.IPOFLD nor RXCSUM.TUOFLD is set, the Checksum Error bits (IPE and
 *       TCPE) [are] 0b for all packets". The model also sets status IXSM ("ignore checksum
 *       indication") whenever no offload evaluated the frame, so drivers skip the other bits.</li>
 * </ul>
 */
final class ReceiveChecksum {
    static final int STATUS_IXSM = 0x04;
    static final int STATUS_TCPCS = 0x20;
    static final int STATUS_IPCS = 0x40;
    static final int ERROR_TCPE = 0x20;
    static final int ERROR_IPE = 0x40;

    /** Status bits, error bits and the Packet Checksum field for one frame. */
    record Result(int status, int errors, int packetChecksum) {
    }

    private ReceiveChecksum() {
    }

    static Result of(byte[] frame, int length, int rxcsum) {
        int pcss = rxcsum & E1000Registers.RXCSUM_PCSS_MASK;
        int packet = pcss < length ? InternetChecksum.sum(frame, pcss, length - 1, 0) : 0;
        boolean ipOffload = (rxcsum & E1000Registers.RXCSUM_IPOFL) != 0;
        boolean l4Offload = (rxcsum & E1000Registers.RXCSUM_TUOFL) != 0;
        int status = 0;
        int errors = 0;
        int ip = 14;
        if (length >= 18 && InternetChecksum.get16(frame, 12) == 0x8100) {
            ip = 18;
        }
        boolean ipv4 = length >= ip + 20 && InternetChecksum.get16(frame, ip - 2) == 0x0800
                && (frame[ip] & 0xF0) == 0x40;
        boolean looked = false;
        if (ipv4) {
            int ihl = (frame[ip] & 0x0F) * 4;
            int total = InternetChecksum.get16(frame, ip + 2);
            if (ihl >= 20 && ip + ihl <= length) {
                if (ipOffload) {
                    looked = true;
                    status |= STATUS_IPCS;
                    if (InternetChecksum.sum(frame, ip, ip + ihl - 1, 0) != 0xFFFF) {
                        errors |= ERROR_IPE;
                    }
                }
                int protocol = frame[ip + 9] & 0xFF;
                boolean fragment = (InternetChecksum.get16(frame, ip + 6) & 0x3FFF) != 0;
                int l4 = ip + ihl;
                int l4Length = total - ihl;
                boolean fits = total >= ihl && ip + total <= length;
                if (l4Offload && !fragment && fits && (protocol == 6 || protocol == 17)) {
                    boolean udpWithoutChecksum = protocol == 17 && l4Length >= 8 && InternetChecksum.get16(frame, l4 + 6) == 0;
                    if (!udpWithoutChecksum && l4Length >= (protocol == 6 ? 20 : 8)) {
                        looked = true;
                        status |= STATUS_TCPCS;
                        int pseudo = InternetChecksum.sum(frame, ip + 12, ip + 19, 0);
                        pseudo = InternetChecksum.add(pseudo, protocol);
                        pseudo = InternetChecksum.add(pseudo, l4Length);
                        if (InternetChecksum.sum(frame, l4, l4 + l4Length - 1, pseudo) != 0xFFFF) {
                            errors |= ERROR_TCPE;
                        }
                    }
                }
            }
        }
        if (!looked) {
            status |= STATUS_IXSM;
        }
        return new Result(status, errors, packet);
    }
}
