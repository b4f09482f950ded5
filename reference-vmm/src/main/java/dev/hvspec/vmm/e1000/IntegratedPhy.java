package dev.hvspec.vmm.e1000;

import dev.hvspec.machine.time.VirtualTimer;

import java.util.function.Function;

/**
 * The 82540EM's integrated 10/100/1000BASE-T PHY as software sees it through MDIC, at PHY
 * address 1 (8254x SDM §8.6.2.4, §11, §13.5 "PHY registers"; IEEE 802.3 clause 22 for the
 * registers 0-15, clause 28 and 40 for auto-negotiation and 1000BASE-T).
 *
 * <p>The cable leads to a link partner that can do everything (1000BASE-T and 10/100, full and
 * half duplex, symmetric PAUSE) and answers at once; whether a cable is plugged is
 * {@link #setCablePlugged}. Auto-negotiation (or a forced link, with BMCR.ANENABLE clear) takes
 * {@code linkDelayNanos} of virtual time after a PHY reset, a restart, power-up or plugging the
 * cable; real PHYs take about two seconds. The result is the highest common mode in the priority
 * order of IEEE 802.3 Annex 28B.3 (1000 FD, 1000 HD, 100 FD, 100 HD, 10 FD, 10 HD) of what
 * ANAR and 1000T_CTRL advertise; with nothing in common the link stays down. When the link
 * comes up, BMSR, ANLPAR, ANER, 1000T_STATUS and PSSTAT are updated (§11.1.4).
 *
 * <p>BMSR.LSTATUS latches low (clause 22.2.4.2.13): after the link went down it reads 0 once,
 * even if the link is back, which is why drivers read BMSR twice. The ID registers give the
 * Marvell 88E1011 identifier the Linux driver expects for the 82540 (0x01410C20).
 *
 * <p>Not modelled: PHY loopback, isolate, power-down saving, next pages beyond the 1000BASE-T
 * exchange, cable diagnostics, PHY interrupts (PINTS reads 0), downshift and polarity.
 */
final class IntegratedPhy {
    public static final int ADDRESS = 1;

    // Register numbers (IEEE 802.3 clause 22; §13.5 of the SDM for 16-21).
    static final int BMCR = 0;
    static final int BMSR = 1;
    static final int PHYID1 = 2;
    static final int PHYID2 = 3;
    static final int ANAR = 4;
    static final int ANLPAR = 5;
    static final int ANER = 6;
    static final int ANNPTR = 7;
    static final int ANLPRNPR = 8;
    static final int GBCR = 9;      // 1000BASE-T control
    static final int GBSR = 10;     // 1000BASE-T status
    static final int GBESR = 15;    // extended status
    static final int PSCR = 16;     // PHY specific control
    static final int PSSR = 17;     // PHY specific status
    static final int PIER = 18;
    static final int PISR = 19;
    static final int EPSCR = 20;
    static final int PREC = 21;

    // BMCR bits.
    static final int BMCR_RESET = 1 << 15;
    static final int BMCR_LOOPBACK = 1 << 14;
    static final int BMCR_SPEED_LSB = 1 << 13;
    static final int BMCR_ANENABLE = 1 << 12;
    static final int BMCR_PDOWN = 1 << 11;
    static final int BMCR_ISOLATE = 1 << 10;
    static final int BMCR_ANRESTART = 1 << 9;
    static final int BMCR_FULLDPLX = 1 << 8;
    static final int BMCR_SPEED_MSB = 1 << 6;
    static final int BMCR_RESET_VALUE = BMCR_ANENABLE | BMCR_FULLDPLX | BMCR_SPEED_MSB; // 0x1140

    // BMSR: capabilities (100FD, 100HD, 10FD, 10HD, extended status, preamble suppression,
    // auto-negotiation ability, extended capability) plus the two status bits.
    static final int BMSR_CAPABILITIES = 0x7949;
    static final int BMSR_ANEGCOMPLETE = 1 << 5;
    static final int BMSR_LSTATUS = 1 << 2;

    static final int PHY_ID1_VALUE = 0x0141;
    static final int PHY_ID2_VALUE = 0x0C20;

    // ANAR / ANLPAR bits (clause 28, Annex 28B).
    static final int AN_SELECTOR_8023 = 0x0001;
    static final int AN_10HD = 1 << 5;
    static final int AN_10FD = 1 << 6;
    static final int AN_100HD = 1 << 7;
    static final int AN_100FD = 1 << 8;
    static final int AN_PAUSE = 1 << 10;
    static final int AN_ACK = 1 << 14;
    static final int ANAR_RESET_VALUE = AN_SELECTOR_8023 | AN_10HD | AN_10FD | AN_100HD | AN_100FD; // 0x01E1
    static final int ANAR_WRITABLE = 0xAFE0;
    /** What the link partner advertises, with Acknowledge set: 0x45E1. */
    static final int PARTNER_ABILITY = ANAR_RESET_VALUE | AN_PAUSE | AN_ACK;

    // 1000BASE-T control and status (clause 40.5).
    static final int GBCR_1000HD = 1 << 8;
    static final int GBCR_1000FD = 1 << 9;
    static final int GBCR_RESET_VALUE = GBCR_1000FD | GBCR_1000HD;
    static final int GBCR_WRITABLE = 0xFF00;
    /** Local and remote receiver OK, partner 1000BASE-T FD and HD capable; we are the slave. */
    static final int GBSR_LINK_VALUE = 0x3C00;
    static final int GBESR_VALUE = 0x3000; // 1000BASE-T FD and HD capable

    // PSSR bits (§13.5, PHY Specific Status): speed 15:14, duplex 13, resolved 11, link 10.
    static final int PSSR_SPEED_SHIFT = 14;
    static final int PSSR_DUPLEX = 1 << 13;
    static final int PSSR_RESOLVED = 1 << 11;
    static final int PSSR_LINK = 1 << 10;

    private final VirtualTimer linkTimer;
    private final long linkDelayNanos;
    private final Runnable linkChanged;
    private final int[] regs = new int[32];
    private boolean cablePlugged = true;
    private boolean heldInReset;
    private boolean link;
    private boolean latchedLinkDown;
    private int speed;          // E1000Registers.SPEED_* once the link is up
    private boolean fullDuplex;

    /**
     * @param newTimer       makes a timer whose callback runs under the device's lock
     * @param linkDelayNanos virtual time from (re)starting negotiation to link up
     * @param linkChanged    called (under the device's lock) whenever the link goes up or down
     */
    IntegratedPhy(Function<Runnable, VirtualTimer> newTimer, long linkDelayNanos, Runnable linkChanged) {
        this.linkTimer = newTimer.apply(this::linkTimerExpired);
        this.linkDelayNanos = linkDelayNanos;
        this.linkChanged = linkChanged;
        reset();
    }

    boolean linkUp() {
        return link;
    }

    int speed() {
        return speed;
    }

    boolean fullDuplex() {
        return fullDuplex;
    }

    /** A hardware reset of the PHY (power-up, RST#, CTRL.PHY_RST): registers to defaults, negotiation restarts. */
    void reset() {
        java.util.Arrays.fill(regs, 0);
        regs[BMCR] = BMCR_RESET_VALUE;
        regs[ANAR] = ANAR_RESET_VALUE;
        regs[ANNPTR] = 0x2001;
        regs[GBCR] = GBCR_RESET_VALUE;
        setLink(false);
        restartNegotiation();
    }

    /** CTRL.PHY_RST: the PHY is held in reset while the bit is set and starts again when it clears. */
    void holdInReset(boolean hold) {
        if (hold && !heldInReset) {
            heldInReset = true;
            linkTimer.cancel();
            setLink(false);
        } else if (!hold && heldInReset) {
            heldInReset = false;
            reset();
        }
    }

    /** Plugs or unplugs the cable to the link partner. */
    void setCablePlugged(boolean plugged) {
        cablePlugged = plugged;
        if (!plugged) {
            linkTimer.cancel();
            setLink(false);
        } else if (!link) {
            restartNegotiation();
        }
    }

    /** An MDIC read of register {@code reg}. */
    int read(int reg) {
        return switch (reg) {
            case BMSR -> {
                int v = BMSR_CAPABILITIES | (regs[BMSR] & BMSR_ANEGCOMPLETE);
                if (link && !latchedLinkDown) {
                    v |= BMSR_LSTATUS;
                }
                latchedLinkDown = false; // the latch clears when read
                yield v;
            }
            case PHYID1 -> PHY_ID1_VALUE;
            case PHYID2 -> PHY_ID2_VALUE;
            case GBESR -> GBESR_VALUE;
            default -> reg >= 0 && reg < 32 ? regs[reg] : 0;
        };
    }

    /** An MDIC write of register {@code reg}. */
    void write(int reg, int value) {
        value &= 0xFFFF;
        switch (reg) {
            case BMCR -> writeBmcr(value);
            case ANAR -> regs[ANAR] = (regs[ANAR] & ~ANAR_WRITABLE) | (value & ANAR_WRITABLE);
            case GBCR -> regs[GBCR] = value & GBCR_WRITABLE;
            case ANNPTR, PSCR, PIER, EPSCR -> regs[reg] = value;
            default -> {
                // read-only or unimplemented: ignored
            }
        }
    }

    /**
     * BMCR. The integrated PHY follows §11.1.3: "Changes to PHY Control Register bits 6, 8, 12,
     * and 13 ... do not take effect unless one of the following takes place: PHY soft reset (bit
     * 15), Restart Auto-Negotiation (bit 9), transition ... from IEEE power-down to normal
     * operation, the link goes down". So a soft reset keeps what was written with it (the
     * drivers' way to force speed and duplex), self-clears, and like a restart drops the link and
     * negotiates (or forces) again. A hardware reset ({@link #reset}) restores the defaults.
     */
    private void writeBmcr(int value) {
        boolean wasDown = (regs[BMCR] & BMCR_PDOWN) != 0;
        regs[BMCR] = value & ~(BMCR_RESET | BMCR_ANRESTART); // both self-clear
        if ((value & BMCR_PDOWN) != 0) {
            linkTimer.cancel();
            setLink(false);
        } else if ((value & (BMCR_RESET | BMCR_ANRESTART)) != 0 || wasDown) {
            setLink(false);
            restartNegotiation();
        }
    }

    private void restartNegotiation() {
        regs[BMSR] &= ~BMSR_ANEGCOMPLETE;
        if (cablePlugged && !heldInReset && (regs[BMCR] & BMCR_PDOWN) == 0) {
            linkTimer.armAfter(linkDelayNanos);
        } else {
            linkTimer.cancel();
        }
    }

    private void linkTimerExpired() {
        if (!cablePlugged || heldInReset || (regs[BMCR] & BMCR_PDOWN) != 0) {
            return;
        }
        if ((regs[BMCR] & BMCR_ANENABLE) != 0) {
            negotiate();
        } else {
            // Forced mode (clause 22.2.4.1.3/.8): BMCR selects speed and duplex.
            int sp = ((regs[BMCR] & BMCR_SPEED_MSB) != 0 ? 2 : 0) | ((regs[BMCR] & BMCR_SPEED_LSB) != 0 ? 1 : 0);
            resolved(sp == 3 ? E1000Registers.SPEED_1000 : sp, (regs[BMCR] & BMCR_FULLDPLX) != 0);
        }
    }

    /** Annex 28B.3 priority resolution against the all-capable link partner. */
    private void negotiate() {
        int anar = regs[ANAR];
        int gbcr = regs[GBCR];
        if ((gbcr & GBCR_1000FD) != 0) {
            resolved(E1000Registers.SPEED_1000, true);
        } else if ((gbcr & GBCR_1000HD) != 0) {
            resolved(E1000Registers.SPEED_1000, false);
        } else if ((anar & AN_100FD) != 0) {
            resolved(E1000Registers.SPEED_100, true);
        } else if ((anar & AN_100HD) != 0) {
            resolved(E1000Registers.SPEED_100, false);
        } else if ((anar & AN_10FD) != 0) {
            resolved(E1000Registers.SPEED_10, true);
        } else if ((anar & AN_10HD) != 0) {
            resolved(E1000Registers.SPEED_10, false);
        } else {
            return; // nothing in common: no link
        }
        regs[BMSR] |= BMSR_ANEGCOMPLETE;
        regs[ANLPAR] = PARTNER_ABILITY;
        regs[ANER] = 0x0001; // link partner is auto-negotiation able
        regs[GBSR] = GBSR_LINK_VALUE;
    }

    private void resolved(int newSpeed, boolean full) {
        speed = newSpeed;
        fullDuplex = full;
        regs[PSSR] = newSpeed << PSSR_SPEED_SHIFT | (full ? PSSR_DUPLEX : 0) | PSSR_RESOLVED | PSSR_LINK;
        setLink(true);
    }

    private void setLink(boolean up) {
        if (up == link) {
            return;
        }
        link = up;
        if (!up) {
            latchedLinkDown = true;
            regs[PSSR] = 0;
            regs[ANLPAR] = 0;
            regs[ANER] = 0;
            regs[GBSR] = 0;
        }
        linkChanged.run();
    }
}
