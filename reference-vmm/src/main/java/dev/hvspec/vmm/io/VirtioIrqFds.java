package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.vmm.kvm.GsiRoutingTable;
import dev.hvspec.vmm.kvm.Vm;
import dev.hvspec.vmm.pci.MsixCapability;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The irqfd fast path for virtio-pci MSI-X interrupts (what QEMU does with KVM in
 * {@code kvm_virtio_pci_vector_use}, {@code kvm_virtio_pci_vq_vector_unmask} and
 * {@code kvm_virtio_pci_vq_vector_mask}): every MSI-X vector a function uses (config_msix_vector,
 * queue_msix_vector, virtio 1.3 §4.1.5.1.2) gets a GSI with an MSI routing entry carrying the
 * table entry's address and data (KVM_SET_GSI_ROUTING, api.rst §4.52) and an eventfd; while the
 * vector is unmasked that eventfd is an irqfd of the GSI (KVM_IRQFD, api.rst §4.75), and the
 * device's message is an eventfd write the kernel turns into the interrupt — no KVM_SIGNAL_MSI,
 * no exit.
 *
 * <p>Everything follows the guest; {@link #update()} runs after every write that may change it
 * (the {@link MsixCapability#setRoutingListener routing listener}):
 * <ul>
 *   <li>A vector masked by its Mask Bit or the Function Mask (PCI 3.0 §6.8.2.9, §6.8.2.3): the
 *       irqfd is deassigned and the device goes back to {@link MsixCapability}, which sets the
 *       pending bit in the PBA instead of sending (§6.8.2.10). Unmasked: the route takes the
 *       entry's current address and data if they changed (the guest rewrites an entry while it is
 *       masked, §6.8.2.9), the irqfd is assigned again, and only then is a pending message sent —
 *       through the irqfd.</li>
 *   <li>MSI-X disabled, a vector no longer used (queue or config vector rewritten, a device reset
 *       unmapping every vector, §4.1.5.1.2.1), a function reset: irqfd deassigned, GSI released.</li>
 * </ul>
 * A GSI or irqfd the kernel refuses leaves that vector on the KVM_SIGNAL_MSI path.
 *
 * <p>Lock order: this object, then the MSI-X table; nothing here takes a device's core or function
 * lock, so the listener may run from under them.
 */
public final class VirtioIrqFds {
    private final List<VirtioPciFunction> functions = new ArrayList<>();
    private final IrqfdVectorRoutes<VirtioPciFunction> vectors;

    public VirtioIrqFds(HostKernel kernel, Vm vm, GsiRoutingTable routes) {
        this.vectors = new IrqfdVectorRoutes<>(kernel, vm, routes, (function, vector, send) -> {
            if (vector < function.msix().vectors()) { // a vector the table no longer has needs no reset
                function.msix().setVectorIrqfd(vector, send);
            }
        });
    }

    /** Puts {@code function}'s MSI-X vectors on irqfds from now on. */
    public void add(VirtioPciFunction function) {
        synchronized (this) {
            functions.add(function);
        }
        function.msix().setRoutingListener(this::update);
        update();
    }

    /** Brings GSIs, routes and irqfds in line with the vectors and table entries the guest has now. */
    public synchronized void update() {
        Map<IrqfdVectorRoutes.Key<VirtioPciFunction>, IrqfdVectorRoutes.Wanted> wanted = new HashMap<>();
        for (VirtioPciFunction f : functions) {
            MsixCapability msix = f.msix();
            if (!msix.enabled()) {
                continue; // §6.8.2.3: MSI-X Enable clear, the function sends no MSI-X message
            }
            boolean functionMasked = msix.functionMasked();
            for (int v : f.msixVectorsInUse()) {
                wanted.put(new IrqfdVectorRoutes.Key<>(f, v), new IrqfdVectorRoutes.Wanted(msix.messageAddress(v),
                        msix.messageData(v), !functionMasked && !msix.vectorMasked(v)));
            }
        }
        vectors.apply(wanted);
    }

    /** The GSI routed for {@code vector} of {@code function}, or -1 if it has none. */
    public synchronized int gsi(VirtioPciFunction function, int vector) {
        return vectors.gsi(function, vector);
    }

    /** Whether {@code vector} of {@code function} is an irqfd in the kernel now. */
    public synchronized boolean irqfdAssigned(VirtioPciFunction function, int vector) {
        return vectors.irqfdAssigned(function, vector);
    }

    /** KVM_IRQFD assignments made so far (every unmask after a mask adds one). */
    public synchronized long irqfdAssignments() {
        return vectors.irqfdAssignments();
    }

    /** GSIs or irqfds the kernel refused; those vectors stayed on KVM_SIGNAL_MSI. */
    public synchronized long refusals() {
        return vectors.refusals();
    }

    /** Removes every irqfd and route (at the end of the run). */
    public synchronized void clear() {
        vectors.clear();
    }
}
