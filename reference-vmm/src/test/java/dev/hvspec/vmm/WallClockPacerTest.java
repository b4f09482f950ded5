package dev.hvspec.vmm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The arithmetic of --pace wallclock on a host clock the test moves by hand (no waiting, no timing). */
class WallClockPacerTest {
    private final AtomicLong host = new AtomicLong(5_000_000_000L);

    @Test
    void virtualTimeMayRunAsFarAsTheHostClockHasSinceTheStart() {
        WallClockPacer pacer = new WallClockPacer(host::get, 700);
        assertThat(pacer.allowedGuestTime()).isEqualTo(700);
        host.addAndGet(2_500_000);
        assertThat(pacer.allowedGuestTime()).isEqualTo(700 + 2_500_000);
    }

    @Test
    void aGuestAheadOfTheHostClockWaitsTheDifferenceAndABehindOneDoesNot() {
        WallClockPacer pacer = new WallClockPacer(host::get, 0);
        host.addAndGet(1_000_000);
        assertThat(pacer.delayBefore(3_000_000)).isEqualTo(2_000_000);
        assertThat(pacer.delayBefore(1_000_000)).isZero();
        assertThat(pacer.delayBefore(400_000)).isZero();
        host.addAndGet(2_000_000);
        assertThat(pacer.delayBefore(3_000_000)).isZero();
    }

    @Test
    void awaitReturnsAtOnceWhenTheRunHasEnded() throws InterruptedException {
        WallClockPacer pacer = new WallClockPacer(host::get, 0);
        pacer.await(Long.MAX_VALUE / 2, () -> true); // would otherwise sleep for centuries
        assertThat(pacer.delayBefore(Long.MAX_VALUE / 2)).isPositive();
    }

    @Test
    void pacingNamesParse() {
        assertThat(Pacing.parse("virtual")).isEqualTo(Pacing.VIRTUAL);
        assertThat(Pacing.parse("wallclock")).isEqualTo(Pacing.WALLCLOCK);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Pacing.parse("fast"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
