package dev.hvspec.kvm;

import dev.hvspec.machine.cpu.VmExit;
import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;
import dev.hvspec.machine.vmx.GuestExits;
import dev.hvspec.machine.vmx.VmExecutionControls;

import java.nio.ByteBuffer;

/**
 * The part of a VM's MMU that belongs to one vCPU: its VM-execution controls and the handlers of
 * the exits its processor takes ({@link GuestExits}), including KVM's emulation of accesses it
 * does not let the hardware make (MMIO, writes to read-only slots, writes to shadowed guest page
 * tables).
 */
abstract class VcpuMmu implements GuestExits {
    final VcpuFile vcpu;
    final VmExecutionControls controls;

    VcpuMmu(VcpuFile vcpu) {
        this.vcpu = vcpu;
        this.controls = new VmExecutionControls(this);
    }

    KvmStats stats() {
        return vcpu.stats;
    }

    /** The emulator reading guest memory: RAM through the slots, MMIO through the vCPU's bus. */
    @Override
    public long emulatedRead(long gpa, int size) {
        MemorySlot slot = vcpu.vm.slots.find(gpa);
        if (slot == null) {
            return vcpu.bus.mmioRead(gpa, size);
        }
        requireBacked(slot);
        ByteBuffer b = slot.region().buffer();
        int at = slot.regionOffset(gpa);
        long v = 0;
        for (int k = size - 1; k >= 0; k--) {
            v = v << 8 | (b.get(at + k) & 0xFF);
        }
        return v;
    }

    /**
     * The emulator writing guest memory: a write to a read-only slot or outside every slot is
     * MMIO (KVM_EXIT_MMIO); a write to RAM lands in the slot, is logged, invalidates decoded code
     * and is shown to {@link #guestMemoryWritten} (the shadow MMU's page-table tracking).
     */
    @Override
    public void emulatedWrite(long gpa, int size, long value) {
        MemorySlot slot = vcpu.vm.slots.find(gpa);
        if (slot == null || slot.readOnly()) {
            vcpu.bus.mmioWrite(gpa, size, value);
            return;
        }
        requireBacked(slot);
        ByteBuffer b = slot.region().buffer();
        int at = slot.regionOffset(gpa);
        for (int k = 0; k < size; k++) {
            b.put(at + k, (byte) (value >>> 8 * k));
        }
        slot.markDirty(gpa);
        if (slot.region().holdsCode(at >>> 12)) {
            slot.region().codeWritten(at >>> 12);
        }
        guestMemoryWritten(gpa, size);
    }

    /** A slot without host memory behind it is the host's fault: KVM_RUN fails with -EFAULT. */
    static void requireBacked(MemorySlot slot) {
        if (!slot.backed()) {
            throw new VmExit(SlotPhysicalMemory.UNBACKED);
        }
    }

    /** An emulated write changed guest RAM at {@code gpa}. */
    void guestMemoryWritten(long gpa, int size) {
    }

    /** Flushes this processor's TLBs now and every other vCPU's at its next entry (kvm_flush_remote_tlbs). */
    void flushAllTlbs() {
        stats().count(KvmStats.REMOTE_TLB_FLUSH);
        vcpu.cpu.mmu().flushAll();
        for (VcpuFile other : vcpu.vm.vcpus) {
            if (other != vcpu) {
                other.requestTlbFlush();
            }
        }
    }
}
