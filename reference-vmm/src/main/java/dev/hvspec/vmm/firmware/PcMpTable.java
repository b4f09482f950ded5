package dev.hvspec.vmm.firmware;

import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.memory.GuestMemoryFault;

import java.util.ArrayList;
import java.util.List;

/**
 * The MP tables (MultiProcessor Specification 1.4) a PC's firmware leaves for the OS, as SeaBIOS
 * builds them for QEMU's pc machine: one processor entry per vCPU, PCI bus 0 and ISA bus 1, one
 * I/O APIC, the ISA IRQs and the PCI INTx pins as they reach the I/O APIC, ExtINT on LINTIN0 and
 * NMI on LINTIN1. The board supplies the facts ({@link IsaIrq}, {@link PciIntx}); this class turns
 * them into {@link MpTable} entries and places the two structures in the BIOS area.
 *
 * @param cpus             processors, local APIC IDs 0 .. cpus-1, the BSP being APIC ID 0
 * @param cpuSignature     CPUID.1 EAX (Table 4-4 CPU SIGNATURE)
 * @param cpuFeatures      CPUID.1 EDX (Table 4-4 FEATURE FLAGS)
 * @param localApicVersion the local APIC version register's bits 7:0
 * @param ioApicId         the I/O APIC's IOAPICID (what the guest reads from it)
 * @param ioApicVersion    the I/O APIC's IOAPICVER bits 7:0
 * @param isaIrqs          the ISA IRQs wired to I/O APIC pins (absent IRQs are left out)
 * @param pciIntx          the INTx# pins of the functions on PCI bus 0 and the I/O APIC pin each reaches
 */
public record PcMpTable(int cpus, int cpuSignature, int cpuFeatures, int localApicVersion, int ioApicId,
                        int ioApicVersion, List<IsaIrq> isaIrqs, List<PciIntx> pciIntx) {
    /**
     * §4: the floating pointer must be in the first KiB of the EBDA, the last KiB
     * of base memory, or the BIOS ROM area 0F0000h-0FFFFFh, on a 16-byte boundary. The board's
     * 0xF0000-0xFFFFF is RAM reported reserved in the E820 map, as the BIOS area is on QEMU.
     */
    public static final long FLOATING_POINTER_ADDRESS = 0xF_0000L;
    /** The configuration table, right after the floating pointer (SeaBIOS too keeps both in the F segment). */
    public static final long CONFIGURATION_TABLE_ADDRESS = FLOATING_POINTER_ADDRESS + MpTable.FLOATING_POINTER_BYTES;
    /** §4.3.3: the I/O APIC's default base. */
    public static final long IO_APIC_ADDRESS = 0xFEC0_0000L;
    /** §4.2 Table 4-2 ADDRESS OF LOCAL APIC: the xAPIC's default base (SDM 3A §11.4.1). */
    public static final long LOCAL_APIC_ADDRESS = 0xFEE0_0000L;
    public static final int PCI_BUS = 0;
    public static final int ISA_BUS = 1;
    static final String OEM_ID = "HVSPEC";
    static final String PRODUCT_ID = "REFERENCE PC";

    /** An ISA IRQ and the I/O APIC INTIN pin it drives. */
    public record IsaIrq(int irq, int ioApicPin) {
    }

    /** Pin {@code pin} (1 = INTA# .. 4 = INTD#, the Interrupt Pin register) of a device on bus 0 and its I/O APIC pin. */
    public record PciIntx(int device, int pin, int ioApicPin) {
        public PciIntx {
            if (device < 0 || device > 31 || pin < 1 || pin > 4) {
                throw new IllegalArgumentException("device " + device + " INT" + (char) ('A' + pin - 1) + "#");
            }
        }
    }

    public PcMpTable {
        isaIrqs = List.copyOf(isaIrqs);
        pciIntx = List.copyOf(pciIntx);
        if (cpus < 1 || cpus > 255) {
            throw new IllegalArgumentException("an MP table holds 1..255 xAPIC IDs, not " + cpus);
        }
    }

    /** The base entries, in Table 4-3's order of types. */
    public List<MpTable.Entry> entries() {
        List<MpTable.Entry> entries = new ArrayList<>();
        for (int id = 0; id < cpus; id++) {
            // §4.3.1: every vCPU is usable (EN); APIC ID 0 is the bootstrap processor (BP).
            entries.add(new MpTable.Processor(id, localApicVersion, true, id == 0, cpuSignature, cpuFeatures));
        }
        entries.add(new MpTable.Bus(PCI_BUS, MpTable.Bus.PCI));
        entries.add(new MpTable.Bus(ISA_BUS, MpTable.Bus.ISA));
        entries.add(new MpTable.IoApic(ioApicId, ioApicVersion, true, IO_APIC_ADDRESS));
        for (PciIntx p : pciIntx) {
            // Appendix D: a PCI source bus IRQ is the device number in bits 6:2 and the pin in 1:0.
            // On this board a PIRQ line holds its I/O APIC pin high while any INTx# on it is
            // asserted, until the device is serviced: active high, level (SeaBIOS's entries say
            // active high too, and Linux then programs the redirection entry level-triggered).
            entries.add(new MpTable.IoInterrupt(MpTable.InterruptType.INT, MpTable.Polarity.ACTIVE_HIGH,
                    MpTable.Trigger.LEVEL, PCI_BUS, p.device() << 2 | (p.pin() - 1), ioApicId, p.ioApicPin()));
        }
        for (IsaIrq i : isaIrqs) {
            // ISA interrupts conform to the bus (§4.3.4 Table 4-10: active high, edge).
            entries.add(new MpTable.IoInterrupt(MpTable.InterruptType.INT, MpTable.Polarity.CONFORMS,
                    MpTable.Trigger.CONFORMS, ISA_BUS, i.irq(), ioApicId, i.ioApicPin()));
        }
        // §4.3.5 / §3.6.2.2 Virtual Wire Mode: the 8259A's INTR reaches LINTIN0 of the local APICs
        // (every one on this board: the PIC's output is wired to all LINT0 pins) and NMI LINTIN1.
        // SeaBIOS names only APIC 0 for ExtINT; Linux programs LINT0 as ExtINT on the BSP alone anyway.
        entries.add(new MpTable.LocalInterrupt(MpTable.InterruptType.EXT_INT, MpTable.Polarity.CONFORMS,
                MpTable.Trigger.CONFORMS, ISA_BUS, 0, MpTable.LocalInterrupt.ALL_LOCAL_APICS, 0));
        entries.add(new MpTable.LocalInterrupt(MpTable.InterruptType.NMI, MpTable.Polarity.CONFORMS,
                MpTable.Trigger.CONFORMS, ISA_BUS, 0, MpTable.LocalInterrupt.ALL_LOCAL_APICS, 1));
        return entries;
    }

    /** The MP Configuration Table bytes (§4.2). */
    public byte[] configurationTable() {
        return MpTable.configurationTable(OEM_ID, PRODUCT_ID, LOCAL_APIC_ADDRESS, entries());
    }

    /**
     * Writes the floating pointer at {@link #FLOATING_POINTER_ADDRESS} and the configuration table
     * after it. The board has no IMCR (ports 22h/23h are not decoded), so feature byte 2 says
     * Virtual Wire Mode (§3.6.2.2), as SeaBIOS's table does: the OS then never writes the IMCR.
     *
     * @return false when guest RAM does not reach the BIOS area (the tables are left out)
     */
    public boolean placeIn(GuestMemory ram) {
        byte[] table = configurationTable();
        if (CONFIGURATION_TABLE_ADDRESS + table.length > 0x10_0000L) {
            throw new IllegalStateException("the MP table outgrows the BIOS area: " + table.length + " bytes");
        }
        try {
            ram.write(CONFIGURATION_TABLE_ADDRESS, table);
            ram.write(FLOATING_POINTER_ADDRESS, MpTable.floatingPointer(CONFIGURATION_TABLE_ADDRESS, false));
            return true;
        } catch (GuestMemoryFault e) {
            return false;
        }
    }
}
