package dev.hvspec.properties.e1000;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

import java.util.Arrays;

import static dev.hvspec.properties.e1000.E1000Harness.get16;
import static dev.hvspec.properties.e1000.E1000Harness.onesComplementSum;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transmit checksum offload of the 82540EM against a direct RFC 1071 computation: the device sums
 * the bytes from the start offset through the end offset (inclusive; "Setting the ... field to all
 * zeros means End-of-Packet") as big-endian 16-bit words in one's complement arithmetic, taking
 * whatever the checksum field holds as part of the data, and stores the complement at the
 * checksum offset (8254x SDM §3.3.3 CSO/CSS for legacy descriptors, §3.3.5-6 IPCSS/IPCSO/IPCSE
 * and TUCSS/TUCSO/TUCSE with POPTS.IXSM/TXSM, §3.3.7). Every other byte leaves unchanged, and a
 * receiver's check (the sum over the covered bytes is FFFFh) passes.
 */
class ChecksumOffloadProperties {

    record LegacyCase(byte[] frame, int css, int cso) {
    }

    record ContextCase(byte[] frame, int ipcss, int ipcso, int ipcse, int tucss, int tucso, int tucse) {
    }

    @Property(tries = 1000)
    @Label("legacy CMD.IC: the complement of the RFC 1071 sum from CSS to the end is stored at CSO")
    @Tag("e1000-sdm-3.3.3")
    void legacyChecksum(@ForAll("legacyCases") LegacyCase c) throws Exception {
        E1000Harness nic = new E1000Harness();
        nic.sendLegacy(c.frame(), true, c.cso(), c.css());

        byte[] expected = c.frame().clone();
        int checksum = ~onesComplementSum(c.frame(), c.css(), c.frame().length - 1) & 0xFFFF;
        E1000Harness.put16(expected, c.cso(), checksum);
        assertThat(nic.sent).hasSize(1);
        assertThat(nic.sent.get(0)).isEqualTo(expected);
        if (c.cso() >= c.css() && (c.cso() - c.css()) % 2 == 0 && get16(c.frame(), c.cso()) == 0) {
            // RFC 1071 §1: with the field zero before, the receiver's sum over the range is all ones.
            assertThat(onesComplementSum(nic.sent.get(0), c.css(), c.frame().length - 1)).isEqualTo(0xFFFF);
        }
    }

    @Property(tries = 1000)
    @Label("context descriptor with IXSM and TXSM: both checksums are the complements of their RFC 1071 sums")
    @Tag("e1000-sdm-3.3.5") @Tag("e1000-sdm-3.3.6") @Tag("e1000-sdm-3.3.7")
    void contextChecksums(@ForAll("contextCases") ContextCase c) throws Exception {
        E1000Harness nic = new E1000Harness();
        nic.sendWithContext(c.frame(), c.ipcss(), c.ipcso(), c.ipcse(), c.tucss(), c.tucso(), c.tucse(),
                0x03, 0, 0, false, 0x03);

        byte[] f = c.frame();
        int last = f.length - 1;
        byte[] expected = f.clone();
        E1000Harness.put16(expected, c.ipcso(), ~onesComplementSum(f, c.ipcss(), c.ipcse()) & 0xFFFF);
        int l4End = c.tucse() == 0 ? last : c.tucse();
        E1000Harness.put16(expected, c.tucso(), ~onesComplementSum(f, c.tucss(), l4End) & 0xFFFF);
        assertThat(nic.sent).hasSize(1);
        assertThat(nic.sent.get(0)).isEqualTo(expected);
        if ((c.ipcso() - c.ipcss()) % 2 == 0 && get16(f, c.ipcso()) == 0) {
            assertThat(onesComplementSum(nic.sent.get(0), c.ipcss(), c.ipcse())).isEqualTo(0xFFFF);
        }
    }

    @Property(tries = 1000)
    @Label("without IXSM and TXSM nothing is inserted")
    @Tag("e1000-sdm-3.3.7")
    void noOffloadNoChange(@ForAll("contextCases") ContextCase c) throws Exception {
        E1000Harness nic = new E1000Harness();
        nic.sendWithContext(c.frame(), c.ipcss(), c.ipcso(), c.ipcse(), c.tucss(), c.tucso(), c.tucse(),
                0x03, 0, 0, false, 0x00);
        assertThat(nic.sent).hasSize(1);
        assertThat(Arrays.equals(nic.sent.get(0), c.frame())).isTrue();
        assertThat(get16(nic.sent.get(0), c.tucso())).isEqualTo(get16(c.frame(), c.tucso()));
    }

    @Provide
    Arbitrary<LegacyCase> legacyCases() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(14).ofMaxSize(1514).flatMap(frame ->
                Combinators.combine(
                        Arbitraries.integers().between(0, Math.min(255, frame.length - 1)),
                        Arbitraries.integers().between(0, Math.min(255, frame.length - 2)),
                        Arbitraries.of(true, false))
                        .as((css, cso, zeroSeed) -> new LegacyCase(zeroed(frame, cso, zeroSeed), css, cso)));
    }

    /**
     * An IP range before a TCP/UDP range, each with its checksum field inside it (the layout of a
     * real packet, so the order in which the device computes the two does not matter). The offsets
     * are drawn from raw numbers by reduction, which keeps generation cheap.
     */
    @Provide
    Arbitrary<ContextCase> contextCases() {
        Arbitrary<byte[]> frames = Arbitraries.bytes().array(byte[].class).ofMinSize(64).ofMaxSize(1514);
        Arbitrary<int[]> raw = Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofSize(6);
        return Combinators.combine(frames, raw).as((frame, r) -> {
            int ipcss = r[0] % 21;
            int ipcse = ipcss + 2 + r[1] % 39;
            int ipcso = ipcss + r[2] % (ipcse - ipcss);
            int tucssMax = Math.min(255, frame.length - 3);
            int tucss = ipcse + 1 + r[3] % (tucssMax - ipcse);
            int tucso = tucss + r[4] % (tucssMax - tucss + 1);
            int tucse = r[5] % 2 == 0 ? 0 : tucso + 1 + r[5] % (frame.length - tucso - 1);
            return new ContextCase(zeroed(frame, ipcso, r[5] % 3 == 0), ipcss, ipcso, ipcse, tucss, tucso, tucse);
        });
    }

    /** A copy of the frame, with the 16-bit field at {@code at} zeroed if asked: software's usual seed. */
    private static byte[] zeroed(byte[] frame, int at, boolean zero) {
        byte[] copy = frame.clone();
        if (zero) {
            copy[at] = 0;
            copy[at + 1] = 0;
        }
        return copy;
    }
}
