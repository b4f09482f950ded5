package dev.hvspec.vmm.devices;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.PortIoDevice;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.machine.time.VirtualTimer;

import java.util.ArrayDeque;
import java.util.function.IntConsumer;

/**
 * The National Semiconductor PC16550D UART (the "16550A" of PC serial ports), as COM1 of the
 * guest contract: eight registers at {@code base..base+7}, interrupt on one IRQ line.
 *
 * <p>Section numbers refer to the PC16550D datasheet (June 1995), §8 "Registers". Transmission is
 * instantaneous in virtual time: a byte written to THR leaves the chip at once, so THR and the
 * transmitter shift register are always empty again when the CPU next looks (LSR.THRE = LSR.TEMT
 * = 1). Reception is driven by the host through {@link #receive(int)}.
 *
 * <p>On the PC board the chip's INTR output reaches the interrupt controller only while MCR.OUT2
 * is set (the IBM PC/AT serial adapter gates it with OUT2); this class models that wiring.
 */
public final class Uart16550A implements PortIoDevice {
    // Register offsets (§8, Table II "Register Addresses").
    public static final int RBR_THR_DLL = 0;
    public static final int IER_DLM = 1;
    public static final int IIR_FCR = 2;
    public static final int LCR = 3;
    public static final int MCR = 4;
    public static final int LSR = 5;
    public static final int MSR = 6;
    public static final int SCR = 7;

    // IER bits (§8.7).
    static final int IER_ERBFI = 0x01; // received data available (and character timeout)
    static final int IER_ETBEI = 0x02; // transmitter holding register empty
    static final int IER_ELSI = 0x04;  // receiver line status
    static final int IER_EDSSI = 0x08; // modem status

    // IIR interrupt identification codes (§8.6, Table IV), bit 0 = 1 means "no interrupt pending".
    static final int IIR_NO_INTERRUPT = 0x01;
    static final int IIR_LINE_STATUS = 0x06;
    static final int IIR_RX_DATA = 0x04;
    static final int IIR_CHAR_TIMEOUT = 0x0C;
    static final int IIR_THR_EMPTY = 0x02;
    static final int IIR_MODEM_STATUS = 0x00;
    static final int IIR_FIFOS_ENABLED = 0xC0;

    // FCR bits (§8.5).
    static final int FCR_FIFO_ENABLE = 0x01;
    static final int FCR_RX_RESET = 0x02;
    static final int FCR_TX_RESET = 0x04;

    // LCR bits (§8.1).
    static final int LCR_DLAB = 0x80;

    // MCR bits (§8.8).
    static final int MCR_DTR = 0x01;
    static final int MCR_RTS = 0x02;
    static final int MCR_OUT1 = 0x04;
    static final int MCR_OUT2 = 0x08;
    static final int MCR_LOOP = 0x10;

    // LSR bits (§8.4).
    static final int LSR_DR = 0x01;
    static final int LSR_OE = 0x02;
    static final int LSR_BI = 0x10;
    static final int LSR_THRE = 0x20;
    static final int LSR_TEMT = 0x40;

    // MSR bits (§8.9).
    static final int MSR_DCTS = 0x01;
    static final int MSR_DDSR = 0x02;
    static final int MSR_TERI = 0x04;
    static final int MSR_DDCD = 0x08;
    static final int MSR_CTS = 0x10;
    static final int MSR_DSR = 0x20;
    static final int MSR_RI = 0x40;
    static final int MSR_DCD = 0x80;

    /** §8.5: the receiver FIFO holds 16 characters. */
    public static final int FIFO_DEPTH = 16;
    /** §8.3: the reference oscillator of a PC serial port, 1.8432 MHz, divided by 16 per bit. */
    static final long CLOCK_HZ = 1_843_200;

    private final int base;
    private final IrqLine irq;
    private final IntConsumer transmitter;
    private final TimerQueue timers;
    private final VirtualTimer characterTimeout;

    private final ArrayDeque<Integer> rxFifo = new ArrayDeque<>();
    private int ier;
    private int fcr;
    private int lcr;
    private int mcr;
    private int lsrErrors; // OE/PE/FE/BI, cleared by reading LSR
    private int msrDeltas; // DCTS/DDSR/TERI/DDCD, cleared by reading MSR
    private int modemInputs = MSR_CTS | MSR_DSR | MSR_DCD; // the host side is "connected"
    private int scr;
    private int divisor = 0x000C; // 9600 baud, an arbitrary power-on value (§8.3: unspecified)
    private boolean thrEmptyInterrupt; // THRE source latched, cleared by IIR read or THR write
    private boolean timeoutIndicated;
    private boolean irqAsserted;

    /**
     * @param base        first I/O port (0x3F8 for COM1)
     * @param irq         the IRQ wire (IRQ4 for COM1)
     * @param transmitter receives every byte the guest transmits (not in loopback mode)
     * @param timers      virtual-time timers for the character timeout indication
     */
    public Uart16550A(int base, IrqLine irq, IntConsumer transmitter, TimerQueue timers) {
        this.base = base;
        this.irq = irq;
        this.transmitter = transmitter;
        this.timers = timers;
        this.characterTimeout = timers.newTimer(this::onCharacterTimeout);
    }

    public int base() {
        return base;
    }

    /** A character arrives on the serial input (SIN) from the host side. */
    public synchronized void receive(int character) {
        if ((mcr & MCR_LOOP) != 0) {
            return; // §8.8: in loopback mode the serial input is disconnected
        }
        acceptIntoReceiver(character & 0xFF);
    }

    /** True if the receiver can take another character without overrun. */
    public synchronized boolean canReceive() {
        return rxFifo.size() < receiverCapacity();
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        int value = readRegister(port - base);
        return size == 1 ? value : value | (PortIoDevice.allOnes(size) & ~0xFF);
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        writeRegister(port - base, value & 0xFF);
    }

    private int readRegister(int offset) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        int value = switch (offset) {
            case RBR_THR_DLL -> dlab ? divisor & 0xFF : readReceiverBuffer();
            case IER_DLM -> dlab ? (divisor >>> 8) & 0xFF : ier;
            case IIR_FCR -> readInterruptIdentification();
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> readLineStatus();
            case MSR -> readModemStatus();
            case SCR -> scr;
            default -> 0xFF;
        };
        updateInterrupt();
        return value;
    }

    private void writeRegister(int offset, int value) {
        boolean dlab = (lcr & LCR_DLAB) != 0;
        switch (offset) {
            case RBR_THR_DLL -> {
                if (dlab) {
                    divisor = (divisor & 0xFF00) | value;
                } else {
                    transmit(value);
                }
            }
            case IER_DLM -> {
                if (dlab) {
                    divisor = (divisor & 0x00FF) | (value << 8);
                } else {
                    int enabledNow = value & 0x0F & ~ier;
                    ier = value & 0x0F; // §8.7: bits 4-7 are always 0
                    // §8.11: enabling ETBEI while THR is empty raises the THRE interrupt at once.
                    if ((enabledNow & IER_ETBEI) != 0) {
                        thrEmptyInterrupt = true;
                    }
                }
            }
            case IIR_FCR -> writeFifoControl(value);
            case LCR -> lcr = value;
            case MCR -> writeModemControl(value & 0x1F); // §8.8: bits 5-7 are always 0
            case LSR, MSR -> { } // §8.4/§8.9: factory test / read-only, writes have no effect
            case SCR -> scr = value;
            default -> { }
        }
        updateInterrupt();
    }

    private boolean fifoMode() {
        return (fcr & FCR_FIFO_ENABLE) != 0;
    }

    /** §8.5: 16 characters in FIFO mode; one (the RBR) in 16450 character mode. */
    private int receiverCapacity() {
        return fifoMode() ? FIFO_DEPTH : 1;
    }

    private int receiverTriggerLevel() {
        // §8.5, FCR bits 7:6 → 1, 4, 8 or 14 characters.
        return switch ((fcr >>> 6) & 3) {
            case 0 -> 1;
            case 1 -> 4;
            case 2 -> 8;
            default -> 14;
        };
    }

    private int readReceiverBuffer() {
        Integer character = rxFifo.pollFirst();
        timeoutIndicated = false;
        restartCharacterTimeout();
        return character == null ? 0 : character;
    }

    private int readInterruptIdentification() {
        int id = highestPriorityInterrupt();
        if (id == IIR_THR_EMPTY) {
            thrEmptyInterrupt = false; // §8.6: reading IIR clears a THRE interrupt it reports
        }
        return id | (fifoMode() ? IIR_FIFOS_ENABLED : 0);
    }

    private int readLineStatus() {
        int value = lsrErrors | LSR_THRE | LSR_TEMT;
        if (!rxFifo.isEmpty()) {
            value |= LSR_DR;
        }
        lsrErrors = 0; // §8.4: OE, PE, FE and BI are reset when the CPU reads LSR
        return value;
    }

    private int readModemStatus() {
        int value = modemStatusInputs() | msrDeltas;
        msrDeltas = 0; // §8.9: the delta bits are reset when the CPU reads MSR
        return value;
    }

    /** §8.8: in loopback the modem inputs are the MCR outputs: CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2. */
    private int modemStatusInputs() {
        if ((mcr & MCR_LOOP) == 0) {
            return modemInputs;
        }
        int value = 0;
        if ((mcr & MCR_RTS) != 0) value |= MSR_CTS;
        if ((mcr & MCR_DTR) != 0) value |= MSR_DSR;
        if ((mcr & MCR_OUT1) != 0) value |= MSR_RI;
        if ((mcr & MCR_OUT2) != 0) value |= MSR_DCD;
        return value;
    }

    private void writeFifoControl(int value) {
        boolean wasFifo = fifoMode();
        fcr = value & 0xC9; // bits 4-5 reserved; bits 1-2 self-clearing
        boolean isFifo = fifoMode();
        // §8.5: changing FCR bit 0 clears both FIFOs; bits 1 and 2 clear one FIFO each.
        if (wasFifo != isFifo || (value & FCR_RX_RESET) != 0) {
            rxFifo.clear();
            timeoutIndicated = false;
            characterTimeout.cancel();
        }
        // The transmitter FIFO is always empty here (instantaneous transmission).
    }

    private void writeModemControl(int value) {
        int before = modemStatusInputs();
        mcr = value;
        int after = modemStatusInputs();
        recordModemDeltas(before, after);
    }

    private void recordModemDeltas(int before, int after) {
        int changed = before ^ after;
        if ((changed & MSR_CTS) != 0) msrDeltas |= MSR_DCTS;
        if ((changed & MSR_DSR) != 0) msrDeltas |= MSR_DDSR;
        if ((changed & MSR_DCD) != 0) msrDeltas |= MSR_DDCD;
        // §8.9: TERI is set when RI goes from active to inactive.
        if ((before & MSR_RI) != 0 && (after & MSR_RI) == 0) msrDeltas |= MSR_TERI;
    }

    private void transmit(int character) {
        if ((mcr & MCR_LOOP) != 0) {
            acceptIntoReceiver(character); // §8.8: transmitter output looped back to the receiver
        } else {
            transmitter.accept(character);
        }
        // THR was written (clearing THRE interrupt) and emptied again at once (setting it).
        thrEmptyInterrupt = true;
    }

    private void acceptIntoReceiver(int character) {
        if (rxFifo.size() >= receiverCapacity()) {
            // §8.4 OE: in FIFO mode the character in the shift register is overwritten and the
            // FIFO keeps its contents; in character mode the RBR character is overwritten.
            lsrErrors |= LSR_OE;
            if (!fifoMode()) {
                rxFifo.pollLast();
                rxFifo.addLast(character);
            }
        } else {
            rxFifo.addLast(character);
        }
        timeoutIndicated = false;
        restartCharacterTimeout();
        updateInterrupt();
    }

    /**
     * §8.11: in FIFO mode a timeout interrupt occurs when the FIFO holds at least one character and
     * no character has been received or read for four character times.
     */
    private void restartCharacterTimeout() {
        if (fifoMode() && !rxFifo.isEmpty()) {
            characterTimeout.armAfter(4 * characterTimeNanos());
        } else {
            characterTimeout.cancel();
        }
    }

    private synchronized void onCharacterTimeout() {
        if (fifoMode() && !rxFifo.isEmpty()) {
            timeoutIndicated = true;
            updateInterrupt();
        }
    }

    /** One character on the line: start bit, 5-8 data bits, optional parity, 1-2 stop bits. */
    long characterTimeNanos() {
        int dataBits = 5 + (lcr & 3);
        int parityBits = (lcr & 0x08) != 0 ? 1 : 0;
        int stopBits = (lcr & 0x04) != 0 ? 2 : 1;
        int bits = 1 + dataBits + parityBits + stopBits;
        long effectiveDivisor = divisor == 0 ? 0x10000 : divisor;
        return bits * 16 * effectiveDivisor * 1_000_000_000L / CLOCK_HZ;
    }

    /** §8.6, Table IV: the highest-priority enabled, pending interrupt, or "none". */
    private int highestPriorityInterrupt() {
        if ((ier & IER_ELSI) != 0 && (lsrErrors & (LSR_OE | 0x0C | LSR_BI)) != 0) {
            return IIR_LINE_STATUS;
        }
        if ((ier & IER_ERBFI) != 0) {
            if (rxFifo.size() >= (fifoMode() ? receiverTriggerLevel() : 1)) {
                return IIR_RX_DATA;
            }
            if (timeoutIndicated && !rxFifo.isEmpty()) {
                return IIR_CHAR_TIMEOUT;
            }
        }
        if ((ier & IER_ETBEI) != 0 && thrEmptyInterrupt) {
            return IIR_THR_EMPTY;
        }
        if ((ier & IER_EDSSI) != 0 && msrDeltas != 0) {
            return IIR_MODEM_STATUS;
        }
        return IIR_NO_INTERRUPT;
    }

    private void updateInterrupt() {
        boolean asserted = highestPriorityInterrupt() != IIR_NO_INTERRUPT && (mcr & MCR_OUT2) != 0;
        if (asserted != irqAsserted) {
            irqAsserted = asserted;
            irq.setLevel(asserted);
        }
    }

    /** The level this chip currently drives on its IRQ wire (after the OUT2 gate). */
    public synchronized boolean irqAsserted() {
        return irqAsserted;
    }

    /** Timers owned by this device; exposed for tests that drive virtual time. */
    TimerQueue timers() {
        return timers;
    }
}
