package dev.hvspec.vmm;

import dev.hvspec.machine.cpu.Msr;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.kvm.Vm;

import java.util.List;

/**
 * The VM's time as the VMM reads and moves it, for its own device timers. With
 * KVM_CAP_ADJUST_CLOCK it is the VM clock (KVM_GET_CLOCK; moved with KVM_SET_CLOCK while every
 * vCPU is halted). Kernels before that have no clock ioctls, so the VMM reads the TSC of vCPU 0
 * (KVM_GET_MSRS of IA32_TSC; 1 GHz here, so nanoseconds: those kernels predate KVM_SET_TSC_KHZ) and, to let time pass while the guest
 * halts, writes it forward (KVM_SET_MSRS), as time would have passed on the host. The kernel's own
 * timers (the in-kernel LAPIC and PIT, the vCPU alarm) keep counting VM-clock time, which lags the
 * TSC by what was skipped; {@link #toVmClock} converts.
 */
final class GuestTime {
    private final AbiNegotiation.Clock source;
    private final Vm vm;
    private final List<Vcpu> vcpus;
    /** How far userspace moved the TSC ahead of the VM clock (TSC source only). */
    private long skipped;

    GuestTime(AbiNegotiation.Clock source, Vm vm, List<Vcpu> vcpus) {
        this.source = source;
        this.vm = vm;
        this.vcpus = vcpus;
    }

    synchronized long nanos() {
        if (source == AbiNegotiation.Clock.KVM_CLOCK) {
            return vm.clock();
        }
        return vcpus.isEmpty() ? 0 : vcpus.get(0).msr(Msr.IA32_TSC).orElse(0);
    }

    /** A deadline in this time as VM-clock time (what the kernel's alarm counts). */
    synchronized long toVmClock(long deadline) {
        return deadline == Long.MAX_VALUE ? deadline : deadline - skipped;
    }

    /** Moves time forward to {@code deadline} while no vCPU runs (every vCPU halted or waiting for a SIPI). */
    synchronized void skipTo(long deadline) {
        long now = nanos();
        if (deadline <= now) {
            return;
        }
        if (source == AbiNegotiation.Clock.KVM_CLOCK) {
            vm.setClock(deadline);
        } else {
            // Every processor's TSC moves by the same amount, so they stay in step (SDM 3B §17.17).
            long delta = deadline - now;
            for (Vcpu vcpu : vcpus) {
                vcpu.setMsr(Msr.IA32_TSC, vcpu.msr(Msr.IA32_TSC).orElse(0) + delta);
            }
            skipped += delta;
        }
    }
}
