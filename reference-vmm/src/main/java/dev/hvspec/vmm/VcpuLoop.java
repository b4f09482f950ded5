package dev.hvspec.vmm;

import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.cpu.isa.CodeSource;
import dev.hvspec.machine.cpu.isa.DecodeException;
import dev.hvspec.machine.cpu.isa.Decoder;
import dev.hvspec.machine.cpu.isa.Disassembler;
import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.IsaFeature;
import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.kvm.Exit;
import dev.hvspec.vmm.kvm.Regs;
import dev.hvspec.vmm.kvm.Sregs;
import dev.hvspec.vmm.kvm.Vcpu;

import java.io.PrintStream;
import java.util.EnumSet;

/**
 * The thread of one vCPU (the KVM process model: a VM is a process, each vCPU a thread): call
 * KVM_RUN, handle the exit in userspace, repeat until the board finishes. Userspace device timers
 * are kept due through the vCPU's virtual-time alarm.
 */
final class VcpuLoop implements Runnable {
    private static final int GUESTDBG_SINGLESTEP = 1 | 2; // KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP

    private final PcBoard board;
    private final Vcpu vcpu;
    private final PrintStream trace;
    /** The userspace local APIC of this vCPU, or null when the local APICs are in the kernel. */
    private final LocalApic lapic;
    /** An application processor waits for INIT/SIPI before it runs (userspace APIC only). */
    private boolean waitingForSipi;
    /** Whether this thread is counted among the board's running vCPUs. */
    private boolean running;
    /** --pace wallclock: holds virtual time back to the host's clock; null for virtual pacing. */
    private final WallClockPacer pacer;

    VcpuLoop(PcBoard board, Vcpu vcpu, PrintStream trace, WallClockPacer pacer) {
        this.board = board;
        this.pacer = pacer;
        this.vcpu = vcpu;
        this.trace = trace;
        this.lapic = board.chipset == null ? null : board.chipset.lapics.get(vcpu.id());
        this.waitingForSipi = lapic != null && vcpu.id() != 0;
    }

    @Override
    public void run() {
        try {
            if (trace != null) {
                vcpu.setGuestDebug(GUESTDBG_SINGLESTEP);
            }
            Regs before = null;
            while (!board.finished()) {
                if (lapic != null && !serviceUserspaceApic()) {
                    continue;
                }
                setRunning(true);
                vcpu.alarm(board.guestTime.toVmClock(alarm()));
                if (trace != null && before == null) {
                    before = vcpu.regs();
                }
                Exit exit = vcpu.run();
                if (lapic != null) {
                    followApicBase();
                }
                if (pacer != null) {
                    pacer.await(board.guestTime.nanos(), board::finished);
                }
                board.timers.runExpired();
                switch (exit) {
                    case Exit.Io io -> handleIo(io);
                    case Exit.Mmio m -> handleMmio(m);
                    case Exit.Hlt h -> waitForInterrupt();
                    case Exit.Shutdown s -> board.finish(new RunResult(RunResult.Reason.TRIPLE_FAULT, 0, null));
                    case Exit.Interrupted i -> { }
                    case Exit.Debug d -> {
                        if (trace != null && before != null) {
                            traceLine(before, vcpu.regs());
                            before = null;
                        }
                    }
                    case Exit.IrqWindowOpen w -> { } // injection happens before the next KVM_RUN
                    case Exit.FailEntry f -> board.finish(new RunResult(RunResult.Reason.GUEST_ERROR, 0,
                            String.format("KVM_EXIT_FAIL_ENTRY on vCPU %d, hardware reason 0x%x%s", vcpu.id(),
                                    f.hardwareReason(), lastKernelMessage())));
                    case Exit.InternalError e -> board.finish(new RunResult(RunResult.Reason.GUEST_ERROR, 0,
                            "KVM_EXIT_INTERNAL_ERROR, suberror " + e.suberror()));
                    case Exit.SystemEvent e -> board.finish(new RunResult(RunResult.Reason.POWER_OFF, 0,
                            "KVM_EXIT_SYSTEM_EVENT " + e.type()));
                    case Exit.Other o -> board.finish(new RunResult(RunResult.Reason.GUEST_ERROR, 0,
                            "unexpected exit reason " + o.reason()));
                }
            }
        } catch (RuntimeException e) {
            board.finish(new RunResult(RunResult.Reason.GUEST_ERROR, 0, "vCPU " + vcpu.id() + ": " + e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            setRunning(false);
        }
    }

    private void setRunning(boolean now) {
        if (running != now) {
            running = now;
            board.vcpuRunning(now);
        }
    }

    private void handleIo(Exit.Io io) {
        for (int i = 0; i < io.count(); i++) {
            if (io.in()) {
                vcpu.setIoData(io, i, Integer.toUnsignedLong(board.ports.read(io.port(), io.size())));
            } else {
                board.ports.write(io.port(), io.size(), (int) vcpu.ioData(io, i));
            }
        }
    }

    private void handleMmio(Exit.Mmio m) {
        if (lapic != null && inOwnApicPage(m.address())) {
            // SDM 3A §11.4.1: each processor sees its own APIC's registers in the page at its APIC base.
            long offset = m.address() - lapic.mmioBase();
            if (m.write()) {
                lapic.mmioWrite(offset, m.length(), m.data());
            } else {
                vcpu.setMmioData(lapic.mmioRead(offset, m.length()));
            }
            return;
        }
        if (m.write()) {
            board.mmio.write(m.address(), m.length(), m.data());
        } else {
            vcpu.setMmioData(board.mmio.read(m.address(), m.length()));
        }
    }

    private boolean inOwnApicPage(long address) {
        if (!lapic.mmioEnabled()) {
            return false;
        }
        long base = lapic.mmioBase();
        return address >= base && address - base < 4096;
    }

    /**
     * The kernel keeps IA32_APIC_BASE for a userspace APIC and reports it in kvm_run after every
     * KVM_RUN; a guest WRMSR that changed it (relocation, global disable, re-enable) is applied to
     * this vCPU's APIC here, as QEMU does in kvm_arch_post_run.
     */
    private void followApicBase() {
        long base = vcpu.apicBaseAfterRun();
        if (base != lapic.apicBase()) {
            lapic.writeMsr(dev.hvspec.machine.cpu.Msr.IA32_APIC_BASE, base);
        }
    }

    /**
     * Delivers what the userspace local APIC has for this vCPU (QEMU's userspace-irqchip path):
     * INIT and SIPI restart the processor, NMIs go through KVM_NMI, a maskable interrupt through
     * KVM_INTERRUPT when kvm_run says the vCPU can take one, otherwise an interrupt window is
     * requested. Returns false while the vCPU must not run (waiting for a SIPI).
     */
    private boolean serviceUserspaceApic() throws InterruptedException {
        if (lapic.takeInit()) {
            waitingForSipi = true;
        }
        // Taken whatever the state: a SIPI to a processor that is not waiting for one is ignored (SDM 3A
        // §11.6.1), and left pending it would end every later HLT at once.
        int vector = lapic.takeStartup();
        if (waitingForSipi) {
            if (vector < 0) {
                setRunning(false);
                board.awaitEvent(20);
                return false;
            }
            setRunning(true);
            startAt(vector);
            waitingForSipi = false;
        }
        if (lapic.takeNmi()) {
            vcpu.nmi();
        }
        if (lapic.hasInterrupt()) {
            if (vcpu.readyForInterruptInjection()) {
                int v = lapic.acknowledgeInterrupt();
                vcpu.interrupt(v);
                vcpu.requestInterruptWindow(false);
            } else {
                vcpu.requestInterruptWindow(true);
            }
        } else {
            vcpu.requestInterruptWindow(false);
        }
        return true;
    }

    /** The host kernel's last log line, as a user would look it up in dmesg after a failed entry ("" if none). */
    private String lastKernelMessage() {
        java.util.List<String> dmesg = board.kernel.dmesg();
        return dmesg.isEmpty() ? "" : " (host kernel: " + dmesg.get(dmesg.size() - 1) + ")";
    }

    /** SDM 3A §9.4.4: a start-up IPI starts the AP in real mode at CS = vector << 8, IP = 0. */
    private void startAt(int vector) {
        Sregs s = vcpu.sregs();
        Sregs.Segment cs = new Sregs.Segment((long) vector << 12, 0xFFFF, vector << 8, 0xB, true, 0, false, true,
                false, false, false, false);
        vcpu.setSregs(new Sregs(cs, s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt(), s.gdt(), s.idt(),
                s.cr0(), s.cr2(), s.cr3(), s.cr4(), s.cr8(), s.efer(), s.apicBase()));
        vcpu.setRegs(vcpu.regs().withRip(0));
    }

    /**
     * When KVM_RUN must return: at the next userspace timer deadline, and with --pace wallclock
     * also after one pacing slice of virtual time, so that a vCPU (or the kernel layer skipping a
     * halt) gets at most that far ahead of the host's clock.
     */
    private long alarm() {
        long deadline = board.timers.nextDeadline();
        return pacer == null ? deadline : Math.min(deadline, board.guestTime.nanos() + WallClockPacer.SLICE_NANOS);
    }

    /**
     * KVM_EXIT_HLT (userspace interrupt controllers): the vCPU waits for an interrupt from them.
     * Virtual time does not pass while no vCPU runs, so when every vCPU is halted or waiting for
     * a start-up IPI the VMM moves the VM clock to the next userspace timer deadline
     * (KVM_SET_CLOCK) — HLT skips ahead instead of spinning; while others run, their instructions
     * move the clock. With no controller or no deadline, the guest waits until the run ends (as
     * on QEMU).
     */
    private void waitForInterrupt() throws InterruptedException {
        setRunning(false);
        while (!board.finished()) {
            if (lapic != null && lapic.hasPendingEvent(vcpu.interruptFlag())) {
                setRunning(true); // before the event is taken, so no other vCPU skips time meanwhile
                return;
            }
            long deadline = board.timers.nextDeadline();
            // Not while the I/O thread works on an ioeventfd: it may raise the interrupt first (and
            // may have raised it just before going idle, so look again after seeing it idle).
            if (lapic != null && deadline != Long.MAX_VALUE && board.noVcpuRunning()
                    && !board.kernel.eventLoopsBusy()) {
                if (lapic.hasPendingEvent(vcpu.interruptFlag())) {
                    setRunning(true);
                    return;
                }
                // --pace wallclock: no further than the host's clock allows, then wait for it.
                long target = pacer == null ? deadline : Math.min(deadline, pacer.allowedGuestTime());
                board.guestTime.skipTo(target);
                board.timers.runExpired();
                if (target < deadline) {
                    board.awaitEvent(1);
                }
                continue;
            }
            board.awaitEvent(20);
            board.timers.runExpired();
        }
    }

    /** One --trace line: address, bytes, Intel-syntax disassembly, changed registers. */
    private void traceLine(Regs before, Regs after) {
        Sregs s = vcpu.sregs();
        int mode = (s.efer() & (1L << 10)) != 0 && s.cs().l() ? 8 : (s.cr0() & 1) != 0 && s.cs().db() ? 4 : 2;
        long linear = mode == 8 ? before.rip() : (s.cs().base() + before.rip()) & 0xFFFF_FFFFL;
        byte[] bytes = new byte[15];
        int n = 0;
        for (; n < 15; n++) {
            long physical = vcpu.translate(linear + n);
            try {
                if (physical < 0) {
                    break;
                }
                bytes[n] = (byte) board.ram.readU8(physical);
            } catch (GuestMemoryFault e) {
                break;
            }
        }
        String text;
        int length;
        try {
            byte[] code = java.util.Arrays.copyOf(bytes, n);
            Instruction insn = new Decoder(EnumSet.allOf(IsaFeature.class)).decode(CodeSource.of(code, 0), mode);
            text = Disassembler.format(insn, linear);
            length = insn.length();
        } catch (DecodeException | RuntimeException e) {
            text = "(bad)";
            length = Math.max(1, Math.min(n, 1));
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < length; i++) {
            hex.append(String.format("%02x", bytes[i] & 0xFF));
        }
        StringBuilder changes = new StringBuilder();
        long[] b = before.values();
        long[] a = after.values();
        String[] names = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp", "r8", "r9", "r10", "r11", "r12",
                "r13", "r14", "r15", "rip", "rflags"};
        for (int i = 0; i < b.length; i++) {
            if (b[i] != a[i] && i != 16) {
                changes.append(' ').append(names[i]).append('=').append(Long.toHexString(a[i]));
            }
        }
        trace.printf("%016x  %-30s %-40s%s%n", linear, hex, text, changes);
    }
}
