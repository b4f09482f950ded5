package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.FdKind;
import dev.hvspec.kvm.abi.KvmConstants;
import dev.hvspec.kvm.abi.KvmExitReason;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.chipset.TscTimebase;
import dev.hvspec.machine.cpu.Cpu;
import dev.hvspec.machine.cpu.CpuException;
import dev.hvspec.machine.cpu.CpuExit;
import dev.hvspec.machine.cpu.CpuidModel;
import dev.hvspec.machine.cpu.Rflags;
import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.mmu.Access;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;

/**
 * A vCPU file descriptor and the virtual processor behind it (api.rst §4 "vcpu ioctls"). KVM_RUN
 * enters the guest on the calling thread — one thread per vCPU, as in Linux — and returns with an
 * exit described in the mapped kvm_run area ({@link KvmRunArea}).
 */
final class VcpuFile implements KernelFile {
    /** Instructions per entry at most, so signals and timers are looked at regularly. */
    static final long TIME_SLICE = 100_000;

    final VmFile vm;
    final int id;
    final Cpu cpu;
    final VcpuBus bus;
    final KvmStats stats;
    final UserspaceInterrupts injection = new UserspaceInterrupts();
    /** The in-kernel local APIC, when the VM has an in-kernel irqchip (KVM_CREATE_IRQCHIP before this vCPU). */
    final LapicLink apic;
    /** Without an in-kernel local APIC: IA32_APIC_BASE kept for the userspace one (null otherwise). */
    final UserspaceApicRegisters userspaceApic;
    /** KVM_MP_STATE_* (api.rst §4.38): APs wait for INIT/SIPI when the local APIC is in the kernel. */
    volatile int mpState;
    /** True while KVM_RUN waits in {@link #waitWhileHalted()}. */
    private volatile boolean waitingInHalt;
    private final Object haltMonitor = new Object();
    private final HostMemory.Region runRegion;
    private final KvmRunArea run;
    private volatile boolean signalPending;
    private volatile long alarmAt = Long.MAX_VALUE;
    private volatile boolean flushRequested;
    private volatile boolean revokeRequested;
    private long timeRemainder;
    /** The retired-instruction count up to which this vCPU's progress is in the VM clock. */
    private long committedNanos;
    /** The virtual time the current batch was sized to stop at (a timer deadline or the alarm). */
    private long plannedStop = Long.MAX_VALUE;
    private final VcpuState state;
    /** This vCPU's part of the VM's MMU (its VM-execution controls and MMU exits). */
    final VcpuMmu mmu;

    VcpuFile(VmFile vm, int id) {
        this.vm = vm;
        this.id = id;
        this.stats = new KvmStats(vm.stats);
        this.bus = new VcpuBus(this);
        this.cpu = new Cpu(new SlotPhysicalMemory(vm.slots), bus);
        this.cpu.setBusLock(vm.busLock);
        // RDTSC reads the clock with this vCPU's progress so far (SDM 3B §17.17: "a monotonically
        // increasing unique value whenever executed", so never the same value twice in one batch).
        this.cpu.setClock(() -> {
            commitTime();
            return vm.clock.nanos();
        });
        if (vm.irqchip != null) {
            // The TSC-deadline timer compares against the scaled TSC (KVM_SET_TSC_KHZ) plus the offset.
            TscTimebase tsc = new TscTimebase() {
                @Override
                public long tscAt(long nanos) {
                    return cpu.tscAt(nanos);
                }

                @Override
                public long nanosAt(long value) {
                    return cpu.tscFrequency().nanosAt(value - cpu.state().tscOffset);
                }
            };
            this.apic = new LapicLink(vm.irqchip.createLocalApic(this, tsc), this::commitTime,
                    this::timersMayHaveMoved);
            this.userspaceApic = null;
            this.cpu.setInterruptPins(new CountingInterruptPins(apic, stats));
            this.cpu.setPlatformRegisters(apic);
            this.mpState = id == 0 ? VcpuState.MP_RUNNABLE : VcpuState.MP_UNINITIALIZED;
        } else {
            this.apic = null;
            this.userspaceApic = new UserspaceApicRegisters(this);
            this.cpu.setInterruptPins(new CountingInterruptPins(injection, stats));
            this.cpu.setPlatformRegisters(userspaceApic);
            this.mpState = VcpuState.MP_RUNNABLE;
        }
        this.cpu.setCpuid(CpuidTable.forVcpu(CpuidModel.supported(), id));
        this.cpu.setCodePageListener(() -> {
            for (VcpuFile other : vm.vcpus) {
                if (other != this) {
                    other.requestWriteRevoke();
                }
            }
        });
        this.runRegion = vm.kernel.memory().mmap(SystemFile.vcpuMmapSize(vm.kernel), "kvm_run vcpu " + id);
        this.run = new KvmRunArea(runRegion);
        this.state = new VcpuState(this);
        this.mmu = vm.mmu.attach(this); // guest mode under EPT, NPT or shadow paging (docs/mmu.md)
    }

    KvmRunArea run() {
        return run;
    }

    @Override
    public long mmap(long length, long offset) {
        if (offset != 0 || length <= 0 || length > runRegion.size()) {
            throw KvmError.of(Errno.EINVAL, "the vcpu mmap area is " + runRegion.size() + " bytes at offset 0");
        }
        return runRegion.base();
    }

    @Override
    public long ioctl(long request, long arg) {
        KvmIoctl ioctl = vm.kernel.profile().decode(FdKind.VCPU, request)
                .orElseThrow(() -> KvmError.of(Errno.ENOTTY, "unknown vcpu ioctl"));
        return switch (ioctl) {
            case RUN -> {
                if (arg != 0) {
                    throw KvmError.of(Errno.EINVAL, "KVM_RUN takes no argument");
                }
                yield enter();
            }
            case INTERRUPT -> interrupt(view(KvmStructs.KVM_INTERRUPT, arg));
            case NMI -> {
                if (apic != null) {
                    apic.injectNmi();
                } else {
                    injection.queueNmi();
                }
                wake();
                yield 0;
            }
            default -> state.ioctl(ioctl, arg);
        };
    }

    StructView view(StructLayout layout, long arg) {
        return StructView.of(layout, vm.kernel.user(arg, layout.size()));
    }

    /**
     * api.rst §4.16 KVM_INTERRUPT without an in-kernel irqchip: queue an external interrupt
     * vector for injection at the next entry.
     */
    private long interrupt(StructView irq) {
        if (apic != null) {
            throw KvmError.of(Errno.ENXIO, "KVM_INTERRUPT is for a userspace irqchip");
        }
        long vector = irq.get("irq");
        if (vector > 255) {
            throw KvmError.of(Errno.EINVAL, "vector out of range");
        }
        if (!injection.queue((int) vector)) {
            throw KvmError.of(Errno.EEXIST, "an interrupt is already queued");
        }
        cpu.poke();
        return 0;
    }

    // ---- requests from other threads ----

    void requestTlbFlush() {
        flushRequested = true;
        cpu.kick();
    }

    void requestWriteRevoke() {
        revokeRequested = true;
        cpu.kick();
    }

    /** A signal to the vCPU thread: KVM_RUN returns -EINTR with KVM_EXIT_INTR. */
    void signal() {
        signalPending = true;
        cpu.kick();
        notifyHalt();
    }

    /**
     * An event for this vCPU arrived (from its local APIC, an IPI, KVM_NMI): look at the inputs at
     * the next instruction boundary; INIT/SIPI/NMI make it leave guest mode so the run loop sees them.
     */
    void wake() {
        if (apic != null && apic.lapic().hasPendingEvent(false)) {
            cpu.kick();
        } else {
            cpu.poke();
        }
        notifyHalt();
    }

    private void notifyHalt() {
        synchronized (haltMonitor) {
            haltMonitor.notifyAll();
        }
    }

    /** A timer on the VM's virtual clock that signals this vCPU thread when it expires. */
    void alarmAt(long virtualNanos) {
        alarmAt = virtualNanos;
        cpu.kick();
    }

    // ---- KVM_RUN ----

    /** api.rst §4.10 KVM_RUN. */
    private long enter() {
        StructView r = run.run;
        boolean completing = bus.completePendingRead(run);
        cpu.setInterruptWindowExiting(r.get("request_interrupt_window") != 0);
        try {
            if (r.get("immediate_exit") != 0) {
                // api.rst §5: a pending I/O or MMIO read is completed (its instruction retires)
                // before KVM_RUN returns -EINTR, so the state userspace reads next is consistent.
                if (completing) {
                    runBatch(1);
                }
                return interrupted();
            }
            while (true) {
                applyRequests();
                if (signalPending || vm.clock.nanos() >= alarmAt) {
                    return interrupted();
                }
                if (apic != null && !apicReady()) {
                    return interrupted();
                }
                if (failedEntry()) {
                    return exitToUserspace(null);
                }
                boolean singleStep = (state.guestDebug & (VcpuState.GUESTDBG_ENABLE | VcpuState.GUESTDBG_SINGLESTEP))
                        == (VcpuState.GUESTDBG_ENABLE | VcpuState.GUESTDBG_SINGLESTEP);
                CpuExit exit = runBatch(singleStep ? 1 : budget());
                stats.count(KvmStats.EXITS);
                switch (exit) {
                    case CpuExit.BudgetExhausted b -> {
                        if (singleStep) {
                            // api.rst §4.87: KVM_GUESTDBG_SINGLESTEP exits with KVM_EXIT_DEBUG after each instruction.
                            run.exitReason(KvmExitReason.DEBUG);
                            // debug.arch.pc is the linear address of the next instruction (kvm_get_linear_rip).
                            var st = cpu.state();
                            long pc = st.mode64() ? st.rip : (st.cs().base + st.rip) & 0xFFFF_FFFFL;
                            r.set("debug.arch.exception", 1).set("debug.arch.pc", pc)
                                    .set("debug.arch.dr6", 0xFFFF4FF0L).set("debug.arch.dr7", cpu.state().dr[7]);
                            return exitToUserspace(null);
                        }
                    }
                    case CpuExit.Kicked k -> { }
                    case CpuExit.Halt h -> {
                        stats.count(KvmStats.HALT_EXITS);
                        if (apic == null) {
                            // No in-kernel local APIC: the halt is userspace's to handle (api.rst KVM_EXIT_HLT).
                            cpu.state().halted = false;
                            return exitToUserspace(KvmExitReason.HLT);
                        }
                        if (!waitWhileHalted()) {
                            return interrupted();
                        }
                    }
                    case CpuExit.TripleFault t -> {
                        return exitToUserspace(KvmExitReason.SHUTDOWN);
                    }
                    case CpuExit.BusExit b -> {
                        bus.clearExitRequest();
                        if (SlotPhysicalMemory.UNBACKED.equals(b.reason())) {
                            throw KvmError.of(Errno.EFAULT, "guest memory slot has no host memory behind it");
                        }
                        if (VcpuBus.EMULATION_FAILURE.equals(b.reason())) {
                            // api.rst §5 KVM_EXIT_INTERNAL_ERROR: suberror KVM_INTERNAL_ERROR_EMULATION, no data.
                            run.exitReason(KvmExitReason.INTERNAL_ERROR);
                            r.set("internal.suberror", KvmConstants.InternalError.KVM_INTERNAL_ERROR_EMULATION.value())
                                    .set("internal.ndata", 0);
                            return exitToUserspace(null);
                        }
                        return exitToUserspace(null);
                    }
                    case CpuExit.InterruptWindow w -> {
                        stats.count(KvmStats.IRQ_WINDOW_EXITS);
                        return exitToUserspace(KvmExitReason.IRQ_WINDOW_OPEN);
                    }
                    case CpuExit.InvalidState s -> {
                        failEntry(s.why());
                        return exitToUserspace(null);
                    }
                }
            }
        } finally {
            writeOutputs();
        }
    }

    /**
     * Whether a read of guest-physical {@code gpa} outside the slots is the fetch of the instruction
     * at CS:RIP: the instruction's first byte is not in RAM and {@code gpa} lies within the 15
     * bytes an instruction may span.
     */
    boolean fetchesFrom(long gpa) {
        var s = cpu.state();
        long linear = s.mode64() ? s.rip : (s.cs().base + s.rip) & 0xFFFF_FFFFL;
        try {
            var t = cpu.mmu().translate(linear, Access.SUPERVISOR_FETCH);
            long start = t.physicalFrame() | (linear & 0xFFF);
            return vm.slots.find(start) == null && gpa >= start && gpa < start + 15;
        } catch (CpuException e) {
            return false;
        }
    }

    /**
     * The processor's VM-entry checks on the guest state (SDM 3C §26.3.1, {@link VmEntryChecks}):
     * when one fails, KVM_RUN returns 0 with KVM_EXIT_FAIL_ENTRY (api.rst §5).
     */
    private boolean failedEntry() {
        var invalid = VmEntryChecks.check(cpu.state());
        invalid.ifPresent(this::failEntry);
        return invalid.isPresent();
    }

    private void failEntry(String why) {
        run.exitReason(KvmExitReason.FAIL_ENTRY);
        run.run.set("fail_entry.hardware_entry_failure_reason", VmEntryChecks.INVALID_GUEST_STATE)
                .set("fail_entry.cpu", id);
        stats.count(KvmStats.FAIL_ENTRY_EXITS);
        vm.kernel.log("vcpu " + id + ": VM entry failed, invalid guest state: " + why);
    }

    /**
     * With an in-kernel local APIC the halt is handled here (KVM blocks the vCPU): until an event
     * wakes the processor, virtual time skips to the next timer deadline; with no deadline the
     * thread waits for another thread's event. Returns false when a signal ended the wait.
     */
    private boolean waitWhileHalted() {
        waitingInHalt = true;
        try {
            return haltLoop();
        } finally {
            waitingInHalt = false;
        }
    }

    private boolean haltLoop() {
        while (true) {
            boolean ifSet = (cpu.state().rflags & Rflags.IF) != 0;
            if (apic.lapic().hasPendingEvent(ifSet) || apic.nmiQueued()) {
                stats.count(KvmStats.HALT_WAKEUP);
                return true;
            }
            if (signalPending || vm.clock.nanos() >= alarmAt) {
                return false;
            }
            long deadline = Math.min(vm.timers.nextDeadline(), alarmAt);
            // Skip ahead only when nothing else can produce an event first: no vCPU executes and no
            // userspace event loop (a VMM I/O thread woken by an ioeventfd) is at work. Such a loop
            // may have raised its interrupt just before going idle: look for it again after that.
            if (deadline != Long.MAX_VALUE && runningVcpus() == 0 && !vm.kernel.eventLoopsBusy()) {
                if (apic.lapic().hasPendingEvent((cpu.state().rflags & Rflags.IF) != 0) || apic.nmiQueued()) {
                    continue;
                }
                vm.clock.advanceTo(deadline);
                vm.timers.runExpired();
                continue;
            }
            synchronized (haltMonitor) {
                try {
                    haltMonitor.wait(deadline == Long.MAX_VALUE ? 50 : 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            vm.timers.runExpired();
        }
    }

    /**
     * vCPUs executing instructions (runnable and not halted here), or about to: woken by an event
     * their thread has not taken yet (an interrupt they can take, an NMI, INIT, a start-up IPI).
     * Virtual time may only skip ahead when there is none; otherwise the running ones advance it
     * and this one waits. (Skipping while a woken vCPU's thread is still on its way would let time
     * run ahead of it: a guest waiting 1 ms at a time for its APs would see them never start.)
     */
    private int runningVcpus() {
        int n = 0;
        for (VcpuFile v : vm.vcpus) {
            if (v.mpState == VcpuState.MP_RUNNABLE && !v.waitingInHalt || v.aboutToRun()) {
                n++;
            }
        }
        return n;
    }

    /** An event is pending that will make this vCPU execute (read from another vCPU's thread: a hint). */
    private boolean aboutToRun() {
        if (apic == null) {
            return false;
        }
        boolean ifSet = (cpu.state().rflags & Rflags.IF) != 0;
        return apic.lapic().hasPendingEvent(ifSet) || apic.nmiQueued();
    }

    /**
     * INIT and start-up IPIs (SDM 3A §9.4.4, §11.6.1): INIT resets the processor and makes it wait
     * for a SIPI; a SIPI in that state starts it in real mode at vector × 4 KiB. Blocks while the
     * vCPU waits for a SIPI; false when a signal ended the wait.
     */
    private boolean apicReady() {
        while (true) {
            if (apic.lapic().takeInit()) {
                cpu.state().init();
                cpu.state().rip = 0;
                cpu.stateChanged();
                mpState = VcpuState.MP_INIT_RECEIVED;
            }
            // A start-up IPI is consumed whatever the state: one that reaches a processor not waiting
            // for it (the second SIPI of INIT-SIPI-SIPI) is ignored (SDM 3A §9.4.4.1, §11.6.1), and must
            // not stay pending, or every later HLT would end at once (KVM: kvm_apic_accept_events).
            int vector = apic.lapic().takeStartup();
            if (mpState == VcpuState.MP_UNINITIALIZED || mpState == VcpuState.MP_INIT_RECEIVED) {
                if (vector >= 0) {
                    var cs = cpu.state().cs();
                    cs.selector = vector << 8;
                    cs.base = (long) vector << 12;
                    cpu.state().rip = 0;
                    cpu.stateChanged();
                    mpState = VcpuState.MP_RUNNABLE;
                }
            }
            if (mpState != VcpuState.MP_UNINITIALIZED && mpState != VcpuState.MP_INIT_RECEIVED) {
                return true;
            }
            if (signalPending) {
                return false;
            }
            synchronized (haltMonitor) {
                try {
                    haltMonitor.wait(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    private CpuExit runBatch(long budget) {
        long before = cpu.retired();
        CpuExit exit = cpu.run(budget);
        stats.add(KvmStats.INSTRUCTIONS, cpu.retired() - before);
        commitTime();
        vm.timers.runExpired();
        return exit;
    }

    /**
     * Moves the VM clock by the time this vCPU spent since the last commit — its retired
     * instructions and its I/O bus cycles (Cpu.elapsedNanos) — shared among the online vCPUs. Called at the end of each batch and, on this vCPU's thread, before
     * anything in the kernel reads the clock for it in the middle of a batch (RDTSC, in-kernel
     * device and APIC accesses), so that what the guest observes moves with every instruction.
     */
    void commitTime() {
        long elapsed = cpu.elapsedNanos() - committedNanos;
        if (elapsed <= 0) {
            return;
        }
        committedNanos += elapsed;
        long nanos = elapsed + timeRemainder; // Cpu.elapsedNanos: VmClock.NANOS_PER_INSTRUCTION per instruction
        int online = vm.onlineVcpus();
        vm.clock.advance(nanos / online);
        timeRemainder = nanos % online;
    }

    /**
     * An in-kernel device or the local APIC was just accessed and may have armed a timer earlier
     * than the current batch was sized for (a PIT count, a one-shot, a TSC deadline already
     * passed): end the batch at the next instruction boundary so the timer fires on time.
     */
    void timersMayHaveMoved() {
        if (vm.timers.nextDeadline() < plannedStop) {
            cpu.kick();
        }
    }

    /** Instructions until the next in-kernel timer or the alarm, bounded by the time slice. */
    private long budget() {
        long now = vm.clock.nanos();
        long deadline = Math.min(vm.timers.nextDeadline(), alarmAt);
        plannedStop = deadline;
        long until = deadline == Long.MAX_VALUE ? TIME_SLICE
                : Math.max(1, (deadline - now) * vm.onlineVcpus() / VmClock.NANOS_PER_INSTRUCTION);
        return Math.min(TIME_SLICE, until);
    }

    private void applyRequests() {
        if (flushRequested) {
            flushRequested = false;
            cpu.mmu().flushAll();
        }
        if (revokeRequested) {
            revokeRequested = false;
            cpu.mmu().revokeWrites();
        }
    }

    private long interrupted() {
        signalPending = false;
        if (vm.clock.nanos() >= alarmAt) {
            alarmAt = Long.MAX_VALUE;
        }
        run.exitReason(KvmExitReason.INTR);
        stats.count(KvmStats.SIGNAL_EXITS);
        return Errno.EINTR.negative();
    }

    private long exitToUserspace(KvmExitReason reason) {
        if (reason != null) {
            run.exitReason(reason);
        }
        stats.count(KvmStats.USERSPACE_EXITS);
        return 0;
    }

    /** The "out" fields of kvm_run that are valid after every KVM_RUN (api.rst §5). */
    private void writeOutputs() {
        boolean ifFlag = (cpu.state().rflags & Rflags.IF) != 0;
        boolean shadow = cpu.state().stiShadow || cpu.state().movSsShadow;
        run.run.set("if_flag", ifFlag ? 1 : 0)
                .set("ready_for_interrupt_injection", ifFlag && !shadow && !injection.hasQueued() ? 1 : 0)
                .set("cr8", apic != null ? apic.readCr8() : cpu.state().cr8)
                .set("apic_base", state.apicBase());
    }

}
