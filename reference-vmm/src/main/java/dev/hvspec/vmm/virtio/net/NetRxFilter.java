package dev.hvspec.vmm.virtio.net;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The receive filter of virtio-net (virtio 1.3 §5.1.6.5.1 "Packet Receive Filtering",
 * §5.1.6.5.2 "Setting MAC Address Filtering", §5.1.6.5.3 "VLAN Filtering"), applied in the
 * order the spec's precedence rules imply: promiscuous mode accepts everything ("SHOULD take
 * effect even if one of the other modes ... is on"); then VLAN-tagged frames need their VID in
 * the table (only if CTRL_VLAN is negotiated); broadcast is dropped only by NOBCAST; multicast by
 * NOMULTI, else accepted by ALLMULTI or the multicast table; unicast by NOUNI, else accepted by
 * ALLUNI, the device's MAC or the unicast table.
 *
 * <p>After reset the MAC table is empty (§5.1.6.5.2.1) and, as in QEMU, promiscuous mode is on
 * until a driver with CTRL_RX turns it off — so a driver without CTRL_RX still receives its
 * multicast traffic.
 */
final class NetRxFilter {
    boolean promisc = true;
    boolean allMulti;
    boolean allUni;
    boolean noMulti;
    boolean noUni;
    boolean noBroadcast;
    final List<byte[]> unicast = new ArrayList<>();
    final List<byte[]> multicast = new ArrayList<>();
    final BitSet vlans = new BitSet(4096);

    void reset() {
        promisc = true;
        allMulti = false;
        allUni = false;
        noMulti = false;
        noUni = false;
        noBroadcast = false;
        unicast.clear();
        multicast.clear();
        vlans.clear();
    }

    boolean accepts(byte[] frame, byte[] mac, boolean vlanFiltering) {
        if (frame.length < EthernetFrames.HEADER) {
            return false;
        }
        if (promisc) {
            return true;
        }
        int vid = EthernetFrames.vlanId(frame);
        if (vlanFiltering && vid >= 0 && !vlans.get(vid)) {
            return false;
        }
        if (EthernetFrames.isBroadcast(frame)) {
            return !noBroadcast;
        }
        if (EthernetFrames.isMulticast(frame)) {
            return !noMulti && (allMulti || inTable(multicast, frame));
        }
        if (noUni) {
            return false;
        }
        return allUni || EthernetFrames.destinationIs(frame, mac) || inTable(unicast, frame);
    }

    private static boolean inTable(List<byte[]> table, byte[] frame) {
        for (byte[] mac : table) {
            if (EthernetFrames.destinationIs(frame, mac)) {
                return true;
            }
        }
        return false;
    }
}
