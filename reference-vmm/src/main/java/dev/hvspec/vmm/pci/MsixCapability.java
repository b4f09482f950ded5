package dev.hvspec.vmm.pci;

import dev.hvspec.machine.bus.MmioDevice;

/**
 * The MSI-X capability with its table and Pending Bit Array (PCI Local Bus 3.0 §6.8.2).
 *
 * <pre>
 *  +0 Capability ID 11h | +1 next | +2 Message Control
 *  +4 Table Offset / Table BIR      +8 PBA Offset / PBA BIR
 * </pre>
 *
 * Message Control (§6.8.2.3): bits 10:0 Table Size (N-1, RO), 14 Function Mask (RW), 15 MSI-X
 * Enable (RW). Each table entry (§6.8.2.6-9) is Message Address, Message Upper Address, Message
 * Data and Vector Control, whose bit 0 is the per-vector Mask Bit (set after reset). The PBA
 * (§6.8.2.10) is read-only: a pending bit is set whenever the function would send a message that
 * is masked, and cleared when the message is sent after unmasking.
 *
 * <p>The table and PBA live in memory BARs: the function maps {@link #tableRegion()} and
 * {@link #pbaRegion()} at the offsets it declared.
 *
 * <p>A VMM with a kernel that injects MSIs from eventfds (KVM_IRQFD on an MSI route) may give a
 * vector an {@linkplain #setVectorIrqfd irqfd}: an unmasked message on that vector is then an
 * eventfd write instead of a {@link PciFunction.MessageDelivery}. Masking stays here: a masked
 * vector sets its pending bit whatever its route. The {@linkplain #setRoutingListener routing
 * listener} hears of every write that may change a vector's route (a table entry, Message
 * Control) before pending messages are sent, so a vector unmasked with its pending bit set sends
 * through its new route (QEMU's {@code msix_handle_mask_update}: vector notifiers first).
 */
public final class MsixCapability {
    public static final int ID = 0x11;
    public static final int CONTROL_FUNCTION_MASK = 1 << 14;
    public static final int CONTROL_ENABLE = 1 << 15;
    public static final int ENTRY_SIZE = 16;
    public static final int VECTOR_CONTROL_MASK = 1;

    private final PciConfigSpace config;
    private final int base;
    private final int vectors;
    private final byte[] table;
    private final long[] pending;
    private final PciFunction.MessageDelivery delivery;
    private final java.util.function.Consumer<Runnable> irqfdDelivery;
    /** Per vector: the eventfd write that sends its message through the kernel, or null. */
    private final Runnable[] irqfds;
    private volatile Runnable routingListener = () -> { };

    MsixCapability(PciConfigSpace config, int vectors, int tableBar, long tableOffset, int pbaBar, long pbaOffset,
                   PciFunction.MessageDelivery delivery, java.util.function.Consumer<Runnable> irqfdDelivery) {
        if (vectors < 1 || vectors > 2048) {
            throw new IllegalArgumentException("MSI-X table size must be 1..2048: " + vectors);
        }
        if ((tableOffset & 7) != 0 || (pbaOffset & 7) != 0) {
            throw new IllegalArgumentException("MSI-X table and PBA offsets must be QWORD aligned");
        }
        this.config = config;
        this.vectors = vectors;
        this.delivery = delivery;
        this.irqfdDelivery = irqfdDelivery;
        this.irqfds = new Runnable[vectors];
        this.table = new byte[vectors * ENTRY_SIZE];
        this.pending = new long[(vectors + 63) / 64];
        this.base = config.addCapability(ID, 12);
        config.setValue(base + 2, 2, vectors - 1);
        config.setWritable(base + 2, 2, CONTROL_FUNCTION_MASK | CONTROL_ENABLE);
        config.setValue(base + 4, 4, (int) tableOffset | tableBar);
        config.setValue(base + 8, 4, (int) pbaOffset | pbaBar);
        config.addHook(base + 2, 2, (o, s, v) -> {
            routingMayHaveChanged(); // MSI-X Enable or Function Mask: routes first, then pending messages
            deliverUnmaskedPending();
        }, null);
        resetTable();
    }

    public int offset() {
        return base;
    }

    public int vectors() {
        return vectors;
    }

    public boolean enabled() {
        return (config.getValue(base + 2, 2) & CONTROL_ENABLE) != 0;
    }

    public boolean functionMasked() {
        return (config.getValue(base + 2, 2) & CONTROL_FUNCTION_MASK) != 0;
    }

    public synchronized boolean vectorMasked(int vector) {
        return (entry(vector, 12) & VECTOR_CONTROL_MASK) != 0;
    }

    public synchronized boolean pending(int vector) {
        return (pending[vector / 64] >>> (vector % 64) & 1) != 0;
    }

    public synchronized long messageAddress(int vector) {
        return (entry(vector, 0) & 0xFFFF_FFFFL) | (entry(vector, 4) & 0xFFFF_FFFFL) << 32;
    }

    public synchronized int messageData(int vector) {
        return entry(vector, 8);
    }

    /** RST# or function reset: every vector masked, nothing pending, addresses and data zero. */
    synchronized void resetTable() {
        java.util.Arrays.fill(table, (byte) 0);
        java.util.Arrays.fill(pending, 0);
        for (int v = 0; v < vectors; v++) {
            table[v * ENTRY_SIZE + 12] = VECTOR_CONTROL_MASK; // §6.8.2.9: Mask Bit "default value ... 1"
        }
    }

    /**
     * The function wants to signal {@code vector}. Returns false if MSI-X is disabled (the caller
     * then uses MSI or INTx). §6.8.2: a masked vector (function mask or entry mask) sets its
     * pending bit instead of sending.
     */
    synchronized boolean signal(int vector) {
        if (!enabled()) {
            return false;
        }
        if (vector < 0 || vector >= vectors) {
            return true;
        }
        if (functionMasked() || vectorMasked(vector)) {
            pending[vector / 64] |= 1L << (vector % 64);
        } else {
            send(vector);
        }
        return true;
    }

    /** Sends {@code vector}'s message: through its irqfd if it has one, else as a memory write. */
    private void send(int vector) {
        Runnable irqfd = irqfds[vector];
        if (irqfd != null) {
            irqfdDelivery.accept(irqfd);
        } else {
            delivery.send(messageAddress(vector), messageData(vector));
        }
    }

    /**
     * Sends {@code vector}'s unmasked messages with {@code eventfdWrite} (an eventfd the kernel
     * injects from), or null to go back to memory writes. The VMM sets it only while the
     * kernel's route carries this vector's current address and data.
     */
    public synchronized void setVectorIrqfd(int vector, Runnable eventfdWrite) {
        irqfds[vector] = eventfdWrite;
    }

    /** Whether {@code vector} sends through an irqfd now. */
    public synchronized boolean hasVectorIrqfd(int vector) {
        return irqfds[vector] != null;
    }

    /**
     * Called, with no MSI-X lock held, after every write that may change how the vectors must be
     * routed: a table entry (address, data, Mask Bit), Message Control (Enable, Function Mask),
     * and whatever the function adds ({@link #routingMayHaveChanged()}).
     */
    public void setRoutingListener(Runnable listener) {
        this.routingListener = listener == null ? () -> { } : listener;
    }

    /** Tells the routing listener that vectors may need new routes. */
    public void routingMayHaveChanged() {
        routingListener.run();
    }

    /** The MSI-X table as the BAR region it is mapped by (offsets relative to the table). */
    public MmioDevice tableRegion() {
        return new MmioDevice() {
            @Override
            public long mmioRead(long offset, int size) {
                return readTable(offset, size);
            }

            @Override
            public void mmioWrite(long offset, int size, long value) {
                writeTable(offset, size, value);
            }
        };
    }

    /** The Pending Bit Array as a BAR region: read-only, writes are ignored (§6.8.2.10). */
    public MmioDevice pbaRegion() {
        return new MmioDevice() {
            @Override
            public long mmioRead(long offset, int size) {
                synchronized (MsixCapability.this) {
                    long v = 0;
                    for (int i = size - 1; i >= 0; i--) {
                        long at = offset + i;
                        int word = (int) (at / 8);
                        int b = word >= 0 && word < pending.length ? (int) (pending[word] >>> (8 * (at % 8))) & 0xFF : 0;
                        v = v << 8 | b;
                    }
                    return v;
                }
            }

            @Override
            public void mmioWrite(long offset, int size, long value) {
            }
        };
    }

    /** Size in bytes of the table and of the PBA, for laying out BARs. */
    public static long tableBytes(int vectors) {
        return (long) vectors * ENTRY_SIZE;
    }

    public static long pbaBytes(int vectors) {
        return ((vectors + 63) / 64) * 8L;
    }

    private synchronized long readTable(long offset, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            long at = offset + i;
            v = v << 8 | (at >= 0 && at < table.length ? table[(int) at] & 0xFF : 0);
        }
        return v;
    }

    private void writeTable(long offset, int size, long value) {
        storeTable(offset, size, value);
        routingMayHaveChanged();
        deliverUnmaskedPending();
    }

    private synchronized void storeTable(long offset, int size, long value) {
        for (int i = 0; i < size; i++) {
            long at = offset + i;
            if (at < 0 || at >= table.length) {
                continue;
            }
            int field = (int) (at % ENTRY_SIZE);
            int b = (int) (value >>> (8 * i)) & 0xFF;
            if (field == 12) {
                b &= VECTOR_CONTROL_MASK; // Vector Control bits 31:1 are reserved (read as 0)
            } else if (field > 12) {
                b = 0;
            }
            table[(int) at] = (byte) b;
        }
    }

    private int entry(int vector, int field) {
        int at = vector * ENTRY_SIZE + field;
        return (table[at] & 0xFF) | (table[at + 1] & 0xFF) << 8 | (table[at + 2] & 0xFF) << 16 | (table[at + 3] & 0xFF) << 24;
    }

    /** §6.8.2.9/10: unmasking a vector whose pending bit is set sends the message and clears the bit. */
    private synchronized void deliverUnmaskedPending() {
        if (!enabled() || functionMasked()) {
            return;
        }
        for (int v = 0; v < vectors; v++) {
            if (pending(v) && !vectorMasked(v)) {
                pending[v / 64] &= ~(1L << (v % 64));
                send(v);
            }
        }
    }
}
