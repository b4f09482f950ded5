package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;

import java.util.ArrayList;
import java.util.List;

/**
 * An eventfd(2): a 64-bit counter that writes add to and reads take (and reset). KVM uses them
 * in both directions: the kernel signals an ioeventfd when the guest writes a matching address,
 * and userspace (or another kernel object) signals an irqfd to raise an interrupt.
 */
final class EventFd implements KernelFile {
    private long counter;
    private final List<Runnable> listeners = new ArrayList<>();

    @Override
    public long ioctl(long request, long arg) {
        throw KvmError.of(Errno.ENOTTY, "eventfd has no ioctls");
    }

    /** write(2) of an 8-byte value: adds it and wakes listeners (irqfd consumers). */
    void signal(long value) {
        List<Runnable> toRun;
        synchronized (this) {
            counter += value;
            notifyAll();
            toRun = List.copyOf(listeners);
        }
        for (Runnable r : toRun) {
            r.run();
        }
    }

    /** read(2): returns and clears the counter; 0 means "would block" for a non-blocking fd. */
    synchronized long take() {
        long value = counter;
        counter = 0;
        return value;
    }

    /** eventfd(2): readable (for poll and epoll) while the counter is greater than 0. */
    synchronized boolean readable() {
        return counter > 0;
    }

    synchronized long takeBlocking(long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (counter == 0) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return 0;
            }
            wait(left);
        }
        return take();
    }

    synchronized void addListener(Runnable listener) {
        listeners.add(listener);
    }

    synchronized void removeListener(Runnable listener) {
        listeners.remove(listener);
    }
}
