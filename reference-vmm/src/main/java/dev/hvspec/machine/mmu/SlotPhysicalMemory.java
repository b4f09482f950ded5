package dev.hvspec.machine.mmu;

import dev.hvspec.machine.cpu.VmExit;
import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.memory.MemorySlots;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Guest-physical memory resolved directly through the memory slots: what an identity EPT over
 * the slots gives the processor. Pages outside every slot are MMIO.
 */
public final class SlotPhysicalMemory implements PhysicalMemory {
    private static final VarHandle U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** What a vCPU leaves guest mode with when a slot's host memory is not mapped (KVM_RUN: -EFAULT). */
    public static final String UNBACKED = "unbacked memory slot";

    private final MemorySlots slots;

    public SlotPhysicalMemory(MemorySlots slots) {
        this.slots = slots;
    }

    @Override
    public long readEntry(long gpa, int size) {
        MemorySlot slot = slots.find(gpa);
        if (slot == null) {
            return size == 8 ? -1L : 0xFFFF_FFFFL; // SDM: reads of nonexistent memory return all-ones (PC)
        }
        if (!slot.backed()) {
            throw new VmExit(UNBACKED);
        }
        int at = slot.regionOffset(gpa);
        java.nio.ByteBuffer bytes = slot.region().buffer();
        return size == 8 ? (long) U64.getVolatile(bytes, at) : Integer.toUnsignedLong((int) U32.getVolatile(bytes, at));
    }

    @Override
    public boolean compareAndSetEntry(long gpa, int size, long expected, long update) {
        MemorySlot slot = slots.find(gpa);
        if (slot == null || slot.readOnly()) {
            return true; // the update is lost, as a write to ROM/MMIO would be
        }
        if (!slot.backed()) {
            throw new VmExit(UNBACKED);
        }
        int at = slot.regionOffset(gpa);
        java.nio.ByteBuffer bytes = slot.region().buffer();
        boolean done = size == 8 ? U64.compareAndSet(bytes, at, expected, update)
                : U32.compareAndSet(bytes, at, (int) expected, (int) update);
        if (done) {
            slot.markDirty(gpa);
            int page = at >>> 12;
            if (slot.region().holdsCode(page)) {
                slot.region().codeWritten(page);
            }
        }
        return done;
    }

    @Override
    public HostPage resolve(long gpa, boolean write) {
        MemorySlot slot = slots.find(gpa);
        if (slot == null || (write && slot.readOnly())) {
            return null;
        }
        if (!slot.backed()) {
            throw new VmExit(UNBACKED);
        }
        if (write) {
            slot.markDirty(gpa);
        }
        return new HostPage(slot.region(), slot.regionOffset(gpa & ~0xFFFL));
    }
}
