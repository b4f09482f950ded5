package dev.hvspec.vmm.e1000;

/**
 * The TCP/IP offload context loaded by a context descriptor (8254x SDM §3.3.6): where the IP
 * checksum starts (IPCSS), is stored (IPCSO) and ends inclusive (IPCSE, 0 = end of packet); the
 * same for TCP/UDP (TUCSS, TUCSO, TUCSE); and for TCP segmentation the payload length (PAYLEN),
 * the command (TUCMD: TCP or UDP, IPv4 or IPv6, TSE), the header length (HDRLEN) and the
 * maximum segment size (MSS). The 82540EM has one context; a new context descriptor replaces it.
 */
public record OffloadContext(int ipcss, int ipcso, int ipcse, int tucss, int tucso, int tucse,
                             int paylen, int tucmd, int hdrlen, int mss) {
    /** The context after reset: every field 0. */
    public static final OffloadContext NONE = new OffloadContext(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** TUCMD.TCP: the layer-4 protocol is TCP (else UDP). */
    public boolean tcp() {
        return (tucmd & TxDescriptor.TUCMD_TCP) != 0;
    }

    /** TUCMD.IP: the IP header is IPv4 (else IPv6). */
    public boolean ipv4() {
        return (tucmd & TxDescriptor.TUCMD_IP) != 0;
    }

    /** TUCMD.TSE: the context is for TCP segmentation. */
    public boolean segmentation() {
        return (tucmd & TxDescriptor.CMD_TSE) != 0;
    }
}
