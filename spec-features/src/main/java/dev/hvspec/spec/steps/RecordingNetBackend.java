package dev.hvspec.spec.steps;

import dev.hvspec.vmm.net.NetBackend;

import java.util.ArrayList;
import java.util.List;

/** The network side of a NIC in scenarios: records what the NIC sends and injects frames. */
final class RecordingNetBackend implements NetBackend {
    private final List<byte[]> transmitted = new ArrayList<>();
    private FrameReceiver receiver;

    @Override
    public synchronized void transmit(byte[] frame) {
        transmitted.add(frame.clone());
    }

    @Override
    public synchronized void connect(FrameReceiver receiver) {
        this.receiver = receiver;
    }

    boolean deliver(byte[] frame) {
        FrameReceiver r;
        synchronized (this) {
            r = receiver;
        }
        return r != null && r.receive(frame);
    }

    synchronized List<byte[]> transmitted() {
        return List.copyOf(transmitted);
    }
}
