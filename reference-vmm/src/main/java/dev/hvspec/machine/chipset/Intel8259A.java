package dev.hvspec.machine.chipset;

/**
 * One Intel 8259A programmable interrupt controller as the PC chipset integrates it: the 8259A core
 * of the datasheet (Intel 8259A, order no. 231468) plus the edge/level control register (ELCR) of
 * the PIIX/ICH south bridges, which replaces ICW1.LTIM.
 *
 * <p>Section names in comments are the datasheet's headings: "Interrupt Sequence", "Initialization
 * Command Words", "Operation Command Words", "Fully Nested Mode", "End of Interrupt", "Automatic
 * Rotation", "Specific Rotation", "Special Mask Mode", "Poll Command", "Reading the 8259A Status",
 * "Edge and Level Triggered Modes", "Special Fully Nest Mode", "Cascade Mode".
 *
 * <p>PC-integration choices (PIIX3/ICH ICW1 and ICW3 descriptions): ICW1.LTIM is ignored (the ELCR
 * selects edge or level per pin), ICW1.SNGL is taken as 0 (the two chips are always cascaded, so
 * ICW3 is always expected), ICW3 is accepted and ignored (the slave sits on master IR2 by wiring),
 * and the chip always runs in 8086 mode (vector = ICW2 T7..T3 | IR). These choices make the chip's
 * whole state exactly {@link KvmPicState}.
 *
 * <p>An IR input is modelled as a level. An edge-triggered pin latches its IRR bit on the rising
 * edge and keeps it until acknowledged (an emulated edge has no width, so the datasheet's "request
 * must stay high until the first INTA" is read as "the latched request stays"); a level-triggered
 * pin's IRR bit follows the input.
 *
 * <p>Not thread-safe: {@link Pic8259Pair} serialises all access.
 */
public final class Intel8259A {
    /** The IR pin of the master that the slave's INT output drives (PC/AT wiring). */
    public static final int CASCADE_IR = 2;
    /** The IR whose vector a spurious ("default IR7") acknowledge returns. */
    public static final int SPURIOUS_IR = 7;

    private final boolean master; // the SP/EN pin: 1 = master, 0 = slave (datasheet "Cascade Mode")
    private final int implementedElcr;
    private int elcrMask;

    private int lastIrr;
    private int irr;
    private int imr;
    private int isr;
    private int priorityAdd;
    private int irqBase;
    private boolean readIsr;
    private boolean poll;
    private boolean specialMask;
    private int initState;
    private boolean autoEoi;
    private boolean rotateOnAutoEoi;
    private boolean specialFullyNested;
    private boolean init4;
    private int elcr;
    /** IRs named by EOI commands since {@link #takeEndedIrs()} last ran (not part of the chip's state). */
    private int endedIrs;

    /**
     * @param master   true for the master (SP/EN high), false for the slave
     * @param elcrMask the ELCR bits the chipset implements (PIIX: 0xF8 master, 0xDE slave)
     */
    public Intel8259A(boolean master, int elcrMask) {
        this.master = master;
        this.implementedElcr = elcrMask & 0xFF;
        this.elcrMask = implementedElcr;
    }

    public boolean isMaster() {
        return master;
    }

    // ---------------------------------------------------------------- IR inputs

    /** Drives IR pin {@code ir} (0..7) to {@code level}. "Edge and Level Triggered Modes". */
    public void setInput(int ir, boolean level) {
        int mask = 1 << (ir & 7);
        if (isLevelTriggered(ir)) {
            irr = level ? irr | mask : irr & ~mask; // level mode: IRR follows the input
        } else if (level && (lastIrr & mask) == 0) {
            irr |= mask; // edge mode: a low-to-high transition latches the request
        }
        lastIrr = level ? lastIrr | mask : lastIrr & ~mask;
    }

    public boolean isLevelTriggered(int ir) {
        return (elcr & (1 << (ir & 7))) != 0;
    }

    // ---------------------------------------------------------------- priority resolver

    /** Priority of IR {@code ir}: 0 is the highest, 7 the lowest ("Automatic Rotation"). */
    int priorityOf(int ir) {
        return (ir - priorityAdd) & 7;
    }

    /** The IR of highest priority among {@code bits}, or -1 if none is set. */
    int highestPriority(int bits) {
        for (int p = 0; p < 8; p++) {
            int ir = (p + priorityAdd) & 7;
            if ((bits & (1 << ir)) != 0) {
                return ir;
            }
        }
        return -1;
    }

    /**
     * The request the priority resolver would present now, or -1: the highest-priority unmasked
     * IRR bit, if it outranks every in-service level ("Fully Nested Mode"). In special mask mode,
     * in-service levels that are masked do not block ("Special Mask Mode"). In special fully nested
     * mode a master lets a cascade input through while that same input is in service ("Special
     * Fully Nest Mode"), so higher-priority requests of the slave reach the CPU.
     */
    public int pendingRequest() {
        int request = highestPriority(irr & ~imr);
        if (request < 0) {
            return -1;
        }
        int blocking = specialMask ? isr & ~imr : isr;
        int inService = highestPriority(blocking);
        if (inService < 0 || priorityOf(request) < priorityOf(inService)) {
            return request;
        }
        if (specialFullyNested && master && request == inService && request == CASCADE_IR) {
            return request;
        }
        return -1;
    }

    /** The INT output pin. */
    public boolean intAsserted() {
        return pendingRequest() >= 0;
    }

    // ---------------------------------------------------------------- interrupt acknowledge

    /**
     * The chip's part of an INTA sequence ("Interrupt Sequence", 8086 mode): the highest-priority
     * request is moved from IRR to ISR (in AEOI mode the ISR bit is reset again at the end of the
     * second INTA, rotating if "rotate in AEOI" is set). Returns the IR acknowledged, or -1 if no
     * request was pending: the chip then answers with IR7's vector and sets no ISR bit ("default
     * IR7", the spurious interrupt).
     */
    public int acknowledge() {
        int ir = pendingRequest();
        if (ir < 0) {
            return -1;
        }
        int mask = 1 << ir;
        if (!isLevelTriggered(ir)) {
            irr &= ~mask; // a level-triggered request is re-asserted by its still-high input
        }
        if (autoEoi) {
            if (rotateOnAutoEoi) {
                priorityAdd = (ir + 1) & 7; // "Automatic Rotation": the serviced IR becomes lowest
            }
        } else {
            isr |= mask;
        }
        return ir;
    }

    /** The vector the chip drives in the second INTA cycle for {@code ir} (8086 mode). */
    public int vector(int ir) {
        return irqBase | (ir & 7);
    }

    // ---------------------------------------------------------------- port access

    /** A write with address line A0 = {@code a0}. */
    public void write(int a0, int value) {
        value &= 0xFF;
        if (a0 == 0) {
            if ((value & 0x10) != 0) {
                writeIcw1(value);
            } else if ((value & 0x08) != 0) {
                writeOcw3(value);
            } else {
                writeOcw2(value);
            }
        } else {
            switch (initState) {
                case 1 -> { // ICW2: T7..T3 of the vector
                    irqBase = value & 0xF8;
                    initState = 2; // SNGL is 0 on the PC, so ICW3 follows
                }
                case 2 -> initState = init4 ? 3 : 0; // ICW3: fixed by the PC wiring
                case 3 -> { // ICW4
                    specialFullyNested = (value & 0x10) != 0;
                    autoEoi = (value & 0x02) != 0;
                    initState = 0;
                }
                default -> imr = value; // OCW1
            }
        }
    }

    /** A read with address line A0 = {@code a0} ("Reading the 8259A Status", "Poll Command"). */
    public int read(int a0) {
        if (poll) {
            poll = false;
            int ir = acknowledge();
            return ir < 0 ? 0x00 : 0x80 | ir; // I bit, W2..W0
        }
        if (a0 == 0) {
            return readIsr ? isr : irr;
        }
        return imr;
    }

    /**
     * "Initialization Command Words", ICW1: the edge sense circuit is reset (an edge-triggered
     * input must make a new low-to-high transition), IMR is cleared, IR7 gets the lowest priority,
     * special mask mode is cleared and status read selects IRR; if IC4 = 0 the ICW4 functions are
     * cleared. ISR is not among the things ICW1 resets and is kept.
     */
    private void writeIcw1(int value) {
        init4 = (value & 0x01) != 0;
        initState = 1;
        irr &= elcr; // edge latches dropped; level-triggered bits follow their inputs
        imr = 0;
        priorityAdd = 0;
        specialMask = false;
        readIsr = false;
        poll = false;
        if (!init4) {
            autoEoi = false;
            specialFullyNested = false;
        }
    }

    /** "Operation Command Words", OCW2: R, SL, EOI in bits 7..5, L2..L0 in bits 2..0. */
    private void writeOcw2(int value) {
        int level = value & 7;
        switch (value >>> 5) {
            case 0b001 -> { // non-specific EOI: reset the highest-priority ISR bit
                int ir = highestPriority(isr);
                if (ir >= 0) {
                    isr &= ~(1 << ir);
                    endedIrs |= 1 << ir;
                }
            }
            case 0b011 -> { // specific EOI
                isr &= ~(1 << level);
                endedIrs |= 1 << level;
            }
            case 0b101 -> { // rotate on non-specific EOI
                int ir = highestPriority(isr);
                if (ir >= 0) {
                    isr &= ~(1 << ir);
                    endedIrs |= 1 << ir;
                    priorityAdd = (ir + 1) & 7;
                }
            }
            case 0b100 -> rotateOnAutoEoi = true;  // rotate in AEOI mode (set)
            case 0b000 -> rotateOnAutoEoi = false; // rotate in AEOI mode (clear)
            case 0b111 -> { // rotate on specific EOI: L becomes the lowest priority
                isr &= ~(1 << level);
                endedIrs |= 1 << level;
                priorityAdd = (level + 1) & 7;
            }
            case 0b110 -> priorityAdd = (level + 1) & 7; // set priority command
            default -> { } // 0b010: no operation
        }
    }

    /** "Operation Command Words", OCW3: ESMM/SMM in bits 6..5, P in bit 2, RR/RIS in bits 1..0. */
    private void writeOcw3(int value) {
        if ((value & 0x04) != 0) {
            poll = true;
        }
        if ((value & 0x02) != 0) {
            readIsr = (value & 0x01) != 0;
        }
        if ((value & 0x40) != 0) {
            specialMask = (value & 0x20) != 0;
        }
    }

    // ---------------------------------------------------------------- ELCR

    public int elcr() {
        return elcr;
    }

    /** Writes the ELCR; pins that become level-triggered take their IRR bit from the input. */
    public void writeElcr(int value) {
        elcr = value & elcrMask;
        irr = (irr & ~elcr) | (lastIrr & elcr);
    }

    // ---------------------------------------------------------------- inspection, reset, state

    /**
     * The IRs that EOI commands (OCW2: non-specific, specific and the rotating forms) ended since
     * the last call, as a bit mask, and clears it. A specific EOI names its IR even when that ISR
     * bit was clear; a non-specific EOI with no ISR bit set names none. Observers (KVM's irq ack
     * notifiers) learn from this when the guest has finished with an interrupt.
     */
    public int takeEndedIrs() {
        int ended = endedIrs;
        endedIrs = 0;
        return ended;
    }

    public int irr() {
        return irr;
    }

    public int isr() {
        return isr;
    }

    public int imr() {
        return imr;
    }

    /** Power-on state: uninitialised, nothing pending, all pins edge-triggered. */
    public void reset() {
        restore(new KvmPicState(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, implementedElcr));
    }

    public KvmPicState save() {
        return new KvmPicState(lastIrr, irr, imr, isr, priorityAdd, irqBase, bit(readIsr), bit(poll),
                bit(specialMask), initState, bit(autoEoi), bit(rotateOnAutoEoi), bit(specialFullyNested),
                bit(init4), elcr, elcrMask);
    }

    /** Loads {@code state}, as {@code KVM_SET_IRQCHIP} does (including the ELCR mask). */
    public void restore(KvmPicState state) {
        elcrMask = state.elcrMask();
        lastIrr = state.lastIrr();
        irr = state.irr();
        imr = state.imr();
        isr = state.isr();
        priorityAdd = state.priorityAdd() & 7;
        irqBase = state.irqBase() & 0xF8;
        readIsr = state.readRegSelect() != 0;
        poll = state.poll() != 0;
        specialMask = state.specialMask() != 0;
        initState = state.initState() & 3;
        autoEoi = state.autoEoi() != 0;
        rotateOnAutoEoi = state.rotateOnAutoEoi() != 0;
        specialFullyNested = state.specialFullyNestedMode() != 0;
        init4 = state.init4() != 0;
        elcr = state.elcr() & elcrMask;
    }

    private static int bit(boolean b) {
        return b ? 1 : 0;
    }
}
