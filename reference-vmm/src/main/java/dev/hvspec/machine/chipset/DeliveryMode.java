package dev.hvspec.machine.chipset;

/**
 * The 3-bit delivery mode of an interrupt message, as encoded in the local APIC's ICR and LVT
 * entries (SDM 3A §11.5.1, §11.6.1), the I/O APIC redirection entries (82093AA §3.2.4) and MSI
 * data (SDM 3A §11.11.2).
 */
public enum DeliveryMode {
    FIXED(0b000),
    LOWEST_PRIORITY(0b001),
    SMI(0b010),
    /** 011: reserved (the 82489DX's remote read); such messages are not delivered. */
    RESERVED_3(0b011),
    NMI(0b100),
    INIT(0b101),
    /** 110: start-up (SIPI) in the ICR; reserved in the I/O APIC and MSI. */
    STARTUP(0b110),
    /** 111: the vector comes from an external 8259A through an INTA cycle. */
    EXTINT(0b111);

    private final int code;

    DeliveryMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static DeliveryMode of(int code) {
        return values()[code & 7];
    }

    /** Fixed and lowest-priority messages carry a vector that goes through IRR/ISR. */
    public boolean carriesVector() {
        return this == FIXED || this == LOWEST_PRIORITY;
    }
}
