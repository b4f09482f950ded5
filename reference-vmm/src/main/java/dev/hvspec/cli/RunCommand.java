package dev.hvspec.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code hvspec run}: boots a guest image on the reference hypervisor (the guest contract of
 * DESIGN.md). Exit status: the isa-debug-exit value V as (V << 1) | 1; 0 on power-off or
 * triple-fault shutdown; 124 on timeout; 2 on bad arguments or unreadable images.
 */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = "Boot a guest (multiboot ELF32 or Linux bzImage) on the reference hypervisor; COM1 goes to stdout.")
public final class RunCommand implements Callable<Integer> {
    public static final int EXIT_TIMEOUT = 124;

    @Option(names = "--kernel", required = true, paramLabel = "FILE",
            description = "Guest image: multiboot v1 ELF32, or a Linux bzImage.")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE",
            description = "Initial ramdisk (bzImage) or multiboot module.")
    Path initrd;

    @Option(names = "--append", paramLabel = "TEXT", description = "Kernel command line.")
    String append = "";

    @Option(names = "--memory", paramLabel = "SIZE", converter = MemorySize.class, defaultValue = "128M",
            description = "Guest RAM, e.g. 128M or 1G (default: ${DEFAULT-VALUE}).")
    long memoryBytes;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "Number of vCPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--disk", paramLabel = "FILE", description = "Raw disk image for virtio-blk (repeatable).")
    List<Path> disks = new ArrayList<>();

    @Option(names = "--nic", paramLabel = "MODEL", description = "Network card: virtio or e1000.")
    String nic;

    @Option(names = "--net", paramLabel = "BACKEND", defaultValue = "none",
            description = "Network backend: none, loopback, pcap:FILE (default: ${DEFAULT-VALUE}).")
    String net;

    @Option(names = "--timeout-seconds", paramLabel = "S", description = "Stop the guest after S seconds (exit 124).")
    Double timeoutSeconds;

    @Option(names = "--trace", description = "Print one line per executed instruction to stderr.")
    boolean trace;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(kernel) || !Files.isReadable(kernel)) {
            throw new UsageException("cannot read kernel image: " + kernel);
        }
        if (cpus < 1 || cpus > 255) {
            throw new UsageException("--cpus must be between 1 and 255, got " + cpus);
        }
        if (timeoutSeconds != null && !(timeoutSeconds > 0)) {
            throw new UsageException("--timeout-seconds must be positive");
        }
        throw new UsageException("run: the reference x86 CPU is not part of this build yet");
    }
}
