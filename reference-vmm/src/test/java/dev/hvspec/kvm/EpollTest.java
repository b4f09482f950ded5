package dev.hvspec.kvm;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * epoll over eventfds as the VMM's I/O thread uses them, against epoll(7) and eventfd(2):
 * level-triggered (an eventfd is ready while its counter is non-zero), a write wakes a waiter,
 * read(2) returns and clears the counter, EEXIST/ENOENT/EBADF for misuse.
 */
class EpollTest {
    final HostKernel host = HostKernel.modern();

    @Test
    void aReadableEventfdIsReportedUntilItIsRead() {
        int ep = host.epollCreate();
        int fd = host.eventfd();
        assertThat(host.epollAdd(ep, fd, 42)).isZero();
        assertThat(host.epollWait(ep, 8, 0)).isEmpty();
        assertThat(host.eventfdWrite(fd, 1)).isEqualTo(8);
        assertThat(host.eventfdWrite(fd, 2)).isEqualTo(8);
        assertThat(host.epollWait(ep, 8, 0)).containsExactly(42L);
        assertThat(host.epollWait(ep, 8, 0)).containsExactly(42L); // level-triggered: still readable
        assertThat(host.eventfdRead(fd)).isEqualTo(3);               // eventfd(2): the sum, then 0
        assertThat(host.epollWait(ep, 8, 0)).isEmpty();
    }

    @Test
    void aWriteFromAnotherThreadWakesTheWaiter() throws Exception {
        int ep = host.epollCreate();
        int fd = host.eventfd();
        host.epollAdd(ep, fd, 7);
        CompletableFuture<long[]> waiter = CompletableFuture.supplyAsync(() -> host.epollWait(ep, 8, 10_000));
        Thread.sleep(50);
        host.eventfdWrite(fd, 1);
        assertThat(waiter.get(10, TimeUnit.SECONDS)).containsExactly(7L);
    }

    @Test
    void theEventLoopIsBusyFromASignalUntilItWaitsAgain() {
        int ep = host.epollCreate();
        int fd = host.eventfd();
        host.epollAdd(ep, fd, fd);
        assertThat(host.eventLoopsBusy()).isFalse();
        host.eventfdWrite(fd, 1);
        assertThat(host.eventLoopsBusy()).as("readable eventfd").isTrue();
        assertThat(host.epollWait(ep, 8, 0)).hasSize(1);
        host.eventfdRead(fd);
        assertThat(host.eventLoopsBusy()).as("handling the events epoll_wait returned").isTrue();
        assertThat(host.epollWait(ep, 8, 0)).isEmpty();
        assertThat(host.eventLoopsBusy()).isFalse();
    }

    @Test
    void misuseGivesTheErrnoValues() {
        int ep = host.epollCreate();
        int fd = host.eventfd();
        assertThat(host.epollAdd(ep, fd, 1)).isZero();
        assertThat(host.epollAdd(ep, fd, 1)).isEqualTo(-17);   // EEXIST
        assertThat(host.epollRemove(ep, fd)).isZero();
        assertThat(host.epollRemove(ep, fd)).isEqualTo(-2);    // ENOENT
        assertThat(host.epollAdd(fd, ep, 1)).isEqualTo(-9);    // EBADF: not an epoll instance
        assertThat(host.epollWait(fd, 8, 0)).isNull();
    }
}
