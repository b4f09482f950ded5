package dev.hvspec.machine.chipset;

import java.util.Optional;

/**
 * An interrupt message on the APIC bus / system bus: what an ICR write, an I/O APIC redirection
 * entry or an MSI write sends to the local APICs (SDM 3A §11.6.1, §11.11; 82093AA §3.2.4).
 *
 * @param deliveryMode      how the destination handles it
 * @param vector            the vector (fixed, lowest priority, start-up page)
 * @param logical           logical destination mode (DM = 1) instead of physical
 * @param destination       physical APIC ID or logical destination (MDA)
 * @param x2apicDestination true if {@code destination} is a 32-bit x2APIC destination (an ICR
 *                          write in x2APIC mode); false for the 8-bit xAPIC format of xAPIC ICR
 *                          writes, I/O APIC entries and MSI addresses (0xFF is then broadcast)
 * @param shorthand         ICR destination shorthand; {@link Shorthand#NONE} for the I/O APIC and MSI
 * @param levelTriggered    trigger mode (1 = level): sets the TMR bit on acceptance
 * @param assertLevel       the ICR level bit: false only for the INIT level de-assert message
 */
public record InterruptMessage(DeliveryMode deliveryMode, int vector, boolean logical, int destination,
                               boolean x2apicDestination, Shorthand shorthand, boolean levelTriggered,
                               boolean assertLevel) {
    /** SDM 3A §11.6.1, ICR bits 19:18. */
    public enum Shorthand {
        NONE, SELF, ALL_INCLUDING_SELF, ALL_EXCLUDING_SELF;

        public static Shorthand of(int code) {
            return values()[code & 3];
        }
    }

    /** The 8-bit xAPIC-format broadcast destination (SDM 3A §11.6.2.1, §11.6.2.2). */
    public static final int XAPIC_BROADCAST = 0xFF;
    /** The 32-bit x2APIC broadcast destination (SDM 3A §11.12.10). */
    public static final int X2APIC_BROADCAST = 0xFFFF_FFFF;

    public InterruptMessage {
        vector &= 0xFF;
    }

    /** A fixed or other directed message as an I/O APIC or MSI sends it (8-bit destination). */
    public static InterruptMessage directed(DeliveryMode mode, int vector, boolean logical, int destination,
                                            boolean levelTriggered) {
        return new InterruptMessage(mode, vector, logical, destination & 0xFF, false, Shorthand.NONE,
                levelTriggered, true);
    }

    /** True if the destination field is the broadcast value of its format. */
    public boolean broadcastDestination() {
        return x2apicDestination ? destination == X2APIC_BROADCAST : (destination & 0xFF) == XAPIC_BROADCAST;
    }

    /**
     * Decodes an ICR write (SDM 3A §11.6.1, §11.12.9): vector 7:0, delivery mode 10:8, destination
     * mode 11, level 14, trigger mode 15, shorthand 19:18; destination {@code icrHigh} bits 31:24
     * (xAPIC) or all 32 bits (x2APIC). Empty for what is not sent: the reserved delivery modes
     * 011 and 111, and INIT level de-assert (not supported since the Pentium 4). IPIs are
     * edge-triggered (the trigger bit only qualifies INIT de-assert).
     */
    public static Optional<InterruptMessage> fromIcr(int icrLow, int icrHigh, boolean x2apic) {
        DeliveryMode mode = DeliveryMode.of(icrLow >>> 8);
        boolean levelBit = (icrLow & (1 << 15)) != 0;
        boolean assertBit = (icrLow & (1 << 14)) != 0;
        if (mode == DeliveryMode.RESERVED_3 || mode == DeliveryMode.EXTINT
                || (mode == DeliveryMode.INIT && levelBit && !assertBit)) {
            return Optional.empty();
        }
        int destination = x2apic ? icrHigh : icrHigh >>> 24;
        return Optional.of(new InterruptMessage(mode, icrLow & 0xFF, (icrLow & (1 << 11)) != 0, destination, x2apic,
                Shorthand.of(icrLow >>> 18), false, true));
    }

    /** SDM 3A §11.11.1: MSI addresses have bits 31:20 = 0xFEE. */
    public static final long MSI_ADDRESS_BASE = 0xFEE0_0000L;

    /**
     * Decodes an MSI write (SDM 3A §11.11): address bits 19:12 destination ID, bit 3 redirection
     * hint, bit 2 destination mode; data bits 7:0 vector, 10:8 delivery mode, 14 level, 15 trigger
     * mode. Empty if the address is not in the 0xFEExxxxx interrupt window. The redirection hint
     * does not change the destination set: lowest-priority arbitration is chosen by the delivery
     * mode, as Linux and KVM use it.
     */
    public static Optional<InterruptMessage> fromMsi(long address, int data) {
        if ((address & 0xFFFF_FFFF_FFF0_0000L) != MSI_ADDRESS_BASE) {
            return Optional.empty();
        }
        int destination = (int) (address >>> 12) & 0xFF;
        boolean logical = (address & 0x4) != 0;
        DeliveryMode mode = DeliveryMode.of(data >>> 8);
        boolean level = (data & 0x8000) != 0;
        boolean assertLevel = !level || (data & 0x4000) != 0;
        return Optional.of(new InterruptMessage(mode, data & 0xFF, logical, destination, false, Shorthand.NONE,
                level, assertLevel));
    }
}
