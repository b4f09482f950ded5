package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.vmm.kvm.GsiRoutingTable;
import dev.hvspec.vmm.kvm.Vm;
import dev.hvspec.vmm.pci.MsiCapability;
import dev.hvspec.vmm.pci.PciFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The irqfd fast path for the PCI MSI capability (PCI 3.0 §6.8.1; not MSI-X, which
 * {@link VirtioIrqFds} covers): what QEMU does for MSI vectors with {@code kvm_irqchip_add_msi_route}
 * and {@code kvm_irqchip_add_irqfd_notifier_gsi} (as VFIO's MSI does), instead of one
 * KVM_SIGNAL_MSI (api.rst §4.71) per message.
 *
 * <p>While MSI Enable is set, every allocated vector (2^MME of them, §6.8.1.3) gets a GSI whose MSI
 * routing entry (KVM_SET_GSI_ROUTING, api.rst §4.52) carries Message Address and the vector's
 * Message Data (the low MME bits replaced by the vector number, §6.8.1.5), and an eventfd. While
 * the vector is not masked (per-vector Mask Bits, if the capability has them, §6.8.1.7) that
 * eventfd is an irqfd of the GSI (KVM_IRQFD, §4.75): the device's message is an eventfd write
 * the kernel turns into the interrupt. Masked: the irqfd is deassigned and the capability sets the
 * Pending bit; on unmask the route takes the current address/data, the irqfd is assigned again,
 * and only then is the pending message sent (through it).
 *
 * <p>{@link #update()} runs after every write that may change this (the capability's routing
 * listener: Message Control, Address, Data, Mask Bits; a function reset). A guest rewriting the
 * address or data of an enabled vector has its route updated. MSI disabled or fewer vectors
 * allocated: irqfds deassigned, GSIs released. A GSI or irqfd the kernel refuses leaves that
 * vector on KVM_SIGNAL_MSI.
 *
 * <p>Lock order: the function's lock (the listener runs under it), then this object; nothing
 * here is called from the message path.
 */
public final class MsiIrqFds {
    private final List<PciFunction> functions = new ArrayList<>();
    private final IrqfdVectorRoutes<PciFunction> vectors;

    public MsiIrqFds(HostKernel kernel, Vm vm, GsiRoutingTable routes) {
        this.vectors = new IrqfdVectorRoutes<>(kernel, vm, routes,
                (function, vector, send) -> function.msi().setVectorIrqfd(vector, send));
    }

    /** Puts {@code function}'s MSI vectors on irqfds from now on. */
    public void add(PciFunction function) {
        if (function.msi() == null) {
            throw new IllegalArgumentException("the function has no MSI capability");
        }
        synchronized (this) {
            functions.add(function);
        }
        function.msi().setRoutingListener(this::update);
        update();
    }

    /** Brings GSIs, routes and irqfds in line with the capability's registers now. */
    public synchronized void update() {
        Map<IrqfdVectorRoutes.Key<PciFunction>, IrqfdVectorRoutes.Wanted> wanted = new HashMap<>();
        for (PciFunction f : functions) {
            MsiCapability msi = f.msi();
            if (!msi.enabled()) {
                continue; // §6.8.1.3: MSI Enable clear, the function sends no MSI message
            }
            for (int v = 0; v < msi.allocatedVectors(); v++) {
                wanted.put(new IrqfdVectorRoutes.Key<>(f, v),
                        new IrqfdVectorRoutes.Wanted(msi.messageAddress(), msi.messageData(v), !msi.masked(v)));
            }
        }
        vectors.apply(wanted);
    }

    /** The GSI routed for {@code vector} of {@code function}, or -1. */
    public synchronized int gsi(PciFunction function, int vector) {
        return vectors.gsi(function, vector);
    }

    /** Whether {@code vector} of {@code function} is an irqfd in the kernel now. */
    public synchronized boolean irqfdAssigned(PciFunction function, int vector) {
        return vectors.irqfdAssigned(function, vector);
    }

    public synchronized long irqfdAssignments() {
        return vectors.irqfdAssignments();
    }

    /** MSI routes changed because the guest rewrote Message Address or Data. */
    public synchronized long routeUpdates() {
        return vectors.routeUpdates();
    }

    public synchronized long refusals() {
        return vectors.refusals();
    }

    /** Removes every irqfd and route (at the end of the run). */
    public synchronized void clear() {
        vectors.clear();
    }
}
