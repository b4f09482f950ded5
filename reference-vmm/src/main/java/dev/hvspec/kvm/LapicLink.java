package dev.hvspec.kvm;

import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.MsrResult;
import dev.hvspec.machine.cpu.CpuException;
import dev.hvspec.machine.cpu.InterruptPins;
import dev.hvspec.machine.cpu.PlatformRegisters;

import java.util.OptionalLong;

/**
 * How a vCPU's processor core reaches its in-kernel local APIC: the INTR/NMI inputs and the
 * INTA cycle (SDM 3A §11.8), the APIC MSRs (IA32_APIC_BASE, x2APIC 800H-8FFH, IA32_TSC_DEADLINE)
 * and CR8 (the TPR, §11.8.6). NMIs injected by userspace (KVM_NMI) join the APIC's own.
 */
final class LapicLink implements InterruptPins, PlatformRegisters {
    private final LocalApic lapic;
    /** Brings the VM clock up to this vCPU's progress before an MSR access reads it. */
    private final Runnable syncTime;
    /** Ends the running batch if the write armed a timer sooner than it was sized for. */
    private final Runnable timersMoved;
    private boolean nmiLatched;
    private boolean injectedNmi;

    LapicLink(LocalApic lapic, Runnable syncTime, Runnable timersMoved) {
        this.lapic = lapic;
        this.syncTime = syncTime;
        this.timersMoved = timersMoved;
    }

    LocalApic lapic() {
        return lapic;
    }

    synchronized void injectNmi() {
        injectedNmi = true;
    }

    @Override
    public synchronized boolean nmiPending() {
        if (lapic.takeNmi()) {
            nmiLatched = true;
        }
        return nmiLatched || injectedNmi;
    }

    @Override
    public synchronized void acknowledgeNmi() {
        if (nmiLatched) {
            nmiLatched = false;
        } else {
            injectedNmi = false;
        }
    }

    synchronized boolean nmiQueued() {
        return nmiLatched || injectedNmi;
    }

    synchronized void setNmiQueued(boolean pending) {
        nmiLatched = false;
        injectedNmi = pending;
    }

    @Override
    public boolean intrPending() {
        return lapic.hasInterrupt();
    }

    @Override
    public int acknowledgeIntr() {
        return lapic.acknowledgeInterrupt();
    }

    @Override
    public OptionalLong readMsr(int msr) {
        if (!LocalApic.handlesMsr(msr)) {
            return OptionalLong.empty();
        }
        syncTime.run();
        return switch (lapic.readMsr(msr)) {
            case MsrResult.Ok ok -> OptionalLong.of(ok.value());
            case MsrResult.GeneralProtection gp -> throw CpuException.gp(0);
        };
    }

    @Override
    public boolean writeMsr(int msr, long value) {
        if (!LocalApic.handlesMsr(msr)) {
            return false;
        }
        syncTime.run();
        if (lapic.writeMsr(msr, value).isFault()) {
            throw CpuException.gp(0);
        }
        timersMoved.run();
        return true;
    }

    @Override
    public long readCr8() {
        return lapic.cr8();
    }

    @Override
    public void writeCr8(long value) {
        lapic.setCr8(value);
    }
}
