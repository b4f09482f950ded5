package dev.hvspec.spec.steps;

import dev.hvspec.vmm.e1000.E1000Config;
import dev.hvspec.vmm.e1000.Intel82540EM;
import dev.hvspec.vmm.net.NetBackend;

import java.util.ArrayList;
import java.util.List;

/**
 * The e1000 part of a {@code @model} scenario: one 82540EM on the {@link PciBench}, its driver, and
 * a test network on the other end of the cable that records what the NIC sends and delivers what
 * the scenario injects (optionally echoing every frame straight back, like a loopback netdev).
 * One per scenario.
 */
public final class E1000Bench {
    /** INTA# of device 3 reaches PIRQC, IRQ 18 on the bench (pin P of device D: PIRQ[(D + P - 2) mod 4]). */
    static final int SLOT = 3;

    final PciBench pci;
    final TestNetwork network = new TestNetwork();
    Intel82540EM nic;
    E1000Driver driver;

    public E1000Bench(PciBench pci) {
        this.pci = pci;
    }

    void create(E1000Config config) {
        pci.createBridge(16, 17, 18, 19);
        nic = new Intel82540EM(config, pci.bench.timers, network);
        pci.bridge().attach(SLOT, 0, nic);
        driver = new E1000Driver(pci, SLOT);
    }

    /** The host side of the cable. */
    static final class TestNetwork implements NetBackend {
        final List<byte[]> sent = new ArrayList<>();
        private FrameReceiver receiver = frame -> false;
        boolean echo;
        int depth;
        int maxDepth;

        @Override
        public synchronized void transmit(byte[] frame) {
            sent.add(frame.clone());
            if (echo) {
                depth++;
                maxDepth = Math.max(maxDepth, depth);
                try {
                    receiver.receive(frame.clone());
                } finally {
                    depth--;
                }
            }
        }

        @Override
        public synchronized void connect(FrameReceiver r) {
            receiver = r;
        }

        synchronized boolean deliver(byte[] frame) {
            return receiver.receive(frame);
        }
    }
}
