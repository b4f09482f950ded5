package dev.hvspec.vmm.pci;

/**
 * The MSI capability structure (PCI Local Bus 3.0 §6.8.1), in its four layouts: 32- or 64-bit
 * message address, with or without per-vector masking.
 *
 * <pre>
 *  +0 Capability ID 05h | +1 next | +2 Message Control
 *  +4 Message Address (bits 1:0 read-only 0)
 *  +8 Message Upper Address           (64-bit only)
 *  +8/+C Message Data (16 bits)
 *  +C/+10 Mask Bits, +10/+14 Pending Bits   (per-vector masking only)
 * </pre>
 *
 * Message Control (§6.8.1.3): bit 0 MSI Enable (RW), 3:1 Multiple Message Capable (RO), 6:4
 * Multiple Message Enable (RW), 7 64-bit address capable (RO), 8 per-vector masking capable (RO).
 * With {@code 2^MME} vectors allocated the function signals vector {@code v} by replacing the low
 * MME bits of Message Data with {@code v} (§6.8.1.5).
 */
public final class MsiCapability {
    public static final int ID = 0x05;
    public static final int CONTROL_ENABLE = 1;
    public static final int CONTROL_64BIT = 1 << 7;
    public static final int CONTROL_PER_VECTOR_MASKING = 1 << 8;

    private final PciConfigSpace config;
    private final int base;
    private final boolean address64;
    private final boolean perVectorMasking;
    private final int capableLog2;
    private final PciFunction.MessageDelivery delivery;
    private final java.util.function.Consumer<Runnable> irqfdDelivery;
    private final Runnable[] irqfds = new Runnable[32];
    private volatile Runnable routingListener = () -> { };

    MsiCapability(PciConfigSpace config, int vectors, boolean address64, boolean perVectorMasking,
                  PciFunction.MessageDelivery delivery, java.util.function.Consumer<Runnable> irqfdDelivery) {
        if (Integer.bitCount(vectors) != 1 || vectors > 32) {
            throw new IllegalArgumentException("MSI vectors must be 1, 2, 4, 8, 16 or 32: " + vectors);
        }
        this.config = config;
        this.address64 = address64;
        this.perVectorMasking = perVectorMasking;
        this.capableLog2 = Integer.numberOfTrailingZeros(vectors);
        this.delivery = delivery;
        this.irqfdDelivery = irqfdDelivery;
        int length = (address64 ? 0x0E : 0x0A) + (perVectorMasking ? 0x0A : 0);
        this.base = config.addCapability(ID, length);
        int control = (capableLog2 << 1) | (address64 ? CONTROL_64BIT : 0)
                | (perVectorMasking ? CONTROL_PER_VECTOR_MASKING : 0);
        config.setValue(controlOffset(), 2, control);
        config.setWritable(controlOffset(), 2, CONTROL_ENABLE | 0x70);
        config.setWritable(base + 4, 4, 0xFFFF_FFFC);
        if (address64) {
            config.setWritable(base + 8, 4, 0xFFFF_FFFF);
        }
        config.setWritable(dataOffset(), 2, 0xFFFF);
        if (perVectorMasking) {
            config.setWritable(maskOffset(), 4, (int) ((1L << vectors) - 1));
            config.addHook(maskOffset(), 4, (o, s, v) -> routeThenDeliverPending(), null);
        }
        config.addHook(controlOffset(), 2, (o, s, v) -> routeThenDeliverPending(), null);
        // A new Message Address or Data: a VMM's MSI routes must follow (QEMU's msi_write_config
        // calls its vector notifiers for the same writes).
        config.addHook(base + 4, address64 ? 8 : 4, (o, s, v) -> routingListener.run(), null);
        config.addHook(dataOffset(), 2, (o, s, v) -> routingListener.run(), null);
    }

    /** Routes first (an unmasked vector's irqfd assigned again), then the pending messages (§6.8.1.7). */
    private void routeThenDeliverPending() {
        routingListener.run();
        deliverUnmaskedPending();
    }

    /**
     * Gives {@code vector} an irqfd (a VMM's fast path, KVM_IRQFD on an MSI route carrying this
     * capability's address and data for the vector): an unmasked message on it is then the
     * eventfd write instead of a memory write; null takes it back. A masked vector still only sets
     * its pending bit (§6.8.1.7).
     */
    public synchronized void setVectorIrqfd(int vector, Runnable eventfdWrite) {
        irqfds[vector] = eventfdWrite;
    }

    /** Whether {@code vector} sends through an irqfd now. */
    public synchronized boolean hasVectorIrqfd(int vector) {
        return irqfds[vector] != null;
    }

    /**
     * Called after every write that may change a VMM's routing of this capability's messages:
     * Message Control (MSI Enable, Multiple Message Enable), Message Address (both halves),
     * Message Data, Mask Bits — before pending messages are sent.
     */
    public void setRoutingListener(Runnable listener) {
        this.routingListener = listener == null ? () -> { } : listener;
    }

    /** A function reset (RST#, §6.8.1.3: MSI Enable resets to 0): the routing listener looks again. */
    void routingMayHaveChanged() {
        routingListener.run();
    }

    /** The number of vectors the function can signal (Multiple Message Capable). */
    public int capableVectors() {
        return 1 << capableLog2;
    }

    /** Whether the capability has per-vector Mask and Pending bits (§6.8.1.3 bit 8). */
    public boolean perVectorMasking() {
        return perVectorMasking;
    }

    /** Sends {@code vector}'s message: through its irqfd if it has one, else as a memory write. */
    private void send(int vector) {
        Runnable irqfd;
        synchronized (this) {
            irqfd = irqfds[vector];
        }
        if (irqfd != null) {
            irqfdDelivery.accept(irqfd);
        } else {
            delivery.send(messageAddress(), messageData(vector));
        }
    }

    public int offset() {
        return base;
    }

    int controlOffset() {
        return base + 2;
    }

    int dataOffset() {
        return base + (address64 ? 0x0C : 0x08);
    }

    int maskOffset() {
        return base + (address64 ? 0x10 : 0x0C);
    }

    int pendingOffset() {
        return maskOffset() + 4;
    }

    public boolean enabled() {
        return (config.getValue(controlOffset(), 2) & CONTROL_ENABLE) != 0;
    }

    /** Vectors allocated by software: 2^MME, limited to what the function is capable of. */
    public int allocatedVectors() {
        int mme = (config.getValue(controlOffset(), 2) >>> 4) & 0x7;
        return 1 << Math.min(mme, capableLog2);
    }

    public long messageAddress() {
        long low = config.getValue(base + 4, 4) & 0xFFFF_FFFCL;
        return address64 ? low | (config.getValue(base + 8, 4) & 0xFFFF_FFFFL) << 32 : low;
    }

    public int messageData(int vector) {
        int allocated = allocatedVectors();
        int data = config.getValue(dataOffset(), 2);
        return (data & ~(allocated - 1)) | (vector & (allocated - 1));
    }

    public boolean masked(int vector) {
        return perVectorMasking && (config.getValue(maskOffset(), 4) >>> vector & 1) != 0;
    }

    public boolean pending(int vector) {
        return perVectorMasking && (config.getValue(pendingOffset(), 4) >>> vector & 1) != 0;
    }

    /**
     * The function wants to signal {@code vector}. §6.8.1.7: "While a vector is masked, the
     * function is prohibited from sending the associated message, and the function must set the
     * associated Pending bit". Returns false if MSI is disabled (the caller falls back to INTx).
     */
    boolean signal(int vector) {
        if (!enabled()) {
            return false;
        }
        // §6.8.1.5: with fewer vectors allocated than the function wants, it shares them; the
        // function signals the low MME bits of its vector number.
        vector &= allocatedVectors() - 1;
        if (masked(vector)) {
            config.setBits(pendingOffset(), 4, 1 << vector, true);
        } else {
            send(vector);
        }
        return true;
    }

    /** §6.8.1.7: "When software unmasks a vector whose associated Pending bit is set, the function
     *  must schedule sending the associated message, and clear the Pending bit". */
    private void deliverUnmaskedPending() {
        if (!perVectorMasking || !enabled()) {
            return;
        }
        for (int v = 0; v < 32; v++) {
            if (pending(v) && !masked(v)) {
                config.setBits(pendingOffset(), 4, 1 << v, false);
                if (v < allocatedVectors()) {
                    send(v);
                }
            }
        }
    }
}
