package dev.hvspec.vmm.net;

import dev.hvspec.machine.time.VirtualClock;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --net pcap:FILE}: records the NIC's traffic in a pcap file readable by tcpdump and
 * tshark, timestamped with the VM's virtual clock. On its own it is a sink (like {@code none},
 * but recorded); wrapped around another backend it records both directions and passes frames
 * through ({@link #tap}).
 */
public final class PcapNetBackend implements NetBackend {
    private final PcapWriter writer;
    private final VirtualClock clock;
    private final NetBackend inner;
    private boolean failed;

    private PcapNetBackend(Path file, VirtualClock clock, NetBackend inner) throws IOException {
        this.writer = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file)));
        this.clock = clock;
        this.inner = inner;
    }

    /** A sink that records what the NIC transmits. */
    public static PcapNetBackend sink(Path file, VirtualClock clock) throws IOException {
        return new PcapNetBackend(file, clock, null);
    }

    /** Records both directions of {@code inner} while passing frames through. */
    public static PcapNetBackend tap(Path file, VirtualClock clock, NetBackend inner) throws IOException {
        return new PcapNetBackend(file, clock, inner);
    }

    @Override
    public void transmit(byte[] frame) {
        record(frame);
        if (inner != null) {
            inner.transmit(frame);
        }
    }

    @Override
    public void connect(FrameReceiver receiver) {
        if (inner != null) {
            inner.connect(frame -> {
                record(frame);
                return receiver.receive(frame);
            });
        }
    }

    private synchronized void record(byte[] frame) {
        if (failed) {
            return;
        }
        try {
            writer.write(clock.nanos(), frame);
            writer.flush();
        } catch (IOException e) {
            failed = true; // a full disk stops the capture, never the VM
        }
    }

    /** Whether writing the capture failed (the VM carried on without it). */
    public synchronized boolean failed() {
        return failed;
    }

    @Override
    public void close() {
        try {
            synchronized (this) {
                writer.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (inner != null) {
                inner.close();
            }
        }
    }
}
