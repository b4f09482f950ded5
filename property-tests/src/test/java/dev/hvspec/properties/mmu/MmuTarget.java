package dev.hvspec.properties.mmu;

import dev.hvspec.vmm.kvm.Exit;
import dev.hvspec.vmm.kvm.Regs;
import dev.hvspec.vmm.kvm.Sregs;

import java.nio.ByteBuffer;

/**
 * The SPI the MMU properties run against: a hypervisor that gives a guest one vCPU and RAM, in the
 * vocabulary of the KVM ABI (struct kvm_regs, kvm_sregs, kvm_run exits, the dirty log). The
 * properties load a small runtime and random page tables into RAM, point the vCPU at one access
 * at a time and read what happened from the registers; so any Java hypervisor — whatever its MMU
 * strategy — can be checked by implementing this interface.
 */
public interface MmuTarget {
    /** A short name for reports, e.g. "kvm-shadow". */
    String name();

    /** A VM with RAM at guest-physical [0, ramBytes) in one slot that logs dirty pages, and vCPU 0. */
    Machine create(long ramBytes);

    /** One VM with its vCPU. */
    interface Machine extends AutoCloseable {
        /** Guest RAM as the VMM maps it (reads and writes here are not guest accesses). */
        ByteBuffer ram();

        void setSregs(Sregs sregs);

        Sregs sregs();

        void setRegs(Regs regs);

        Regs regs();

        /** KVM_RUN until the next exit to userspace. */
        Exit run();

        /** KVM_GET_DIRTY_LOG of the RAM slot: bit n of word n / 64 is page n; the log is cleared. */
        long[] takeDirtyLog();

        @Override
        void close();
    }
}
