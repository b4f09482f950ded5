package dev.hvspec.machine.time;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TimerQueueTest {
    private final ManualClock clock = new ManualClock();
    private final TimerQueue queue = new TimerQueue(clock);
    private final List<String> fired = new ArrayList<>();

    @Test
    void firesInDeadlineOrderThenArmingOrder() {
        VirtualTimer late = queue.newTimer(() -> fired.add("late"));
        VirtualTimer early = queue.newTimer(() -> fired.add("early"));
        VirtualTimer tie = queue.newTimer(() -> fired.add("tie"));
        late.armAt(300);
        early.armAt(100);
        tie.armAt(300);

        clock.advance(99);
        queue.runExpired();
        assertThat(fired).isEmpty();
        assertThat(queue.nextDeadline()).isEqualTo(100);

        clock.advance(201);
        queue.runExpired();
        assertThat(fired).containsExactly("early", "late", "tie");
        assertThat(queue.nextDeadline()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rearmingReplacesTheDeadlineAndCancelDisarms() {
        VirtualTimer t = queue.newTimer(() -> fired.add("t"));
        t.armAt(10);
        t.armAt(50);
        assertThat(t.deadline()).isEqualTo(50);
        clock.advance(20);
        queue.runExpired();
        assertThat(fired).isEmpty();
        t.cancel();
        assertThat(t.isArmed()).isFalse();
        clock.advance(100);
        queue.runExpired();
        assertThat(fired).isEmpty();
    }

    @Test
    void aCallbackMayRearmItsOwnTimer() {
        VirtualTimer[] self = new VirtualTimer[1];
        self[0] = queue.newTimer(() -> {
            fired.add("tick@" + clock.nanos());
            if (fired.size() < 3) {
                self[0].armAfter(10);
            }
        });
        self[0].armAt(10);
        for (int i = 0; i < 5; i++) {
            clock.advance(10);
            queue.runExpired();
        }
        assertThat(fired).containsExactly("tick@10", "tick@20", "tick@30");
    }
}
