package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.PortIoDevice;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The two cascaded 8259A controllers of the PC/AT: the master at I/O ports 0x20/0x21 takes ISA
 * IRQ 0-7, the slave at 0xA0/0xA1 takes IRQ 8-15 and drives master IR2 with its INT output; the
 * PIIX/ICH edge/level control registers ELCR1/ELCR2 sit at 0x4D0/0x4D1.
 *
 * <p>Inputs: {@link #irq(int)} gives the wire of ISA IRQ n. IRQ 2 is the cascade: a level driven on
 * it from outside is ORed with the slave's INT (nothing on a PC drives it). Outputs: the master's
 * INT is the CPU's INTR, reported to every listener added with {@link #addIntrListener(IrqLine)}
 * (the LINT0 pins of the local APICs, or the CPU itself when it has no APIC), and read with
 * {@link #intrAsserted()}; the CPU's INTA cycles are {@link #acknowledge()}.
 *
 * <p>Thread-safety: every method synchronises on this object; listeners are called with the lock
 * held, so a listener must not call back into a lock that a caller of this class may hold.
 */
public final class Pic8259Pair implements PortIoDevice, ExternalInterruptController {
    public static final int MASTER_COMMAND = 0x20;
    public static final int MASTER_DATA = 0x21;
    public static final int SLAVE_COMMAND = 0xA0;
    public static final int SLAVE_DATA = 0xA1;
    public static final int ELCR1 = 0x4D0;
    public static final int ELCR2 = 0x4D1;

    /** PIIX3/ICH ELCR1: IRQ0, IRQ1 and IRQ2 are always edge-triggered. */
    public static final int MASTER_ELCR_MASK = 0xF8;
    /** PIIX3/ICH ELCR2: IRQ8 (RTC) and IRQ13 (FPU) are always edge-triggered. */
    public static final int SLAVE_ELCR_MASK = 0xDE;

    /** Which chip of the pair: the {@code chip_id} of {@code struct kvm_irqchip} (0 and 1). */
    public enum Chip { MASTER, SLAVE }

    private final Intel8259A master = new Intel8259A(true, MASTER_ELCR_MASK);
    private final Intel8259A slave = new Intel8259A(false, SLAVE_ELCR_MASK);
    private final List<IrqLine> intrListeners = new CopyOnWriteArrayList<>();
    private final List<java.util.function.IntConsumer> eoiListeners = new CopyOnWriteArrayList<>();
    private final IrqLine[] lines = new IrqLine[16];
    private boolean externalIrq2;
    private boolean intr;

    public Pic8259Pair() {
        for (int n = 0; n < 16; n++) {
            int irq = n;
            lines[n] = level -> setIrq(irq, level);
        }
    }

    /** The wire of ISA IRQ {@code n} (0..15). */
    public IrqLine irq(int n) {
        return lines[n];
    }

    /** Drives ISA IRQ {@code n} (0..15); the KVM_IRQ_LINE entry point for PIC pins. */
    public synchronized void setIrq(int n, boolean level) {
        if (n < 0 || n > 15) {
            return;
        }
        if (n == Intel8259A.CASCADE_IR) {
            externalIrq2 = level;
        } else if (n < 8) {
            master.setInput(n, level);
        } else {
            slave.setInput(n - 8, level);
        }
        update();
    }

    /** Adds a listener on the INTR output; it is told the current level at once. */
    public synchronized void addIntrListener(IrqLine listener) {
        intrListeners.add(listener);
        listener.setLevel(intr);
    }

    @Override
    public synchronized boolean intrAsserted() {
        return intr;
    }

    /**
     * The INTA sequence of the cascade ("Cascade Mode"): the master acknowledges its request; if
     * that is the slave's IR2, the slave acknowledges its own and supplies the vector. A request
     * that vanished gives the spurious vector: master IR7 (no ISR bit set), or slave IR7 = IRQ15
     * when the master had latched IR2 (master ISR2 is then set, the slave's ISR is not).
     */
    @Override
    public synchronized int acknowledge() {
        int vector;
        int ir = master.acknowledge();
        if (ir < 0) {
            vector = master.vector(Intel8259A.SPURIOUS_IR);
        } else if (ir == Intel8259A.CASCADE_IR) {
            int slaveIr = slave.acknowledge();
            vector = slave.vector(slaveIr < 0 ? Intel8259A.SPURIOUS_IR : slaveIr);
        } else {
            vector = master.vector(ir);
        }
        update();
        return vector;
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        int value = switch (port) {
            case MASTER_COMMAND, MASTER_DATA -> master.read(port & 1);
            case SLAVE_COMMAND, SLAVE_DATA -> slave.read(port & 1);
            case ELCR1 -> master.elcr();
            case ELCR2 -> slave.elcr();
            default -> 0xFF;
        };
        update(); // a poll read acknowledges
        return size == 1 ? value : value | (PortIoDevice.allOnes(size) & ~0xFF);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        int ended;
        synchronized (this) {
            switch (port) {
                case MASTER_COMMAND, MASTER_DATA -> master.write(port & 1, value);
                case SLAVE_COMMAND, SLAVE_DATA -> slave.write(port & 1, value);
                case ELCR1 -> master.writeElcr(value);
                case ELCR2 -> slave.writeElcr(value);
                default -> { }
            }
            // ISA IRQs ended by this write; the cascade input (master IR2) is no device's IRQ.
            ended = (master.takeEndedIrs() & ~(1 << Intel8259A.CASCADE_IR)) | slave.takeEndedIrs() << 8;
            if (ended == 0 || eoiListeners.isEmpty()) {
                update();
                return;
            }
        }
        // As KVM's pic_clear_isr: the listeners run (without the lock) before INTR is evaluated
        // again, so a line they release does not raise INTR for a moment after its EOI.
        for (int irq = 0, bits = ended; bits != 0; irq++, bits >>>= 1) {
            if ((bits & 1) != 0) {
                for (java.util.function.IntConsumer l : eoiListeners) {
                    l.accept(irq);
                }
            }
        }
        synchronized (this) {
            update();
        }
    }

    /**
     * Adds a listener told the ISA IRQ (0-15, never the cascade IRQ 2) of every EOI command the
     * guest writes ("End of Interrupt": non-specific, specific, and with rotation). It runs after
     * the write, without this pair's lock held, so it may drive the pair's inputs. EOIs implied by
     * automatic EOI mode are not reported.
     */
    public void addEoiListener(java.util.function.IntConsumer listener) {
        eoiListeners.add(listener);
    }

    /** The slave's INT drives master IR2; the master's INT is INTR. */
    private void update() {
        master.setInput(Intel8259A.CASCADE_IR, slave.intAsserted() || externalIrq2);
        boolean now = master.intAsserted();
        if (now != intr) {
            intr = now;
            for (IrqLine listener : intrListeners) {
                listener.setLevel(now);
            }
        }
    }

    /** The chip for direct inspection (tests, debuggers). Callers must synchronise on this pair. */
    Intel8259A chip(Chip which) {
        return which == Chip.MASTER ? master : slave;
    }

    public synchronized int irr(Chip which) {
        return chip(which).irr();
    }

    public synchronized int isr(Chip which) {
        return chip(which).isr();
    }

    public synchronized int imr(Chip which) {
        return chip(which).imr();
    }

    public synchronized void reset() {
        master.reset();
        slave.reset();
        externalIrq2 = false;
        update();
    }

    /** {@code KVM_GET_IRQCHIP} for chip 0 (master) or 1 (slave). */
    public synchronized KvmPicState save(Chip which) {
        return chip(which).save();
    }

    /** {@code KVM_SET_IRQCHIP} for chip 0 (master) or 1 (slave). */
    public synchronized void restore(Chip which, KvmPicState state) {
        chip(which).restore(state);
        intr = master.intAsserted();
        for (IrqLine listener : intrListeners) {
            listener.setLevel(intr);
        }
    }
}
