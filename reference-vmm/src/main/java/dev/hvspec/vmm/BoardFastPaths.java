package dev.hvspec.vmm;

import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.vmm.e1000.Intel82540EM;
import dev.hvspec.vmm.io.IntxIrqfd;
import dev.hvspec.vmm.io.IoThread;
import dev.hvspec.vmm.io.MsiIrqFds;
import dev.hvspec.vmm.io.VirtioIoEventFds;
import dev.hvspec.vmm.io.VirtioIrqFds;
import dev.hvspec.vmm.io.VirtioMmioIoEventFds;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.PciFunction;
import dev.hvspec.vmm.virtio.mmio.VirtioMmioDevice;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * The board's fast paths once {@link PcBoard#useIoEventFds()} turned them on (QEMU's
 * {@code ioeventfd=on} with KVM's irqfds): a VMM I/O thread, and, as far as the kernel offers them,
 * <ul>
 *   <li>KVM_IOEVENTFD for virtio-pci notify addresses ({@link VirtioIoEventFds}) and virtio-mmio
 *       QueueNotify ({@link VirtioMmioIoEventFds}) — KVM_CAP_IOEVENTFD;</li>
 *   <li>irqfds on MSI routes for virtio-pci MSI-X ({@link VirtioIrqFds}) and for any function's
 *       MSI capability ({@link MsiIrqFds}) — KVM_CAP_IRQFD with the board routing GSIs
 *       (KVM_CAP_IRQ_ROUTING, in-kernel irqchip);</li>
 *   <li>a resampling irqfd for the 82540EM's INTA# ({@link IntxIrqfd}) — KVM_CAP_IRQFD_RESAMPLE
 *       with the in-kernel irqchip (with the userspace irqchip the VMM drives its own 8259A/I/O
 *       APIC, so the pin keeps its direct path).</li>
 * </ul>
 */
final class BoardFastPaths implements AutoCloseable {
    private final PcBoard board;
    final IoThread ioThread;
    final VirtioIoEventFds ioEventFds;
    final VirtioMmioIoEventFds mmioIoEventFds;
    /** Null unless the kernel has KVM_CAP_IRQFD and the board routes GSIs. */
    final VirtioIrqFds irqFds;
    final MsiIrqFds msiIrqFds;
    private final boolean resamplingIntx;
    private final List<IntxIrqfd> intxIrqfds = new ArrayList<>();
    /** The function being attached, while the host bridge asks the board for its INTx# wire. */
    private PciFunction attaching;
    /** The resampling irqfd made for {@link #attaching}, wired to its pin state once attached. */
    private IntxIrqfd attachingIntx;

    BoardFastPaths(PcBoard board) {
        this.board = board;
        ioThread = new IoThread(board.kernel, "iothread", e -> board.finish(new RunResult(RunResult.Reason.GUEST_ERROR, 0,
                "I/O thread: " + e)));
        ioEventFds = new VirtioIoEventFds(board.vm, ioThread, this::reachesFunction);
        mmioIoEventFds = new VirtioMmioIoEventFds(board.vm, ioThread);
        boolean irqfds = board.gsiRoutes() != null && board.kvm.has(KvmCap.IRQFD);
        irqFds = irqfds ? new VirtioIrqFds(board.kernel, board.vm, board.gsiRoutes()) : null;
        msiIrqFds = irqfds ? new MsiIrqFds(board.kernel, board.vm, board.gsiRoutes()) : null;
        resamplingIntx = board.chipset == null && board.kvm.has(KvmCap.IRQFD) && board.kvm.has(KvmCap.IRQFD_RESAMPLE);
        board.pci.setConfigWriteListener(ioEventFds::update);
        ioThread.start();
    }

    /** Called just before the host bridge attaches {@code function} (and asks for its INTx# wire). */
    synchronized void attaching(PciFunction function) {
        attaching = function;
    }

    /** The function is on the bus: its notifications and messages go on the fast paths. */
    synchronized void attached(PciFunction function) {
        attaching = null;
        if (function instanceof VirtioPciFunction virtio) {
            ioEventFds.add(virtio);
            if (irqFds != null) {
                irqFds.add(virtio);
            }
        } else if (msiIrqFds != null && function.msi() != null) {
            msiIrqFds.add(function);
        }
        if (attachingIntx != null) {
            attachingIntx.setPinState(function::intxAsserted);
            intxIrqfds.add(attachingIntx);
            attachingIntx = null;
        }
    }

    /**
     * The INTx# wire of a function being attached: the 82540EM's through a resampling irqfd on the
     * GSI of its PIRQ's ISA IRQ (PC routing: GSI n is ISA IRQ n on both controllers); every other
     * one the board's swizzled KVM_IRQ_LINE path.
     */
    synchronized IrqLine routeIntx(int device, int pin, IntxRouter board) {
        IrqLine direct = board.route(device, pin);
        if (!resamplingIntx || !(attaching instanceof Intel82540EM)) {
            return direct;
        }
        int irq = PciFirmware.PIRQ_IRQS[Math.floorMod(device + pin - 1 + PciFirmware.SWIZZLE_BIAS, 4)];
        IntxIrqfd line = new IntxIrqfd(this.board.kernel, this.board.vm, ioThread, irq, direct);
        if (!line.active()) {
            line.close();
            return direct;
        }
        attachingIntx = line;
        return line;
    }

    /** A virtio-mmio device's QueueNotify on KVM_IOEVENTFD from its DRIVER_OK on. */
    void attachedMmio(VirtioMmioDevice device, long base) {
        mmioIoEventFds.add(device, base);
    }

    /** The resampling irqfds of INTx# pins made so far. */
    synchronized List<IntxIrqfd> intxIrqfds() {
        return List.copyOf(intxIrqfds);
    }

    /**
     * Whether a write to {@code a} takes the trap path to {@code function}: no userspace device
     * claims it before the PCI bus (subtractive decode), and the bus decodes it to that function.
     */
    private boolean reachesFunction(VirtioPciFunction function, VirtioPciFunction.NotifyAddress a) {
        if (a.pio() ? board.ports.owner((int) a.address()) != null : board.mmio.claims(a.address())) {
            return false;
        }
        PciFunction.DecodedBar bar = board.pci.decode(a.address(), a.pio());
        return bar != null && bar.function() == function;
    }

    @Override
    public void close() {
        ioEventFds.clear();
        mmioIoEventFds.clear();
        if (irqFds != null) {
            irqFds.clear();
        }
        if (msiIrqFds != null) {
            msiIrqFds.clear();
        }
        for (IntxIrqfd i : intxIrqfds()) {
            i.close();
        }
        ioThread.close();
    }
}
