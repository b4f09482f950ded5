package dev.hvspec.spec.steps;

import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.blk.VirtioBlk;

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

    static Map<String, Integer> bits(VirtioDevice device) {
        if (device instanceof VirtioBlk) {
            return BLK;
        }
        return Map.of();
    }
}
