package dev.hvspec.machine.time;

/**
 * The rate of a time-stamp counter in kHz, and the exact conversion between virtual nanoseconds
 * and ticks at that rate: ticks = floor(nanos × kHz / 10^6). The product is split at whole
 * milliseconds (nanos = q·10^6 + r gives q·kHz + floor(r·kHz / 10^6)), so no intermediate value
 * overflows for any kHz below 2^32 and any non-negative nanos; the tick count itself wraps modulo
 * 2^64 as the 64-bit TSC does (SDM 3B §17.17: a 64-bit counter).
 *
 * @param khz ticks per millisecond, 1 … 2^32 − 1 (KVM's u32 virtual_tsc_khz)
 */
public record TscFrequency(long khz) {
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** 1 GHz: one tick per virtual nanosecond. */
    public static final TscFrequency ONE_GHZ = new TscFrequency(1_000_000L);

    public TscFrequency {
        if (khz <= 0 || khz > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("TSC frequency out of range: " + khz + " kHz");
        }
    }

    /** Ticks counted from virtual time 0 to {@code nanos} (0 for a negative time). */
    public long ticksAt(long nanos) {
        if (nanos <= 0) {
            return 0;
        }
        long whole = nanos / NANOS_PER_MILLI;
        long rest = nanos % NANOS_PER_MILLI;
        return whole * khz + rest * khz / NANOS_PER_MILLI;
    }

    /**
     * The earliest virtual time at which {@link #ticksAt} reaches {@code ticks} (0 for ticks ≤ 0;
     * {@link Long#MAX_VALUE} if that lies beyond the 64-bit nanosecond range).
     */
    public long nanosAt(long ticks) {
        if (ticks <= 0) {
            return 0;
        }
        long whole = ticks / khz;
        long rest = ticks % khz;
        // ceil(rest · 10^6 / kHz) ≤ 10^6: rest · 10^6 < 2^32 · 10^6 fits in a long.
        long restNanos = (rest * NANOS_PER_MILLI + khz - 1) / khz;
        if (whole > (Long.MAX_VALUE - restNanos) / NANOS_PER_MILLI) {
            return Long.MAX_VALUE;
        }
        return whole * NANOS_PER_MILLI + restNanos;
    }

    @Override
    public String toString() {
        return khz + " kHz";
    }
}
