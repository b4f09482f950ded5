package dev.hvspec.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.vmm.kvm.KvmException;
import dev.hvspec.vmm.BootModule;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.Pacing;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import dev.hvspec.vmm.UnsupportedOptionException;
import dev.hvspec.vmm.boot.BootException;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
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

    @Option(names = "--initrd", paramLabel = "FILES",
            description = "Multiboot modules as QEMU's -initrd takes them: 'FILE [ARGS],FILE…' (each module's "
                    + "string is its entry), or a bzImage's initial ramdisk.")
    String initrd;

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
            description = "Network backend: none, loopback, pcap:FILE, loopback,pcap:FILE (default: ${DEFAULT-VALUE}).")
    String net;

    @Option(names = "--virtio-pci", paramLabel = "KIND[,PROP=on]…", defaultValue = "modern",
            description = "virtio-pci functions: modern (device IDs 0x1040+, virtio 1.x only) or transitional "
                    + "(0x1000+, with the legacy I/O BAR: QEMU's disable-legacy=off), then optionally "
                    + "iommu_platform=on (offer VIRTIO_F_ACCESS_PLATFORM) and notification_data=on "
                    + "(offer VIRTIO_F_NOTIFICATION_DATA), as QEMU's device properties (default: ${DEFAULT-VALUE}).")
    String virtioPci;

    @Option(names = "--timeout-seconds", paramLabel = "S", description = "Stop the guest after S seconds (exit 124).")
    Double timeoutSeconds;

    @Option(names = "--trace", description = "Print one line per executed instruction to stderr.")
    boolean trace;

    // The host's KVM module parameter (kvm_intel ept=, kvm_amd npt=), modelled per run: docs/mmu.md.
    @Option(names = "--mmu", paramLabel = "STRATEGY", defaultValue = "ept",
            description = "Memory virtualisation of the host's KVM: ept (default; kvm_intel ept=1), npt (kvm_amd npt=1) "
                    + "or shadow (ept=0: shadow page tables).")
    String mmu;

    @Option(names = "--irqchip", paramLabel = "WHERE", defaultValue = "kernel",
            description = "Interrupt controllers and PIT in the kernel layer or in userspace: kernel, user (default: ${DEFAULT-VALUE}).")
    String irqchip;

    @Option(names = "--ioeventfd", paramLabel = "on|off", defaultValue = "on",
            description = "virtio notifications through KVM_IOEVENTFD and an I/O thread instead of exits (default: ${DEFAULT-VALUE}).")
    String ioeventfd;

    @Option(names = "--mitigation", paramLabel = "on|off", defaultValue = "on",
            description = "e1000 interrupt mitigation: ITR, RDTR/RADV, TIDV/TADV (default: ${DEFAULT-VALUE}).")
    String mitigation;

    @Option(names = "--pace", paramLabel = "CLOCK", defaultValue = "virtual",
            description = "Virtual time: virtual (follows retired instructions, 1 ns each; HLT skips to the next timer "
                    + "deadline; reproducible) or wallclock (never ahead of the host's clock; HLT waits for it) "
                    + "(default: ${DEFAULT-VALUE}).")
    String pace;

    @Option(names = "--tsc-khz", paramLabel = "N",
            description = "Guest TSC frequency in kHz, set with KVM_SET_TSC_KHZ on every vCPU (needs KVM_CAP_TSC_CONTROL; "
                    + "default: the host's, 1000000 = 1 GHz, one tick per virtual nanosecond).")
    String tscKhz;

    @Option(names = "--host", paramLabel = "RELEASE", defaultValue = "6.1",
            description = "KVM release the host kernel runs: 2.6.22 ... 2.6.26 or 6.1 (default: ${DEFAULT-VALUE}).")
    String hostRelease;

    @Option(names = "--userspace", paramLabel = "RELEASE", defaultValue = "6.1",
            description = "linux/kvm.h release the VMM is built against; it negotiates with the host (default: ${DEFAULT-VALUE}).")
    String userspaceRelease;

    @Option(names = "--stats", description = "Print the VM's kvm_stat counters to stderr at exit, one 'kvm_stat NAME VALUE' per line.")
    boolean stats;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** An on|off option's value. */
    /** The first element of {@code --virtio-pci}: modern or transitional. */
    static boolean transitional(String value) {
        String kind = value.split(",", -1)[0];
        return switch (kind) {
            case "modern" -> false;
            case "transitional" -> true;
            default -> throw new UsageException("--virtio-pci must start with modern or transitional, not '" + kind + "'");
        };
    }

    /** The properties after the kind: iommu_platform=on|off, notification_data=on|off. */
    static dev.hvspec.vmm.virtio.VirtioDeviceOptions virtioOptions(String value) {
        boolean accessPlatform = false;
        boolean notificationData = false;
        String[] parts = value.split(",", -1);
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                throw new UsageException("--virtio-pci: '" + parts[i] + "' is not PROPERTY=on|off");
            }
            boolean on = onOff("--virtio-pci " + kv[0], kv[1]);
            switch (kv[0]) {
                case "iommu_platform" -> accessPlatform = on;
                case "notification_data" -> notificationData = on;
                default -> throw new UsageException("--virtio-pci: unknown property '" + kv[0]
                        + "' (iommu_platform, notification_data)");
            }
        }
        return new dev.hvspec.vmm.virtio.VirtioDeviceOptions(accessPlatform, notificationData);
    }

    static boolean onOff(String option, String value) {
        return switch (value) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new UsageException(option + " must be on or off, got '" + value + "'");
        };
    }

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
        List<BootModule> modules;
        try {
            modules = BootModule.parseList(initrd);
        } catch (IllegalArgumentException e) { // includes InvalidPathException
            throw new UsageException("--initrd: " + e.getMessage());
        }
        for (BootModule m : modules) {
            if (!Files.isRegularFile(m.file()) || !Files.isReadable(m.file())) {
                throw new UsageException("cannot read initrd: " + m.file());
            }
        }
        for (Path disk : disks) {
            if (!Files.isRegularFile(disk) || !Files.isReadable(disk)) {
                throw new UsageException("cannot read disk image: " + disk);
            }
        }
        if (nic != null && !nic.equals("virtio") && !nic.equals("e1000")) {
            throw new UsageException("--nic must be virtio or e1000, got '" + nic + "'");
        }
        if (nic == null && !"none".equals(net)) {
            throw new UsageException("--net needs a --nic");
        }
        KvmParameters parameters;
        try {
            parameters = KvmParameters.of(KvmParameters.Mmu.parse(mmu));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--mmu: " + e.getMessage());
        }
        byte[] image;
        try {
            image = Files.readAllBytes(kernel);
        } catch (IOException e) {
            throw new UsageException("cannot read kernel image: " + kernel + ": " + e.getMessage());
        }
        Duration timeout = timeoutSeconds == null ? null : Duration.ofMillis((long) (timeoutSeconds * 1000));
        PcBoard.IrqchipMode mode;
        try {
            mode = PcBoard.IrqchipMode.parse(irqchip);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + e.getMessage());
        }
        Pacing pacing;
        try {
            pacing = Pacing.parse(pace);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--pace " + e.getMessage());
        }
        RunConfig config = new RunConfig(image, kernel.toString(), modules,
                append, memoryBytes, cpus, timeout, trace, mode, disks, nic, net,
                new RunConfig.DeviceOptions(onOff("--ioeventfd", ioeventfd), onOff("--mitigation", mitigation),
                        transitional(virtioPci), virtioOptions(virtioPci)), pacing,
                tscKhz == null ? 0 : parseTscKhz(tscKhz));
        KernelProfile host = release("--host", hostRelease);
        KernelProfile userspace = release("--userspace", userspaceRelease);
        ReferenceVmm.Outcome outcome;
        try {
            outcome = ReferenceVmm.run(new HostKernel(host, parameters), userspace, config, System.out,
                    trace ? System.err : null);
        } catch (BootException e) {
            throw new UsageException(kernel + ": " + e.getMessage());
        } catch (UnsupportedOptionException e) {
            throw new UsageException(e.getMessage());
        } catch (KvmException e) {
            if (e.call().equals("mmap") && e.is(dev.hvspec.kvm.abi.Errno.ENOMEM)) {
                throw new UsageException("--memory " + (memoryBytes >> 20) + "M: cannot allocate that much guest RAM in this JVM "
                        + "(its direct-memory limit; raise it with HVSPEC_JAVA_OPTS=-XX:MaxDirectMemorySize=SIZE)");
            }
            throw new UsageException("the " + userspaceRelease + " VMM cannot run on a " + hostRelease + " host: "
                    + e.getMessage());
        }
        RunResult result = outcome.result();
        System.out.flush();
        java.io.PrintWriter err = spec.commandLine().getErr();
        if (result.stderrLine() != null) {
            err.println(result.stderrLine());
        }
        if (stats) {
            outcome.stats().forEach((name, value) -> err.println("kvm_stat " + name + " " + value));
        }
        err.flush();
        return result.exitStatus();
    }

    /** --tsc-khz: a positive integer that fits KVM_SET_TSC_KHZ's u32 argument. */
    static long parseTscKhz(String value) {
        long khz;
        try {
            khz = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            khz = -1;
        }
        if (khz <= 0 || khz > 0xFFFF_FFFFL) {
            throw new UsageException("--tsc-khz must be a positive integer number of kHz below 2^32, got '" + value + "'");
        }
        return khz;
    }

    private static KernelProfile release(String option, String release) {
        return KernelProfile.of(release).orElseThrow(() -> new UsageException(option + " must be one of "
                + KernelProfile.all().stream().map(KernelProfile::release).toList() + ", got '" + release + "'"));
    }
}
