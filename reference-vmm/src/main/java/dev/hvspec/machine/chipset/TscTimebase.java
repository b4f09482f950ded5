package dev.hvspec.machine.chipset;

/**
 * The time-stamp counter as a function of virtual time, for the local APIC's TSC-deadline mode
 * (SDM 3A §11.5.4.1). The CPU layer owns the TSC (rate, IA32_TSC writes, offsets) and hands the
 * APIC this view of it.
 */
public interface TscTimebase {
    /** The TSC value at virtual time {@code nanos}. */
    long tscAt(long nanos);

    /** The earliest virtual time at which the TSC is at least {@code tsc}. */
    long nanosAt(long tsc);

    /** A TSC that counts {@code hz} per second of virtual time from 0 at time 0. */
    static TscTimebase fixedRate(long hz) {
        if (hz <= 0 || hz > 9_000_000_000L) {
            throw new IllegalArgumentException("TSC rate out of range: " + hz);
        }
        long second = 1_000_000_000L;
        return new TscTimebase() {
            @Override
            public long tscAt(long nanos) {
                return (nanos / second) * hz + (nanos % second) * hz / second;
            }

            @Override
            public long nanosAt(long tsc) {
                if (tsc <= 0) {
                    return 0;
                }
                long whole = tsc / hz;
                long rest = tsc % hz;
                long restNanos = (rest * second + hz - 1) / hz;
                return whole > Long.MAX_VALUE / second - 1 ? Long.MAX_VALUE : whole * second + restNanos;
            }
        };
    }
}
