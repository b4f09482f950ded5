package dev.hvspec.vmm.e1000;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded work per doorbell: a ring of TSO packets with MSS 1 asks for 65,000 frames per packet;
 * one pass stops once it has produced {@link TransmitUnit#BYTES_PER_PASS} bytes of frames (checked
 * between descriptors), and the rest follows from the timer queue at the same virtual time.
 */
class TransmitBudgetTest {
    @Test
    void aPassYieldsAtItsBudgetAndTheRestContinuesFromTheTimerQueue() throws Exception {
        E1000TestBench bench = new E1000TestBench(E1000Config.of(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}));
        int payload = 65_000;
        byte[] packet = new byte[54 + payload];
        packet[12] = 0x08;
        packet[14] = 0x45;
        packet[23] = 6;
        packet[46] = 0x50;
        bench.ram.write(E1000TestBench.TX_BUFFER, packet);
        // Context: IPCSS 14, IPCSO 24, IPCSE 33, TUCSS 34, TUCSO 50; TUCMD TCP|IP|TSE; HDRLEN 54; MSS 1.
        bench.queue(14L | 24L << 8 | 33L << 16 | 34L << 32 | 50L << 40,
                payload | (long) (0x01 | 0x02 | 0x04 | 0x20) << 24 | 54L << 40 | 1L << 48);
        int packets = 7;
        for (int i = 0; i < packets; i++) {
            // Data descriptor: DTYP 0001b, DCMD EOP|IFCS|TSE|RS|DEXT, no checksums.
            bench.queue(E1000TestBench.TX_BUFFER, packet.length | 1L << 20 | (long) (0x01 | 0x02 | 0x04 | 0x08 | 0x20) << 24);
        }
        bench.ringTransmit();

        // Each segment is 54 + 1 bytes, padded to 60: 65,000 x 60 = 3,900,000 bytes per packet, so
        // the 16 MiB budget is passed after the fifth packet and the pass yields before the sixth.
        assertThat(bench.sent).hasSize(5 * payload);
        assertThat(bench.read(0x3810)).as("TDH").isEqualTo(6);

        bench.advance(0);
        assertThat(bench.sent).hasSize(packets * payload);
        assertThat(bench.read(0x3810)).as("TDH").isEqualTo(8);
    }
}
