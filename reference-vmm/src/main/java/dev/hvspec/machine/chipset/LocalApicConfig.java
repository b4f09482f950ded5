package dev.hvspec.machine.chipset;

/**
 * Fixed properties of a {@link LocalApic} part.
 *
 * @param apicId                  initial (x2APIC) ID; its low 8 bits are the xAPIC ID
 * @param bsp                     the bootstrap processor flag of IA32_APIC_BASE
 * @param busCycleNanos           one cycle of the timer's input clock (1 = 1 GHz, KVM's default)
 * @param maxPhysAddrBits         MAXPHYADDR: APIC_BASE bits at and above it are reserved
 * @param x2apicSupported         CPUID.01H:ECX.x2APIC[bit 21]
 * @param tscDeadlineSupported    CPUID.01H:ECX.TSC_Deadline[bit 24]
 * @param eoiBroadcastSuppression version bit 24: SVR bit 12 may suppress EOI broadcasts
 * @param tsc                     the TSC as a function of virtual time
 */
public record LocalApicConfig(int apicId, boolean bsp, long busCycleNanos, int maxPhysAddrBits,
                              boolean x2apicSupported, boolean tscDeadlineSupported,
                              boolean eoiBroadcastSuppression, TscTimebase tsc) {
    public LocalApicConfig {
        if (busCycleNanos < 1 || maxPhysAddrBits < 32 || maxPhysAddrBits > 52) {
            throw new IllegalArgumentException("bus cycle >= 1 ns and MAXPHYADDR 32..52 expected");
        }
    }

    /** Defaults: 1 GHz timer clock, MAXPHYADDR 46, x2APIC and TSC deadline, 1 GHz TSC. */
    public static LocalApicConfig of(int apicId, boolean bsp) {
        return new LocalApicConfig(apicId, bsp, 1, 46, true, true, false, TscTimebase.fixedRate(1_000_000_000L));
    }

    public LocalApicConfig withTsc(TscTimebase tsc) {
        return new LocalApicConfig(apicId, bsp, busCycleNanos, maxPhysAddrBits, x2apicSupported,
                tscDeadlineSupported, eoiBroadcastSuppression, tsc);
    }

    public LocalApicConfig withEoiBroadcastSuppression(boolean supported) {
        return new LocalApicConfig(apicId, bsp, busCycleNanos, maxPhysAddrBits, x2apicSupported,
                tscDeadlineSupported, supported, tsc);
    }
}
