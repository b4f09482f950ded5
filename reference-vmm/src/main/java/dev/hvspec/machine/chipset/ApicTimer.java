package dev.hvspec.machine.chipset;

import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.machine.time.VirtualTimer;

/**
 * The local APIC timer (SDM 3A §11.5.4): a 32-bit down-counter clocked by the bus clock divided by
 * the divide configuration register, in one-shot, periodic or TSC-deadline mode. The current count
 * is computed from virtual time when read; expiries are {@link VirtualTimer}s.
 *
 * <p>Counting: after an initial-count write at time t0, the count is {@code initial - k} once k
 * whole timer ticks ({@code busCycleNanos * divisor} each) have passed; one-shot mode stops at 0
 * and interrupts when it gets there; periodic mode interrupts and reloads, so the count reads
 * {@code initial - (k mod initial)}. A change of the divide configuration while counting keeps the
 * current count and continues at the new rate (the SDM does not say; the part of a tick already
 * elapsed is dropped).
 *
 * <p>Not thread-safe: owned by {@link LocalApic}, which calls it under its lock. The expiry
 * callback is the APIC's.
 */
final class ApicTimer {
    enum Mode { ONE_SHOT, PERIODIC, TSC_DEADLINE;

        /** LVT timer bits 18:17 (SDM 3A Figure 11-8); 11 is reserved and treated as one-shot. */
        static Mode of(int lvt) {
            return switch ((lvt >>> 17) & 3) {
                case 1 -> PERIODIC;
                case 2 -> TSC_DEADLINE;
                default -> ONE_SHOT;
            };
        }
    }

    private final TimerQueue timers;
    private final VirtualTimer expiry;
    private final long busCycleNanos;
    private final TscTimebase tsc;

    private Mode mode = Mode.ONE_SHOT;
    private int initialCount;
    private int divideConfig;
    private long startNanos;
    private boolean counting;
    private long tscDeadline;

    ApicTimer(TimerQueue timers, long busCycleNanos, TscTimebase tsc, Runnable onExpiry) {
        this.timers = timers;
        this.busCycleNanos = busCycleNanos;
        this.tsc = tsc;
        this.expiry = timers.newTimer(onExpiry);
    }

    private long now() {
        return timers.clock().nanos();
    }

    /** SDM 3A Figure 11-10: bits 3,1,0 = 000 → 2, 001 → 4, ..., 110 → 128, 111 → 1. */
    static int divisor(int divideConfig) {
        int code = ((divideConfig >>> 1) & 4) | (divideConfig & 3);
        return 1 << ((code + 1) & 7);
    }

    private long tickNanos() {
        return busCycleNanos * divisor(divideConfig);
    }

    private long initial() {
        return Integer.toUnsignedLong(initialCount);
    }

    Mode mode() {
        return mode;
    }

    int initialCount() {
        return initialCount;
    }

    int divideConfig() {
        return divideConfig;
    }

    /** SDM 3A §11.5.4: a write starts counting; 0 stops the timer; ignored in TSC-deadline mode. */
    void writeInitialCount(int value) {
        if (mode == Mode.TSC_DEADLINE) {
            return;
        }
        initialCount = value;
        start(now());
    }

    private void start(long at) {
        startNanos = at;
        counting = initialCount != 0;
        if (counting) {
            expiry.armAt(at + initial() * tickNanos());
        } else {
            expiry.cancel();
        }
    }

    /** The current-count register; 0 in TSC-deadline mode and when not counting. */
    int currentCount() {
        if (mode == Mode.TSC_DEADLINE || !counting) {
            return 0;
        }
        long ticks = (now() - startNanos) / tickNanos();
        if (mode == Mode.PERIODIC) {
            return (int) (initial() - ticks % initial());
        }
        return ticks >= initial() ? 0 : (int) (initial() - ticks);
    }

    void writeDivideConfig(int value) {
        int current = currentCount();
        boolean wasCounting = counting && mode != Mode.TSC_DEADLINE;
        divideConfig = value & 0xB;
        if (wasCounting && current != 0) {
            long now = now();
            startNanos = now - (initial() - Integer.toUnsignedLong(current)) * tickNanos();
            expiry.armAt(startNanos + initial() * tickNanos());
        }
    }

    /**
     * A new LVT timer mode. SDM 3A §11.5.4.1: switching to or from TSC-deadline mode disarms the
     * timer (initial count and deadline are cleared, as KVM does). Between one-shot and periodic
     * the count continues; the new mode decides what happens at zero (§11.5.4: a mode change does
     * not start the timer).
     */
    void setMode(Mode newMode) {
        if (newMode == mode) {
            return;
        }
        if (newMode == Mode.TSC_DEADLINE || mode == Mode.TSC_DEADLINE) {
            expiry.cancel();
            counting = false;
            initialCount = 0;
            tscDeadline = 0;
        } else if (counting && mode == Mode.PERIODIC) {
            long period = initial() * tickNanos();
            startNanos += (now() - startNanos) / period * period; // the current period's start
            expiry.armAt(startNanos + period);
        }
        mode = newMode;
    }

    /** SDM 3A §11.5.4.1: reads 0 unless in TSC-deadline mode. */
    long tscDeadline() {
        return mode == Mode.TSC_DEADLINE ? tscDeadline : 0;
    }

    /** SDM 3A §11.5.4.1: ignored outside TSC-deadline mode; 0 disarms; a past deadline fires at once. */
    void writeTscDeadline(long value) {
        if (mode != Mode.TSC_DEADLINE) {
            return;
        }
        tscDeadline = value;
        if (value == 0) {
            expiry.cancel();
        } else {
            expiry.armAt(Math.max(now(), tsc.nanosAt(value)));
        }
    }

    /**
     * Called by the APIC when the virtual timer fires. Returns true if the timer reached zero
     * (the deadline) now, i.e. the LVT timer interrupt is due. Periodic mode re-arms for the next
     * period after now (periods that passed while nobody ran time collapse into one interrupt, as
     * they would in the single IRR bit).
     */
    boolean expire() {
        long now = now();
        switch (mode) {
            case TSC_DEADLINE -> {
                if (tscDeadline == 0 || tsc.nanosAt(tscDeadline) > now) {
                    return false;
                }
                tscDeadline = 0; // the timer disarms itself and clears IA32_TSC_DEADLINE
                return true;
            }
            case PERIODIC -> {
                if (!counting) {
                    return false;
                }
                long period = initial() * tickNanos();
                long periods = (now - startNanos) / period;
                if (periods == 0) {
                    return false;
                }
                expiry.armAt(startNanos + (periods + 1) * period);
                return true;
            }
            default -> {
                if (!counting || now < startNanos + initial() * tickNanos()) {
                    return false;
                }
                counting = false;
                return true;
            }
        }
    }

    void reset() {
        expiry.cancel();
        mode = Mode.ONE_SHOT;
        initialCount = 0;
        divideConfig = 0;
        counting = false;
        tscDeadline = 0;
    }

    /** When counting started (one-shot/periodic), or {@link Long#MIN_VALUE} when not counting. */
    long startNanos() {
        return counting && mode != Mode.TSC_DEADLINE ? startNanos : Long.MIN_VALUE;
    }

    /**
     * Restores from saved registers. With {@code exactStart} (from {@link #startNanos()}) the count
     * continues exactly; without it ({@link Long#MIN_VALUE}, as from kvm_lapic_state alone, which
     * has only TMCCT) it continues from {@code currentCount} at this instant, dropping the part of a
     * tick already elapsed.
     */
    void restore(Mode mode, int initialCount, int divideConfig, int currentCount, long tscDeadline, long exactStart) {
        reset();
        this.mode = mode;
        this.initialCount = initialCount;
        this.divideConfig = divideConfig & 0xB;
        if (mode == Mode.TSC_DEADLINE) {
            this.initialCount = 0;
            writeTscDeadline(tscDeadline);
        } else if (exactStart != Long.MIN_VALUE && initialCount != 0) {
            startNanos = exactStart;
            counting = true;
            long period = initial() * tickNanos();
            long elapsed = now() - startNanos;
            expiry.armAt(mode == Mode.PERIODIC ? startNanos + (elapsed / period + 1) * period : startNanos + period);
        } else if (currentCount != 0 && initialCount != 0) {
            long ccr = Integer.toUnsignedLong(currentCount);
            startNanos = now() - (initial() - Math.min(ccr, initial())) * tickNanos();
            counting = true;
            expiry.armAt(startNanos + initial() * tickNanos());
        }
    }
}
