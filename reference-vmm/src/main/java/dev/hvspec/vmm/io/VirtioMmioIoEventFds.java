package dev.hvspec.vmm.io;

import dev.hvspec.vmm.kvm.KvmException;
import dev.hvspec.vmm.kvm.Vm;
import dev.hvspec.vmm.virtio.mmio.VirtioMmioDevice;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The ioeventfd fast path for virtio-mmio (what QEMU's virtio-mmio does with
 * {@code virtio_mmio_ioeventfd_assign}: {@code memory_region_add_eventfd} on QueueNotify, 4 bytes,
 * datamatch = queue index). QueueNotify sits at offset 050h of the register block (virtio 1.3
 * §4.2.2), and the driver writes the queue's index there; the kernel layer gets one KVM_IOEVENTFD
 * (api.rst §4.59) per queue at base + 050h, length 4, with the index as datamatch, so a
 * notification signals an eventfd instead of exiting, and the {@link IoThread} makes the same
 * QueueNotify write the trap path would ({@link VirtioMmioDevice#deliverQueueNotify}). A write of
 * any other value (another width, an unknown queue) matches no datamatch and still exits.
 *
 * <p>Registrations follow the device ({@link VirtioMmioDevice#ioEventFdQueues()}): they appear at
 * DRIVER_OK and go away when the driver resets the device (status 0) or disables or resets a
 * queue. A registration the kernel refuses leaves that queue on the trap path.
 */
public final class VirtioMmioIoEventFds {
    private record Key(VirtioMmioDevice device, long base, int queue) {
        long address() {
            return base + VirtioMmioDevice.QUEUE_NOTIFY;
        }
    }

    /** QueueNotify is a 32-bit register (§4.2.2.2: 32-bit wide, aligned accesses). */
    static final int LENGTH = 4;

    private final Vm vm;
    private final IoThread io;
    private final Map<VirtioMmioDevice, Long> devices = new LinkedHashMap<>();
    private final Map<Key, Integer> registered = new LinkedHashMap<>();
    private long assignments;
    private long refusals;

    public VirtioMmioIoEventFds(Vm vm, IoThread io) {
        this.vm = vm;
        this.io = io;
    }

    /** Puts the notifications of {@code device}, whose register block is at {@code base}, on the fast path. */
    public void add(VirtioMmioDevice device, long base) {
        synchronized (this) {
            devices.put(device, base);
        }
        device.setNotifyLayoutListener(this::update);
        update();
    }

    /** Brings the kernel's ioeventfds in line with the queues the devices have ready now. */
    public synchronized void update() {
        Set<Key> wanted = new HashSet<>();
        devices.forEach((device, base) -> {
            for (int q : device.ioEventFdQueues()) {
                wanted.add(new Key(device, base, q));
            }
        });
        for (Key k : List.copyOf(registered.keySet())) {
            if (!wanted.contains(k)) {
                int fd = registered.remove(k);
                deassign(k, fd);
                io.unwatchAndClose(fd);
            }
        }
        for (Key k : wanted) {
            if (!registered.containsKey(k)) {
                assign(k);
            }
        }
    }

    /** One queue's KVM_IOEVENTFD: MMIO, base + QueueNotify, 4 bytes, datamatch = the queue index. */
    private void assign(Key k) {
        int fd = io.newEventFd();
        io.watch(fd, () -> k.device().deliverQueueNotify(k.queue()));
        try {
            vm.ioeventfd(fd, k.address(), LENGTH, false, (long) k.queue(), false);
            registered.put(k, fd);
            assignments++;
        } catch (KvmException refused) {
            refusals++;
            io.unwatchAndClose(fd);
        }
    }

    private void deassign(Key k, int fd) {
        try {
            vm.ioeventfd(fd, k.address(), LENGTH, false, (long) k.queue(), true);
        } catch (KvmException e) {
            // Already gone.
        }
    }

    /** The queue indices registered now for {@code device}. */
    public synchronized List<Integer> registeredQueues(VirtioMmioDevice device) {
        List<Integer> out = new ArrayList<>();
        for (Key k : registered.keySet()) {
            if (k.device() == device) {
                out.add(k.queue());
            }
        }
        out.sort(null);
        return out;
    }

    public synchronized long assignments() {
        return assignments;
    }

    public synchronized long refusals() {
        return refusals;
    }

    /** Removes every registration (at the end of the run). */
    public synchronized void clear() {
        registered.forEach((k, fd) -> {
            deassign(k, fd);
            io.unwatchAndClose(fd);
        });
        registered.clear();
    }
}
