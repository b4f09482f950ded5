package dev.hvspec.vmm.net;

/** {@code --net none}: a cable to nowhere. Transmitted frames vanish; nothing is ever received. */
public final class NullNetBackend implements NetBackend {
    private long dropped;

    @Override
    public synchronized void transmit(byte[] frame) {
        dropped++;
    }

    @Override
    public void connect(FrameReceiver receiver) {
    }

    /** Frames the NIC sent into nothing. */
    public synchronized long dropped() {
        return dropped;
    }
}
