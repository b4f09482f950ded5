package dev.hvspec.vmm.virtio.net;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of the Toeplitz hash and of RSS steering (virtio 1.3 §5.1.6.5 "RSS processing"):
 * the hash is linear over GF(2) and a single input bit selects a 32-bit window of the key (both
 * follow from the definition and are checked against BigInteger arithmetic, not against the
 * implementation's own windowing); whatever the frame, the receive queue RSS picks is an entry
 * of the indirection table or unclassified_queue, never a queue the driver did not name.
 */
@Tag("virtio-1.3-dev.control-virtqueue.receive-side-scaling-rss")
class ReceiveSideScalingProperties {

    @Property(tries = 500)
    void toeplitzIsLinearOverGf2(@ForAll @Size(40) byte[] key, @ForAll @Size(36) byte[] a, @ForAll @Size(36) byte[] b) {
        byte[] x = new byte[36];
        for (int i = 0; i < x.length; i++) {
            x[i] = (byte) (a[i] ^ b[i]);
        }
        assertThat(ToeplitzHash.hash(key, x)).isEqualTo(ToeplitzHash.hash(key, a) ^ ToeplitzHash.hash(key, b));
    }

    @Property(tries = 500)
    void aSingleInputBitSelectsTheKeyWindowAtItsPosition(@ForAll @Size(40) byte[] key, @ForAll @IntRange(min = 0, max = 287) int bit) {
        byte[] input = new byte[36];
        input[bit / 8] = (byte) (0x80 >>> (bit % 8));
        BigInteger k = new BigInteger(1, key); // 320 bits, key[0]'s MSB is bit 319
        int expected = k.shiftRight(320 - 32 - bit).intValue();
        assertThat(ToeplitzHash.hash(key, input)).isEqualTo(expected);
    }

    record Setup(int[] table, int unclassified, int maxPairs, byte[] key, int hashTypes) {
    }

    @Provide
    Arbitrary<Setup> setups() {
        Arbitrary<Integer> pairs = Arbitraries.integers().between(1, 16);
        return pairs.flatMap(maxPairs -> Combinators.combine(
                Arbitraries.integers().between(0, 7).flatMap(log -> Arbitraries.integers().between(0, maxPairs - 1)
                        .array(int[].class).ofSize(1 << log)),
                Arbitraries.integers().between(0, maxPairs - 1),
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40),
                Arbitraries.integers().between(0, ReceiveSideScaling.SUPPORTED_HASH_TYPES))
                .as((table, unclassified, key, types) -> new Setup(table, unclassified, maxPairs, key, types)));
    }

    @Provide
    Arbitrary<byte[]> frames() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(128);
        // frames that look like IPv4 or IPv6, so hashes are actually calculated
        Arbitrary<byte[]> ip = Combinators.combine(Arbitraries.of(0x0800, 0x86DD), Arbitraries.of(6, 17, 0, 44, 60),
                Arbitraries.bytes().array(byte[].class).ofMinSize(40).ofMaxSize(120))
                .as((type, proto, body) -> {
                    ByteBuffer b = ByteBuffer.allocate(14 + body.length);
                    b.put(new byte[12]).putShort(type.shortValue()).put(body);
                    byte[] f = b.array();
                    f[14] = (byte) (type == 0x0800 ? 0x45 : 0x60);
                    f[type == 0x0800 ? 14 + 9 : 14 + 6] = proto.byteValue();
                    return f;
                });
        return Arbitraries.oneOf(random, ip);
    }

    @Property(tries = 1000)
    void rssPicksOnlyQueuesTheDriverNamed(@ForAll("setups") Setup s, @ForAll("frames") byte[] frame) {
        ReceiveSideScaling rss = new ReceiveSideScaling();
        ByteBuffer config = ByteBuffer.wrap(ReceiveSideScalingTest.rssConfig(s.hashTypes(), s.table(), s.unclassified(), 1, s.key()));
        assertThat(rss.configureRss(config, s.maxPairs())).isEqualTo(1);
        Set<Integer> named = new HashSet<>();
        Arrays.stream(s.table()).forEach(named::add);
        named.add(s.unclassified());
        int queue = rss.receiveQueue(rss.hash(frame));
        assertThat(named).contains(queue);
        assertThat(queue).isBetween(0, s.maxPairs() - 1);
    }
}
