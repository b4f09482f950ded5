package dev.hvspec.vmm.firmware;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The byte layout of the Intel MultiProcessor Specification 1.4 (May 1997) tables: the MP Floating
 * Pointer Structure (§4.1, Table 4-1) and the MP Configuration Table (§4.2 header, Table 4-2; §4.3
 * base entries, Table 4-3). Pure: it neither knows a board nor writes guest memory; where the
 * tables go is {@code PcMpTable}'s business. All multi-byte fields are little-endian (§4: "the
 * IA-32 byte order").
 */
public final class MpTable {
    /** §4.1 Table 4-1: "_MP_". */
    public static final String FLOATING_SIGNATURE = "_MP_";
    /** §4.2 Table 4-2: "PCMP". */
    public static final String CONFIGURATION_SIGNATURE = "PCMP";
    /** Table 4-1 / 4-2 SPEC_REV: 04h for version 1.4. */
    public static final int SPEC_REV = 4;
    /** §4.1: the floating pointer is one 16-byte paragraph. */
    public static final int FLOATING_POINTER_BYTES = 16;
    /** §4.2 Table 4-2: the header ends at offset 44 (2Ch), where the base entries start. */
    public static final int HEADER_BYTES = 44;
    /** Table 4-1 MP FEATURE INFORMATION BYTE 2 bit 7, IMCRP: the IMCR is present (PIC Mode). */
    public static final int IMCRP = 0x80;

    private MpTable() {
    }

    /** Table 4-3 entry types, each with its fixed length. */
    public enum EntryType {
        PROCESSOR(0, 20), BUS(1, 8), IO_APIC(2, 8), IO_INTERRUPT(3, 8), LOCAL_INTERRUPT(4, 8);

        public final int code;
        public final int length;

        EntryType(int code, int length) {
            this.code = code;
            this.length = length;
        }
    }

    /** Table 4-11 interrupt types (I/O and local interrupt assignment entries). */
    public enum InterruptType {
        INT(0), NMI(1), SMI(2), EXT_INT(3);

        public final int code;

        InterruptType(int code) {
            this.code = code;
        }
    }

    /** Table 4-10 PO (bits 1:0): 00 conforms to the bus, 01 active high, 11 active low. */
    public enum Polarity {
        CONFORMS(0), ACTIVE_HIGH(1), ACTIVE_LOW(3);

        public final int bits;

        Polarity(int bits) {
            this.bits = bits;
        }
    }

    /** Table 4-10 EL (bits 3:2): 00 conforms to the bus, 01 edge, 11 level. */
    public enum Trigger {
        CONFORMS(0), EDGE(1), LEVEL(3);

        public final int bits;

        Trigger(int bits) {
            this.bits = bits;
        }
    }

    /** A base configuration table entry (§4.3). */
    public sealed interface Entry permits Processor, Bus, IoApic, IoInterrupt, LocalInterrupt {
        EntryType type();

        /** Writes the {@link EntryType#length} bytes of the entry, starting with its type code. */
        void writeTo(ByteBuffer out);
    }

    /**
     * §4.3.1 Table 4-4 Processor Entry: local APIC ID and version, CPU FLAGS (bit 0 EN, bit 1 BP),
     * CPU SIGNATURE (stepping 3:0, model 7:4, family 11:8: CPUID.1 EAX) and FEATURE FLAGS (CPUID.1
     * EDX), eight reserved bytes.
     */
    public record Processor(int apicId, int apicVersion, boolean enabled, boolean bootstrap, int signature,
                            int features) implements Entry {
        public EntryType type() {
            return EntryType.PROCESSOR;
        }

        public void writeTo(ByteBuffer out) {
            out.put((byte) type().code).put((byte) apicId).put((byte) apicVersion)
                    .put((byte) ((enabled ? 1 : 0) | (bootstrap ? 2 : 0))).putInt(signature).putInt(features)
                    .putLong(0);
        }
    }

    /** §4.3.2 Table 4-6 Bus Entry: BUS ID and a six-character BUS TYPE STRING (Table 4-8, blank-padded). */
    public record Bus(int id, String typeString) implements Entry {
        public static final String PCI = "PCI";
        public static final String ISA = "ISA";

        public Bus {
            if (typeString.length() > 6) {
                throw new IllegalArgumentException("a bus type string has six characters: " + typeString);
            }
        }

        public EntryType type() {
            return EntryType.BUS;
        }

        public void writeTo(ByteBuffer out) {
            out.put((byte) type().code).put((byte) id).put(ascii(typeString, 6));
        }
    }

    /** §4.3.3 Table 4-9 I/O APIC Entry: ID, version, I/O APIC FLAGS (bit 0 EN), its 32-bit address. */
    public record IoApic(int id, int version, boolean enabled, long address) implements Entry {
        public EntryType type() {
            return EntryType.IO_APIC;
        }

        public void writeTo(ByteBuffer out) {
            out.put((byte) type().code).put((byte) id).put((byte) version).put((byte) (enabled ? 1 : 0))
                    .putInt((int) address);
        }
    }

    /**
     * §4.3.4 Table 4-10 I/O Interrupt Assignment Entry: which source bus IRQ reaches which I/O APIC
     * INTIN pin. For a PCI bus the source IRQ is (device &lt;&lt; 2) | (INTA# 0 .. INTD# 3) (Appendix D,
     * PCI bus interrupt encoding).
     */
    public record IoInterrupt(InterruptType interruptType, Polarity polarity, Trigger trigger, int sourceBus,
                              int sourceIrq, int destinationApic, int destinationPin) implements Entry {
        public EntryType type() {
            return EntryType.IO_INTERRUPT;
        }

        public void writeTo(ByteBuffer out) {
            writeInterrupt(out, type(), interruptType, polarity, trigger, sourceBus, sourceIrq, destinationApic,
                    destinationPin);
        }
    }

    /**
     * §4.3.5 Table 4-12 Local Interrupt Assignment Entry: a source reaching a local APIC's LINTIN
     * pin; destination APIC ID FFh means every local APIC.
     */
    public record LocalInterrupt(InterruptType interruptType, Polarity polarity, Trigger trigger, int sourceBus,
                                 int sourceIrq, int destinationApic, int destinationLint) implements Entry {
        public static final int ALL_LOCAL_APICS = 0xFF;

        public EntryType type() {
            return EntryType.LOCAL_INTERRUPT;
        }

        public void writeTo(ByteBuffer out) {
            writeInterrupt(out, type(), interruptType, polarity, trigger, sourceBus, sourceIrq, destinationApic,
                    destinationLint);
        }
    }

    private static void writeInterrupt(ByteBuffer out, EntryType type, InterruptType interruptType, Polarity po,
                                       Trigger el, int bus, int irq, int apic, int pin) {
        out.put((byte) type.code).put((byte) interruptType.code).putShort((short) (po.bits | el.bits << 2))
                .put((byte) bus).put((byte) irq).put((byte) apic).put((byte) pin);
    }

    /**
     * The MP Configuration Table (§4.2 Table 4-2 header, then the base entries): no OEM table and no
     * extended entries. The base entries are kept in ascending order of entry type, the order of
     * Table 4-3 (firmware writes them so; operating systems count processors before buses).
     *
     * @param oemId     OEM ID, up to 8 characters (blank-padded)
     * @param productId PRODUCT ID, up to 12 characters (blank-padded)
     */
    public static byte[] configurationTable(String oemId, String productId, long localApicAddress, List<Entry> entries) {
        int length = HEADER_BYTES;
        int previous = -1;
        for (Entry e : entries) {
            if (e.type().code < previous) {
                throw new IllegalArgumentException("base entries go in Table 4-3's order of entry types; " + e
                        + " follows a type " + previous + " entry");
            }
            previous = e.type().code;
            length += e.type().length;
        }
        if (length > 0xFFFF || oemId.length() > 8 || productId.length() > 12) {
            throw new IllegalArgumentException("the configuration table does not fit its header fields");
        }
        ByteBuffer out = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        out.put(ascii(CONFIGURATION_SIGNATURE, 4))
                .putShort((short) length)               // 04h BASE TABLE LENGTH, header included
                .put((byte) SPEC_REV)                   // 06h SPEC_REV
                .put((byte) 0)                          // 07h CHECKSUM, set below
                .put(ascii(oemId, 8))                   // 08h OEM ID
                .put(ascii(productId, 12))              // 10h PRODUCT ID
                .putInt(0)                              // 1Ch OEM TABLE POINTER: none
                .putShort((short) 0)                    // 20h OEM TABLE SIZE
                .putShort((short) entries.size())       // 22h ENTRY COUNT
                .putInt((int) localApicAddress)         // 24h ADDRESS OF LOCAL APIC
                .putShort((short) 0)                    // 28h EXTENDED TABLE LENGTH: none
                .put((byte) 0)                          // 2Ah EXTENDED TABLE CHECKSUM
                .put((byte) 0);                         // 2Bh reserved
        for (Entry e : entries) {
            int start = out.position();
            e.writeTo(out);
            if (out.position() - start != e.type().length) {
                throw new IllegalStateException(e + " wrote " + (out.position() - start) + " bytes");
            }
        }
        byte[] table = out.array();
        table[7] = checksumByte(table, 0, length); // Table 4-2 CHECKSUM: the base table sums to zero
        return table;
    }

    /**
     * The MP Floating Pointer Structure (§4.1 Table 4-1) for a configuration table at
     * {@code configurationTable}: LENGTH 01h (paragraphs), SPEC_REV 04h, MP FEATURE INFORMATION
     * BYTE 1 = 0 (a configuration table is present, no default configuration), BYTE 2 bit 7 IMCRP
     * when the board has an IMCR (PIC Mode; clear: Virtual Wire Mode, §3.6.2.2), bytes 3-5
     * reserved.
     */
    public static byte[] floatingPointer(long configurationTable, boolean imcrPresent) {
        if (configurationTable < 0 || configurationTable > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("PHYSICAL ADDRESS POINTER is 32 bits: " + configurationTable);
        }
        ByteBuffer out = ByteBuffer.allocate(FLOATING_POINTER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        out.put(ascii(FLOATING_SIGNATURE, 4))
                .putInt((int) configurationTable)       // 04h PHYSICAL ADDRESS POINTER
                .put((byte) 1)                          // 08h LENGTH in 16-byte paragraphs
                .put((byte) SPEC_REV)                   // 09h SPEC_REV
                .put((byte) 0)                          // 0Ah CHECKSUM, set below
                .put((byte) 0)                          // 0Bh FEATURE BYTE 1: configuration table present
                .put((byte) (imcrPresent ? IMCRP : 0))  // 0Ch FEATURE BYTE 2
                .put(new byte[3]);                      // 0Dh-0Fh FEATURE BYTES 3-5: reserved
        byte[] pointer = out.array();
        pointer[10] = checksumByte(pointer, 0, FLOATING_POINTER_BYTES);
        return pointer;
    }

    /** The byte that makes {@code length} bytes from {@code from} (that byte counted as 0) sum to 0 mod 256. */
    static byte checksumByte(byte[] bytes, int from, int length) {
        int sum = 0;
        for (int i = from; i < from + length; i++) {
            sum += bytes[i];
        }
        return (byte) -sum;
    }

    /** {@code text} in ASCII, blank-padded to {@code width} (Table 4-2 OEM ID, Table 4-8 bus types). */
    private static byte[] ascii(String text, int width) {
        byte[] out = new byte[width];
        java.util.Arrays.fill(out, (byte) ' ');
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, out, 0, Math.min(b.length, width));
        return out;
    }
}
