package dev.hvspec.vmm;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.vmm.kvm.Kvm;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.boot.BootException;
import dev.hvspec.vmm.boot.LinuxBzImage;
import dev.hvspec.vmm.boot.MultibootLoader;
import dev.hvspec.vmm.kvm.Regs;
import dev.hvspec.vmm.kvm.Sregs;
import dev.hvspec.vmm.e1000.E1000Config;
import dev.hvspec.vmm.e1000.Intel82540EM;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.net.NetBackend;
import dev.hvspec.vmm.net.NetBackends;
import dev.hvspec.vmm.virtio.pci.VirtioPciDevices;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The reference VMM: builds a {@link PcBoard} on a host running the KVM layer, loads the guest,
 * runs one thread per vCPU and reports how the run ended. Used by {@code hvspec run} and by the
 * suite's in-process reference target.
 */
public final class ReferenceVmm {
    /** Where the loader puts a GDT with QEMU's multiboot selectors: 0x08 flat code, 0x10 flat data. */
    static final long BOOT_GDT = 0x9600;
    private static final long[] BOOT_GDT_ENTRIES = {
        0,
        0x00CF_9A00_0000_FFFFL, // 0x08: 32-bit code, base 0, limit 4 GiB, DPL 0
        0x00CF_9200_0000_FFFFL, // 0x10: 32-bit data
        0x0000_9E00_0000_FFFFL, // 0x18: 16-bit conforming code, limit 64 KiB
        0x0000_9200_0000_FFFFL, // 0x20: 16-bit data, limit 64 KiB
    };

    private ReferenceVmm() {
    }

    /** Runs a guest on a fresh modern (6.1) host; serial output goes to {@code serial}. */
    public static RunResult run(RunConfig config, OutputStream serial) throws BootException {
        return run(HostKernel.modern(), config, serial, null);
    }

    public static RunResult run(HostKernel host, RunConfig config, OutputStream serial, PrintStream trace)
            throws BootException {
        return run(host, config, serial, trace, board -> { });
    }

    /**
     * As {@link #run(HostKernel, RunConfig, OutputStream, PrintStream)}, with {@code observer} called
     * once the board is built and booted, before any vCPU runs (benchmarks attach their probes there).
     */
    public static RunResult run(HostKernel host, RunConfig config, OutputStream serial, PrintStream trace,
                                Consumer<PcBoard> observer) throws BootException {
        return run(host, KernelProfile.of(Kvm.DEFAULT_HEADERS).orElseThrow(), config, serial, trace, observer).result();
    }

    /**
     * A run's result with what else userspace learned: the ABI paths it negotiated and the VM's
     * kvm_stat counters at exit.
     */
    public record Outcome(RunResult result, AbiNegotiation negotiation, Map<String, Long> stats) {
        public Outcome {
            stats = Map.copyOf(stats);
        }
    }

    /**
     * Runs a guest with a VMM built against the linux/kvm.h of release {@code userspace} on
     * {@code host}, whatever release the host runs (the old/new matrix of api.rst §3).
     */
    public static Outcome run(HostKernel host, KernelProfile userspace, RunConfig config, OutputStream serial,
                              PrintStream trace) throws BootException {
        return run(host, userspace, config, serial, trace, board -> { });
    }

    private static Outcome run(HostKernel host, KernelProfile userspace, RunConfig config, OutputStream serial,
                               PrintStream trace, Consumer<PcBoard> observer) throws BootException {
        try (PcBoard board = new PcBoard(host, userspace, config.memoryBytes(), config.cpus(), serial,
                config.irqchip())) {
            if (config.tscKhz() != 0) {
                board.setTscKhz(config.tscKhz());
            }
            RunResult result = runBoard(board, config, trace, observer);
            return new Outcome(result, board.negotiation(), board.stats());
        }
    }

    private static RunResult runBoard(PcBoard board, RunConfig config, PrintStream trace, Consumer<PcBoard> observer)
            throws BootException {
        attachDevices(board, config);
        board.firmwareSetup();
        boot(board, config);
        observer.accept(board);
        List<Thread> threads = new ArrayList<>();
        // One thread per vCPU; application processors wait for INIT/SIPI (in the kernel, or in
        // VcpuLoop with userspace APICs) before they execute anything.
        WallClockPacer pacer = config.pace() == Pacing.WALLCLOCK
                ? new WallClockPacer(System::nanoTime, board.guestTime.nanos()) : null;
        for (Vcpu vcpu : board.vcpus()) {
            threads.add(Thread.ofPlatform().name("vcpu-" + vcpu.id()).daemon(true)
                    .start(new VcpuLoop(board, vcpu, vcpu.id() == 0 ? trace : null, pacer)));
        }
        boolean done;
        try {
            done = board.await(config.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            done = false;
        }
        if (!done) {
            board.finish(new RunResult(RunResult.Reason.TIMEOUT, RunResult.EXIT_TIMEOUT, null));
        }
        for (Thread t : threads) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        RunResult result = board.result();
        if (result.reason() == RunResult.Reason.TIMEOUT) {
            // Where each vCPU was when time ran out: the first thing a user debugging a hang asks.
            StringBuilder where = new StringBuilder();
            for (Vcpu vcpu : board.vcpus()) {
                if (threads.get(vcpu.id()).isAlive()) {
                    continue;
                }
                Regs r = vcpu.regs();
                where.append(where.isEmpty() ? "" : ", ").append(String.format("vCPU %d at %04x:%016x",
                        vcpu.id(), vcpu.sregs().cs().selector(), r.rip()));
            }
            result = new RunResult(result.reason(), result.exitStatus(), where.isEmpty() ? null : where.toString());
        }
        return result;
    }

    /** The PCI devices of the command line: virtio-blk per disk, the NIC on its backend. */
    static void attachDevices(PcBoard board, RunConfig config) throws BootException {
        if (config.devices().ioeventfd()) {
            board.useIoEventFds();
        }
        for (Path disk : config.disks()) {
            try {
                board.attachPci(VirtioPciDevices.disk(disk, !Files.isWritable(disk), config.devices().virtioTransitional(),
                        config.devices().virtio()));
            } catch (IOException e) {
                throw new BootException("cannot open disk " + disk + ": " + e.getMessage());
            }
        }
        if (config.nic() == null) {
            return;
        }
        NetBackend backend;
        try {
            backend = NetBackends.create(config.net(), board.timers.clock());
        } catch (IllegalArgumentException | IOException e) {
            throw new BootException("--net " + config.net() + ": " + e.getMessage());
        }
        switch (config.nic()) {
            case "virtio" -> board.attachPci(VirtioPciDevices.nic(backend, VirtioPciDevices.DEFAULT_MAC,
                    config.devices().virtioTransitional(), config.devices().virtio()));
            case "e1000" -> board.attachPci(new Intel82540EM(new E1000Config(VirtioPciDevices.DEFAULT_MAC,
                    config.devices().e1000Mitigation(), E1000Config.DEFAULT_LINK_DELAY_NANOS), board.timers, backend));
            default -> throw new BootException("--nic " + config.nic() + " is not available (virtio, e1000 are)");
        }
    }

    /** Linux boot.rst "32-bit Boot Protocol": __BOOT_CS = 0x10 and __BOOT_DS = 0x18, both 4-GiB flat. */
    private static final long[] LINUX_BOOT_GDT_ENTRIES = {
        0,
        0,
        0x00CF_9A00_0000_FFFFL, // 0x10: __BOOT_CS, 32-bit code, execute/read
        0x00CF_9200_0000_FFFFL, // 0x18: __BOOT_DS, 32-bit data, read/write
    };

    /** Loads the kernel: a Linux bzImage by the boot protocol, anything else as a multiboot image. */
    static void boot(PcBoard board, RunConfig config) throws BootException {
        if (LinuxBzImage.isBzImage(config.kernel())) {
            bootLinux(board, config);
        } else {
            bootMultiboot(board, config);
        }
    }

    /**
     * Loads a bzImage and enters its 32-bit entry point (boot.rst "32-bit Boot Protocol"): protected
     * mode, paging off, interrupts off, CS = __BOOT_CS, DS = ES = SS = __BOOT_DS, ESI = the zero page,
     * EBP = EDI = EBX = 0. Several initrd files are concatenated, as the kernel unpacks concatenated
     * cpio archives one after the other.
     */
    static void bootLinux(PcBoard board, RunConfig config) throws BootException {
        byte[] initrd = null;
        if (!config.initrd().isEmpty()) {
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            for (BootModule m : config.initrd()) {
                if (!m.commandLine().equals(m.file().toString())) {
                    throw new BootException("initrd '" + m.commandLine() + "': arguments apply to multiboot modules only");
                }
                try {
                    all.write(Files.readAllBytes(m.file()));
                } catch (IOException e) {
                    throw new BootException("cannot read " + m.file() + ": " + e.getMessage());
                }
            }
            initrd = all.toByteArray();
        }
        LinuxBzImage.Entry entry = LinuxBzImage.load(config.kernel(), config.append(), initrd, board.memoryMap(),
                board.ram());
        enterProtectedMode(board, LINUX_BOOT_GDT_ENTRIES, 0x10, 0x18, new Regs(0, 0, 0, 0, entry.esi(), 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, entry.eip(), 0x2));
    }

    /** Loads a multiboot image and puts the BSP in the multiboot machine state (Multiboot 0.6.96 §3.2). */
    static void bootMultiboot(PcBoard board, RunConfig config) throws BootException {
        List<MultibootLoader.Module> modules = new ArrayList<>();
        for (BootModule m : config.initrd()) {
            try {
                modules.add(new MultibootLoader.Module(Files.readAllBytes(m.file()), m.commandLine()));
            } catch (IOException e) {
                throw new BootException("cannot read " + m.file() + ": " + e.getMessage());
            }
        }
        if (MultibootLoader.findHeader(config.kernel()) < 0) {
            throw new BootException("neither a Linux bzImage nor a multiboot kernel (no multiboot header in the first 8 KiB)");
        }
        MultibootLoader.Entry entry = MultibootLoader.load(config.kernel(), config.kernelName(), config.append(),
                modules, board.memoryMap(), board.ram());
        enterProtectedMode(board, BOOT_GDT_ENTRIES, 0x08, 0x10, new Regs(MultibootLoader.BOOT_MAGIC, entry.ebx(),
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, entry.eip(), 0x2));
    }

    /** Writes {@code gdt} at BOOT_GDT and puts the BSP in flat 32-bit protected mode with {@code regs}. */
    private static void enterProtectedMode(PcBoard board, long[] gdt, int codeSelector, int dataSelector, Regs regs)
            throws BootException {
        try {
            for (int i = 0; i < gdt.length; i++) {
                board.ram().writeU64(BOOT_GDT + 8L * i, gdt[i]);
            }
        } catch (GuestMemoryFault e) {
            throw new BootException("guest RAM too small for the boot GDT");
        }
        Vcpu bsp = board.vcpus().get(0);
        Sregs s = bsp.sregs();
        Sregs.Segment code = Sregs.Segment.flat32(codeSelector, true);
        Sregs.Segment data = Sregs.Segment.flat32(dataSelector, false);
        bsp.setSregs(new Sregs(code, data, data, data, data, data, s.tr(), s.ldt(),
                new Sregs.Dtable(BOOT_GDT, gdt.length * 8 - 1), new Sregs.Dtable(0, 0x3FF),
                0x11, 0, 0, 0, 0, 0, s.apicBase()));
        bsp.setRegs(regs);
    }
}
