package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (epoll(7)) over eventfds, level-triggered as epoll is by default: an eventfd
 * is ready while its counter is non-zero (eventfd(2): "readable if the counter has a value
 * greater than 0"). A signal on a watched eventfd wakes a waiter through the eventfd's listener,
 * the way the kernel's eventfd wakes its wait queue. This is what a VMM's I/O thread blocks in.
 */
final class Epoll implements KernelFile {
    private final Map<Integer, Watch> watches = new LinkedHashMap<>();
    /** The waiter took events and has not called epoll_wait again: it is working on them. */
    private boolean working;

    private record Watch(EventFd eventfd, long data, Runnable listener) {
    }

    @Override
    public long ioctl(long request, long arg) {
        throw KvmError.of(Errno.ENOTTY, "epoll has no ioctls");
    }

    /** EPOLL_CTL_ADD with EPOLLIN: {@code data} is returned with the event. EEXIST if watched. */
    synchronized void add(int fd, EventFd eventfd, long data) {
        if (watches.containsKey(fd)) {
            throw KvmError.of(Errno.EEXIST, "fd already watched");
        }
        Runnable listener = this::wakeUp;
        watches.put(fd, new Watch(eventfd, data, listener));
        eventfd.addListener(listener);
        notifyAll(); // the new fd may already be readable
    }

    /** EPOLL_CTL_DEL. ENOENT if not watched. */
    void remove(int fd) {
        Watch w;
        synchronized (this) {
            w = watches.remove(fd);
        }
        if (w == null) {
            throw KvmError.of(Errno.ENOENT, "fd not watched");
        }
        w.eventfd().removeListener(w.listener());
    }

    private synchronized void wakeUp() {
        notifyAll();
    }

    /**
     * epoll_wait(2): the data of up to {@code max} ready fds, waiting up to {@code timeoutMillis}
     * (0 = poll, negative = forever) for one to become ready.
     */
    synchronized long[] await(int max, long timeoutMillis) throws InterruptedException {
        working = false;
        long end = timeoutMillis < 0 ? Long.MAX_VALUE : System.currentTimeMillis() + timeoutMillis;
        while (true) {
            List<Long> ready = new ArrayList<>();
            for (Watch w : watches.values()) {
                if (ready.size() < max && w.eventfd().readable()) {
                    ready.add(w.data());
                }
            }
            long left = end - System.currentTimeMillis();
            if (!ready.isEmpty() || left <= 0) {
                working = !ready.isEmpty();
                return ready.stream().mapToLong(Long::longValue).toArray();
            }
            wait(Math.min(left, Integer.MAX_VALUE));
        }
    }

    /**
     * Whether this instance has work in hand: a watched eventfd is readable, or the waiter is
     * handling the events of its last epoll_wait. (A thread doing so is running on a real host.)
     */
    synchronized boolean busy() {
        if (working) {
            return true;
        }
        for (Watch w : watches.values()) {
            if (w.eventfd().readable()) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        List<Watch> all;
        synchronized (this) {
            all = List.copyOf(watches.values());
            watches.clear();
            notifyAll();
        }
        for (Watch w : all) {
            w.eventfd().removeListener(w.listener());
        }
    }
}
