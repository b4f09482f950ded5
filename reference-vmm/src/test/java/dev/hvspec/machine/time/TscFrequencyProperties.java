package dev.hvspec.machine.time;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TSC as scaled virtual time: ticks = floor(nanos × kHz / 10^6), checked against BigInteger arithmetic. */
class TscFrequencyProperties {
    private static final BigInteger MILLION = BigInteger.valueOf(1_000_000);

    private static long oracle(long nanos, long khz) {
        return BigInteger.valueOf(nanos).multiply(BigInteger.valueOf(khz)).divide(MILLION).longValue(); // mod 2^64
    }

    @Property
    void ticksAreTheExactScaledTime(@ForAll @LongRange(min = 0) long nanos,
                                    @ForAll @LongRange(min = 1, max = 0xFFFF_FFFFL) long khz) {
        assertThat(new TscFrequency(khz).ticksAt(nanos)).isEqualTo(oracle(nanos, khz));
    }

    @Property
    void nanosAtIsTheEarliestTimeTheCountReachesTicks(@ForAll @LongRange(min = 1, max = 1L << 60) long ticks,
                                                      @ForAll @LongRange(min = 1, max = 0xFFFF_FFFFL) long khz) {
        TscFrequency f = new TscFrequency(khz);
        long nanos = f.nanosAt(ticks);
        // ceil(ticks × 10^6 / kHz), when it fits in 64 bits
        BigInteger exact = BigInteger.valueOf(ticks).multiply(MILLION).add(BigInteger.valueOf(khz - 1))
                .divide(BigInteger.valueOf(khz));
        if (exact.bitLength() <= 63) { // fits a non-negative long
            assertThat(nanos).isEqualTo(exact.longValueExact());
            assertThat(f.ticksAt(nanos)).isGreaterThanOrEqualTo(ticks);
            assertThat(f.ticksAt(nanos - 1)).isLessThan(ticks);
        } else {
            assertThat(nanos).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Example
    void handComputedRates() {
        assertThat(new TscFrequency(2_000_000).ticksAt(2003)).isEqualTo(4006);
        assertThat(new TscFrequency(1_500_000).ticksAt(1)).isEqualTo(1);   // 1.5 → 1
        assertThat(new TscFrequency(1_500_000).ticksAt(3)).isEqualTo(4);   // 4.5 → 4
        assertThat(new TscFrequency(1).ticksAt(999_999)).isEqualTo(0);     // 1 kHz: one tick per millisecond
        assertThat(new TscFrequency(1).nanosAt(1)).isEqualTo(1_000_000);
        assertThat(TscFrequency.ONE_GHZ.nanosAt(5)).isEqualTo(5);
        // Ten years (365-day) of virtual time at 4 GHz: 3.1536e17 ns → 1.26144e18 ticks, no overflow.
        long tenYears = 10L * 365 * 86_400 * 1_000_000_000L;
        assertThat(new TscFrequency(4_000_000).ticksAt(tenYears)).isEqualTo(4 * tenYears);
    }

    @Example
    void aFrequencyIsAPositiveU32() {
        assertThatThrownBy(() -> new TscFrequency(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TscFrequency(1L << 32)).isInstanceOf(IllegalArgumentException.class);
    }
}
