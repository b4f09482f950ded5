package dev.hvspec.kvm;

import dev.hvspec.machine.cpu.InterruptPins;

/**
 * The vCPU's interrupt inputs with kvm_stat's injection counters: an interrupt counts when the
 * processor acknowledges it (the INTA cycle, SDM 3A §6.3), that is when it is delivered to the
 * guest, whichever controller — in-kernel local APIC or KVM_INTERRUPT — requested it.
 */
final class CountingInterruptPins implements InterruptPins {
    private final InterruptPins pins;
    private final KvmStats stats;

    CountingInterruptPins(InterruptPins pins, KvmStats stats) {
        this.pins = pins;
        this.stats = stats;
    }

    @Override
    public boolean nmiPending() {
        return pins.nmiPending();
    }

    @Override
    public void acknowledgeNmi() {
        pins.acknowledgeNmi();
        stats.count(KvmStats.NMI_INJECTIONS);
    }

    @Override
    public boolean intrPending() {
        return pins.intrPending();
    }

    @Override
    public int acknowledgeIntr() {
        int vector = pins.acknowledgeIntr();
        if (vector >= 0) {
            stats.count(KvmStats.IRQ_INJECTIONS);
        }
        return vector;
    }
}
