package dev.hvspec.vmm.bench;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmStats;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import dev.hvspec.vmm.boot.BootException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The exits-per-packet measurement of {@code hvspec bench net}: runs a traffic-generator guest on
 * the reference with a NIC on the loopback backend and reads the kernel layer's kvm_stat counters
 * (KvmStats, through the host's debugfs view) when the guest marks the start and the end of its
 * measured phase on the POST code port (80h): {@link #PHASE_START} right before the first packet,
 * {@link #PHASE_END} after the last one came back. Set-up and TAP output are outside the window.
 *
 * <p>Counts inside the window: both markers' writes are exits themselves; the start marker's is
 * counted before its snapshot, the end marker's before its snapshot too, so one I/O exit (the end
 * marker) is taken off. {@code exits} are all returns from KVM_RUN to the VMM: exits with a
 * reason for userspace (I/O, MMIO, …) plus those that end a run for a signal (the alarm that runs
 * a userspace device timer, such as the e1000's mitigation timers). Virtual time comes from the VM
 * clock, so every figure but the wall-clock time is deterministic for a given run on the trap
 * path; with the I/O thread, interrupts and eventfd signals depend on thread timing.
 */
public final class NetBench {
    /** POST codes the generator writes: the measured phase starts / ends. */
    public static final int PHASE_START = 0xB0, PHASE_END = 0xE0;

    /** What to run. {@code eventIdx} is the guest driver's choice and is baked into the image. */
    public record Options(String nic, int packets, int size, boolean mitigation, boolean eventIdx, boolean ioeventfd) {
    }

    /** The counters of the measured window and the run's outcome. */
    public record Result(Options options, int exitStatus, String serial, Map<String, Long> window, long virtualNanos,
                         long wallNanos) {
        public long counter(String name) {
            return window.getOrDefault(name, 0L);
        }

        /** Every return from KVM_RUN to the VMM in the window. */
        public long exits() {
            return counter(KvmStats.USERSPACE_EXITS) + counter(KvmStats.SIGNAL_EXITS);
        }

        public double exitsPerPacket() {
            return (double) exits() / options.packets();
        }

        public boolean passed() {
            return exitStatus == 3 && !window.isEmpty();
        }

        /** {@code packets=… exits=… io_exits=… mmio_exits=… interrupts=… exits_per_packet=…}. */
        public String summaryLine() {
            return String.format("packets=%d exits=%d io_exits=%d mmio_exits=%d interrupts=%d exits_per_packet=%.3f",
                    options.packets(), exits(), counter(KvmStats.IO_EXITS), counter(KvmStats.MMIO_EXITS),
                    counter(KvmStats.IRQ_INJECTIONS), exitsPerPacket());
        }

        /** The other counters of the window. */
        public String detailLine() {
            return String.format("signal_exits=%d halt_exits=%d ioeventfd_signals=%d irqfd_injections=%d msi_signals=%d"
                            + " instructions=%d",
                    counter(KvmStats.SIGNAL_EXITS), counter(KvmStats.HALT_EXITS), counter(KvmStats.IOEVENTFD_SIGNALS),
                    counter(KvmStats.IRQFD_INJECTIONS), counter(KvmStats.MSI_SIGNALS), counter(KvmStats.INSTRUCTIONS));
        }

        /**
         * Packets and bits per second over the measured window, in the guest's virtual time (one
         * nanosecond per instruction; time spent in the VMM and on the I/O thread is not in it) and
         * in wall-clock time (this host, this JVM: a benchmark figure, not a test value).
         */
        public String throughputLine() {
            return String.format("throughput: %s of virtual time (%.1f us); %s of wall clock (%.3f s)",
                    rate(virtualNanos), virtualNanos / 1e3, rate(wallNanos), wallNanos / 1e9);
        }

        private String rate(long nanos) {
            if (nanos <= 0) {
                return "n/a";
            }
            double seconds = nanos / 1e9;
            return String.format("%.0f packets/s, %.1f Mbit/s", options.packets() / seconds,
                    (double) options.packets() * options.size() * 8 / seconds / 1e6);
        }
    }

    private NetBench() {
    }

    public static Result run(byte[] image, Options o, Duration timeout) throws BootException {
        RunConfig config = RunConfig.of(image, "bench-net-" + o.nic(), timeout)
                .withDevices(List.of(), o.nic(), "loopback", new RunConfig.DeviceOptions(o.ioeventfd(), o.mitigation()));
        AtomicReference<Map<String, Long>> start = new AtomicReference<>();
        AtomicReference<Map<String, Long>> end = new AtomicReference<>();
        long[] clock = new long[4];
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        RunResult r = ReferenceVmm.run(HostKernel.modern(), config, serial, null, board -> probe(board, start, end, clock));
        Map<String, Long> window = Map.of();
        if (start.get() != null && end.get() != null) {
            window = difference(start.get(), end.get());
        }
        return new Result(o, r.exitStatus(), serial.toString(StandardCharsets.ISO_8859_1), window, clock[1] - clock[0],
                clock[3] - clock[2]);
    }

    private static void probe(PcBoard board, AtomicReference<Map<String, Long>> start,
                              AtomicReference<Map<String, Long>> end, long[] clock) {
        board.postCodes().addListener(code -> {
            if (code == PHASE_START && start.get() == null) {
                start.set(board.stats());
                clock[0] = board.virtualNanos();
                clock[2] = System.nanoTime();
            } else if (code == PHASE_END && start.get() != null && end.get() == null) {
                clock[3] = System.nanoTime();
                end.set(board.stats());
                clock[1] = board.virtualNanos();
            }
        });
    }

    /** end - start per counter, less the end marker's own exit. */
    static Map<String, Long> difference(Map<String, Long> start, Map<String, Long> end) {
        java.util.TreeMap<String, Long> d = new java.util.TreeMap<>();
        for (Map.Entry<String, Long> e : end.entrySet()) {
            d.put(e.getKey(), e.getValue() - start.getOrDefault(e.getKey(), 0L));
        }
        for (String marker : List.of(KvmStats.USERSPACE_EXITS, KvmStats.IO_EXITS, KvmStats.EXITS)) {
            d.computeIfPresent(marker, (k, v) -> Math.max(0, v - 1));
        }
        return d;
    }
}
