package dev.hvspec.vmm;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Holds virtual time back to the host's clock for {@link Pacing#WALLCLOCK}: virtual nanosecond
 * {@code guestStart + d} may be reached no earlier than host nanosecond {@code hostStart + d}.
 * The host clock is a parameter so that the arithmetic is testable without waiting.
 */
final class WallClockPacer {
    /** The longest single sleep, so that the end of the run is noticed quickly. */
    static final long MAX_SLEEP_NANOS = 10_000_000;
    /**
     * How much virtual time a vCPU may run (or a halted kernel-layer vCPU may skip) before it
     * comes back to the VMM to be paced: the pacing granularity, 1 ms.
     */
    static final long SLICE_NANOS = 1_000_000;

    private final LongSupplier hostNanos;
    private final long hostStart;
    private final long guestStart;

    WallClockPacer(LongSupplier hostNanos, long guestStart) {
        this.hostNanos = hostNanos;
        this.hostStart = hostNanos.getAsLong();
        this.guestStart = guestStart;
    }

    /** The latest virtual time the host's clock allows now. */
    long allowedGuestTime() {
        return guestStart + (hostNanos.getAsLong() - hostStart);
    }

    /** How long to wait before virtual time {@code guestNanos} is allowed (0 if it is already). */
    long delayBefore(long guestNanos) {
        return Math.max(0, guestNanos - allowedGuestTime());
    }

    /** Sleeps until {@code guestNanos} is allowed or {@code stop} says so. */
    void await(long guestNanos, BooleanSupplier stop) throws InterruptedException {
        long wait;
        while ((wait = delayBefore(guestNanos)) > 0 && !stop.getAsBoolean()) {
            long sleep = Math.min(wait, MAX_SLEEP_NANOS);
            Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
        }
    }
}
