package dev.hvspec.vmm.net;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two VMs (each a PCI bus with a virtio-net NIC and the reference driver) and a bare port on an
 * in-process switch: flooding of broadcast and unknown unicast, learning of source addresses.
 */
class EthernetSwitchTest {
    static final byte[] MAC_A = {0x52, 0x54, 0, 0, 0, 0x0A};
    static final byte[] MAC_B = {0x52, 0x54, 0, 0, 0, 0x0B};

    static byte[] frame(byte[] dst, byte[] src, int length) {
        byte[] f = new byte[length];
        System.arraycopy(dst, 0, f, 0, 6);
        System.arraycopy(src, 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x06;
        for (int i = 14; i < length; i++) {
            f[i] = (byte) i;
        }
        return f;
    }

    @Test
    void broadcastFloodsAndUnicastFollowsLearnedAddresses() throws Exception {
        EthernetSwitch sw = new EthernetSwitch();
        VirtioNetHarness a = new VirtioNetHarness(sw.newPort(), MAC_A);
        VirtioNetHarness b = new VirtioNetHarness(sw.newPort(), MAC_B);
        EthernetSwitch.Port monitor = sw.newPort();
        List<byte[]> seenByMonitor = new java.util.ArrayList<>();
        monitor.connect(f -> seenByMonitor.add(f));

        byte[] broadcast = frame(new byte[] {-1, -1, -1, -1, -1, -1}, MAC_A, 60);
        a.transmit(broadcast, 0, 0, 0);
        assertThat(b.received()).singleElement().satisfies(f -> assertThat(f).isEqualTo(broadcast));
        assertThat(a.received()).as("never back to the sender").isEmpty();
        assertThat(seenByMonitor).hasSize(1);

        // B answers A: A's address was learned from the broadcast, so only A's port gets it.
        byte[] reply = frame(MAC_A, MAC_B, 64);
        b.transmit(reply, 0, 0, 0);
        assertThat(a.received()).singleElement().satisfies(f -> assertThat(f).isEqualTo(reply));
        assertThat(seenByMonitor).hasSize(1);

        // A frame to an address nobody has used yet is flooded.
        a.transmit(frame(new byte[] {0x52, 0x54, 0, 0, 0, 0x0C}, MAC_A, 60), 0, 0, 0);
        assertThat(b.received()).hasSize(1);
        assertThat(seenByMonitor).hasSize(2);
    }

    @Test
    void aFrameShorterThanAnEthernetHeaderGoesNowhere() {
        EthernetSwitch sw = new EthernetSwitch();
        EthernetSwitch.Port p1 = sw.newPort();
        EthernetSwitch.Port p2 = sw.newPort();
        List<byte[]> got = new java.util.ArrayList<>();
        p2.connect(f -> got.add(f));
        p1.transmit(new byte[10]);
        assertThat(got).isEmpty();
    }
}
