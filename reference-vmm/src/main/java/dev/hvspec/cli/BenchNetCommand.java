package dev.hvspec.cli;

import dev.hvspec.vmm.bench.NetBench;
import dev.hvspec.vmm.boot.BootException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

/**
 * {@code hvspec bench net}: the seed's exits-per-packet result. A guest traffic generator (a
 * fixture with a minimal e1000 or virtio-net driver) sends and receives {@code --packets} frames
 * through the loopback backend; the kernel layer's kvm_stat counters over the measured phase give
 * exits to the VMM, I/O and MMIO exits and injected interrupts (see {@link NetBench}).
 */
@Command(name = "net", mixinStandardHelpOptions = true,
        description = "Exits per packet of a guest sending and receiving frames through a NIC on the loopback backend.")
public final class BenchNetCommand implements Callable<Integer> {
    @Option(names = "--nic", required = true, paramLabel = "MODEL", description = "e1000 or virtio.")
    String nic;

    @Option(names = "--packets", required = true, paramLabel = "N", description = "Frames to send (and receive back).")
    int packets;

    @Option(names = "--size", paramLabel = "BYTES", defaultValue = "1514",
            description = "Frame size, 60..1514 bytes without FCS (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--mitigation", paramLabel = "on|off", defaultValue = "on",
            description = "e1000 interrupt mitigation in the device (default: ${DEFAULT-VALUE}).")
    String mitigation;

    @Option(names = "--event-idx", paramLabel = "on|off", defaultValue = "on",
            description = "The virtio driver negotiates VIRTIO_F_EVENT_IDX (default: ${DEFAULT-VALUE}).")
    String eventIdx;

    @Option(names = "--ioeventfd", paramLabel = "on|off", defaultValue = "on",
            description = "virtio notifications through KVM_IOEVENTFD and the I/O thread (default: ${DEFAULT-VALUE}).")
    String ioeventfd;

    @Option(names = "--timeout-seconds", paramLabel = "S", defaultValue = "600",
            description = "Give up after S seconds (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws BootException {
        if (!nic.equals("e1000") && !nic.equals("virtio")) {
            throw new UsageException("--nic must be e1000 or virtio, got '" + nic + "'");
        }
        if (packets < 1) {
            throw new UsageException("--packets must be at least 1");
        }
        if (size < 60 || size > 1514) {
            throw new UsageException("--size must be 60..1514, got " + size);
        }
        if (timeoutSeconds < 1) {
            throw new UsageException("--timeout-seconds must be positive");
        }
        NetBench.Options options = new NetBench.Options(nic, packets, size, RunCommand.onOff("--mitigation", mitigation),
                RunCommand.onOff("--event-idx", eventIdx), RunCommand.onOff("--ioeventfd", ioeventfd));
        NetBenchGuest guests = ServiceLoader.load(NetBenchGuest.class).findFirst().orElseThrow(() ->
                new UsageException("bench net needs the guest-fixtures module on the class path (use ./hvspec)"));
        byte[] image = guests.image(nic, packets, size, options.eventIdx());
        NetBench.Result r = NetBench.run(image, options, Duration.ofSeconds(timeoutSeconds));
        PrintWriter out = spec.commandLine().getOut();
        if (!r.passed()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("hvspec: the traffic generator did not pass (exit status " + r.exitStatus() + "); its output:");
            err.print(r.serial());
            err.flush();
            return 1;
        }
        out.println(nic.equals("e1000") ? String.format("nic=e1000 size=%d mitigation=%s", size, mitigation)
                : String.format("nic=virtio size=%d event_idx=%s ioeventfd=%s", size, eventIdx, ioeventfd));
        out.println(r.summaryLine());
        out.println(r.detailLine());
        out.println(r.throughputLine());
        out.flush();
        return 0;
    }
}
