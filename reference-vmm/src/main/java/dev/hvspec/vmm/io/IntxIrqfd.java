package dev.hvspec.vmm.io;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.vmm.kvm.KvmException;
import dev.hvspec.vmm.kvm.Vm;

import java.util.function.BooleanSupplier;

/**
 * A PCI function's INTx# pin through a resampling irqfd (KVM_IRQFD with KVM_IRQFD_FLAG_RESAMPLE,
 * api.rst §4.75; what QEMU does for an INTx line with {@code kvm_irqchip_add_irqfd_notifier_gsi}
 * and a resample notifier, as VFIO's INTx does). INTx# is level-sensitive (PCI 3.0 §2.2.6), and a
 * plain irqfd only pulses its GSI; a resampling one holds it:
 * <ul>
 *   <li>The pin rising is an eventfd write: the kernel asserts the GSI — no KVM_IRQ_LINE ioctl.</li>
 *   <li>The pin falling (the guest read ICR) needs nothing: the kernel keeps the GSI asserted
 *       until the guest's EOI at the I/O APIC or 8259A, then de-asserts it itself and signals the
 *       resamplefd.</li>
 *   <li>On the resamplefd the I/O thread looks at the device again ({@code pinAsserted}: for the
 *       82540EM, ICR &amp; IMS after throttling, gated by the Command register's Interrupt
 *       Disable, 8254x SDM §13.4.17) and writes the irqfd again if it still asserts — a cause that
 *       arrived while the first interrupt was in service is not lost.</li>
 * </ul>
 * If the kernel refuses the irqfd, the pin stays on {@code fallback} (KVM_IRQ_LINE).
 *
 * <p>The GSI may stay asserted after the device de-asserted until the next EOI (the guest sees at
 * most one interrupt whose ICR reads 0, which drivers of shared lines already accept).
 */
public final class IntxIrqfd implements IrqLine {
    private final HostKernel kernel;
    private final Vm vm;
    private final IoThread io;
    private final int gsi;
    private final IrqLine fallback;
    private volatile BooleanSupplier pinAsserted = () -> false;
    private final int irqfd;
    private final int resamplefd;
    private final boolean active;
    private volatile long reassertions;

    /**
     * @param gsi      the GSI the pin reaches (its ISA IRQ on the PC's routing)
     * @param fallback the KVM_IRQ_LINE path, used when the kernel refuses the irqfd
     */
    public IntxIrqfd(HostKernel kernel, Vm vm, IoThread io, int gsi, IrqLine fallback) {
        this.kernel = kernel;
        this.vm = vm;
        this.io = io;
        this.gsi = gsi;
        this.fallback = fallback;
        this.irqfd = kernel.eventfd();
        this.resamplefd = io.newEventFd();
        boolean ok;
        try {
            vm.resamplingIrqfd(irqfd, gsi, resamplefd);
            io.watch(resamplefd, this::resampled);
            ok = true;
        } catch (KvmException refused) {
            kernel.close(resamplefd);
            ok = false;
        }
        this.active = ok;
    }

    /** Where the device's current pin state is read when the kernel resamples (PciFunction.intxAsserted). */
    public void setPinState(BooleanSupplier pinAsserted) {
        this.pinAsserted = pinAsserted;
    }

    @Override
    public void setLevel(boolean asserted) {
        if (!active) {
            fallback.setLevel(asserted);
        } else if (asserted) {
            kernel.eventfdWrite(irqfd, 1);
        }
        // De-assertion: the kernel releases the GSI at the EOI (api.rst §4.75).
    }

    /** The resamplefd fired (I/O thread): the GSI is de-asserted; assert it again if the device still does. */
    private void resampled() {
        if (pinAsserted.getAsBoolean()) {
            reassertions++;
            kernel.eventfdWrite(irqfd, 1);
        }
    }

    /** Whether the pin goes through the irqfd (false: the kernel refused, KVM_IRQ_LINE is used). */
    public boolean active() {
        return active;
    }

    public int gsi() {
        return gsi;
    }

    /** Resamples after which the device still asserted, so the irqfd was written again. */
    public long reassertions() {
        return reassertions;
    }

    /** Deassigns the irqfd (the kernel releases the GSI) and closes both eventfds. */
    public void close() {
        if (active) {
            try {
                vm.irqfd(irqfd, gsi, true);
            } catch (KvmException e) {
                // Already gone.
            }
            io.unwatchAndClose(resamplefd);
        }
        kernel.close(irqfd);
    }
}
