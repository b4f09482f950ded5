package dev.hvspec.spec.steps;

import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.balloon.VirtioBalloon;
import dev.hvspec.vmm.virtio.blk.VirtioBlk;
import dev.hvspec.vmm.virtio.net.VirtioNet;

import java.util.Map;

/** Device-type feature names usable in scenarios, per device type. */
final class VirtioDeviceFeatures {
    private VirtioDeviceFeatures() {
    }

    static final Map<String, Integer> BLK = Map.ofEntries(
            Map.entry("BLK_F_SIZE_MAX", VirtioBlk.F_SIZE_MAX), Map.entry("BLK_F_SEG_MAX", VirtioBlk.F_SEG_MAX),
            Map.entry("BLK_F_GEOMETRY", VirtioBlk.F_GEOMETRY), Map.entry("BLK_F_RO", VirtioBlk.F_RO),
            Map.entry("BLK_F_BLK_SIZE", VirtioBlk.F_BLK_SIZE), Map.entry("BLK_F_FLUSH", VirtioBlk.F_FLUSH),
            Map.entry("BLK_F_TOPOLOGY", VirtioBlk.F_TOPOLOGY), Map.entry("BLK_F_CONFIG_WCE", VirtioBlk.F_CONFIG_WCE),
            Map.entry("BLK_F_MQ", VirtioBlk.F_MQ), Map.entry("BLK_F_DISCARD", VirtioBlk.F_DISCARD),
            Map.entry("BLK_F_WRITE_ZEROES", VirtioBlk.F_WRITE_ZEROES));

    static final Map<String, Integer> NET = Map.ofEntries(
            Map.entry("NET_F_HASH_REPORT", VirtioNet.F_HASH_REPORT), Map.entry("NET_F_RSS", VirtioNet.F_RSS),
            Map.entry("NET_F_CSUM", VirtioNet.F_CSUM), Map.entry("NET_F_GUEST_CSUM", VirtioNet.F_GUEST_CSUM),
            Map.entry("NET_F_CTRL_GUEST_OFFLOADS", VirtioNet.F_CTRL_GUEST_OFFLOADS), Map.entry("NET_F_MTU", VirtioNet.F_MTU),
            Map.entry("NET_F_MAC", VirtioNet.F_MAC), Map.entry("NET_F_GUEST_TSO4", VirtioNet.F_GUEST_TSO4),
            Map.entry("NET_F_GUEST_TSO6", VirtioNet.F_GUEST_TSO6), Map.entry("NET_F_GUEST_ECN", VirtioNet.F_GUEST_ECN),
            Map.entry("NET_F_GUEST_UFO", VirtioNet.F_GUEST_UFO), Map.entry("NET_F_HOST_TSO4", VirtioNet.F_HOST_TSO4),
            Map.entry("NET_F_HOST_TSO6", VirtioNet.F_HOST_TSO6), Map.entry("NET_F_HOST_UFO", VirtioNet.F_HOST_UFO),
            Map.entry("NET_F_HOST_ECN", VirtioNet.F_HOST_ECN),
            Map.entry("NET_F_MRG_RXBUF", VirtioNet.F_MRG_RXBUF), Map.entry("NET_F_STATUS", VirtioNet.F_STATUS),
            Map.entry("NET_F_CTRL_VQ", VirtioNet.F_CTRL_VQ), Map.entry("NET_F_CTRL_RX", VirtioNet.F_CTRL_RX),
            Map.entry("NET_F_CTRL_VLAN", VirtioNet.F_CTRL_VLAN), Map.entry("NET_F_CTRL_RX_EXTRA", VirtioNet.F_CTRL_RX_EXTRA),
            Map.entry("NET_F_GUEST_ANNOUNCE", VirtioNet.F_GUEST_ANNOUNCE), Map.entry("NET_F_MQ", VirtioNet.F_MQ),
            Map.entry("NET_F_CTRL_MAC_ADDR", VirtioNet.F_CTRL_MAC_ADDR));

    static final Map<String, Integer> BALLOON = Map.of(
            "BALLOON_F_MUST_TELL_HOST", VirtioBalloon.F_MUST_TELL_HOST, "BALLOON_F_STATS_VQ", VirtioBalloon.F_STATS_VQ,
            "BALLOON_F_DEFLATE_ON_OOM", VirtioBalloon.F_DEFLATE_ON_OOM, "BALLOON_F_FREE_PAGE_HINT", VirtioBalloon.F_FREE_PAGE_HINT,
            "BALLOON_F_PAGE_POISON", VirtioBalloon.F_PAGE_POISON, "BALLOON_F_PAGE_REPORTING", VirtioBalloon.F_PAGE_REPORTING);

    static Map<String, Integer> bits(VirtioDevice device) {
        if (device instanceof VirtioBalloon) {
            return BALLOON;
        }
        if (device instanceof VirtioBlk) {
            return BLK;
        }
        if (device instanceof VirtioNet) {
            return NET;
        }
        return Map.of();
    }
}
