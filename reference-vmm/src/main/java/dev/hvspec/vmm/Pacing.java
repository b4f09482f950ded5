package dev.hvspec.vmm;

/**
 * How the guest's virtual time relates to the host's ({@code hvspec run --pace}).
 */
public enum Pacing {
    /**
     * Time follows retired instructions (1 ns each) and a halted machine skips to its next timer
     * deadline: a run is reproducible and never waits for the host's clock (the default).
     */
    VIRTUAL,
    /**
     * As {@link #VIRTUAL}, but virtual time is never let ahead of the host's monotonic clock since
     * the run started: a vCPU that gets ahead sleeps, and a halted machine waits for the host's
     * clock to reach its next deadline instead of skipping. An interpreter slower than 1 GHz is
     * not made faster: time then still lags the host's.
     */
    WALLCLOCK;

    /** {@code virtual} or {@code wallclock}. */
    public static Pacing parse(String name) {
        return switch (name) {
            case "virtual" -> VIRTUAL;
            case "wallclock" -> WALLCLOCK;
            default -> throw new IllegalArgumentException("must be virtual or wallclock, got '" + name + "'");
        };
    }
}
