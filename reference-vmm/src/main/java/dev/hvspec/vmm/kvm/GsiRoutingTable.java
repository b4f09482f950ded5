package dev.hvspec.vmm.kvm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The VMM's copy of the kernel's GSI routing table (QEMU's {@code KVMState.irq_routes} with
 * {@code kvm_irqchip_add_msi_route}, {@code kvm_irqchip_update_msi_route},
 * {@code kvm_irqchip_release_virq} and {@code kvm_irqchip_commit_routes}). KVM_SET_GSI_ROUTING
 * (api.rst §4.52) replaces the whole table, so every change sends the irqchip pins the board set
 * up plus every MSI route allocated now.
 *
 * <p>MSI routes take the lowest free GSI above the irqchip pins (QEMU's {@code kvm_irqchip_get_virq}
 * does the same), below KVM_MAX_IRQ_ROUTES.
 */
public final class GsiRoutingTable {
    /** KVM_MAX_IRQ_ROUTES in Linux 6.1: GSIs must stay below it. */
    public static final int MAX_ROUTES = 4096;

    private final Vm vm;
    private final List<Vm.IrqchipRoute> pins;
    private final int firstMsiGsi;
    private final Map<Integer, Vm.MsiRoute> msi = new TreeMap<>();
    private long commits;

    /** The table with the board's irqchip pins, sent to the kernel now. */
    public GsiRoutingTable(Vm vm, List<Vm.IrqchipRoute> pins) {
        this.vm = vm;
        this.pins = List.copyOf(pins);
        this.firstMsiGsi = pins.stream().mapToInt(Vm.IrqchipRoute::gsi).max().orElse(-1) + 1;
        commit();
    }

    /**
     * A new GSI routed to the message {@code address}/{@code data}; -1 when all GSIs are taken or
     * the kernel refused the table (which then stays as it was).
     */
    public synchronized int addMsiRoute(long address, int data) {
        for (int gsi = firstMsiGsi; gsi < MAX_ROUTES; gsi++) {
            if (!msi.containsKey(gsi)) {
                msi.put(gsi, new Vm.MsiRoute(gsi, address, data));
                if (!tryCommit()) {
                    msi.remove(gsi);
                    return -1;
                }
                return gsi;
            }
        }
        return -1;
    }

    /**
     * Changes the message of an MSI route (the guest rewrote its MSI-X table entry); false if the
     * kernel refused the table, which then keeps the old message.
     */
    public synchronized boolean updateMsiRoute(int gsi, long address, int data) {
        Vm.MsiRoute now = new Vm.MsiRoute(gsi, address, data);
        Vm.MsiRoute old = msi.get(gsi);
        if (old == null || now.equals(old)) {
            return old != null;
        }
        msi.put(gsi, now);
        if (!tryCommit()) {
            msi.put(gsi, old);
            return false;
        }
        return true;
    }

    /** Frees an MSI route's GSI. */
    public synchronized void releaseMsiRoute(int gsi) {
        if (msi.remove(gsi) != null) {
            tryCommit(); // a smaller table than one the kernel took: a refusal leaves a harmless route
        }
    }

    /** The MSI route of {@code gsi}, or null. */
    public synchronized Vm.MsiRoute msiRoute(int gsi) {
        return msi.get(gsi);
    }

    /** The MSI routes allocated now, by GSI. */
    public synchronized List<Vm.MsiRoute> msiRoutes() {
        return List.copyOf(msi.values());
    }

    /** KVM_SET_GSI_ROUTING calls made so far (the first one included). */
    public synchronized long commits() {
        return commits;
    }

    private boolean tryCommit() {
        try {
            commit();
            return true;
        } catch (KvmException | IllegalArgumentException refused) {
            return false; // the kernel's error, or more routes than one ioctl argument holds
        }
    }

    private void commit() {
        List<Vm.GsiRoute> all = new ArrayList<>(pins);
        all.addAll(msi.values());
        vm.setGsiRouting(all);
        commits++;
    }
}
