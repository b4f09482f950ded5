package dev.hvspec.vmm.net;

/**
 * The host side of a guest NIC (QEMU's "netdev"): frames the NIC transmits go in through
 * {@link #transmit}; frames for the guest come out through the {@link FrameReceiver} the NIC
 * connected. Frames are whole Ethernet frames without preamble or FCS. Shared by virtio-net and
 * the e1000.
 */
public interface NetBackend extends AutoCloseable {
    /** The NIC sends a frame to the network. Must not call back into the NIC re-entrantly unbounded. */
    void transmit(byte[] frame);

    /** Connects the NIC's receive side; frames arriving before a receiver is connected are dropped. */
    void connect(FrameReceiver receiver);

    @Override
    default void close() {
    }

    /** The receive side of a NIC. */
    @FunctionalInterface
    interface FrameReceiver {
        /** Offers a frame to the guest; false if the NIC had no receive buffer and dropped it. */
        boolean receive(byte[] frame);
    }
}
