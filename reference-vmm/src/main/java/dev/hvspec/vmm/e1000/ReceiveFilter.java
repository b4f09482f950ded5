package dev.hvspec.vmm.e1000;

import static dev.hvspec.vmm.e1000.E1000Registers.*;

/**
 * Destination address filtering of received frames (8254x SDM §3.2.1 "Packet Address
 * Filtering", RCTL §13.4.22, RAL/RAH §13.5.2-3, MTA §13.5.1, VFTA §13.5.4). A pure function of the
 * frame and the filter registers.
 * <ul>
 *   <li>Broadcast frames pass with RCTL.BAM; otherwise a broadcast is a multicast like any other
 *       ("0 = ignore broadcast, unless it matches through exact or imperfect filters").</li>
 *   <li>A destination equal to a receive address entry with RAH.AV set and RAH.AS = 00b
 *       (destination address) passes: the exact filter.</li>
 *   <li>Multicast frames (I/G bit set) pass with RCTL.MPE, or when their bit of the 4096-bit MTA is
 *       set: the imperfect filter. RCTL.MO picks the 12 address bits: 00b bits 47:36, 01b 46:35,
 *       10b 45:34, 11b 43:32, where bits 47:40 are the sixth byte on the wire; the upper 7 bits
 *       of the value select the MTA register, the lower 5 the bit in it.</li>
 *   <li>Unicast frames pass with RCTL.UPE (promiscuous).</li>
 * </ul>
 */
final class ReceiveFilter {
    /** How a frame passed, or that it did not. */
    enum Verdict {
        REJECTED, BROADCAST, EXACT, MULTICAST_PROMISCUOUS, MULTICAST_HASH, UNICAST_PROMISCUOUS;

        boolean accepted() {
            return this != REJECTED;
        }
    }

    private ReceiveFilter() {
    }

    static Verdict destination(byte[] frame, RegisterFile regs) {
        int rctl = regs.get(RCTL);
        boolean multicast = (frame[0] & 1) != 0;
        if (isBroadcast(frame) && (rctl & RCTL_BAM) != 0) {
            return Verdict.BROADCAST;
        }
        if (matchesReceiveAddress(frame, regs)) {
            return Verdict.EXACT;
        }
        if (multicast) {
            if ((rctl & RCTL_MPE) != 0) {
                return Verdict.MULTICAST_PROMISCUOUS;
            }
            int hash = multicastHash(frame, (rctl & RCTL_MO_MASK) >>> RCTL_MO_SHIFT);
            int word = regs.get(MTA + 4 * (hash >>> 5));
            return (word >>> (hash & 0x1F) & 1) != 0 ? Verdict.MULTICAST_HASH : Verdict.REJECTED;
        }
        return (rctl & RCTL_UPE) != 0 ? Verdict.UNICAST_PROMISCUOUS : Verdict.REJECTED;
    }

    /** The 12-bit MTA index of a destination address for multicast offset {@code mo} (RCTL.MO). */
    static int multicastHash(byte[] dst, int mo) {
        int b4 = dst[4] & 0xFF;
        int b5 = dst[5] & 0xFF;
        int value = switch (mo & 3) {
            case 0 -> b4 >>> 4 | b5 << 4;   // bits 47:36
            case 1 -> b4 >>> 3 | b5 << 5;   // bits 46:35
            case 2 -> b4 >>> 2 | b5 << 6;   // bits 45:34
            default -> b4 | b5 << 8;        // bits 43:32
        };
        return value & 0xFFF;
    }

    /** VLAN filtering (RCTL.VFE): whether the VFTA bit of VLAN {@code vid} is set. */
    static boolean vlanAllowed(int vid, RegisterFile regs) {
        int word = regs.get(VFTA + 4 * ((vid >>> 5) & 0x7F));
        return (word >>> (vid & 0x1F) & 1) != 0;
    }

    static boolean isBroadcast(byte[] frame) {
        for (int i = 0; i < 6; i++) {
            if (frame[i] != (byte) 0xFF) {
                return false;
            }
        }
        return true;
    }

    private static boolean matchesReceiveAddress(byte[] frame, RegisterFile regs) {
        int low = (frame[0] & 0xFF) | (frame[1] & 0xFF) << 8 | (frame[2] & 0xFF) << 16 | (frame[3] & 0xFF) << 24;
        int high = (frame[4] & 0xFF) | (frame[5] & 0xFF) << 8;
        for (int i = 0; i < RA_ENTRIES; i++) {
            int rah = regs.get(RAH0 + 8 * i);
            if ((rah & RAH_AV) != 0 && (rah & RAH_AS_MASK) == 0
                    && regs.get(RAL0 + 8 * i) == low && (rah & 0xFFFF) == high) {
                return true;
            }
        }
        return false;
    }
}
