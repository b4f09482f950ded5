package dev.hvspec.vmm.net;

/**
 * {@code --net loopback}: every frame the NIC transmits comes straight back to the same NIC, as
 * with a loopback plug on a physical port. The frame is offered once; if the NIC has no receive
 * buffer it is lost (counted), like on a wire.
 */
public final class LoopbackNetBackend implements NetBackend {
    private FrameReceiver receiver;
    private long delivered;
    private long lost;

    @Override
    public void transmit(byte[] frame) {
        FrameReceiver r;
        synchronized (this) {
            r = receiver;
        }
        boolean ok = r != null && r.receive(frame.clone());
        synchronized (this) {
            if (ok) {
                delivered++;
            } else {
                lost++;
            }
        }
    }

    @Override
    public synchronized void connect(FrameReceiver receiver) {
        this.receiver = receiver;
    }

    public synchronized long delivered() {
        return delivered;
    }

    public synchronized long lost() {
        return lost;
    }
}
