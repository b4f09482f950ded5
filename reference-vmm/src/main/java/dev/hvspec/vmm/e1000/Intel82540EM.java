package dev.hvspec.vmm.e1000;

import dev.hvspec.machine.bus.MmioDevice;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.machine.time.VirtualTimer;
import dev.hvspec.vmm.net.NetBackend;
import dev.hvspec.vmm.pci.PciBar;
import dev.hvspec.vmm.pci.PciConfigSpace;
import dev.hvspec.vmm.pci.PciFunction;

import java.util.ArrayDeque;

import static dev.hvspec.vmm.e1000.E1000Registers.*;

/**
 * The Intel 82540EM Gigabit Ethernet Controller (the "e1000" of QEMU and of the Linux driver of
 * that name) as a PCI function, modelled after the "PCI/PCI-X Family of Gigabit Ethernet
 * Controllers Software Developer's Manual" (8254x SDM, revision 4.0).
 *
 * <h2>PCI function (§4.1)</h2>
 * Vendor 8086h, device 100Eh, revision 03h, class 020000h (Ethernet controller), subsystem
 * 8086h:001Eh (the PRO/1000 MT Desktop Adapter; also in EEPROM words 0Bh/0Ch). BAR0: 128 KiB of
 * 32-bit non-prefetchable memory with the registers; BAR1: 64 bytes of I/O space with IOADDR at 0
 * and IODATA at 4 (§13.2.1; QEMU's size). Interrupt pin INTA#; the 82540EM has no MSI.
 *
 * <h2>Wiring into a board</h2>
 * <pre>{@code
 * Intel82540EM nic = new Intel82540EM(E1000Config.of(mac), timers, backend);
 * pciHostBridge.attach(4, 0, nic);   // BARs are then programmed by firmware or the guest
 * }</pre>
 * The device connects itself as the backend's receiver. Time comes only from {@code timers}
 * (interrupt throttling, the delay timers, the PHY's link-up), which whoever drives virtual time
 * runs.
 *
 * <h2>Concurrency</h2>
 * Register accesses, received frames and timers are serialised on the device. Transmitted frames
 * are queued while the device is locked and handed to the backend afterwards, in order, by one
 * thread at a time: a backend that loops frames straight back into {@link #receiveFromWire} (or two
 * NICs on one switch) cannot deadlock or recurse into transmission.
 */
public final class Intel82540EM extends PciFunction {
    public static final int VENDOR_ID = 0x8086;
    public static final int DEVICE_ID = 0x100E;
    public static final int REVISION_ID = 0x03;
    public static final int CLASS_CODE = 0x020000;
    public static final int SUBSYSTEM_VENDOR_ID = 0x8086;
    public static final int SUBSYSTEM_ID = 0x001E;
    public static final int BAR0_BYTES = 128 * 1024;
    public static final int IO_BAR_BYTES = 64;

    private final E1000Config config;
    private final NetBackend backend;
    private final TimerQueue timers;
    private final RegisterFile regs = new RegisterFile();
    private final Statistics stats = new Statistics();
    private final MicrowireEeprom eeprom;
    private final IntegratedPhy phy;
    private final InterruptLogic interrupts;
    private final InterruptDelay receiveTimer;
    private final InterruptDelay transmitTimer;
    private final ReceiveUnit receiver;
    private final TransmitUnit transmitter;
    private final ArrayDeque<byte[]> outbound = new ArrayDeque<>();
    private final VirtualTimer transmitContinuation;
    private boolean flushing;
    private boolean linkWasUp;
    private int eerd;
    private int mdic;
    private int ioAddress;
    private long mmioReads;
    private long mmioWrites;
    private long ioReads;
    private long ioWrites;

    public Intel82540EM(E1000Config config, TimerQueue timers, NetBackend backend) {
        super(new PciConfigSpace(VENDOR_ID, DEVICE_ID, CLASS_CODE, REVISION_ID));
        this.config = config;
        this.backend = backend;
        this.timers = timers;
        this.eeprom = new MicrowireEeprom(EepromImage.of(config.macAddress(), VENDOR_ID, DEVICE_ID,
                SUBSYSTEM_VENDOR_ID, SUBSYSTEM_ID));
        this.interrupts = new InterruptLogic(timers.clock(), this::newTimer, this::setInterruptState, config.mitigation());
        this.receiveTimer = new InterruptDelay(ICR_RXT0, interrupts, this::newTimer);
        this.transmitTimer = new InterruptDelay(ICR_TXDW, interrupts, this::newTimer);
        this.phy = new IntegratedPhy(this::newTimer, config.linkDelayNanos(), this::updateLink);
        this.receiver = new ReceiveUnit(regs, stats, interrupts, receiveTimer, dma(), config.mitigation());
        this.transmitter = new TransmitUnit(regs, stats, interrupts, transmitTimer, dma(), config.mitigation(),
                outbound::add);
        // A pass that stopped at its budget continues at the same virtual time, from the timer
        // queue, like a bottom half: the doorbell's own work stays bounded.
        this.transmitContinuation = timers.newTimer(() -> {
            synchronized (this) {
                startTransmit();
            }
            flushOutbound();
        });
        defineBar(0, PciBar.memory32(BAR0_BYTES, registerRegion));
        defineBar(1, PciBar.io(IO_BAR_BYTES, ioRegion));
        setInterruptPin(1);
        // ICW1.Load Subsystem IDs: the subsystem IDs come from EEPROM words 0Bh/0Ch (§5.6).
        setSubsystem(eeprom.image().word(EepromImage.WORD_SUBSYSTEM_VENDOR_ID),
                eeprom.image().word(EepromImage.WORD_SUBSYSTEM_ID));
        finishLayout();
        macReset();
        backend.connect(this::receiveFromWire);
    }

    public E1000Config config() {
        return config;
    }

    /** The EEPROM contents (MAC address, IDs, checksum). */
    public EepromImage eepromImage() {
        return eeprom.image();
    }

    /** Plugs or unplugs the cable: the link goes down at once, and comes up after negotiation. */
    public synchronized void setCablePlugged(boolean plugged) {
        phy.setCablePlugged(plugged);
    }

    /** Whether the MAC sees the link up (STATUS.LU). */
    public synchronized boolean linkUp() {
        return (regs.get(CTRL) & CTRL_SLU) != 0 && phy.linkUp();
    }

    public synchronized E1000Counters counters() {
        return new E1000Counters(mmioReads, mmioWrites, ioReads, ioWrites, interrupts.assertions(),
                transmitter.framesSent(), receiver.framesStored(), receiver.framesMissed(),
                transmitter.descriptorsProcessed(), transmitter.packetsDropped());
    }

    /**
     * A frame from the network (no FCS). Returns false if it was missed for lack of receive
     * descriptors. Frames are ignored while the receiver is in loopback mode (RCTL.LBM).
     */
    public boolean receiveFromWire(byte[] frame) {
        synchronized (this) {
            if (loopbackMode()) {
                return true;
            }
            return receiver.receive(frame, linkUp());
        }
    }

    // ---- register access ----

    /** BAR0: the registers, memory mapped. */
    private final MmioDevice registerRegion = new MmioDevice() {
        @Override
        public long mmioRead(long offset, int size) {
            synchronized (Intel82540EM.this) {
                mmioReads++;
                return readAccess((int) (offset & (BAR0_BYTES - 1)), size);
            }
        }

        @Override
        public void mmioWrite(long offset, int size, long value) {
            synchronized (Intel82540EM.this) {
                mmioWrites++;
                writeAccess((int) (offset & (BAR0_BYTES - 1)), size, value);
            }
            flushOutbound();
        }
    };

    /**
     * BAR1: "IOADDR ... selects the register, IODATA ... reads or writes it" (§13.2.1). Other
     * offsets of the BAR are reserved: they read 0 and ignore writes.
     */
    private final MmioDevice ioRegion = new MmioDevice() {
        @Override
        public long mmioRead(long offset, int size) {
            synchronized (Intel82540EM.this) {
                ioReads++;
                if (offset >= IOADDR && offset < IOADDR + 4) {
                    return narrow(ioAddress, (int) offset & 3, size);
                }
                if (offset >= IODATA && offset < IODATA + 4) {
                    return readAccess((ioAddress & (BAR0_BYTES - 1) & ~3) | ((int) offset & 3), size);
                }
                return 0;
            }
        }

        @Override
        public void mmioWrite(long offset, int size, long value) {
            synchronized (Intel82540EM.this) {
                ioWrites++;
                if (offset == IOADDR && size == 4) {
                    ioAddress = (int) value & (BAR0_BYTES - 1);
                } else if (offset >= IODATA && offset < IODATA + 4) {
                    writeAccess((ioAddress & (BAR0_BYTES - 1) & ~3) | ((int) offset & 3), size, value);
                }
            }
            flushOutbound();
        }
    };

    /** A read of 1, 2, 4 or 8 bytes: registers are dwords; 8 bytes read two, narrower a part of one. */
    private long readAccess(int offset, int size) {
        if (size == 8) {
            return (readRegister(offset & ~3) & 0xFFFF_FFFFL) | (readRegister((offset & ~3) + 4) & 0xFFFF_FFFFL) << 32;
        }
        return narrow(readRegister(offset & ~3), offset & 3, size);
    }

    /**
     * A write of 1, 2, 4 or 8 bytes. A narrow write replaces its bytes of the register's current
     * value; for the registers whose writes are commands (ICR, ICS, IMS, IMC, EERD, MDIC) the other
     * bytes are written as 0.
     */
    private void writeAccess(int offset, int size, long value) {
        int aligned = offset & ~3;
        if (size == 8) {
            writeRegister(aligned, (int) value);
            writeRegister(aligned + 4, (int) (value >>> 32));
            return;
        }
        if (size == 4 && (offset & 3) == 0) {
            writeRegister(aligned, (int) value);
            return;
        }
        int shift = (offset & 3) * 8;
        int bytes = Math.min(size, 4 - (offset & 3));
        int mask = (int) (((1L << (8 * bytes)) - 1) << shift);
        boolean command = aligned == ICR || aligned == ICS || aligned == IMS || aligned == IMC
                || aligned == EERD || aligned == MDIC;
        int current = command ? 0 : peekRegister(aligned);
        writeRegister(aligned, (current & ~mask) | ((int) (value << shift) & mask));
    }

    private static long narrow(int dword, int byteOffset, int size) {
        long v = (dword & 0xFFFF_FFFFL) >>> (8 * byteOffset);
        return size >= 4 ? v : v & ((1L << (8 * size)) - 1);
    }

    /** The register's value without read side effects (for merging narrow writes). */
    private int peekRegister(int offset) {
        return switch (offset) {
            case STATUS -> status();
            case EECD -> eeprom.readEecd();
            default -> regs.read(offset);
        };
    }

    private int readRegister(int offset) {
        return switch (offset) {
            case STATUS -> status();
            case EECD -> eeprom.readEecd();
            case EERD -> eerd;
            case MDIC -> mdic;
            case ICR -> interrupts.readAndClear();   // §13.4.17: cleared upon read
            case IMS -> interrupts.mask();
            case ICS, IMC -> 0;                      // write-only
            default -> Statistics.contains(offset) ? stats.read(offset) : regs.read(offset);
        };
    }

    private void writeRegister(int offset, int value) {
        switch (offset) {
            case CTRL -> writeCtrl(value);
            case STATUS -> {
                // read-only
            }
            case EECD -> eeprom.writeEecd(value);
            case EERD -> eerd = eeprom.eerdRead(value);
            case MDIC -> writeMdic(value);
            case ICR -> interrupts.acknowledge(value);   // §13.4.17: writing 1b clears the bit
            case ICS -> interrupts.raise(value);         // §13.4.19
            case IMS -> interrupts.enable(value);        // §13.4.20
            case IMC -> interrupts.disable(value);       // §13.4.21
            case ITR -> {
                regs.write(ITR, value);
                interrupts.setInterval(regs.get(ITR));
            }
            case RDTR -> {
                regs.write(RDTR, value);
                if ((value & RDTR_FPD) != 0) {
                    receiveTimer.fire();                 // §13.4.30: FPD, immediate expiration
                }
            }
            case TCTL, TDT -> {
                regs.write(offset, value);
                startTransmit();                         // the doorbell
            }
            default -> {
                if (!Statistics.contains(offset)) {
                    regs.write(offset, value);
                }
            }
        }
    }

    private void startTransmit() {
        if (transmitter.process()) {
            transmitContinuation.armAfter(0);
        }
    }

    // ---- CTRL, STATUS, link (§13.4.1, §13.4.2, §8.6.2) ----

    private void writeCtrl(int value) {
        if ((value & CTRL_RST) != 0) {
            // §13.4.1: RST "globally resets the entire hardware with the exception of the PCI
            // configuration registers"; self-clearing. The PHY has its own reset (PHY_RST).
            macReset();
            return;
        }
        regs.write(CTRL, value);
        phy.holdInReset((value & CTRL_PHY_RST) != 0);
        updateLink();
    }

    /**
     * STATUS: LU when the PHY has link and CTRL.SLU is set ("Software MUST set ... CTRL.SLU
     * before the Ethernet controller recognizes the link", §8.6.2.1); speed and duplex as the PHY
     * resolved them unless CTRL.FRCSPD / CTRL.FRCDPLX force CTRL.SPEED / CTRL.FD (§8.6.2.2-3);
     * ASDV the speed the PHY detected. A PCI (not PCI-X) 32-bit 33 MHz bus: PCI66, BUS64 and
     * PCIX_MODE are 0.
     */
    private int status() {
        int ctrl = regs.get(CTRL);
        boolean lu = (ctrl & CTRL_SLU) != 0 && phy.linkUp();
        int speed = (ctrl & CTRL_FRCSPD) != 0 ? (ctrl & CTRL_SPEED_MASK) >>> CTRL_SPEED_SHIFT : phy.speed();
        boolean fd = (ctrl & CTRL_FRCDPLX) != 0 ? (ctrl & CTRL_FD) != 0 : phy.fullDuplex();
        int value = speed << STATUS_SPEED_SHIFT | phy.speed() << STATUS_ASDV_SHIFT;
        if (lu) {
            value |= STATUS_LU | (fd ? STATUS_FD : 0);
        }
        return value;
    }

    /** Called when the PHY's link or CTRL.SLU may have changed: LSC on every change of STATUS.LU. */
    private void updateLink() {
        boolean up = (regs.get(CTRL) & CTRL_SLU) != 0 && phy.linkUp();
        if (up != linkWasUp) {
            linkWasUp = up;
            interrupts.raise(ICR_LSC); // §13.4.17: "set each time the link status changes"
        }
    }

    // ---- MDIC (§13.4.7) ----

    /**
     * MDIC: a read (OP 10b) or write (OP 01b) of PHY register REGADD at PHY address PHYADD,
     * complete at once (R set). Only the integrated PHY at address 1 answers; an access to another
     * address, or with another opcode, completes with E (error) set. With I set, MDAC is raised.
     */
    private void writeMdic(int value) {
        int op = (value >>> MDIC_OP_SHIFT) & 3;
        int phyAddress = (value >>> MDIC_PHY_SHIFT) & 0x1F;
        int reg = (value >>> MDIC_REG_SHIFT) & 0x1F;
        int data = value & MDIC_DATA_MASK;
        int result = value & ~(MDIC_R | MDIC_E);
        if (phyAddress != IntegratedPhy.ADDRESS || (op != MDIC_OP_READ && op != MDIC_OP_WRITE)) {
            result |= MDIC_E;
        } else if (op == MDIC_OP_READ) {
            result = (result & ~MDIC_DATA_MASK) | phy.read(reg);
        } else {
            phy.write(reg, data);
        }
        mdic = result | MDIC_R;
        if ((value & MDIC_I) != 0) {
            interrupts.raise(ICR_MDAC);
        }
    }

    // ---- resets ----

    /**
     * CTRL.RST (and power-up): every MAC register to its initial value, timers stopped, the
     * offload context and any half-gathered packet dropped, then the EEPROM is read again: the
     * Ethernet address into RAL0/RAH0 with AV set (§5.6, "loaded into Receive Address Register 0").
     */
    private void macReset() {
        regs.reset();
        stats.reset();
        interrupts.reset();
        receiveTimer.reset();
        transmitTimer.reset();
        transmitter.reset();
        transmitContinuation.cancel();
        eeprom.reset();
        outbound.clear();
        eerd = 0;
        mdic = 0;
        ioAddress = 0;
        EepromImage image = eeprom.image();
        regs.set(RAL0, image.word(0) | image.word(1) << 16);
        regs.set(RAH0, image.word(2) | RAH_AV);
        linkWasUp = false; // CTRL.SLU is clear again: the MAC no longer sees the link
    }

    /** PCI RST#: the MAC and the PHY. */
    @Override
    protected void resetDevice() {
        synchronized (this) {
            macReset();
            phy.reset();
        }
    }

    // ---- loopback and the wire ----

    /** RCTL.LBM (§13.4.22): 01b MAC loopback, 11b PHY loopback; both return frames to the receiver. */
    private boolean loopbackMode() {
        int lbm = (regs.get(RCTL) & RCTL_LBM_MASK) >>> RCTL_LBM_SHIFT;
        return lbm == 1 || lbm == 3;
    }

    /**
     * Hands queued frames to the backend (or, in loopback mode, to the receiver) outside the
     * device's lock, one thread at a time and in order.
     */
    private void flushOutbound() {
        synchronized (this) {
            if (flushing || outbound.isEmpty()) {
                return;
            }
            flushing = true;
        }
        try {
            while (true) {
                byte[] frame;
                boolean loopback;
                boolean link;
                synchronized (this) {
                    frame = outbound.poll();
                    if (frame == null) {
                        return;
                    }
                    loopback = loopbackMode();
                    link = linkUp();
                }
                if (loopback) {
                    synchronized (this) {
                        receiver.receive(frame, true);
                    }
                } else if (link) {
                    backend.transmit(frame);
                }
            }
        } finally {
            synchronized (this) {
                flushing = false;
            }
        }
    }

    private VirtualTimer newTimer(Runnable action) {
        return timers.newTimer(() -> {
            synchronized (this) {
                action.run();
            }
        });
    }
}
