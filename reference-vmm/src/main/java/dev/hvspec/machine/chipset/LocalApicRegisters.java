package dev.hvspec.machine.chipset;

/**
 * The local APIC register map as data: xAPIC page offsets (SDM 3A Table 11-1), their x2APIC MSR
 * numbers (MSR = 0x800 + offset / 16, SDM 3A Table 11-6), the access each mode allows, and the bits
 * software may set. The x2APIC column encodes SDM 3A §11.12.1.2 and §11.12.1.3: DFR, ICR high, APR
 * and the remote read register do not exist; ID and LDR are read-only; SELF IPI is new and
 * write-only; non-zero writes to reserved bits raise #GP.
 */
public final class LocalApicRegisters {
    private LocalApicRegisters() {
    }

    public static final int ID = 0x020;
    public static final int VERSION = 0x030;
    public static final int TPR = 0x080;
    public static final int APR = 0x090;
    public static final int PPR = 0x0A0;
    public static final int EOI = 0x0B0;
    public static final int RRD = 0x0C0;
    public static final int LDR = 0x0D0;
    public static final int DFR = 0x0E0;
    public static final int SVR = 0x0F0;
    public static final int ISR = 0x100;
    public static final int TMR = 0x180;
    public static final int IRR = 0x200;
    public static final int ESR = 0x280;
    public static final int LVT_CMCI = 0x2F0;
    public static final int ICR_LOW = 0x300;
    public static final int ICR_HIGH = 0x310;
    public static final int LVT_TIMER = 0x320;
    public static final int LVT_THERMAL = 0x330;
    public static final int LVT_PERF = 0x340;
    public static final int LVT_LINT0 = 0x350;
    public static final int LVT_LINT1 = 0x360;
    public static final int LVT_ERROR = 0x370;
    public static final int TIMER_INITIAL_COUNT = 0x380;
    public static final int TIMER_CURRENT_COUNT = 0x390;
    public static final int TIMER_DIVIDE_CONFIG = 0x3E0;
    public static final int SELF_IPI = 0x3F0;

    /** The x2APIC MSR range (SDM 3A §11.12.1.2). */
    public static final int X2APIC_MSR_FIRST = 0x800;
    public static final int X2APIC_MSR_LAST = 0x8FF;
    public static final int IA32_APIC_BASE = 0x1B;
    public static final int IA32_TSC_DEADLINE = 0x6E0;

    /** Size of the register page and of {@code struct kvm_lapic_state}. */
    public static final int PAGE_SIZE = 0x400;

    // LVT bits (SDM 3A Figure 11-8).
    public static final int LVT_MASKED = 1 << 16;
    public static final int LVT_LEVEL_TRIGGERED = 1 << 15;
    public static final int LVT_REMOTE_IRR = 1 << 14;
    public static final int LVT_DELIVERY_STATUS = 1 << 12;

    // SVR bits (SDM 3A Figure 11-23).
    public static final int SVR_APIC_ENABLED = 1 << 8;
    public static final int SVR_FOCUS_DISABLED = 1 << 9;
    public static final int SVR_SUPPRESS_EOI_BROADCAST = 1 << 12;

    // ESR bits (SDM 3A Figure 11-9).
    public static final int ESR_SEND_ILLEGAL_VECTOR = 1 << 5;
    public static final int ESR_RECEIVE_ILLEGAL_VECTOR = 1 << 6;
    public static final int ESR_ILLEGAL_REGISTER_ADDRESS = 1 << 7;

    /** What software may do with a register in one mode. */
    public enum Access { READ_WRITE, READ_ONLY, WRITE_ONLY, RESERVED;

        boolean readable() {
            return this == READ_WRITE || this == READ_ONLY;
        }

        boolean writable() {
            return this == READ_WRITE || this == WRITE_ONLY;
        }
    }

    /** The access to the register at page offset {@code offset} (a multiple of 16). */
    public static Access access(int offset, boolean x2apic) {
        if (offset >= ISR && offset < ESR) {
            return Access.READ_ONLY; // ISR, TMR, IRR
        }
        return switch (offset) {
            case ID, LDR -> x2apic ? Access.READ_ONLY : Access.READ_WRITE;
            case VERSION, PPR, TIMER_CURRENT_COUNT -> Access.READ_ONLY;
            case APR -> x2apic ? Access.RESERVED : Access.READ_ONLY;
            case DFR, ICR_HIGH -> x2apic ? Access.RESERVED : Access.READ_WRITE;
            case EOI -> Access.WRITE_ONLY;
            case SELF_IPI -> x2apic ? Access.WRITE_ONLY : Access.RESERVED;
            case TPR, SVR, ESR, ICR_LOW, LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR,
                 TIMER_INITIAL_COUNT, TIMER_DIVIDE_CONFIG -> Access.READ_WRITE;
            default -> Access.RESERVED; // includes RRD (82489DX only) and LVT CMCI (not implemented)
        };
    }

    /**
     * The bits a write may set (a 32-bit register; for the x2APIC ICR see {@link #X2APIC_ICR_VALID}).
     * Read-only bits inside a register (delivery status, remote IRR) are not in this mask but are
     * not reserved either: see {@link #readOnlyBits(int)}.
     */
    public static int writableBits(int offset, boolean x2apic, boolean tscDeadline, boolean eoiSuppression) {
        return switch (offset) {
            case ID -> 0xFF00_0000;
            case TPR -> 0xFF;
            case LDR -> 0xFF00_0000;
            case DFR -> 0xF000_0000;
            case SVR -> 0x3FF | (eoiSuppression ? SVR_SUPPRESS_EOI_BROADCAST : 0);
            case ICR_LOW -> 0x000C_CFFF; // vector, mode, DM, level, trigger, shorthand
            case ICR_HIGH -> 0xFF00_0000;
            case LVT_TIMER -> 0x000300FF | LVT_MASKED | (tscDeadline ? 1 << 18 : 0);
            case LVT_THERMAL, LVT_PERF -> 0x7FF | LVT_MASKED;
            case LVT_LINT0, LVT_LINT1 -> 0x7FF | (1 << 13) | LVT_LEVEL_TRIGGERED | LVT_MASKED;
            case LVT_ERROR -> 0xFF | LVT_MASKED;
            case TIMER_INITIAL_COUNT -> 0xFFFF_FFFF;
            case TIMER_DIVIDE_CONFIG -> 0xB;
            case SELF_IPI -> 0xFF;
            default -> 0; // EOI and ESR: only 0 may be written in x2APIC mode
        };
    }

    /** Defined read-only bits within a writable register: ignored on write, never #GP. */
    public static int readOnlyBits(int offset) {
        return switch (offset) {
            case LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_ERROR -> LVT_DELIVERY_STATUS;
            case LVT_LINT0, LVT_LINT1 -> LVT_DELIVERY_STATUS | LVT_REMOTE_IRR;
            case ICR_LOW -> 1 << 12; // delivery status (xAPIC) / removed but ignored (x2APIC)
            default -> 0;
        };
    }

    /** SDM 3A §11.12.9: x2APIC ICR bits 31:20, 17:16 and 13 are reserved. */
    public static final long X2APIC_ICR_VALID = 0xFFFF_FFFF_000C_DFFFL;

    /** The page offset of x2APIC MSR {@code msr} (SDM 3A §11.12.1.2). */
    public static int offsetOfMsr(int msr) {
        return (msr - X2APIC_MSR_FIRST) << 4;
    }
}
