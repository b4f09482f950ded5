package dev.hvspec.machine.time;

import java.util.PriorityQueue;

/**
 * A deterministic queue of one-shot timers on a {@link VirtualClock}. Whoever drives time (the
 * vCPU run loop, a test) calls {@link #runExpired()} after the clock moved; timers then fire in
 * deadline order, ties broken by arming order, so runs are reproducible.
 *
 * <p>Thread-safety: all methods synchronise on the queue, callbacks run without the lock held.
 */
public final class TimerQueue {
    private final VirtualClock clock;
    private final PriorityQueue<Entry> queue = new PriorityQueue<>();
    private long sequence;

    public TimerQueue(VirtualClock clock) {
        this.clock = clock;
    }

    public VirtualClock clock() {
        return clock;
    }

    /** A new, disarmed timer that calls {@code onExpiry} when its deadline is reached. */
    public VirtualTimer newTimer(Runnable onExpiry) {
        return new VirtualTimer(this, onExpiry);
    }

    /** The earliest armed deadline, or {@link Long#MAX_VALUE} if none is armed. */
    public synchronized long nextDeadline() {
        Entry head = queue.peek();
        return head == null ? Long.MAX_VALUE : head.deadline;
    }

    /** Fires every timer whose deadline is at or before the clock's current time. */
    public void runExpired() {
        while (true) {
            Runnable action;
            synchronized (this) {
                Entry head = queue.peek();
                if (head == null || head.deadline > clock.nanos()) {
                    return;
                }
                queue.poll();
                if (head.timer.armedEntry != head) {
                    continue; // re-armed or cancelled since
                }
                head.timer.armedEntry = null;
                action = head.timer.onExpiry;
            }
            action.run();
        }
    }

    synchronized void arm(VirtualTimer timer, long deadline) {
        Entry entry = new Entry(deadline, sequence++, timer);
        timer.armedEntry = entry;
        queue.add(entry);
    }

    synchronized void cancel(VirtualTimer timer) {
        if (timer.armedEntry != null) {
            queue.remove(timer.armedEntry);
            timer.armedEntry = null;
        }
    }

    synchronized boolean isArmed(VirtualTimer timer) {
        return timer.armedEntry != null;
    }

    synchronized long deadlineOf(VirtualTimer timer) {
        return timer.armedEntry == null ? Long.MAX_VALUE : timer.armedEntry.deadline;
    }

    record Entry(long deadline, long sequence, VirtualTimer timer) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry o) {
            int c = Long.compare(deadline, o.deadline);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }
}
