package dev.hvspec.cli;

/**
 * Where {@code hvspec bench net} gets its traffic-generator guest: a service (found with
 * {@link java.util.ServiceLoader}) that guest-fixtures provides, so the CLI in reference-vmm does
 * not depend on the fixture module.
 */
public interface NetBenchGuest {
    /**
     * A multiboot image sending and receiving {@code packets} frames of {@code size} bytes through
     * {@code nic} (e1000 or virtio; {@code eventIdx}: whether the virtio driver negotiates
     * VIRTIO_F_EVENT_IDX), marking its measured phase on the POST code port
     * ({@link dev.hvspec.vmm.bench.NetBench#PHASE_START}, {@code PHASE_END}).
     *
     * @throws IllegalArgumentException for parameters the generator does not support
     */
    byte[] image(String nic, int packets, int size, boolean eventIdx);
}
