package dev.hvspec.kvm;

import dev.hvspec.machine.cpu.InterruptPins;

/**
 * The interrupt inputs of a vCPU when the interrupt controllers live in userspace (no
 * KVM_CREATE_IRQCHIP): the vector queued by KVM_INTERRUPT (api.rst §4.16) drives INTR until the
 * processor acknowledges it, and KVM_NMI (§4.64) latches an NMI.
 */
final class UserspaceInterrupts implements InterruptPins {
    private int queuedVector = -1;
    private boolean nmi;

    synchronized boolean queue(int vector) {
        if (queuedVector >= 0) {
            return false;
        }
        queuedVector = vector;
        return true;
    }

    synchronized boolean hasQueued() {
        return queuedVector >= 0;
    }

    synchronized int queuedVector() {
        return queuedVector;
    }

    synchronized void clear() {
        queuedVector = -1;
    }

    synchronized void queueNmi() {
        nmi = true;
    }

    synchronized void setNmiPending(boolean pending) {
        nmi = pending;
    }

    @Override
    public synchronized boolean nmiPending() {
        return nmi;
    }

    @Override
    public synchronized void acknowledgeNmi() {
        nmi = false;
    }

    @Override
    public synchronized boolean intrPending() {
        return queuedVector >= 0;
    }

    @Override
    public synchronized int acknowledgeIntr() {
        int v = queuedVector;
        queuedVector = -1;
        return v;
    }
}
