package dev.hvspec.vmm.firmware;

import dev.hvspec.machine.memory.BufferGuestMemory;
import dev.hvspec.machine.memory.GuestMemory;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The MP tables checked with a parser written here from the MultiProcessor Specification 1.4's
 * tables (field offsets of Tables 4-1, 4-2, 4-4, 4-6, 4-9, 4-10, 4-12), not with MpTable's own
 * layout code, and against a floating pointer computed by hand.
 */
class MpTableTest {
    /** A PC with two CPUs, a function at 00:02.0 on INTA# (PIRQB, pin 10) and 00:03.0 on INTA# (PIRQC, pin 11). */
    private static final PcMpTable TWO_CPUS = new PcMpTable(2, 0x0006_63, 0x0781_FBFF, 0x14, 0, 0x11,
            List.of(new PcMpTable.IsaIrq(0, 2), new PcMpTable.IsaIrq(1, 1), new PcMpTable.IsaIrq(4, 4)),
            List.of(new PcMpTable.PciIntx(2, 1, 10), new PcMpTable.PciIntx(3, 1, 11)));

    @Test
    void theFloatingPointerMatchesOneComputedByHand() {
        // Table 4-1 for a configuration table at 0xF0010, no IMCR:
        // "_MP_" = 5F 4D 50 5F, pointer 10 00 0F 00, length 01, spec rev 04, checksum, features 00 00 00 00 00.
        // Sum without the checksum: 5F+4D+50+5F+10+0F+01+04 = 0x17F; 0x100 - 0x7F = 0x81.
        byte[] expected = {0x5F, 0x4D, 0x50, 0x5F, 0x10, 0x00, 0x0F, 0x00, 0x01, 0x04, (byte) 0x81, 0, 0, 0, 0, 0};
        assertThat(MpTable.floatingPointer(0xF_0010L, false)).containsExactly(expected);
        // With the IMCR (feature byte 2 bit 7 = IMCRP), the checksum drops by 0x80 to 0x01.
        expected[12] = (byte) 0x80;
        expected[10] = 0x01;
        assertThat(MpTable.floatingPointer(0xF_0010L, true)).containsExactly(expected);
    }

    @Test
    void theHeaderFollowsTable42AndTheBaseTableSumsToZero() {
        byte[] t = TWO_CPUS.configurationTable();
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(t, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PCMP");
        assertThat(b.getShort(0x04) & 0xFFFF).as("BASE TABLE LENGTH").isEqualTo(t.length);
        assertThat(t[0x06]).as("SPEC_REV").isEqualTo((byte) 4);
        assertThat(sum(t, 0, t.length)).as("base table checksum").isZero();
        assertThat(new String(t, 0x08, 8, StandardCharsets.US_ASCII)).isEqualTo("HVSPEC  ");
        assertThat(new String(t, 0x10, 12, StandardCharsets.US_ASCII)).isEqualTo("REFERENCE PC");
        assertThat(b.getInt(0x1C)).as("OEM TABLE POINTER").isZero();
        assertThat(b.getShort(0x20)).as("OEM TABLE SIZE").isZero();
        assertThat(b.getInt(0x24)).as("ADDRESS OF LOCAL APIC").isEqualTo(0xFEE0_0000);
        assertThat(b.getShort(0x28)).as("EXTENDED TABLE LENGTH").isZero();
        // 2 processors (20 bytes) + 2 buses + 1 I/O APIC + 2 PCI + 3 ISA + 2 local (8 bytes each).
        assertThat(b.getShort(0x22) & 0xFFFF).as("ENTRY COUNT").isEqualTo(12);
        assertThat(t.length).isEqualTo(44 + 2 * 20 + 10 * 8);
    }

    @Test
    void theEntriesSayWhatTheBoardIs() {
        List<String> entries = parseEntries(TWO_CPUS.configurationTable());
        assertThat(entries).containsExactly(
                "processor apic=0 ver=0x14 EN BP sig=0x663 features=0x781fbff",
                "processor apic=1 ver=0x14 EN sig=0x663 features=0x781fbff",
                "bus 0 'PCI   '",
                "bus 1 'ISA   '",
                "ioapic id=0 ver=0x11 EN at 0xfec00000",
                // Device 2 INTA#: source IRQ (2 << 2) | 0 = 8; device 3: 12. Active high (01), level (11).
                "intsrc INT po=1 el=3 bus=0 irq=8 -> apic 0 pin 10",
                "intsrc INT po=1 el=3 bus=0 irq=12 -> apic 0 pin 11",
                "intsrc INT po=0 el=0 bus=1 irq=0 -> apic 0 pin 2",
                "intsrc INT po=0 el=0 bus=1 irq=1 -> apic 0 pin 1",
                "intsrc INT po=0 el=0 bus=1 irq=4 -> apic 0 pin 4",
                "lintsrc ExtINT po=0 el=0 bus=1 irq=0 -> apic 255 lint 0",
                "lintsrc NMI po=0 el=0 bus=1 irq=0 -> apic 255 lint 1");
    }

    @Test
    void anOsScanningTheBiosAreaFindsTheTables() throws Exception {
        GuestMemory ram = new BufferGuestMemory(List.of(new BufferGuestMemory.Range(0, ByteBuffer.allocate(1 << 20))));
        assertThat(TWO_CPUS.placeIn(ram)).isTrue();
        // §4: scan 16-byte boundaries of 0F0000h-0FFFFFh for "_MP_" with a valid checksum.
        long found = -1;
        for (long a = 0xF_0000L; a < 0x10_0000L; a += 16) {
            byte[] p = ram.read(a, 16);
            if (new String(p, 0, 4, StandardCharsets.US_ASCII).equals("_MP_") && sum(p, 0, 16) == 0) {
                found = a;
                break;
            }
        }
        assertThat(found).isEqualTo(PcMpTable.FLOATING_POINTER_ADDRESS);
        byte[] pointer = ram.read(found, 16);
        assertThat(pointer[8]).as("LENGTH (paragraphs)").isEqualTo((byte) 1);
        assertThat(pointer[11]).as("feature byte 1: a configuration table is present").isZero();
        assertThat(pointer[12] & 0x80).as("IMCRP: no IMCR, Virtual Wire Mode").isZero();
        long table = ByteBuffer.wrap(pointer).order(ByteOrder.LITTLE_ENDIAN).getInt(4) & 0xFFFF_FFFFL;
        int length = ram.readU16(table + 4);
        assertThat(ram.read(table, length)).containsExactly(TWO_CPUS.configurationTable());
    }

    @Test
    void aRamThatDoesNotReachTheBiosAreaGetsNoTables() {
        GuestMemory ram = new BufferGuestMemory(List.of(new BufferGuestMemory.Range(0, ByteBuffer.allocate(640 << 10))));
        assertThat(TWO_CPUS.placeIn(ram)).isFalse();
    }

    @Test
    void entriesOutOfTable43OrderAreRefused() {
        List<MpTable.Entry> entries = List.of(new MpTable.Bus(0, "ISA"),
                new MpTable.Processor(0, 0x14, true, true, 0, 0));
        assertThatThrownBy(() -> MpTable.configurationTable("O", "P", 0xFEE0_0000L, entries))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static int sum(byte[] b, int from, int length) {
        int s = 0;
        for (int i = from; i < from + length; i++) {
            s += b[i] & 0xFF;
        }
        return s & 0xFF;
    }

    /** A reader of the base entries (§4.3), by Table 4-3's types and lengths and each entry's own table. */
    private static List<String> parseEntries(byte[] t) {
        ByteBuffer b = ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN);
        int count = b.getShort(0x22) & 0xFFFF;
        List<String> out = new ArrayList<>();
        int at = 44;
        String[] interruptTypes = {"INT", "NMI", "SMI", "ExtINT"};
        for (int i = 0; i < count; i++) {
            int type = t[at] & 0xFF;
            switch (type) {
                case 0 -> { // Table 4-4
                    int flags = t[at + 3];
                    out.add(String.format("processor apic=%d ver=%#x%s%s sig=%#x features=%#x", t[at + 1] & 0xFF,
                            t[at + 2] & 0xFF, (flags & 1) != 0 ? " EN" : "", (flags & 2) != 0 ? " BP" : "",
                            b.getInt(at + 4), b.getInt(at + 8)));
                    assertThat(b.getLong(at + 12)).as("reserved").isZero();
                    at += 20;
                }
                case 1 -> { // Table 4-6
                    out.add("bus " + (t[at + 1] & 0xFF) + " '" + new String(t, at + 2, 6, StandardCharsets.US_ASCII) + "'");
                    at += 8;
                }
                case 2 -> { // Table 4-9
                    out.add(String.format("ioapic id=%d ver=%#x%s at %#x", t[at + 1] & 0xFF, t[at + 2] & 0xFF,
                            (t[at + 3] & 1) != 0 ? " EN" : "", b.getInt(at + 4)));
                    at += 8;
                }
                case 3, 4 -> { // Tables 4-10 and 4-12
                    int flags = b.getShort(at + 2);
                    out.add(String.format("%s %s po=%d el=%d bus=%d irq=%d -> apic %d %s %d",
                            type == 3 ? "intsrc" : "lintsrc", interruptTypes[t[at + 1]], flags & 3, (flags >> 2) & 3,
                            t[at + 4] & 0xFF, t[at + 5] & 0xFF, t[at + 6] & 0xFF, type == 3 ? "pin" : "lint",
                            t[at + 7] & 0xFF));
                    at += 8;
                }
                default -> throw new AssertionError("entry type " + type + " at " + at);
            }
        }
        assertThat(at).as("the entries end where BASE TABLE LENGTH says").isEqualTo(b.getShort(4) & 0xFFFF);
        return out;
    }
}
