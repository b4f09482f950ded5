package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.vmm.kvm.GsiRoutingTable;
import dev.hvspec.vmm.kvm.KvmException;
import dev.hvspec.vmm.kvm.Vm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bookkeeping both message-signalled fast paths share ({@link MsiIrqFds} for the MSI
 * capability, {@link VirtioIrqFds} for virtio-pci MSI-X): per wanted vector a GSI with an MSI
 * routing entry (KVM_SET_GSI_ROUTING, api.rst §4.52) and an eventfd that is an irqfd of that GSI
 * (KVM_IRQFD, §4.75) while the vector is unmasked. Given the vectors the guest wants now,
 * {@link #apply} allocates, re-routes, assigns, deassigns and releases; the owner says where a
 * vector's messages go (the irqfd's eventfd, or back to its capability) through a {@link Sink}.
 * A GSI or irqfd the kernel refuses leaves that vector on KVM_SIGNAL_MSI.
 *
 * <p>Not thread-safe: the owner calls it under its own lock.
 *
 * @param <F> the function type whose vectors are routed
 */
final class IrqfdVectorRoutes<F> {
    /** A vector of a function. */
    record Key<F>(F function, int vector) {
    }

    /** What the guest has programmed for a vector now. */
    record Wanted(long address, int data, boolean unmasked) {
    }

    /** Where a vector's messages go: {@code send} writes its irqfd, or null for the capability's own path. */
    interface Sink<F> {
        void setVectorIrqfd(F function, int vector, Runnable send);
    }

    /** One vector's GSI, the message its route carries, its eventfd and whether that is an irqfd now. */
    private static final class VectorRoute {
        final int gsi;
        final int eventFd;
        long address;
        int data;
        boolean irqfd;

        VectorRoute(int gsi, int eventFd, long address, int data) {
            this.gsi = gsi;
            this.eventFd = eventFd;
            this.address = address;
            this.data = data;
        }
    }

    private final HostKernel kernel;
    private final Vm vm;
    private final GsiRoutingTable routes;
    private final Sink<F> sink;
    private final Map<Key<F>, VectorRoute> assigned = new LinkedHashMap<>();
    private long irqfdAssignments;
    private long routeUpdates;
    private long refusals;

    IrqfdVectorRoutes(HostKernel kernel, Vm vm, GsiRoutingTable routes, Sink<F> sink) {
        this.kernel = kernel;
        this.vm = vm;
        this.routes = routes;
        this.sink = sink;
    }

    /** Brings GSIs, routes and irqfds in line with {@code wanted}; vectors not in it are released. */
    void apply(Map<Key<F>, Wanted> wanted) {
        for (Key<F> k : List.copyOf(assigned.keySet())) {
            if (!wanted.containsKey(k)) {
                release(k, assigned.remove(k));
            }
        }
        wanted.forEach(this::follow);
    }

    private void follow(Key<F> k, Wanted w) {
        VectorRoute r = assigned.get(k);
        if (r == null) {
            int gsi = routes.addMsiRoute(w.address(), w.data());
            if (gsi < 0) {
                refusals++;
                return;
            }
            r = new VectorRoute(gsi, kernel.eventfd(), w.address(), w.data());
            assigned.put(k, r);
        }
        if (!w.unmasked()) {
            if (r.irqfd) {
                // Masked: the capability sets its pending bit itself from now on (PCI 3.0 §6.8.1.7, §6.8.2.9).
                sink.setVectorIrqfd(k.function(), k.vector(), null);
                deassign(r);
            }
            return;
        }
        if (r.address != w.address() || r.data != w.data()) {
            if (!routes.updateMsiRoute(r.gsi, w.address(), w.data())) {
                // The kernel kept the old message: back to KVM_SIGNAL_MSI, which sends the new one.
                refusals++;
                sink.setVectorIrqfd(k.function(), k.vector(), null);
                if (r.irqfd) {
                    deassign(r);
                }
                return;
            }
            r.address = w.address();
            r.data = w.data();
            routeUpdates++;
        }
        if (!r.irqfd) {
            try {
                vm.irqfd(r.eventFd, r.gsi, false);
            } catch (KvmException refused) {
                refusals++;
                return;
            }
            r.irqfd = true;
            irqfdAssignments++;
            int fd = r.eventFd;
            sink.setVectorIrqfd(k.function(), k.vector(), () -> kernel.eventfdWrite(fd, 1));
        }
    }

    private void release(Key<F> k, VectorRoute r) {
        sink.setVectorIrqfd(k.function(), k.vector(), null);
        if (r.irqfd) {
            deassign(r);
        }
        kernel.close(r.eventFd);
        routes.releaseMsiRoute(r.gsi);
    }

    private void deassign(VectorRoute r) {
        try {
            vm.irqfd(r.eventFd, r.gsi, true);
        } catch (KvmException e) {
            // Already gone: nothing to undo.
        }
        r.irqfd = false;
    }

    int gsi(F function, int vector) {
        VectorRoute r = assigned.get(new Key<>(function, vector));
        return r == null ? -1 : r.gsi;
    }

    boolean irqfdAssigned(F function, int vector) {
        VectorRoute r = assigned.get(new Key<>(function, vector));
        return r != null && r.irqfd;
    }

    long irqfdAssignments() {
        return irqfdAssignments;
    }

    long routeUpdates() {
        return routeUpdates;
    }

    long refusals() {
        return refusals;
    }

    /** Removes every irqfd and route. */
    void clear() {
        assigned.forEach(this::release);
        assigned.clear();
    }
}
