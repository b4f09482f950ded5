package dev.hvspec.machine.chipset;

/**
 * Whether an interrupt message's destination field names a local APIC, as pure semantics of SDM 3A
 * §11.6.2.1 (physical), §11.6.2.2 (logical: flat and cluster models, DFR bits 31:28 = 1111 / 0000)
 * and §11.12.10 (x2APIC: 32-bit IDs, logical = cluster in bits 31:16 and member bits 15:0).
 * Broadcasts (0xFF in the 8-bit format, 0xFFFFFFFF in the x2APIC format) name every APIC.
 *
 * <p>An 8-bit-format message arriving at an APIC in x2APIC mode (an I/O APIC or MSI without
 * interrupt remapping) is compared as the low bits of the x2APIC destination.
 */
public final class ApicDestination {
    private ApicDestination() {
    }

    /**
     * @param x2apicMode the receiving APIC is in x2APIC mode
     * @param x2apicId   its 32-bit ID (x2APIC mode)
     * @param xapicId    its 8-bit ID register value (xAPIC mode)
     * @param ldr        its logical destination register
     * @param dfr        its destination format register (xAPIC mode)
     */
    public static boolean matches(InterruptMessage message, boolean x2apicMode, int x2apicId, int xapicId,
                                  int ldr, int dfr) {
        if (message.broadcastDestination()) {
            return true;
        }
        int destination = message.destination();
        if (x2apicMode) {
            if (!message.logical()) {
                return destination == x2apicId;
            }
            return (destination >>> 16) == (ldr >>> 16) && (destination & ldr & 0xFFFF) != 0;
        }
        if (message.x2apicDestination() && (destination & ~0xFF) != 0) {
            return false;
        }
        int mda = destination & 0xFF;
        if (!message.logical()) {
            return mda == xapicId;
        }
        int logicalId = ldr >>> 24;
        if ((dfr >>> 28) == 0xF) {
            return (mda & logicalId) != 0; // flat model: a bit mask
        }
        return (mda >>> 4) == (logicalId >>> 4) && (mda & logicalId & 0xF) != 0; // cluster model
    }
}
