package dev.hvspec.machine.time;

import java.util.concurrent.atomic.AtomicLong;

/** A virtual clock moved explicitly, for device models driven by tests and scenarios. */
public final class ManualClock implements VirtualClock {
    private final AtomicLong nanos = new AtomicLong();

    @Override
    public long nanos() {
        return nanos.get();
    }

    public void advance(long deltaNanos) {
        if (deltaNanos < 0) {
            throw new IllegalArgumentException("time does not run backwards: " + deltaNanos);
        }
        nanos.addAndGet(deltaNanos);
    }
}
