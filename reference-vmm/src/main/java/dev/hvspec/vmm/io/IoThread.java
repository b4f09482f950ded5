package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The VMM's I/O thread (QEMU's iothread / main loop): it blocks in epoll_wait(2) on eventfds and
 * runs the handler of each one that became readable, after reading (and so resetting) the
 * eventfd. With ioeventfds this is where device work that a guest write started happens,
 * while the vCPU that wrote goes on running guest code.
 *
 * <p>Handlers run one at a time on this thread. A handler that throws is a VMM bug, never a guest
 * action (devices answer bad input themselves): it is reported to {@code onError} and the loop
 * goes on.
 */
public final class IoThread implements AutoCloseable {
    /** How long one epoll_wait blocks before looking at the stop flag again. */
    private static final long WAIT_MILLIS = 100;
    private static final int MAX_EVENTS = 16;

    private final HostKernel kernel;
    private final int epollFd;
    private final Map<Integer, Runnable> handlers = new ConcurrentHashMap<>();
    private final Consumer<RuntimeException> onError;
    private final AtomicLong dispatched = new AtomicLong();
    private final Thread thread;
    private volatile boolean stopping;

    public IoThread(HostKernel kernel, String name, Consumer<RuntimeException> onError) {
        this.kernel = kernel;
        this.onError = onError;
        this.epollFd = kernel.epollCreate();
        this.thread = Thread.ofPlatform().name(name).daemon(true).unstarted(this::loop);
    }

    public void start() {
        thread.start();
    }

    public HostKernel kernel() {
        return kernel;
    }

    /** A new eventfd(2) for a handler. */
    public int newEventFd() {
        return kernel.eventfd();
    }

    /** Runs {@code handler} on this thread whenever {@code eventFd} is signalled. */
    public void watch(int eventFd, Runnable handler) {
        handlers.put(eventFd, handler);
        int r = kernel.epollAdd(epollFd, eventFd, eventFd);
        if (r < 0) {
            handlers.remove(eventFd);
            throw new IllegalStateException("epoll_ctl(ADD, " + eventFd + ") = " + r);
        }
    }

    /** Stops watching {@code eventFd} and closes it. */
    public void unwatchAndClose(int eventFd) {
        kernel.epollRemove(epollFd, eventFd);
        handlers.remove(eventFd);
        kernel.close(eventFd);
    }

    /** Handler runs so far (one per readable eventfd seen, however many signals it had collected). */
    public long dispatched() {
        return dispatched.get();
    }

    private void loop() {
        while (!stopping) {
            long[] ready = kernel.epollWait(epollFd, MAX_EVENTS, WAIT_MILLIS);
            if (ready == null) {
                return; // epoll fd closed or thread interrupted
            }
            for (long data : ready) {
                int fd = (int) data;
                kernel.eventfdRead(fd);
                Runnable handler = handlers.get(fd);
                if (handler == null || stopping) {
                    continue;
                }
                dispatched.incrementAndGet();
                try {
                    handler.run();
                } catch (RuntimeException e) {
                    onError.accept(e);
                }
            }
        }
    }

    /** Stops the thread (after the handler it may be running) and closes the epoll instance. */
    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kernel.close(epollFd);
    }
}
