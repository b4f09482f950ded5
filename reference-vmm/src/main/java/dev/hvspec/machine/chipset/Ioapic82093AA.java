package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.MmioDevice;

import java.util.ArrayList;
import java.util.List;

/**
 * The Intel 82093AA I/O APIC (datasheet order no. 290566): 24 interrupt input pins, each with a
 * 64-bit redirection entry that turns a pin event into an interrupt message on the {@link ApicBus}.
 * Registers are reached indirectly: IOREGSEL at offset 0x00 selects, IOWIN at 0x10 reads and
 * writes (§3.1). Version {@link Version#I82093AA} (0x11) is the datasheet part; version
 * {@link Version#WITH_EOI_REGISTER} (0x20, as in the ICH I/O(x)APIC) adds the directed-EOI
 * register at offset 0x40 for local APICs that suppress EOI broadcasts.
 *
 * <p>Pins carry the logical assertion level (the board inverts active-low PCI lines), so the
 * polarity bit is stored and read back but does not invert the input (KVM and QEMU do the same).
 * Delivery is instantaneous: the delivery status bit always reads 0. The physical destination uses
 * bits 63:56 (the 8-bit xAPIC ID; the 82093AA itself decodes only 59:56).
 *
 * <p>Thread-safety: methods synchronise on this object and deliver to the bus with the lock held;
 * the lock order is I/O APIC, then local APIC (an APIC never calls in while holding its lock).
 */
public final class Ioapic82093AA implements MmioDevice {
    public static final long DEFAULT_BASE = 0xFEC0_0000L;
    public static final int PINS = KvmIoapicState.PINS;

    // Memory-mapped registers (§3.1).
    public static final int IOREGSEL = 0x00;
    public static final int IOWIN = 0x10;
    public static final int EOI = 0x40;

    // Indirect registers (§3.2).
    public static final int IOAPICID = 0x00;
    public static final int IOAPICVER = 0x01;
    public static final int IOAPICARB = 0x02;
    public static final int IOREDTBL = 0x10;

    // Redirection entry bits (§3.2.4).
    static final long MASKED = 1L << 16;
    static final long LEVEL_TRIGGERED = 1L << 15;
    static final long REMOTE_IRR = 1L << 14;
    static final long POLARITY_LOW = 1L << 13;
    static final long DELIVERY_STATUS = 1L << 12;
    static final long LOGICAL = 1L << 11;
    /** Writable bits of the low dword: vector, delivery mode, destination mode, polarity, trigger, mask. */
    static final long LOW_WRITABLE = 0x1_AFFFL;
    static final long HIGH_WRITABLE = 0xFF00_0000_0000_0000L;

    public enum Version {
        I82093AA(0x11), WITH_EOI_REGISTER(0x20);

        final int number;

        Version(int number) {
            this.number = number;
        }

        /** IOAPICVER bits 7:0. */
        public int number() {
            return number;
        }
    }

    private final ApicBus bus;
    private final Version version;
    private final long[] redirection = new long[PINS];
    private final IrqLine[] pinLines = new IrqLine[PINS];
    private final List<java.util.function.IntConsumer> ackListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private long baseAddress = DEFAULT_BASE;
    private int ioregsel;
    private int id;
    private int pinLevels;

    public Ioapic82093AA(ApicBus bus, Version version) {
        this.bus = bus;
        this.version = version;
        for (int pin = 0; pin < PINS; pin++) {
            int n = pin;
            pinLines[pin] = level -> setPin(n, level);
        }
        reset();
        bus.addEoiListener(this::endOfInterrupt);
    }

    /** The wire into input pin {@code pin} (0..23). */
    public IrqLine pin(int pin) {
        return pinLines[pin];
    }

    /** §3.2.4 reset: every entry masked; ID, selector and pins cleared. */
    public synchronized void reset() {
        java.util.Arrays.fill(redirection, MASKED);
        ioregsel = 0;
        id = 0;
        pinLevels = 0;
    }

    public synchronized long baseAddress() {
        return baseAddress;
    }

    // ---------------------------------------------------------------- pins

    /**
     * A pin changed level (§3.2.4): an unmasked edge-triggered pin sends on the rising edge (edges
     * on a masked pin are lost); an unmasked level-triggered pin sends while asserted, once until
     * the EOI clears Remote IRR.
     */
    public synchronized void setPin(int pin, boolean level) {
        if (pin < 0 || pin >= PINS) {
            return;
        }
        boolean rising = level && (pinLevels & (1 << pin)) == 0;
        pinLevels = level ? pinLevels | (1 << pin) : pinLevels & ~(1 << pin);
        long entry = redirection[pin];
        if ((entry & MASKED) != 0) {
            return;
        }
        if (isLevelTriggered(entry)) {
            serviceLevel(pin);
        } else if (rising) {
            send(pin);
        }
    }

    /** NMI, SMI, INIT and ExtINT are always edge (§3.2.4 "Delivery Mode"). */
    private static boolean isLevelTriggered(long entry) {
        return (entry & LEVEL_TRIGGERED) != 0 && DeliveryMode.of((int) (entry >>> 8)).carriesVector();
    }

    private void serviceLevel(int pin) {
        long entry = redirection[pin];
        if ((pinLevels & (1 << pin)) != 0 && (entry & MASKED) == 0 && (entry & REMOTE_IRR) == 0) {
            if (send(pin) > 0) {
                redirection[pin] |= REMOTE_IRR; // §3.2.4: set when a local APIC accepts the level interrupt
            }
        }
    }

    private int send(int pin) {
        long entry = redirection[pin];
        DeliveryMode mode = DeliveryMode.of((int) (entry >>> 8));
        if (mode == DeliveryMode.STARTUP || mode == DeliveryMode.RESERVED_3) {
            return 0; // reserved delivery modes
        }
        InterruptMessage message = InterruptMessage.directed(mode, (int) entry & 0xFF, (entry & LOGICAL) != 0,
                (int) (entry >>> 56), isLevelTriggered(entry));
        return bus.deliver(message);
    }

    /**
     * An EOI message for {@code vector} from the APIC bus: first every pin whose entry holds that
     * vector is reported to the acknowledge listeners (KVM's irq ack notifiers, run as
     * kvm_ioapic_update_eoi does: for each matching pin, before Remote IRR is cleared and without
     * the I/O APIC's lock), then Remote IRR is cleared (§3.2.4).
     */
    public void endOfInterrupt(int vector) {
        if (!ackListeners.isEmpty()) {
            int matching = 0;
            synchronized (this) {
                for (int pin = 0; pin < PINS; pin++) {
                    if ((redirection[pin] & 0xFF) == (vector & 0xFF)) {
                        matching |= 1 << pin;
                    }
                }
            }
            for (int pin = 0; pin < PINS; pin++) {
                if ((matching >>> pin & 1) != 0) {
                    for (java.util.function.IntConsumer l : ackListeners) {
                        l.accept(pin);
                    }
                }
            }
        }
        clearRemoteIrr(vector);
    }

    /** Adds a listener told the pin of each entry an EOI message matched ({@link #endOfInterrupt}). */
    public void addAckListener(java.util.function.IntConsumer listener) {
        ackListeners.add(listener);
    }

    /** Clears Remote IRR of the level entries holding {@code vector} (§3.2.4). */
    private synchronized void clearRemoteIrr(int vector) {
        for (int pin = 0; pin < PINS; pin++) {
            long entry = redirection[pin];
            if ((entry & 0xFF) == (vector & 0xFF) && (entry & REMOTE_IRR) != 0) {
                redirection[pin] &= ~REMOTE_IRR;
                serviceLevel(pin); // a still-asserted level pin interrupts again
            }
        }
    }

    // ---------------------------------------------------------------- MMIO

    @Override
    public synchronized long mmioRead(long offset, int size) {
        long dword = switch ((int) (offset & ~3L)) {
            case IOREGSEL -> ioregsel;
            case IOWIN -> Integer.toUnsignedLong(readRegister(ioregsel));
            default -> 0; // IOWIN's other bytes, the write-only EOI register and unused space
        };
        long shifted = dword >>> (8 * (offset & 3));
        return size >= 4 ? shifted : shifted & ((1L << (8 * size)) - 1);
    }

    /** Registers are 32 bits (§3.1); IOREGSEL takes its low byte, IOWIN and EOI need a dword write. */
    @Override
    public void mmioWrite(long offset, int size, long value) {
        if (offset == EOI && size >= 4 && version == Version.WITH_EOI_REGISTER) {
            endOfInterrupt((int) value & 0xFF); // takes the lock itself, listeners run without it
            return;
        }
        synchronized (this) {
            if (offset == IOREGSEL) {
                ioregsel = (int) value & 0xFF;
            } else if (offset == IOWIN && size >= 4) {
                writeRegister(ioregsel, (int) value);
            }
        }
    }

    /** The indirect register {@code index}; undefined registers read all ones (as KVM's). */
    private int readRegister(int index) {
        if (index >= IOREDTBL && index < IOREDTBL + 2 * PINS) {
            long entry = redirection[(index - IOREDTBL) >>> 1];
            return (index & 1) == 0 ? (int) entry : (int) (entry >>> 32);
        }
        return switch (index) {
            case IOAPICID -> id << 24;
            case IOAPICVER -> ((PINS - 1) << 16) | version.number; // §3.2.2: 0x00170011
            case IOAPICARB -> id << 24; // §3.2.3: loaded from the ID; no APIC-bus rotation on a system bus
            default -> 0xFFFF_FFFF;
        };
    }

    private void writeRegister(int index, int value) {
        if (index == IOAPICID) {
            id = (value >>> 24) & 0xF; // §3.2.1: bits 27:24
            return;
        }
        if (index < IOREDTBL || index >= IOREDTBL + 2 * PINS) {
            return; // read-only or undefined
        }
        int pin = (index - IOREDTBL) >>> 1;
        long entry = redirection[pin];
        if ((index & 1) == 0) {
            long low = Integer.toUnsignedLong(value) & LOW_WRITABLE;
            entry = (entry & ~LOW_WRITABLE & ~0xFFFF_FFFFL) | low | (entry & REMOTE_IRR);
        } else {
            entry = (entry & 0xFFFF_FFFFL) | ((Integer.toUnsignedLong(value) << 32) & HIGH_WRITABLE);
        }
        if (!isLevelTriggered(entry)) {
            entry &= ~REMOTE_IRR; // only meaningful for level-triggered entries
        }
        redirection[pin] = entry;
        if (isLevelTriggered(entry)) {
            serviceLevel(pin); // unmasking an asserted level pin delivers it
        }
    }

    // ---------------------------------------------------------------- inspection, state

    public synchronized long redirectionEntry(int pin) {
        return redirection[pin];
    }

    public synchronized KvmIoapicState save() {
        List<Long> table = new ArrayList<>(PINS);
        for (long entry : redirection) {
            table.add(entry);
        }
        return new KvmIoapicState(baseAddress, ioregsel, id, pinLevels, table);
    }

    /** KVM_SET_IRQCHIP: loads the state without sending anything. */
    public synchronized void restore(KvmIoapicState state) {
        baseAddress = state.baseAddress();
        ioregsel = state.ioregsel();
        id = state.id() & 0xF;
        pinLevels = state.irr() & ((1 << PINS) - 1);
        for (int pin = 0; pin < PINS; pin++) {
            redirection[pin] = state.redirectionTable().get(pin) & ~DELIVERY_STATUS;
        }
    }
}
