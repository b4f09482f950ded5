package dev.hvspec.kvm;

import java.util.ArrayList;
import java.util.List;

/**
 * The resampler of one GSI shared by its resampling irqfds (KVM_IRQFD with KVM_IRQFD_FLAG_RESAMPLE,
 * api.rst §4.75; KVM's {@code kvm_kernel_irqfd_resampler}). A write to such an irqfd only
 * <em>asserts</em> the GSI, from one source all resamplers share; when the irqchip reports the
 * interrupt acknowledged (an EOI at the I/O APIC or the 8259A: {@link #acked()}), the GSI is
 * de-asserted and every resamplefd is signalled. Userspace then looks at its device again and
 * writes the irqfd once more if the device still wants service.
 *
 * <p>Thread-safety: the list is guarded by this object; the irqchip is called without it held.
 */
final class IrqfdResampler {
    private final InKernelIrqchip chip;
    private final int gsi;
    private final KvmStats stats;
    private final List<EventFd> resampleFds = new ArrayList<>();

    IrqfdResampler(InKernelIrqchip chip, int gsi, KvmStats stats) {
        this.chip = chip;
        this.gsi = gsi;
        this.stats = stats;
    }

    int gsi() {
        return gsi;
    }

    synchronized void add(EventFd resampleFd) {
        resampleFds.add(resampleFd);
    }

    /** Removes one irqfd's resamplefd; true when none is left (the resampler goes away). */
    synchronized boolean remove(EventFd resampleFd) {
        resampleFds.remove(resampleFd);
        return resampleFds.isEmpty();
    }

    /** api.rst §4.75: "posting of an interrupt through kvm_irq.fd asserts the specified gsi". */
    void assertLine() {
        chip.setIrq(InKernelIrqchip.SOURCE_IRQFD_RESAMPLE, gsi, true);
    }

    /** The last irqfd went away: the line it held is released. */
    void deassertLine() {
        chip.setIrq(InKernelIrqchip.SOURCE_IRQFD_RESAMPLE, gsi, false);
    }

    /**
     * api.rst §4.75: "When the irqchip is resampled, such as from an EOI, the gsi is de-asserted
     * and the user is notified via kvm_irqfd.resamplefd" — de-assert first, then notify, so a
     * re-assertion by userspace is never undone.
     */
    void acked() {
        List<EventFd> fds;
        synchronized (this) {
            fds = List.copyOf(resampleFds);
        }
        deassertLine();
        stats.count(KvmStats.IRQFD_RESAMPLES);
        for (EventFd fd : fds) {
            fd.signal(1);
        }
    }
}
