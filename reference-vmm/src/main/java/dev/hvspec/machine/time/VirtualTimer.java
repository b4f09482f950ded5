package dev.hvspec.machine.time;

/** A one-shot timer of a {@link TimerQueue}; re-arming replaces the previous deadline. */
public final class VirtualTimer {
    private final TimerQueue queue;
    final Runnable onExpiry;
    TimerQueue.Entry armedEntry; // guarded by queue

    VirtualTimer(TimerQueue queue, Runnable onExpiry) {
        this.queue = queue;
        this.onExpiry = onExpiry;
    }

    /** Arms (or re-arms) the timer to fire when virtual time reaches {@code deadlineNanos}. */
    public void armAt(long deadlineNanos) {
        queue.cancel(this);
        queue.arm(this, deadlineNanos);
    }

    /** Arms the timer {@code delayNanos} after the current virtual time. */
    public void armAfter(long delayNanos) {
        armAt(queue.clock().nanos() + delayNanos);
    }

    public void cancel() {
        queue.cancel(this);
    }

    public boolean isArmed() {
        return queue.isArmed(this);
    }

    /** The armed deadline, or {@link Long#MAX_VALUE} when disarmed. */
    public long deadline() {
        return queue.deadlineOf(this);
    }
}
