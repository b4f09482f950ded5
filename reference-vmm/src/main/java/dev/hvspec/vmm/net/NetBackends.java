package dev.hvspec.vmm.net;

import dev.hvspec.machine.time.VirtualClock;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code --net} option of {@code hvspec run}: {@code none}, {@code loopback}, {@code pcap:FILE}
 * (a recorded sink) or {@code loopback,pcap:FILE} (the loopback, both directions recorded).
 */
public final class NetBackends {
    private NetBackends() {
    }

    /**
     * Creates the backend named by {@code spec}.
     *
     * @throws IllegalArgumentException for an unknown spec (a usage error, exit status 2)
     * @throws IOException if the capture file cannot be created
     */
    public static NetBackend create(String spec, VirtualClock clock) throws IOException {
        if (spec.equals("none")) {
            return new NullNetBackend();
        }
        if (spec.equals("loopback")) {
            return new LoopbackNetBackend();
        }
        if (spec.startsWith("loopback,pcap:") && spec.length() > 14) {
            return PcapNetBackend.tap(Path.of(spec.substring(14)), clock, new LoopbackNetBackend());
        }
        if (spec.startsWith("pcap:") && spec.length() > 5) {
            return PcapNetBackend.sink(Path.of(spec.substring(5)), clock);
        }
        throw new IllegalArgumentException("unknown network backend '" + spec + "' (none, loopback, pcap:FILE, loopback,pcap:FILE)");
    }
}
