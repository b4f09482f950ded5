package dev.hvspec.vmm.virtio.net;

/**
 * The Toeplitz hash of receive-side scaling, the hash virtio-net's VIRTIO_NET_F_RSS names
 * (virtio 1.3 §5.1.6.5.7, "RSS receive steering with Toeplitz hash calculation") and that
 * VIRTIO_NET_F_HASH_REPORT reports. Defined in Microsoft's "RSS hashing functions": for every
 * bit of the input, most significant bit of input[0] first, the result is XORed with the
 * leftmost 32 bits of the key when the bit is 1, and the key is shifted left by one bit.
 * Key bits beyond the key's end count as zero, so a key shorter than input + 4 bytes gives the
 * hash a longer key with zero padding would give.
 */
public final class ToeplitzHash {
    private ToeplitzHash() {
    }

    /** The 32-bit Toeplitz hash of {@code input} under {@code key}. */
    public static int hash(byte[] key, byte[] input) {
        int result = 0;
        for (int bit = 0; bit < 8 * input.length; bit++) {
            if ((input[bit >>> 3] & (0x80 >>> (bit & 7))) != 0) {
                result ^= keyWindow(key, bit);
            }
        }
        return result;
    }

    /** Key bits {@code [from, from + 32)} as an int, bit {@code from} most significant. */
    static int keyWindow(byte[] key, int from) {
        int window = 0;
        for (int i = 0; i < 32; i++) {
            int at = from + i;
            int byteIndex = at >>> 3;
            int bit = byteIndex < key.length ? (key[byteIndex] >>> (7 - (at & 7))) & 1 : 0;
            window = window << 1 | bit;
        }
        return window;
    }
}
