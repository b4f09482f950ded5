package dev.hvspec.machine.chipset;

/**
 * IA32_APIC_BASE (MSR 0x1B) as pure semantics (SDM 3A §11.4.4, Figure 11-5; §11.12.5, Figure
 * 11-27): bit 8 BSP (read-only), bit 10 EXTD (x2APIC enable), bit 11 EN (global enable), bits
 * MAXPHYADDR-1:12 the page base; every other bit is reserved.
 */
public final class ApicBaseMsr {
    public static final long BSP = 1L << 8;
    public static final long EXTD = 1L << 10;
    public static final long EN = 1L << 11;

    private ApicBaseMsr() {
    }

    /** The mode an IA32_APIC_BASE value selects (EN=0 with EXTD=1 is the invalid state). */
    public static LocalApic.Mode mode(long value) {
        if ((value & EN) == 0) {
            return LocalApic.Mode.DISABLED;
        }
        return (value & EXTD) != 0 ? LocalApic.Mode.X2APIC : LocalApic.Mode.XAPIC;
    }

    /** Bits MAXPHYADDR-1:12. */
    public static long baseAddressMask(int maxPhysAddrBits) {
        return ((1L << maxPhysAddrBits) - 1) & ~0xFFFL;
    }

    /**
     * Why a WRMSR of {@code value} over {@code old} raises #GP, or null if it is allowed: reserved
     * bits (including EXTD without x2APIC support), the invalid state EN=0/EXTD=1, x2APIC to xAPIC
     * directly, and disabled to x2APIC directly (§11.12.5: both must pass through another state).
     */
    public static String violation(long old, long value, LocalApicConfig config) {
        long allowed = BSP | EN | baseAddressMask(config.maxPhysAddrBits()) | (config.x2apicSupported() ? EXTD : 0);
        if ((value & ~allowed) != 0) {
            return "IA32_APIC_BASE reserved bits set";
        }
        boolean en = (value & EN) != 0;
        boolean extd = (value & EXTD) != 0;
        LocalApic.Mode from = mode(old);
        if (!en && extd) {
            return "EN=0 with EXTD=1 is the invalid state";
        }
        if (from == LocalApic.Mode.X2APIC && en && !extd) {
            return "x2APIC mode to xAPIC mode is not a valid transition";
        }
        if (from == LocalApic.Mode.DISABLED && en && extd) {
            return "disabled to x2APIC mode must go through xAPIC mode";
        }
        return null;
    }

    /** SDM 3A §11.12.10.2: cluster ID = x2APIC ID[19:4] in bits 31:16, 1 << ID[3:0] in bits 15:0. */
    public static int logicalX2apicId(int x2apicId) {
        return ((x2apicId >>> 4) << 16) | (1 << (x2apicId & 0xF));
    }
}
