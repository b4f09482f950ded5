package dev.hvspec.vmm.io;

import dev.hvspec.vmm.kvm.KvmException;
import dev.hvspec.vmm.kvm.Vm;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction.NotifyAddress;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction.NotifyRoute;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The ioeventfd fast path for virtio-pci notifications (what QEMU does with
 * {@code virtio_pci_set_host_notifier} and {@code memory_region_add_eventfd}): for every enabled
 * queue of every virtio function, the kernel layer gets a KVM_IOEVENTFD (api.rst §4.59) on the
 * queue's notify address, so the guest's notification write signals an eventfd instead of
 * exiting to userspace; the {@link IoThread} wakes and does the transport's notify write — the
 * same call the trap path makes, so every untrusted-driver rule applies unchanged.
 *
 * <p>The registrations follow the guest: {@link #update()} recomputes them after every write that
 * may move them (a BAR, the Command register, queue_enable, a device reset, a PCI reset), removes
 * the stale ones and adds the new ones. An address is registered only where the trap path would
 * deliver the write to that same function ({@code reachesFunction}: no userspace device claims it
 * and the bus decodes it to that function's BAR); everything else keeps exiting. A registration
 * the kernel refuses (say a guest programmed two BARs onto one address: EEXIST) leaves that
 * queue on the trap path.
 */
public final class VirtioIoEventFds {
    private record Key(VirtioPciFunction function, NotifyAddress address) {
    }

    private final Vm vm;
    private final IoThread io;
    private final List<VirtioPciFunction> functions = new ArrayList<>();
    private final BiPredicate<VirtioPciFunction, NotifyAddress> reachesFunction;
    private final Map<Key, Integer> registered = new LinkedHashMap<>();
    private long assignments;
    private long refusals;

    /**
     * @param reachesFunction whether a write to the address would reach this function's BAR on the
     *                        trap path (the board's bus decoding)
     */
    public VirtioIoEventFds(Vm vm, IoThread io, BiPredicate<VirtioPciFunction, NotifyAddress> reachesFunction) {
        this.vm = vm;
        this.io = io;
        this.reachesFunction = reachesFunction;
    }

    /** Puts {@code function}'s notifications on the fast path from now on. */
    public void add(VirtioPciFunction function) {
        synchronized (this) {
            functions.add(function);
        }
        function.setNotifyLayoutListener(this::update);
        update();
    }

    /** Brings the kernel's ioeventfds in line with the notify addresses the guest has set up now. */
    public synchronized void update() {
        Map<Key, NotifyRoute> wanted = new HashMap<>();
        for (VirtioPciFunction f : functions) {
            for (NotifyRoute r : f.notifyRoutes()) {
                if (reachesFunction.test(f, r.address())) {
                    wanted.put(new Key(f, r.address()), r);
                }
            }
        }
        Set<Key> stale = new HashSet<>(registered.keySet());
        stale.removeAll(wanted.keySet());
        for (Key k : stale) {
            int fd = registered.remove(k);
            deassign(k.address(), fd);
            io.unwatchAndClose(fd);
        }
        for (Map.Entry<Key, NotifyRoute> e : wanted.entrySet()) {
            if (registered.containsKey(e.getKey())) {
                continue;
            }
            int fd = io.newEventFd();
            io.watch(fd, e.getValue().deliver());
            NotifyAddress a = e.getKey().address();
            try {
                vm.ioeventfd(fd, a.address(), a.length(), a.pio(), a.datamatch(), false);
                registered.put(e.getKey(), fd);
                assignments++;
            } catch (KvmException refused) {
                refusals++;
                io.unwatchAndClose(fd);
            }
        }
    }

    private void deassign(NotifyAddress a, int fd) {
        try {
            vm.ioeventfd(fd, a.address(), a.length(), a.pio(), a.datamatch(), true);
        } catch (KvmException e) {
            // Already gone: nothing to undo.
        }
    }

    /** The addresses registered now. */
    public synchronized List<NotifyAddress> registeredAddresses() {
        return registered.keySet().stream().map(Key::address).toList();
    }

    /** KVM_IOEVENTFD assignments made so far (each move of a BAR or re-enable of a queue adds some). */
    public synchronized long assignments() {
        return assignments;
    }

    /** Registrations the kernel refused; those queues stayed on the trap path. */
    public synchronized long refusals() {
        return refusals;
    }

    /** Removes every registration (at the end of the run). */
    public synchronized void clear() {
        for (Map.Entry<Key, Integer> e : registered.entrySet()) {
            deassign(e.getKey().address(), e.getValue());
            io.unwatchAndClose(e.getValue());
        }
        registered.clear();
    }
}
