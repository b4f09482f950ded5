package dev.hvspec.vmm.e1000;

/**
 * Register offsets (in BAR0 and through IOADDR/IODATA) and bit fields of the 82540EM, named as in
 * the "PCI/PCI-X Family of Gigabit Ethernet Controllers Software Developer's Manual" (8254x SDM,
 * revision 4.0), chapter 13. Only the registers the model implements, or that the Linux e1000
 * driver touches, are listed; the table of their access kinds is {@link RegisterFile}.
 */
public final class E1000Registers {
    private E1000Registers() {
    }

    // ---- General (§13.4.1 - §13.4.16) ----
    public static final int CTRL = 0x0000;
    public static final int STATUS = 0x0008;
    public static final int EECD = 0x0010;
    public static final int EERD = 0x0014;
    public static final int CTRL_EXT = 0x0018;
    public static final int FLA = 0x001C;
    public static final int MDIC = 0x0020;
    public static final int FCAL = 0x0028;
    public static final int FCAH = 0x002C;
    public static final int FCT = 0x0030;
    public static final int VET = 0x0038;
    public static final int FCTTV = 0x0170;
    public static final int TXCW = 0x0178;
    public static final int RXCW = 0x0180;
    public static final int LEDCTL = 0x0E00;
    public static final int PBA = 0x1000;

    // ---- Interrupts (§13.4.17 - §13.4.21) ----
    public static final int ICR = 0x00C0;
    public static final int ITR = 0x00C4;
    public static final int ICS = 0x00C8;
    public static final int IMS = 0x00D0;
    public static final int IMC = 0x00D8;

    // ---- Receive (§13.4.22 - §13.4.32, §13.4.46) ----
    public static final int RCTL = 0x0100;
    public static final int FCRTL = 0x2160;
    public static final int FCRTH = 0x2168;
    public static final int RDBAL = 0x2800;
    public static final int RDBAH = 0x2804;
    public static final int RDLEN = 0x2808;
    public static final int RDH = 0x2810;
    public static final int RDT = 0x2818;
    public static final int RDTR = 0x2820;
    public static final int RXDCTL = 0x2828;
    public static final int RADV = 0x282C;
    public static final int RSRPD = 0x2C00;
    public static final int RXCSUM = 0x5000;

    // ---- Transmit (§13.4.33 - §13.4.45) ----
    public static final int TCTL = 0x0400;
    public static final int TIPG = 0x0410;
    public static final int AIT = 0x0458;
    public static final int TDBAL = 0x3800;
    public static final int TDBAH = 0x3804;
    public static final int TDLEN = 0x3808;
    public static final int TDH = 0x3810;
    public static final int TDT = 0x3818;
    public static final int TIDV = 0x3820;
    public static final int TXDMAC = 0x3000;
    public static final int TXDCTL = 0x3828;
    public static final int TADV = 0x382C;
    public static final int TSPMT = 0x3830;

    // ---- Filters (§13.5): MTA[128], RAL/RAH[16], VFTA[128] ----
    public static final int MTA = 0x5200;
    public static final int MTA_ENTRIES = 128;
    public static final int RAL0 = 0x5400;
    public static final int RAH0 = 0x5404;
    public static final int RA_ENTRIES = 16;
    public static final int VFTA = 0x5600;
    public static final int VFTA_ENTRIES = 128;

    // ---- Wake-up and manageability (§13.6), kept as plain storage ----
    public static final int WUC = 0x5800;
    public static final int WUFC = 0x5808;
    public static final int WUS = 0x5810;
    public static final int MANC = 0x5820;

    // ---- Statistics (§13.7): 0x4000 - 0x40FC, all read-to-clear ----
    public static final int STATISTICS_FIRST = 0x4000;
    public static final int STATISTICS_LAST = 0x40FC;

    // ---- I/O BAR (§13.2.1): IOADDR selects a register, IODATA accesses it ----
    public static final int IOADDR = 0x00;
    public static final int IODATA = 0x04;

    // CTRL bits (§13.4.1).
    public static final int CTRL_FD = 1;
    public static final int CTRL_ASDE = 1 << 5;
    public static final int CTRL_SLU = 1 << 6;
    public static final int CTRL_ILOS = 1 << 7;
    public static final int CTRL_SPEED_SHIFT = 8;
    public static final int CTRL_SPEED_MASK = 3 << 8;
    public static final int CTRL_FRCSPD = 1 << 11;
    public static final int CTRL_FRCDPLX = 1 << 12;
    public static final int CTRL_RST = 1 << 26;
    public static final int CTRL_RFCE = 1 << 27;
    public static final int CTRL_TFCE = 1 << 28;
    public static final int CTRL_VME = 1 << 30;
    public static final int CTRL_PHY_RST = 1 << 31;

    // STATUS bits (§13.4.2).
    public static final int STATUS_FD = 1;
    public static final int STATUS_LU = 1 << 1;
    public static final int STATUS_TXOFF = 1 << 4;
    public static final int STATUS_SPEED_SHIFT = 6;
    public static final int STATUS_ASDV_SHIFT = 8;
    /** SPEED encodings of CTRL.SPEED, STATUS.SPEED and STATUS.ASDV: 00 10 Mb/s, 01 100 Mb/s, 10 1000 Mb/s. */
    public static final int SPEED_10 = 0;
    public static final int SPEED_100 = 1;
    public static final int SPEED_1000 = 2;

    // EECD bits (§13.4.3).
    public static final int EECD_SK = 1;
    public static final int EECD_CS = 1 << 1;
    public static final int EECD_DI = 1 << 2;
    public static final int EECD_DO = 1 << 3;
    public static final int EECD_FWE_MASK = 3 << 4;
    public static final int EECD_REQ = 1 << 6;
    public static final int EECD_GNT = 1 << 7;
    public static final int EECD_PRES = 1 << 8;
    /** EE_SIZE: 0 = 1 Kbit (64 words, 6 address bits) Microwire EEPROM, as on the 82540EM. */
    public static final int EECD_SIZE = 1 << 9;

    // EERD fields (§13.4.4, layout of the 82540EP/EM).
    public static final int EERD_START = 1;
    public static final int EERD_DONE = 1 << 4;
    public static final int EERD_ADDR_SHIFT = 8;
    public static final int EERD_DATA_SHIFT = 16;

    // MDIC fields (§13.4.7).
    public static final int MDIC_DATA_MASK = 0xFFFF;
    public static final int MDIC_REG_SHIFT = 16;
    public static final int MDIC_PHY_SHIFT = 21;
    public static final int MDIC_OP_SHIFT = 26;
    public static final int MDIC_OP_WRITE = 1;
    public static final int MDIC_OP_READ = 2;
    public static final int MDIC_R = 1 << 28;
    public static final int MDIC_I = 1 << 29;
    public static final int MDIC_E = 1 << 30;

    // Interrupt causes of ICR/ICS/IMS/IMC (§13.4.17).
    public static final int ICR_TXDW = 1;
    public static final int ICR_TXQE = 1 << 1;
    public static final int ICR_LSC = 1 << 2;
    public static final int ICR_RXSEQ = 1 << 3;
    public static final int ICR_RXDMT0 = 1 << 4;
    public static final int ICR_RXO = 1 << 6;
    public static final int ICR_RXT0 = 1 << 7;
    public static final int ICR_MDAC = 1 << 9;
    public static final int ICR_RXCFG = 1 << 10;
    public static final int ICR_PHYINT = 1 << 12;
    public static final int ICR_GPI_SDP6 = 1 << 13;
    public static final int ICR_GPI_SDP7 = 1 << 14;
    public static final int ICR_TXD_LOW = 1 << 15;
    public static final int ICR_SRPD = 1 << 16;
    /**
     * The cause bits software can see: bits 16:0 (bits 31:17 are reserved), without bit 5
     * ("Reserved, reads as 0b") and RXSEQ ("a reserved bit for ... the 82540EP/EM. Set to 0b"),
     * per Table 13-63.
     */
    public static final int ICR_IMPLEMENTED = 0x0001_FFFF & ~(1 << 5) & ~ICR_RXSEQ;

    // RCTL bits (§13.4.22).
    public static final int RCTL_EN = 1 << 1;
    public static final int RCTL_SBP = 1 << 2;
    public static final int RCTL_UPE = 1 << 3;
    public static final int RCTL_MPE = 1 << 4;
    public static final int RCTL_LPE = 1 << 5;
    public static final int RCTL_LBM_SHIFT = 6;
    public static final int RCTL_LBM_MASK = 3 << 6;
    public static final int RCTL_RDMTS_SHIFT = 8;
    public static final int RCTL_RDMTS_MASK = 3 << 8;
    public static final int RCTL_MO_SHIFT = 12;
    public static final int RCTL_MO_MASK = 3 << 12;
    public static final int RCTL_BAM = 1 << 15;
    public static final int RCTL_BSIZE_SHIFT = 16;
    public static final int RCTL_BSIZE_MASK = 3 << 16;
    public static final int RCTL_VFE = 1 << 18;
    public static final int RCTL_CFIEN = 1 << 19;
    public static final int RCTL_CFI = 1 << 20;
    public static final int RCTL_DPF = 1 << 22;
    public static final int RCTL_PMCF = 1 << 23;
    public static final int RCTL_BSEX = 1 << 25;
    public static final int RCTL_SECRC = 1 << 26;

    // RDTR (§13.4.30).
    public static final int RDTR_FPD = 1 << 31;

    // RXCSUM (§13.4.x, Receive Checksum Control).
    public static final int RXCSUM_PCSS_MASK = 0xFF;
    public static final int RXCSUM_IPOFL = 1 << 8;
    public static final int RXCSUM_TUOFL = 1 << 9;

    // TCTL bits (§13.4.33).
    public static final int TCTL_EN = 1 << 1;
    public static final int TCTL_PSP = 1 << 3;

    // RAH bits (§13.5.3).
    public static final int RAH_AS_SHIFT = 16;
    public static final int RAH_AS_MASK = 3 << 16;
    public static final int RAH_AV = 1 << 31;

    /** Size in bytes of one receive or transmit descriptor (§3.2.3, §3.3). */
    public static final int DESCRIPTOR_BYTES = 16;
}
