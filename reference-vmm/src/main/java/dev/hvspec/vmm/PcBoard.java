package dev.hvspec.vmm;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.memory.BufferGuestMemory;
import dev.hvspec.machine.memory.GuestMemory;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.vmm.boot.E820Entry;
import dev.hvspec.vmm.bus.IoPortBus;
import dev.hvspec.vmm.bus.MmioBus;
import dev.hvspec.vmm.devices.IsaDebugExit;
import dev.hvspec.vmm.devices.PostCodePort;
import dev.hvspec.vmm.devices.SystemControlPortA;
import dev.hvspec.vmm.devices.Uart16550A;
import dev.hvspec.vmm.io.IntxIrqfd;
import dev.hvspec.vmm.io.IoThread;
import dev.hvspec.vmm.io.MsiIrqFds;
import dev.hvspec.vmm.io.VirtioIoEventFds;
import dev.hvspec.vmm.io.VirtioIrqFds;
import dev.hvspec.vmm.io.VirtioMmioIoEventFds;
import dev.hvspec.vmm.kvm.GsiRoutingTable;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.mmio.VirtioMmioDevice;
import dev.hvspec.vmm.kvm.Kvm;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.kvm.Vm;

import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.chipset.NmiStatusControlPort;
import dev.hvspec.machine.chipset.Mc146818Rtc;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.MsiSink;
import dev.hvspec.vmm.pci.PciFunction;
import dev.hvspec.vmm.pci.PciHostBridge;
import dev.hvspec.vmm.pci.PciHostBridgeFunction;
import dev.hvspec.vmm.pci.Piix3IsaBridge;
import dev.hvspec.vmm.pci.WiredOrIrqLine;
import dev.hvspec.machine.cpu.CpuidModel;

import java.io.OutputStream;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The PC the reference VMM builds on the KVM API (QEMU's role): guest RAM registered as memory
 * slots with the PC holes, the port I/O and MMIO buses of userspace devices — COM1 (16550A at
 * 0x3F8, IRQ 4), isa-debug-exit (0xF4, 4 ports), System Control Port A (0x92, A20 always on) —
 * and the vCPUs, each run by its own thread.
 */
public final class PcBoard implements AutoCloseable {
    /** RAM below 4 GiB ends here at most; the rest goes above 4 GiB (the PCI hole in between). */
    static final long LOW_RAM_LIMIT = 0xC000_0000L;
    static final long FOUR_GIB = 0x1_0000_0000L;
    /** The legacy VGA window [640 KiB, 768 KiB): MMIO, not RAM. */
    static final long LOW_HOLE_START = 0xA_0000;
    static final long LOW_HOLE_END = 0xC_0000;
    /** [768 KiB, 1 MiB): option ROM and BIOS shadow RAM on a PC; plain RAM here (loaders write to it). */
    static final long ONE_MIB = 0x10_0000;
    public static final int COM1 = 0x3F8;
    public static final int COM1_IRQ = 4;

    final HostKernel kernel;
    final Kvm kvm;
    final Vm vm;
    final List<Vcpu> vcpus = new ArrayList<>();
    final IoPortBus ports = new IoPortBus();
    final MmioBus mmio = new MmioBus();
    final TimerQueue timers;
    final GuestMemory ram;
    final List<E820Entry> memoryMap = new ArrayList<>();
    final Uart16550A com1;
    final PostCodePort postCodes = new PostCodePort();
    final IrqchipMode irqchipMode;
    /** The userspace interrupt controllers, or null when they are in the kernel. */
    final UserspaceChipset chipset;
    final Mc146818Rtc rtc;
    final AbiNegotiation negotiation;
    /** The VM's time as userspace reads it (KVM_GET_CLOCK or the guest TSC). */
    final GuestTime guestTime;
    final PciHostBridge pci;
    /** One wired-OR per ISA IRQ: userspace devices sharing a line OR their levels before the controller sees them. */
    private final Map<Integer, WiredOrIrqLine> isaLines = new HashMap<>();
    private final Object eventMonitor = new Object();
    /** The I/O thread, ioeventfds and irqfds, once {@link #useIoEventFds()} turned them on; or null. */
    private volatile BoardFastPaths fast;
    /** The kernel's GSI routing table (KVM_CAP_IRQ_ROUTING with the in-kernel irqchip), or null. */
    private GsiRoutingTable gsiRoutes;
    /** vCPU threads executing guest code (not halted, not waiting for a start-up IPI). */
    private final java.util.concurrent.atomic.AtomicInteger runningVcpus = new java.util.concurrent.atomic.AtomicInteger();

    /** Where the PIC, I/O APIC, local APICs and PIT are emulated (QEMU's kernel_irqchip=on|off). */
    public enum IrqchipMode {
        KERNEL, USER;

        /** {@code kernel} or {@code user}, as {@code hvspec run --irqchip} spells them. */
        public static IrqchipMode parse(String name) {
            return switch (name) {
                case "kernel" -> KERNEL;
                case "user" -> USER;
                default -> throw new IllegalArgumentException("irqchip must be kernel or user, got '" + name + "'");
            };
        }
    }

    /** The RTC's date at virtual time 0: fixed, so runs are reproducible (QEMU uses the host clock). */
    static final LocalDateTime RTC_START = LocalDateTime.of(2000, 1, 1, 0, 0, 0);
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile RunResult result;
    private volatile java.util.Map<String, Long> statsAtFinish = java.util.Map.of();

    public PcBoard(HostKernel kernel, long memoryBytes, int cpus, OutputStream serial, IrqchipMode requested) {
        this(kernel, KernelProfile.of(Kvm.DEFAULT_HEADERS).orElseThrow(), memoryBytes, cpus, serial, requested);
    }

    /** A board whose VMM was built against the linux/kvm.h of {@code userspace} ({@link AbiNegotiation}). */
    public PcBoard(HostKernel kernel, KernelProfile userspace, long memoryBytes, int cpus, OutputStream serial,
                   IrqchipMode requested) {
        this.kernel = kernel;
        this.kvm = Kvm.open(kernel, userspace);
        this.vm = kvm.createVm();
        this.negotiation = AbiNegotiation.negotiate(kvm, requested);
        this.guestTime = new GuestTime(negotiation.clock(), vm, vcpus);
        this.timers = new TimerQueue(guestTime::nanos);
        this.ram = new BufferGuestMemory(allocateRam(memoryBytes));
        // QEMU's fallback: no KVM_CAP_IRQCHIP → the chips are emulated in userspace.
        boolean kernelChips = negotiation.chips() == AbiNegotiation.Chips.KERNEL;
        this.irqchipMode = kernelChips ? IrqchipMode.KERNEL : IrqchipMode.USER;
        if (kernelChips) {
            vm.createIrqchip();
            if (negotiation.gsiRouting()) {
                gsiRoutes = new GsiRoutingTable(vm, qemuGsiRouting());
            }
            this.chipset = null;
        } else {
            this.chipset = new UserspaceChipset(ports, mmio, timers, cpus, this::notifyEvent);
        }
        switch (negotiation.pit()) {
            case PIT2 -> vm.createPit2(0);
            case PIT -> vm.createPit();
            case USER -> {
                if (kernelChips) {
                    // An in-kernel irqchip without an in-kernel PIT (2.6.24, 2.6.25): QEMU's own
                    // 8254 raises IRQ 0 with KVM_IRQ_LINE.
                    Intel8254 pit = new Intel8254(timers, isaIrq(0));
                    ports.register(0x40, 4, pit);
                    ports.register(NmiStatusControlPort.PORT, 1, new NmiStatusControlPort(pit, timers.clock()));
                }
            }
        }
        List<CpuidModel.Entry> supported = negotiation.cpuid() == AbiNegotiation.Cpuid.CPUID2
                ? kvm.supportedCpuid() : CpuidModel.supported(); // before GET_SUPPORTED_CPUID: its own CPU model
        for (int id = 0; id < cpus; id++) {
            Vcpu vcpu = vm.createVcpu(id);
            if (negotiation.cpuid() == AbiNegotiation.Cpuid.CPUID2) {
                vcpu.setCpuid(cpuidFor(supported, id, kernelChips));
            } else {
                vcpu.setCpuidLegacy(cpuidFor(supported, id, kernelChips));
            }
            vcpus.add(vcpu);
        }
        this.com1 = new Uart16550A(COM1, isaIrq(COM1_IRQ), b -> writeSerial(serial, b), timers);
        this.rtc = new Mc146818Rtc(timers, isaIrq(8), RTC_START);
        ports.register(0x70, 2, rtc);
        MsiSink msi = chipset != null
                ? (address, data) -> chipset.chips.gsi().signalMsi(address, data)
                : (address, data) -> vm.signalMsi(address, data);
        int[] pirqIrqs = PciFirmware.PIRQ_IRQS;
        // The i440FX PCI host bridge (8086:1237 rev 2) and the PIIX3 ISA bridge at 00:01.0, as on
        // QEMU's pc machine; devices from the command line take slots 2, 3 …
        IntxRouter pirqs = IntxRouter.swizzled(isaIrq(pirqIrqs[0]), isaIrq(pirqIrqs[1]),
                isaIrq(pirqIrqs[2]), isaIrq(pirqIrqs[3]), PciFirmware.SWIZZLE_BIAS);
        this.pci = new PciHostBridge(ram, msi, (device, pin) -> fast != null ? fast.routeIntx(device, pin, pirqs)
                : pirqs.route(device, pin), new PciHostBridgeFunction(0x8086, 0x1237, 0x02));
        pci.attach(1, 0, new Piix3IsaBridge(pirqIrqs));
        pci.registerConfigPorts(ports);
        ports.setFallback(pci.ioSpace());
        mmio.setFallback(pci.memorySpace(0));
        ports.register(COM1, 8, com1);
        ports.register(PostCodePort.PORT, 1, postCodes);
        ports.register(IsaDebugExit.PORT, IsaDebugExit.SIZE,
                new IsaDebugExit(status -> finish(new RunResult(RunResult.Reason.DEBUG_EXIT, status, null))));
        ports.register(SystemControlPortA.PORT, 1, new SystemControlPortA(
                () -> finish(new RunResult(RunResult.Reason.RESET, 0, "fast reset through port 0x92"))));
    }

    /**
     * QEMU's routing for an in-kernel irqchip (hw/i386/kvm/irqchip: kvm_pc_setup_irq_routing):
     * GSI 0-7 (but 2) to the master 8259A, 8-15 to the slave, and GSI n to I/O APIC pin n except
     * that GSI 0 goes to pin 2 — the PC's ISA IRQ 0 override.
     */
    static List<Vm.IrqchipRoute> qemuGsiRouting() {
        List<Vm.IrqchipRoute> routes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (i != 2) {
                routes.add(new Vm.IrqchipRoute(i, 0, i));
            }
        }
        for (int i = 8; i < 16; i++) {
            routes.add(new Vm.IrqchipRoute(i, 1, i - 8));
        }
        for (int i = 0; i < 24; i++) {
            if (i == 0) {
                routes.add(new Vm.IrqchipRoute(0, 2, 2));
            } else if (i != 2) {
                routes.add(new Vm.IrqchipRoute(i, 2, i));
            }
        }
        return routes;
    }

    /**
     * The CPUID a vCPU gets (KVM_SET_CPUID2): the supported table with its APIC ID, and without
     * x2APIC and the TSC-deadline timer when the local APIC is not in the kernel (KVM cannot offer
     * them then; QEMU clears them too).
     */
    static List<CpuidModel.Entry> cpuidFor(List<CpuidModel.Entry> supported, int id, boolean kernelApic) {
        List<CpuidModel.Entry> out = new ArrayList<>();
        for (CpuidModel.Entry e : supported) {
            if (e.function() == 1) {
                int ecx = kernelApic ? e.ecx() : e.ecx() & ~(CpuidModel.ECX1_X2APIC | CpuidModel.ECX1_TSC_DEADLINE);
                e = new CpuidModel.Entry(1, 0, false, e.eax(), (e.ebx() & 0x00FF_FFFF) | (id << 24), ecx, e.edx());
            }
            out.add(e);
        }
        return out;
    }

    /**
     * A new input on ISA IRQ n. All userspace inputs of one IRQ are ORed (one KVM_IRQ_LINE source
     * per GSI, as userspace has one irq source id), then reach KVM_IRQ_LINE with the in-kernel
     * irqchip, or the userspace chips.
     */
    synchronized IrqLine isaIrq(int n) {
        return isaLines.computeIfAbsent(n, irq -> new WiredOrIrqLine(chipset != null ? chipset.isaIrq(irq)
                : level -> vm.irqLine(irq, level))).newInput();
    }

    /** Adds a PCI function on bus 0 (the next free slot). */
    public int attachPci(PciFunction function) {
        BoardFastPaths f = fast;
        if (f == null) {
            return pci.attach(function);
        }
        synchronized (f) {
            f.attaching(function);
            int slot = pci.attach(function);
            f.attached(function);
            return slot;
        }
    }

    /**
     * Adds a virtio-mmio device (virtio 1.3 §4.2, version 2) with its register block at {@code base}
     * (claimed on the MMIO bus before PCI's subtractive decode) and its interrupt on ISA IRQ
     * {@code irq} (QEMU's microvm wires virtio-mmio the same way). With the fast path on, its
     * QueueNotify goes through KVM_IOEVENTFD from DRIVER_OK on.
     */
    public VirtioMmioDevice attachVirtioMmio(VirtioDevice device, long base, int irq) {
        return attachVirtioMmio(device, base, irq, dev.hvspec.vmm.virtio.VirtioDeviceOptions.NONE);
    }

    /** The same, with transport options offered (ACCESS_PLATFORM, NOTIFICATION_DATA). */
    public VirtioMmioDevice attachVirtioMmio(VirtioDevice device, long base, int irq,
                                             dev.hvspec.vmm.virtio.VirtioDeviceOptions options) {
        VirtioMmioDevice mmioDevice = new VirtioMmioDevice(device, ram, isaIrq(irq), 2, options);
        mmio.register(base, VirtioMmioDevice.REGION_SIZE, mmioDevice);
        BoardFastPaths f = fast;
        if (f != null) {
            f.attachedMmio(mmioDevice, base);
        }
        return mmioDevice;
    }

    /**
     * Turns the fast paths on (QEMU's ioeventfd=on with KVM's irqfds), if the kernel has
     * KVM_CAP_IOEVENTFD; returns whether it does. Call before attaching the devices. Virtio-pci
     * and virtio-mmio notifications then go through KVM_IOEVENTFD to a VMM I/O thread; MSI-X and
     * MSI messages through irqfds on MSI routes when the kernel has KVM_CAP_IRQFD and the board
     * routes GSIs (KVM_CAP_IRQ_ROUTING with the in-kernel irqchip), else KVM_SIGNAL_MSI; the
     * 82540EM's INTA# through a resampling irqfd with the in-kernel irqchip and
     * KVM_CAP_IRQFD_RESAMPLE, else KVM_IRQ_LINE ({@link BoardFastPaths}).
     */
    public synchronized boolean useIoEventFds() {
        if (fast != null) {
            return true;
        }
        if (kvm.checkExtension(KvmCap.IOEVENTFD) == 0) {
            return false;
        }
        fast = new BoardFastPaths(this);
        return true;
    }

    /** The board's GSI routing table, or null when the kernel routes GSIs (or there is no in-kernel irqchip). */
    GsiRoutingTable gsiRoutes() {
        return gsiRoutes;
    }

    /** The guest's virtual time in nanoseconds (KVM_GET_CLOCK, or vCPU 0's TSC on kernels without it). */
    public long virtualNanos() {
        return guestTime.nanos();
    }

    /** The kvm_stat counters as they were when the run ended (empty before). */
    public java.util.Map<String, Long> statsAtFinish() {
        return statsAtFinish;
    }

    /** The POST code port at 80h (probes listen to the codes a guest writes). */
    public PostCodePort postCodes() {
        return postCodes;
    }

    /** The virtio-pci ioeventfds, or null when notifications exit to userspace. */
    public VirtioIoEventFds ioEventFds() {
        BoardFastPaths f = fast;
        return f == null ? null : f.ioEventFds;
    }

    /** The virtio-mmio ioeventfds, or null when notifications exit to userspace. */
    public VirtioMmioIoEventFds mmioIoEventFds() {
        BoardFastPaths f = fast;
        return f == null ? null : f.mmioIoEventFds;
    }

    /** The virtio MSI-X irqfds, or null when interrupts go through KVM_SIGNAL_MSI or userspace. */
    public VirtioIrqFds irqFds() {
        BoardFastPaths f = fast;
        return f == null ? null : f.irqFds;
    }

    /** The MSI capability irqfds, or null when MSI messages go through KVM_SIGNAL_MSI or userspace. */
    public MsiIrqFds msiIrqFds() {
        BoardFastPaths f = fast;
        return f == null ? null : f.msiIrqFds;
    }

    /** The INTx# pins on resampling irqfds (the 82540EM's), empty when none. */
    public List<IntxIrqfd> intxIrqfds() {
        BoardFastPaths f = fast;
        return f == null ? List.of() : f.intxIrqfds();
    }

    /** The I/O thread, or null. */
    public IoThread ioThread() {
        BoardFastPaths f = fast;
        return f == null ? null : f.ioThread;
    }

    /** The kvm_stat counters of the VM, as the host's debugfs shows them. */
    public java.util.Map<String, Long> stats() {
        return kernel.debugfsStats(vm.fd());
    }

    /**
     * The firmware's part before the kernel starts, as SeaBIOS leaves a PC ({@link BoardFirmware}):
     * PCI resources assigned, the PCI interrupt lines level-triggered in the ELCR, the MP tables.
     */
    void firmwareSetup() {
        BoardFirmware.setUp(this);
    }

    /** An interrupt-controller event in userspace: wake vCPU threads waiting in HLT or for a SIPI. */
    void notifyEvent() {
        synchronized (eventMonitor) {
            eventMonitor.notifyAll();
        }
        for (Vcpu v : vcpus) {
            v.signal();
        }
    }

    /** A vCPU thread starts (true) or stops (false) executing guest code. */
    void vcpuRunning(boolean running) {
        runningVcpus.addAndGet(running ? 1 : -1);
    }

    /**
     * True when every vCPU is halted or waiting for a start-up IPI and none has an event pending
     * that would make it run: virtual time may then skip ahead (not while a woken vCPU's thread is
     * still on its way, or time would run ahead of it).
     */
    boolean noVcpuRunning() {
        if (runningVcpus.get() != 0) {
            return false;
        }
        if (chipset != null) {
            for (int i = 0; i < vcpus.size(); i++) {
                if (chipset.lapics.get(i).hasPendingEvent(vcpus.get(i).interruptFlag())) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Waits (briefly) for {@link #notifyEvent()}. */
    void awaitEvent(long millis) throws InterruptedException {
        synchronized (eventMonitor) {
            eventMonitor.wait(millis);
        }
    }

    private static void writeSerial(OutputStream serial, int b) {
        try {
            serial.write(b);
            serial.flush();
        } catch (java.io.IOException e) {
            // The reader went away (e.g. a closed pipe): the guest's output is dropped, as a UART's would be.
        }
    }

    /**
     * Registers RAM as slots around the PC holes: [0, 640 KiB), [768 KiB, min(size, 3 GiB)), and
     * above 4 GiB whatever does not fit below. The E820 map reports the same, with the EBDA's
     * last KiB below 640 KiB and the BIOS area reserved, as a PC BIOS would.
     *
     * <p>Like QEMU, userspace allocates RAM in blocks and maps each slot at the block offset that
     * equals its guest-physical offset, so a 2-MiB-aligned guest range is 2-MiB-aligned in the
     * process too and KVM may map it with large EPT/NPT pages (host regions are 2-MiB aligned).
     * A block covers (at most) one guest GiB and slots end at block boundaries.
     */
    private List<BufferGuestMemory.Range> allocateRam(long size) {
        List<BufferGuestMemory.Range> ranges = new ArrayList<>();
        long low = Math.min(size, LOW_RAM_LIMIT);
        long high = size - low;
        List<RamSlot> layout = new ArrayList<>(); // one slot per piece, split at guest GiB boundaries
        split(layout, 0, Math.min(low, LOW_HOLE_START));
        if (low > LOW_HOLE_END) {
            split(layout, LOW_HOLE_END, low - LOW_HOLE_END);
        }
        if (high > 0) {
            split(layout, FOUR_GIB, high);
        }
        java.util.Map<Long, Long> blockBytes = new java.util.HashMap<>(); // block start -> bytes it must hold
        for (RamSlot r : layout) {
            blockBytes.merge(r.block(), r.end() - r.block(), Math::max);
        }
        java.util.Map<Long, Long> blockHost = new java.util.HashMap<>();
        for (int slot = 0; slot < layout.size(); slot++) {
            RamSlot r = layout.get(slot);
            ranges.add(map(slot, r.gpa(), r.bytes(), () -> blockHost.computeIfAbsent(r.block(),
                    b -> vm.allocateMemory(blockBytes.get(b))) + (r.gpa() - r.block())));
        }
        memoryMap.add(new E820Entry(0, 0x9_FC00, E820Entry.RAM));
        memoryMap.add(new E820Entry(0x9_FC00, 0x400, E820Entry.RESERVED));
        memoryMap.add(new E820Entry(0xF_0000, 0x1_0000, E820Entry.RESERVED));
        if (low > ONE_MIB + FIRMWARE_HIGH_TABLES) {
            // SeaBIOS (QEMU's firmware) keeps its high tables in the last 128 KiB of RAM below
            // 4 GiB (CONFIG_MAX_HIGHTABLE) and reports them reserved; so does this board's map.
            memoryMap.add(new E820Entry(ONE_MIB, low - FIRMWARE_HIGH_TABLES - ONE_MIB, E820Entry.RAM));
            memoryMap.add(new E820Entry(low - FIRMWARE_HIGH_TABLES, FIRMWARE_HIGH_TABLES, E820Entry.RESERVED));
        } else if (low > ONE_MIB) {
            memoryMap.add(new E820Entry(ONE_MIB, low - ONE_MIB, E820Entry.RAM));
        }
        if (high > 0) {
            memoryMap.add(new E820Entry(FOUR_GIB, high, E820Entry.RAM));
        }
        memoryMap.add(new E820Entry(0xFFFC_0000L, 0x4_0000, E820Entry.RESERVED));
        return ranges;
    }

    /** The top of RAM below 4 GiB that the firmware reserves for its tables, as SeaBIOS does. */
    static final long FIRMWARE_HIGH_TABLES = 128 << 10;

    /** A guest GiB: the unit of RAM allocation (a process region here holds at most 2 GiB). */
    private static final long RAM_BLOCK = 1L << 30;

    /** A RAM slot: guest-physical start and size, within one {@link #RAM_BLOCK}. */
    private record RamSlot(long gpa, long bytes) {
        long end() {
            return gpa + bytes;
        }

        /** The guest-physical start of the block that holds it. */
        long block() {
            return gpa & -RAM_BLOCK;
        }
    }

    private static void split(List<RamSlot> layout, long gpa, long bytes) {
        long end = gpa + bytes;
        while (gpa < end) {
            long chunk = Math.min(end, (gpa & -RAM_BLOCK) + RAM_BLOCK) - gpa;
            layout.add(new RamSlot(gpa, chunk));
            gpa += chunk;
        }
    }

    private BufferGuestMemory.Range map(int slot, long gpa, long bytes, java.util.function.LongSupplier blockAddress) {
        long host;
        if (negotiation.memory() == AbiNegotiation.Memory.USER_MEMORY) {
            host = blockAddress.getAsLong();
            vm.setUserMemoryRegion(slot, 0, gpa, bytes, host);
        } else {
            // KVM_SET_MEMORY_REGION (before KVM_CAP_USER_MEMORY): the kernel allocates each slot.
            vm.setMemoryRegion(slot, 0, gpa, bytes);
            host = vm.mapGuestMemory(gpa, bytes);
        }
        return new BufferGuestMemory.Range(gpa, vm.hostMemory(host, bytes));
    }

    /** The paths negotiated with the kernel. */
    /**
     * Sets the guest TSC's frequency on every vCPU with KVM_SET_TSC_KHZ (api.rst §4.55), as QEMU
     * does for {@code -cpu ...,tsc-frequency=} (kvm_arch_set_tsc_khz), and only when
     * KVM_CHECK_EXTENSION(KVM_CAP_TSC_CONTROL) says the kernel can scale the TSC.
     */
    public void setTscKhz(long khz) {
        if (!kvm.has(KvmCap.TSC_CONTROL)) {
            throw new UnsupportedOptionException("--tsc-khz needs a kernel with KVM_CAP_TSC_CONTROL (KVM "
                    + kernel.profile().release() + " with a " + negotiation.userspace() + " linux/kvm.h has none)");
        }
        for (Vcpu vcpu : vcpus) {
            try {
                vcpu.setTscKhz(khz);
            } catch (dev.hvspec.vmm.kvm.KvmException e) {
                throw new UnsupportedOptionException("--tsc-khz " + khz + ": the kernel refused it ("
                        + e.getMessage() + "): beyond what its TSC scaling can express");
            }
        }
    }

    public AbiNegotiation negotiation() {
        return negotiation;
    }

    public GuestMemory ram() {
        return ram;
    }

    public List<E820Entry> memoryMap() {
        return List.copyOf(memoryMap);
    }

    public List<Vcpu> vcpus() {
        return List.copyOf(vcpus);
    }

    public IoPortBus ports() {
        return ports;
    }

    public MmioBus mmio() {
        return mmio;
    }

    /** Ends the run with {@code outcome} (the first ending wins) and stops every vCPU. */
    void finish(RunResult outcome) {
        synchronized (this) {
            if (result != null) {
                return;
            }
            result = outcome;
            statsAtFinish = stats();
        }
        finished.countDown();
        for (Vcpu v : vcpus) {
            v.signal();
        }
    }

    boolean finished() {
        return result != null;
    }

    RunResult result() {
        return result;
    }

    /** Waits for the run to end; false on timeout. */
    boolean await(java.time.Duration timeout) throws InterruptedException {
        if (timeout == null) {
            finished.await();
            return true;
        }
        return finished.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (fast != null) {
            fast.close();
        }
        for (Vcpu v : vcpus) {
            v.close();
        }
        vm.close();
        kvm.close();
    }
}
