package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.machine.memory.GuestRam;

import java.util.Map;

import static java.util.Map.entry;

/**
 * A small e1000 driver for {@code @model} scenarios, doing what the Linux e1000 driver does for an
 * 82540 (drivers/net/ethernet/intel/e1000): it reaches the device only through the PCI bench (config
 * cycles, BAR0 memory accesses, the I/O BAR), and keeps its rings and buffers in guest RAM.
 * Register offsets are spelled out here from the 8254x SDM, independently of the model's constants.
 *
 * <p>Memory map of the bench's 16 MiB: transmit ring at 0x10000, receive ring at 0x20000, transmit
 * buffers from 0x100000 (64 KiB apart, room for a TSO packet), receive buffers from 0x800000 (32 KiB apart).
 */
final class E1000Driver {
    static final long BAR0 = PciBench.MEMORY_WINDOW;        // 0xC0000000
    static final int BAR1 = PciBench.IO_WINDOW;             // 0xC000
    static final long TX_RING = 0x10000;
    static final long RX_RING = 0x20000;
    static final long TX_BUFFERS = 0x100000;
    static final int TX_BUFFER_STRIDE = 0x10000;
    static final long RX_BUFFERS = 0x800000;
    static final int RX_BUFFER_STRIDE = 0x8000;

    /** Register names of the 8254x SDM chapter 13 and their offsets. */
    static final Map<String, Integer> REGISTERS = Map.ofEntries(
            entry("CTRL", 0x0000), entry("STATUS", 0x0008), entry("EECD", 0x0010), entry("EERD", 0x0014),
            entry("CTRL_EXT", 0x0018), entry("MDIC", 0x0020), entry("FCAL", 0x0028), entry("FCAH", 0x002C),
            entry("FCT", 0x0030), entry("VET", 0x0038), entry("ICR", 0x00C0), entry("ITR", 0x00C4),
            entry("ICS", 0x00C8), entry("IMS", 0x00D0), entry("IMC", 0x00D8), entry("RCTL", 0x0100),
            entry("TCTL", 0x0400), entry("TIPG", 0x0410), entry("PBA", 0x1000),
            entry("RDBAL", 0x2800), entry("RDBAH", 0x2804), entry("RDLEN", 0x2808), entry("RDH", 0x2810),
            entry("RDT", 0x2818), entry("RDTR", 0x2820), entry("RADV", 0x282C), entry("RXCSUM", 0x5000),
            entry("TDBAL", 0x3800), entry("TDBAH", 0x3804), entry("TDLEN", 0x3808), entry("TDH", 0x3810),
            entry("TDT", 0x3818), entry("TIDV", 0x3820), entry("TADV", 0x382C),
            entry("MTA", 0x5200), entry("RAL0", 0x5400), entry("RAH0", 0x5404), entry("RAL1", 0x5408),
            entry("RAH1", 0x540C), entry("VFTA", 0x5600),
            entry("CRCERRS", 0x4000), entry("MPC", 0x4010), entry("RLEC", 0x4040), entry("GPRC", 0x4074),
            entry("BPRC", 0x4078), entry("MPRC", 0x407C), entry("GPTC", 0x4080), entry("GORCL", 0x4088),
            entry("GORCH", 0x408C), entry("GOTCL", 0x4090), entry("GOTCH", 0x4094), entry("RNBC", 0x40A0),
            entry("ROC", 0x40AC), entry("TORL", 0x40C0), entry("TORH", 0x40C4), entry("TOTL", 0x40C8),
            entry("TOTH", 0x40CC), entry("TPR", 0x40D0), entry("TPT", 0x40D4), entry("MPTC", 0x40F0),
            entry("BPTC", 0x40F4), entry("TSCTC", 0x40F8), entry("TSCTFC", 0x40FC));

    // Bits the driver uses (8254x SDM chapter 13).
    static final int CTRL_SLU = 1 << 6;
    static final int CTRL_RST = 1 << 26;
    static final int EECD_SK = 1;
    static final int EECD_CS = 2;
    static final int EECD_DI = 4;
    static final int EECD_DO = 8;
    static final int EECD_REQ = 1 << 6;
    static final int EECD_GNT = 1 << 7;
    static final int MDIC_READY = 1 << 28;
    static final int MDIC_ERROR = 1 << 30;
    static final int TCTL_EN = 1 << 1;
    static final int TCTL_PSP = 1 << 3;
    static final int RCTL_EN = 1 << 1;
    static final int RCTL_BAM = 1 << 15;

    private final PciBench pci;
    private final int device;
    private int txSize;
    private int txTail;
    private int rxSize;
    private int rxBufferSize;

    E1000Driver(PciBench pci, int device) {
        this.pci = pci;
        this.device = device;
    }

    GuestRam ram() {
        return pci.ram;
    }

    // ---- PCI ----

    /** As firmware and e1000_probe do: BAR0 and BAR1 programmed, I/O, memory and bus mastering on. */
    void probe() {
        pci.configWrite(device, 0, 0x10, 4, (int) BAR0);
        pci.configWrite(device, 0, 0x14, 4, BAR1);
        pci.configWrite(device, 0, 0x04, 2, 0x0007);
    }

    // ---- registers ----

    static int offset(String name) {
        Integer offset = REGISTERS.get(name);
        if (offset != null) {
            return offset;
        }
        return (int) Values.parse(name);
    }

    int read(String register) {
        return read(offset(register));
    }

    int read(int offset) {
        return (int) pci.readMemory(BAR0 + offset, 4);
    }

    void write(String register, int value) {
        write(offset(register), value);
    }

    void write(int offset, int value) {
        pci.writeMemory(BAR0 + offset, 4, value & 0xFFFF_FFFFL);
    }

    /** Through IOADDR (I/O BAR + 0) and IODATA (+ 4). */
    void writeIo(int offset, int value) {
        pci.bench.ports.write(BAR1, 4, offset);
        pci.bench.ports.write(BAR1 + 4, 4, value);
    }

    int readIo(int offset) {
        pci.bench.ports.write(BAR1, 4, offset);
        return pci.bench.ports.read(BAR1 + 4, 4);
    }

    /**
     * e1000_reset_hw for the 82540: mask interrupts, stop RX and TX, issue CTRL.RST through the I/O
     * BAR ("These controllers can't ack the 64-bit write when issuing the reset, so use IO-mapping"),
     * mask again and clear pending causes by reading ICR.
     */
    void resetHardware() {
        write("IMC", 0xFFFF_FFFF);
        write("RCTL", 0);
        write("TCTL", TCTL_PSP);
        int ctrl = read("CTRL");
        writeIo(offset("CTRL"), ctrl | CTRL_RST);
        write("IMC", 0xFFFF_FFFF);
        read("ICR");
    }

    /** e1000_copper_link_preconfig: CTRL.SLU set, FRCSPD and FRCDPLX clear. */
    void setLinkUp() {
        write("CTRL", (read("CTRL") | CTRL_SLU) & ~(3 << 11));
    }

    // ---- EEPROM (e1000_read_eeprom, Microwire) ----

    /** One word read the way e1000_read_eeprom does it for a Microwire part: 3-bit opcode 110b, 6 address bits, 16 data bits. */
    int readEepromWord(int address) {
        int eecd = read("EECD") | EECD_REQ;           // e1000_acquire_eeprom
        write("EECD", eecd);
        for (int i = 0; i < 1000 && (read("EECD") & EECD_GNT) == 0; i++) {
            // wait for the grant
        }
        eecd = read("EECD") & ~(EECD_DI | EECD_SK);
        write("EECD", eecd);
        eecd |= EECD_CS;
        write("EECD", eecd);
        shiftOut(0b110, 3);
        shiftOut(address, 6);
        int data = 0;
        for (int i = 0; i < 16; i++) {                // e1000_shift_in_ee_bits
            data <<= 1;
            eecd = read("EECD") | EECD_SK;
            write("EECD", eecd);
            eecd = read("EECD");
            eecd &= ~EECD_DI;
            if ((eecd & EECD_DO) != 0) {
                data |= 1;
            }
            write("EECD", eecd & ~EECD_SK);
        }
        eecd = read("EECD") & ~(EECD_CS | EECD_SK);    // e1000_release_eeprom
        write("EECD", eecd);
        write("EECD", eecd & ~EECD_REQ);
        return data;
    }

    private void shiftOut(int data, int count) {
        int eecd = read("EECD");
        for (int mask = 1 << (count - 1); mask != 0; mask >>>= 1) {
            eecd = (data & mask) != 0 ? eecd | EECD_DI : eecd & ~EECD_DI;
            write("EECD", eecd);
            write("EECD", eecd | EECD_SK);
            write("EECD", eecd & ~EECD_SK);
        }
        write("EECD", eecd & ~EECD_DI);
    }

    /** EERD: START with the address, poll DONE, take DATA. */
    int readEepromWordByEerd(int address) {
        write("EERD", address << 8 | 1);
        int eerd = 0;
        for (int i = 0; i < 100 && (eerd & 0x10) == 0; i++) {
            eerd = read("EERD");
        }
        return eerd >>> 16;
    }

    // ---- PHY (e1000_read_phy_reg_ex, e1000_write_phy_reg_ex) ----

    /** The MDIC value after the operation, R set once it completed. */
    int mdic(int op, int phyAddress, int register, int data) {
        write("MDIC", data & 0xFFFF | register << 16 | phyAddress << 21 | op << 26);
        int mdic = 0;
        for (int i = 0; i < 64 && (mdic & MDIC_READY) == 0; i++) {
            mdic = read("MDIC");
        }
        return mdic;
    }

    int readPhy(int register) {
        return mdic(2, 1, register, 0) & 0xFFFF;
    }

    void writePhy(int register, int value) {
        mdic(1, 1, register, value);
    }

    // ---- transmit ----

    /** e1000_configure_tx: ring base and length, head = tail = 0, TCTL with EN, PSP, CT = 0Fh, COLD = 40h. */
    void configureTx(int descriptors) {
        txSize = descriptors;
        txTail = 0;
        write("TDBAL", (int) TX_RING);
        write("TDBAH", 0);
        write("TDLEN", descriptors * 16);
        write("TDH", 0);
        write("TDT", 0);
        write("TIPG", 8 | 8 << 10 | 6 << 20);
        write("TCTL", TCTL_EN | TCTL_PSP | 0x0F << 4 | 0x40 << 12);
    }

    int txTail() {
        return txTail;
    }

    long txDescriptor(int index) {
        return TX_RING + 16L * index;
    }

    /** Writes a legacy descriptor at the tail for {@code length} bytes at {@code address}; does not ring. */
    void queueLegacy(long address, int length, int cmd, int cso, int css, int special) throws GuestMemoryFault {
        long d = txDescriptor(txTail);
        pci.ram.writeU64(d, address);
        pci.ram.writeU64(d + 8, (length & 0xFFFFL) | (cso & 0xFFL) << 16 | (cmd & 0xFFL) << 24
                | (css & 0xFFL) << 40 | (special & 0xFFFFL) << 48);
        txTail = (txTail + 1) % txSize;
    }

    /** A TCP/IP context descriptor (DTYP 0000b, DEXT). */
    void queueContext(int ipcss, int ipcso, int ipcse, int tucss, int tucso, int tucse, int paylen, int tucmd,
                      int hdrlen, int mss) throws GuestMemoryFault {
        long d = txDescriptor(txTail);
        pci.ram.writeU64(d, (ipcss & 0xFFL) | (ipcso & 0xFFL) << 8 | (ipcse & 0xFFFFL) << 16
                | (tucss & 0xFFL) << 32 | (tucso & 0xFFL) << 40 | (tucse & 0xFFFFL) << 48);
        pci.ram.writeU64(d + 8, (paylen & 0xFFFFFL) | 0L << 20 | ((tucmd | 0x20) & 0xFFL) << 24
                | (hdrlen & 0xFFL) << 40 | (mss & 0xFFFFL) << 48);
        txTail = (txTail + 1) % txSize;
    }

    /** A TCP/IP data descriptor (DTYP 0001b, DEXT). */
    void queueData(long address, int length, int dcmd, int popts, int special) throws GuestMemoryFault {
        long d = txDescriptor(txTail);
        pci.ram.writeU64(d, address);
        pci.ram.writeU64(d + 8, (length & 0xFFFFFL) | 1L << 20 | ((dcmd | 0x20) & 0xFFL) << 24
                | (popts & 0xFFL) << 40 | (special & 0xFFFFL) << 48);
        txTail = (txTail + 1) % txSize;
    }

    /** The doorbell: TDT = the tail. */
    void ringTx() {
        write("TDT", txTail);
    }

    boolean txDone(int index) throws GuestMemoryFault {
        return (pci.ram.readU8(txDescriptor(index) + 12) & 1) != 0;
    }

    // ---- receive ----

    /**
     * e1000_configure_rx and e1000_alloc_rx_buffers: ring, buffers, RCTL; like Linux, the tail is
     * left one short of the last buffer handed over ({@code buffers} - 1 descriptors are the
     * hardware's), unless {@code tail} says otherwise.
     */
    void configureRx(int descriptors, int bufferSize, int rctl, int tail) throws GuestMemoryFault {
        rxSize = descriptors;
        rxBufferSize = bufferSize;
        write("RDBAL", (int) RX_RING);
        write("RDBAH", 0);
        write("RDLEN", descriptors * 16);
        write("RDH", 0);
        for (int i = 0; i < descriptors; i++) {
            pci.ram.writeU64(rxDescriptor(i), rxBuffer(i));
            pci.ram.writeU64(rxDescriptor(i) + 8, 0);
        }
        write("RDT", tail);
        write("RCTL", rctl);
    }

    long rxDescriptor(int index) {
        return RX_RING + 16L * index;
    }

    long rxBuffer(int index) {
        return RX_BUFFERS + (long) RX_BUFFER_STRIDE * index;
    }

    int rxSize() {
        return rxSize;
    }

    int rxBufferSize() {
        return rxBufferSize;
    }
}
