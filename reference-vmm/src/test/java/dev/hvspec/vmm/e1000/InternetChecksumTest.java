package dev.hvspec.vmm.e1000;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Known answers for the Internet checksum, worked out by hand from RFC 1071. */
class InternetChecksumTest {
    @Test
    void rfc1071NumericalExample() {
        // RFC 1071 §3: bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2 (0001 + f203 + f4f5 + f6f7 =
        // 2ddf0, end-around carry 2 -> ddf2); the checksum is its complement 220d.
        byte[] data = {0x00, 0x01, (byte) 0xF2, 0x03, (byte) 0xF4, (byte) 0xF5, (byte) 0xF6, (byte) 0xF7};
        assertThat(InternetChecksum.sum(data, 0, 7, 0)).isEqualTo(0xDDF2);
        byte[] frame = new byte[10];
        System.arraycopy(data, 0, frame, 0, 8);
        InternetChecksum.insert(frame, 10, 0, 7, 8, 0);
        assertThat(frame[8] & 0xFF).isEqualTo(0x22);
        assertThat(frame[9] & 0xFF).isEqualTo(0x0D);
    }

    @Test
    void ipv4HeaderExample() {
        // 4500 0073 0000 4000 4011 0000 c0a8 0001 c0a8 00c7 sums to 2479c, folded 479e: checksum b861.
        byte[] header = bytes("450000730000400040110000c0a80001c0a800c7");
        InternetChecksum.insert(header, header.length, 0, 0, 10, 0);
        assertThat(InternetChecksum.get16(header, 10)).isEqualTo(0xB861);
        assertThat(InternetChecksum.sum(header, 0, 19, 0)).isEqualTo(0xFFFF);
    }

    @Test
    void anOddLastBytePadsWithZero() {
        assertThat(InternetChecksum.sum(new byte[] {0x01, 0x02, 0x03}, 0, 2, 0)).isEqualTo(0x0102 + 0x0300);
    }

    @Test
    void rangesOutsideTheFrameInsertNothing() {
        byte[] frame = {1, 2, 3, 4};
        InternetChecksum.insert(frame, 4, 0, 0, 3, 0);   // the field would cross the end
        InternetChecksum.insert(frame, 4, 9, 0, 0, 0);   // the start is beyond the end
        assertThat(frame).containsExactly(1, 2, 3, 4);
    }

    private static byte[] bytes(String hex) {
        byte[] b = new byte[hex.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }
}
