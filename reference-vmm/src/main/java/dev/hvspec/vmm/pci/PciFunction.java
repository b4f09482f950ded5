package dev.hvspec.vmm.pci;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.ArrayList;
import java.util.List;

/**
 * One PCI function: its configuration space, BARs, interrupts (INTx#, MSI, MSI-X) and its DMA
 * view of memory. Device models (virtio-pci, the e1000) extend it, declare their BARs and
 * capabilities in the constructor, then call {@link #finishLayout()}.
 *
 * <p>Rules implemented here, with PCI Local Bus 3.0 references:
 * <ul>
 *   <li>BARs read back their size mask after a write of all-ones (§6.2.5.1) and are decoded only
 *       while Command.I/O Space or Command.Memory Space is set (§6.2.2).</li>
 *   <li>INTx#: the Interrupt Status bit follows the function's interrupt state; the pin is
 *       asserted only while Command.Interrupt Disable is 0 (§6.2.2, §6.2.3) and neither MSI
 *       nor MSI-X is enabled (§6.8.1.3, §6.8.2.3).</li>
 *   <li>MSI and MSI-X messages, like all memory transactions the function masters, need
 *       Command.Bus Master (§6.2.2: "controls a device's ability to act as a master"); with it
 *       clear, messages are dropped and {@link #dma()} faults.</li>
 * </ul>
 */
public abstract class PciFunction {
    /** Sends one message (a DWORD memory write) on behalf of MSI or MSI-X. */
    @FunctionalInterface
    interface MessageDelivery {
        void send(long address, int data);
    }

    /** A BAR as currently programmed and decoded. */
    public record DecodedBar(PciFunction function, int index, PciBar bar, long base) {
        public boolean contains(long address) {
            return address >= base && address - base < bar.size();
        }
    }

    protected final PciConfigSpace config;
    private final PciBar[] bars = new PciBar[6];
    private MsiCapability msi;
    private MsixCapability msix;
    private GuestMemory memory = new NoMemory();
    private MsiSink msiSink = MsiSink.NONE;
    private IrqLine intxPin = IrqLine.UNCONNECTED;
    private boolean interruptState;
    private boolean pinAsserted;
    private long droppedMessages;
    private int layoutVersion;
    private boolean laidOut;

    protected PciFunction(PciConfigSpace config) {
        this.config = config;
        // Registers whose writes change decoding or the INTx# pin.
        config.addHook(PciConfigSpace.COMMAND, 2, (o, s, v) -> commandWritten(), null);
        config.addHook(PciConfigSpace.BAR0, 24, (o, s, v) -> layoutVersion++, null);
    }

    public PciConfigSpace configSpace() {
        return config;
    }

    // ---- layout, used by subclasses in their constructor ----

    protected final void defineBar(int index, PciBar bar) {
        if (laidOut) {
            throw new IllegalStateException("layout already finished");
        }
        if (index < 0 || index > 5 || (bar.is64Bit() && index == 5)) {
            throw new IllegalArgumentException("bad BAR index " + index);
        }
        if (bars[index] != null || (bar.is64Bit() && bars[index + 1] != null) || occupiedByUpperHalf(index)) {
            throw new IllegalArgumentException("BAR " + index + " already defined");
        }
        bars[index] = bar;
        int at = PciConfigSpace.BAR0 + 4 * index;
        config.setValue(at, 4, bar.flagBits());
        config.setWritable(at, 4, bar.lowWriteMask());
        if (bar.is64Bit()) {
            config.setWritable(at + 4, 4, bar.highWriteMask());
        }
    }

    private boolean occupiedByUpperHalf(int index) {
        return index > 0 && bars[index - 1] != null && bars[index - 1].is64Bit();
    }

    /** §6.2.4: Interrupt Pin, 1 = INTA# .. 4 = INTD#, 0 = no INTx#. */
    protected final void setInterruptPin(int pin) {
        config.setValue(PciConfigSpace.INTERRUPT_PIN, 1, pin);
    }

    protected final void setSubsystem(int vendorId, int subsystemId) {
        config.setValue(PciConfigSpace.SUBSYSTEM_VENDOR_ID, 2, vendorId);
        config.setValue(PciConfigSpace.SUBSYSTEM_ID, 2, subsystemId);
    }

    protected final MsiCapability addMsiCapability(int vectors, boolean address64, boolean perVectorMasking) {
        msi = new MsiCapability(config, vectors, address64, perVectorMasking, this::sendMessage, this::signalIrqfd);
        config.addHook(msi.controlOffset(), 2, (o, s, v) -> updatePin(), null);
        return msi;
    }

    protected final MsixCapability addMsixCapability(int vectors, int tableBar, long tableOffset, int pbaBar, long pbaOffset) {
        msix = new MsixCapability(config, vectors, tableBar, tableOffset, pbaBar, pbaOffset, this::sendMessage,
                this::signalIrqfd);
        config.addHook(msix.offset() + 2, 2, (o, s, v) -> updatePin(), null);
        return msix;
    }

    /** Records the reset state of the configuration space; call at the end of the constructor. */
    protected final void finishLayout() {
        laidOut = true;
        config.freezeResetState();
    }

    // ---- wiring, done by the host bridge ----

    final void connect(GuestMemory memory, MsiSink msiSink, IrqLine intxPin) {
        this.memory = memory;
        this.msiSink = msiSink;
        this.intxPin = intxPin;
    }

    // ---- configuration accesses from the host bridge ----

    public int configRead(int offset, int size) {
        synchronized (this) {
            return config.read(offset, size);
        }
    }

    public void configWrite(int offset, int size, int value) {
        synchronized (this) {
            config.write(offset, size, value);
        }
    }

    /** Bumped whenever a BAR or the Command register changes, so bridges can cache decoding. */
    int layoutVersion() {
        return layoutVersion;
    }

    /** The BARs this function decodes now: enabled by the Command register (§6.2.2). */
    public synchronized List<DecodedBar> decodedBars() {
        List<DecodedBar> out = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            PciBar bar = bars[i];
            if (bar == null) {
                continue;
            }
            boolean enabled = bar.kind() == PciBar.Kind.IO ? config.ioSpaceEnabled() : config.memorySpaceEnabled();
            if (enabled) {
                out.add(new DecodedBar(this, i, bar, barAddress(i)));
            }
        }
        return out;
    }

    /** The base address programmed into BAR {@code index} (both halves of a 64-bit BAR). */
    public synchronized long barAddress(int index) {
        PciBar bar = bars[index];
        int at = PciConfigSpace.BAR0 + 4 * index;
        long low = config.getValue(at, 4) & 0xFFFF_FFFFL;
        if (bar == null) {
            return 0;
        }
        if (bar.kind() == PciBar.Kind.IO) {
            return low & ~0x3L;
        }
        long address = low & ~0xFL;
        if (bar.is64Bit()) {
            address |= (config.getValue(at + 4, 4) & 0xFFFF_FFFFL) << 32;
        }
        return address;
    }

    public PciBar bar(int index) {
        return bars[index];
    }

    // ---- device side ----

    /** The DMA view of memory: faults while Command.Bus Master is clear. */
    protected final GuestMemory dma() {
        return dma;
    }

    private final GuestMemory dma = new GuestMemory() {
        @Override
        public void read(long gpa, byte[] dst, int offset, int length) throws GuestMemoryFault {
            checkMaster(gpa, length);
            memory.read(gpa, dst, offset, length);
        }

        @Override
        public void write(long gpa, byte[] src, int offset, int length) throws GuestMemoryFault {
            checkMaster(gpa, length);
            memory.write(gpa, src, offset, length);
        }

        @Override
        public boolean isRam(long gpa, long length) {
            return memory.isRam(gpa, length);
        }

        @Override
        public void fullFence() {
            memory.fullFence();
        }

        private void checkMaster(long gpa, int length) throws GuestMemoryFault {
            if (!config.busMasterEnabled()) {
                throw new GuestMemoryFault(gpa, length);
            }
        }
    };

    /**
     * The function's INTx# interrupt state (what virtio's ISR or a NIC's ICR make of it). The
     * Interrupt Status bit follows it; the pin follows it unless disabled (§6.2.3).
     */
    protected final synchronized void setInterruptState(boolean asserted) {
        interruptState = asserted;
        config.setBits(PciConfigSpace.STATUS, 2, PciConfigSpace.STATUS_INTERRUPT, asserted);
        updatePin();
    }

    protected final synchronized boolean interruptState() {
        return interruptState;
    }

    /**
     * Signals interrupt vector {@code vector} by MSI-X if enabled, else by MSI if enabled.
     * Returns false if neither is enabled, so the device uses INTx# instead.
     */
    protected final synchronized boolean signalMessage(int vector) {
        if (msix != null && msix.signal(vector)) {
            return true;
        }
        return msi != null && msi.signal(vector);
    }

    public synchronized boolean msixEnabled() {
        return msix != null && msix.enabled();
    }

    public synchronized boolean msiEnabled() {
        return msi != null && msi.enabled();
    }

    public MsixCapability msix() {
        return msix;
    }

    public MsiCapability msi() {
        return msi;
    }

    /** Messages the function could not send because bus mastering was disabled. */
    public synchronized long droppedMessages() {
        return droppedMessages;
    }

    /** Whether the INTx# pin is asserted on the wire now. */
    public synchronized boolean intxAsserted() {
        return pinAsserted;
    }

    /** Called after a write to the Command register; subclasses may react (they must call super). */
    protected void commandWritten() {
        layoutVersion++;
        updatePin();
    }

    /**
     * RST#: configuration registers to their reset values, then {@link #resetDevice()}. The
     * device reset runs outside this function's lock, so devices may take their own lock first.
     */
    public final void reset() {
        synchronized (this) {
            config.reset();
            if (msix != null) {
                msix.resetTable();
            }
            interruptState = false;
            layoutVersion++;
        }
        resetDevice();
        updatePin();
        if (msi != null) {
            msi.routingMayHaveChanged();
        }
    }

    /** Device-specific reset of everything outside the configuration space. */
    protected abstract void resetDevice();

    private void sendMessage(long address, int data) {
        if (!config.busMasterEnabled()) {
            droppedMessages++;
            return;
        }
        msiSink.deliver(address, data);
    }

    /** An MSI or MSI-X message through an irqfd: an eventfd write, still a message this function masters. */
    private void signalIrqfd(Runnable eventfdWrite) {
        if (!config.busMasterEnabled()) {
            droppedMessages++;
            return;
        }
        eventfdWrite.run();
    }

    private synchronized void updatePin() {
        boolean assert_ = interruptState && !config.interruptDisabled() && !msiEnabled() && !msixEnabled();
        if (assert_ != pinAsserted) {
            pinAsserted = assert_;
            intxPin.setLevel(assert_);
        }
    }

    /** Memory before the function is attached to a bridge: nothing is RAM. */
    private static final class NoMemory implements GuestMemory {
        @Override
        public void read(long gpa, byte[] dst, int offset, int length) throws GuestMemoryFault {
            throw new GuestMemoryFault(gpa, length);
        }

        @Override
        public void write(long gpa, byte[] src, int offset, int length) throws GuestMemoryFault {
            throw new GuestMemoryFault(gpa, length);
        }

        @Override
        public boolean isRam(long gpa, long length) {
            return false;
        }
    }
}
