package dev.hvspec.vmm.virtio.net;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Toeplitz hash against the published verification vectors of Microsoft's "Verifying the RSS
 * Hash Calculation" (the same table is in the Intel 82599 datasheet §7.1.2.8.3 "RSS Verification
 * Suite"): the 40-byte key 6d5a56da..., and for each packet the IPv4-only (or IPv6-only) hash of
 * source and destination address and the hash with the TCP ports added. The expected values are
 * copied from that table, not produced by this code.
 */
class ToeplitzHashTest {
    static final byte[] MICROSOFT_KEY = hex("6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa");

    static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    /** Input bytes in packet order: source address, destination address, [source port, destination port]. */
    static byte[] input(String source, String destination, int sourcePort, int destinationPort, boolean ports) throws Exception {
        byte[] s = InetAddress.getByName(source).getAddress();
        byte[] d = InetAddress.getByName(destination).getAddress();
        ByteBuffer b = ByteBuffer.allocate(s.length + d.length + (ports ? 4 : 0)).put(s).put(d);
        if (ports) {
            b.putShort((short) sourcePort).putShort((short) destinationPort);
        }
        return b.array();
    }

    @ParameterizedTest(name = "{1}:{3} -> {0}:{2}")
    @CsvSource({
        // destination,          source,                           dst port, src port, IP only,   with TCP
        "161.142.100.80,           66.9.149.187,                     1766,  2794,  0x323e8fc2, 0x51ccc178",
        "65.69.140.83,             199.92.111.2,                     4739,  14230, 0xd718262a, 0xc626b0ea",
        "12.22.207.184,            24.19.198.95,                     38024, 12898, 0xd2d0a5de, 0x5c2b394a",
        "209.142.163.6,            38.27.205.30,                     2217,  48228, 0x82989176, 0xafc7327f",
        "202.188.127.2,            153.39.163.191,                   1303,  44251, 0x5d1809c5, 0x10e828a2",
        "3ffe:2501:200:3::1,       3ffe:2501:200:1fff::7,            1766,  2794,  0x2cc18cd5, 0x40207d3d",
        "ff02::1,                  3ffe:501:8::260:97ff:fe40:efab,   4739,  14230, 0x0f0c461c, 0xdde51bbf",
        "fe80::200:f8ff:fe21:67cf, 3ffe:1900:4545:3:200:f8ff:fe21:67cf, 38024, 44251, 0x4b61e985, 0x02d1feef",
    })
    void microsoftVerificationSuite(String destination, String source, int destinationPort, int sourcePort,
                                    String addressesOnly, String withTcp) throws Exception {
        assertThat(hexOf(ToeplitzHash.hash(MICROSOFT_KEY, input(source, destination, sourcePort, destinationPort, false))))
                .isEqualTo(addressesOnly);
        assertThat(hexOf(ToeplitzHash.hash(MICROSOFT_KEY, input(source, destination, sourcePort, destinationPort, true))))
                .isEqualTo(withTcp);
    }

    static String hexOf(int v) {
        return String.format("0x%08x", v);
    }
}
