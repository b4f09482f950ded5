package dev.hvspec.vmm.e1000;

import java.util.HashMap;
import java.util.Map;

import static dev.hvspec.vmm.e1000.E1000Registers.*;

/**
 * The storage registers of the 82540EM as data: offset, name, the bits software may write, and
 * the value after reset (8254x SDM chapter 13, the "Initial Value" columns). A storage register
 * reads back what was written under its write mask and has no side effects; the registers with
 * side effects (CTRL, STATUS, EECD, EERD, MDIC, ICR/ICS/IMS/IMC, RDTR, the tails, statistics) are
 * handled by {@link Intel82540EM} and only keep their value here when they have one.
 *
 * <p>Offsets not in the table are reserved: they read as 0 and ignore writes. Not thread-safe; the
 * device serialises access.
 */
final class RegisterFile {
    /** One storage register. */
    record Storage(String name, int offset, int writeMask, int resetValue) {
    }

    private static final Map<Integer, Storage> TABLE = buildTable();

    private final int[] values = new int[Intel82540EM.BAR0_BYTES / 4];

    RegisterFile() {
        reset();
    }

    /** Whether {@code offset} (dword aligned) is a storage register of the table. */
    static boolean isStorage(int offset) {
        return TABLE.containsKey(offset);
    }

    static Storage describe(int offset) {
        return TABLE.get(offset);
    }

    /** Every storage register back to its initial value; everything else to 0. */
    void reset() {
        java.util.Arrays.fill(values, 0);
        for (Storage s : TABLE.values()) {
            values[s.offset >>> 2] = s.resetValue;
        }
    }

    /** The stored value of the register at {@code offset}, as the device sees it. */
    int get(int offset) {
        return values[(offset >>> 2) & (values.length - 1)];
    }

    /** Stores a value as the device does (no write mask). */
    void set(int offset, int value) {
        values[(offset >>> 2) & (values.length - 1)] = value;
    }

    /** A software write to a storage register: only the bits of its write mask change. */
    void write(int offset, int value) {
        Storage s = TABLE.get(offset);
        if (s != null) {
            int old = values[offset >>> 2];
            values[offset >>> 2] = (old & ~s.writeMask) | (value & s.writeMask);
        }
    }

    /** A software read: the stored value of a storage register, 0 for reserved offsets. */
    int read(int offset) {
        return TABLE.containsKey(offset) ? values[offset >>> 2] : 0;
    }

    private static Map<Integer, Storage> buildTable() {
        Map<Integer, Storage> t = new HashMap<>();
        // General registers (§13.4.1 - §13.4.16). CTRL keeps its value here; its RST and
        // PHY_RST actions are taken by the device. LEDCTL, TXCW, RXCW are kept for drivers that
        // save and restore them; the model has no LEDs and no SerDes.
        add(t, "CTRL", CTRL, 0xFFFF_FFFF & ~CTRL_RST, 0);
        add(t, "CTRL_EXT", CTRL_EXT, 0xFFFF_FFFF, 0);
        add(t, "FLA", FLA, 0, 0);                        // no Flash on this board
        add(t, "FCAL", FCAL, 0xFFFF_FFFF, 0);
        add(t, "FCAH", FCAH, 0xFFFF, 0);
        add(t, "FCT", FCT, 0xFFFF, 0);
        add(t, "VET", VET, 0xFFFF, 0x8100);               // §13.4.x: IEEE 802.1Q tag type
        add(t, "FCTTV", FCTTV, 0xFFFF, 0);
        add(t, "TXCW", TXCW, 0xC000_FFFF, 0);
        add(t, "RXCW", RXCW, 0, 0);
        add(t, "LEDCTL", LEDCTL, 0xFFFF_FFFF, 0);
        add(t, "PBA", PBA, 0xFFFF, 0x0030);              // 48 KB receive packet buffer
        add(t, "ITR", ITR, 0xFFFF, 0);                   // §13.4.18
        // Receive (§13.4.22 - §13.4.32).
        add(t, "RCTL", RCTL, RCTL_EN | RCTL_SBP | RCTL_UPE | RCTL_MPE | RCTL_LPE | RCTL_LBM_MASK
                | RCTL_RDMTS_MASK | RCTL_MO_MASK | RCTL_BAM | RCTL_BSIZE_MASK | RCTL_VFE | RCTL_CFIEN
                | RCTL_CFI | RCTL_DPF | RCTL_PMCF | RCTL_BSEX | RCTL_SECRC, 0);
        add(t, "FCRTL", FCRTL, 0x8000_FFF8, 0);
        add(t, "FCRTH", FCRTH, 0xFFF8, 0);
        add(t, "RDBAL", RDBAL, 0xFFFF_FFF0, 0);           // 16-byte aligned
        add(t, "RDBAH", RDBAH, 0xFFFF_FFFF, 0);
        add(t, "RDLEN", RDLEN, 0x000F_FF80, 0);           // §13.4.27: multiple of 128 bytes
        add(t, "RDH", RDH, 0xFFFF, 0);
        add(t, "RDT", RDT, 0xFFFF, 0);
        add(t, "RDTR", RDTR, 0xFFFF, 0);                 // FPD (bit 31) is self-clearing
        add(t, "RXDCTL", RXDCTL, 0x01FF_3F3F, 0);
        add(t, "RADV", RADV, 0xFFFF, 0);
        add(t, "RSRPD", RSRPD, 0x0FFF, 0);
        add(t, "RXCSUM", RXCSUM, RXCSUM_PCSS_MASK | RXCSUM_IPOFL | RXCSUM_TUOFL, 0);
        // Transmit (§13.4.33 - §13.4.45).
        add(t, "TCTL", TCTL, 0x03FF_FFFA, 0);
        add(t, "TIPG", TIPG, 0x3FFF_FFFF, 0);
        add(t, "AIT", AIT, 0xFFFF, 0);
        add(t, "TDBAL", TDBAL, 0xFFFF_FFF0, 0);
        add(t, "TDBAH", TDBAH, 0xFFFF_FFFF, 0);
        add(t, "TDLEN", TDLEN, 0x000F_FF80, 0);
        add(t, "TDH", TDH, 0xFFFF, 0);
        add(t, "TDT", TDT, 0xFFFF, 0);
        add(t, "TIDV", TIDV, 0xFFFF, 0);
        add(t, "TXDMAC", TXDMAC, 0x1, 0);
        add(t, "TXDCTL", TXDCTL, 0xFFFF_FFFF, 0);
        add(t, "TADV", TADV, 0xFFFF, 0);
        add(t, "TSPMT", TSPMT, 0xFFFF_FFFF, 0);
        // Filters (§13.5): the multicast table, the receive addresses, the VLAN filter table.
        for (int i = 0; i < MTA_ENTRIES; i++) {
            add(t, "MTA[" + i + "]", MTA + 4 * i, 0xFFFF_FFFF, 0);
        }
        for (int i = 0; i < RA_ENTRIES; i++) {
            add(t, "RAL[" + i + "]", RAL0 + 8 * i, 0xFFFF_FFFF, 0);
            add(t, "RAH[" + i + "]", RAH0 + 8 * i, RAH_AV | RAH_AS_MASK | 0xFFFF, 0);
        }
        for (int i = 0; i < VFTA_ENTRIES; i++) {
            add(t, "VFTA[" + i + "]", VFTA + 4 * i, 0xFFFF_FFFF, 0);
        }
        // Wake-up and manageability (§13.6): storage only, the model does not wake or manage.
        add(t, "WUC", WUC, 0xFFFF_FFFF, 0);
        add(t, "WUFC", WUFC, 0xFFFF_FFFF, 0);
        add(t, "WUS", WUS, 0xFFFF_FFFF, 0);
        add(t, "MANC", MANC, 0xFFFF_FFFF, 0);
        return Map.copyOf(t);
    }

    private static void add(Map<Integer, Storage> t, String name, int offset, int writeMask, int resetValue) {
        t.put(offset, new Storage(name, offset, writeMask, resetValue));
    }
}
