package dev.hvspec.machine.mmu;

import dev.hvspec.machine.cpu.VmExit;
import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.memory.MemorySlots;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Guest-physical memory resolved directly through the memory map (the slots): the physical
 * address space of a processor outside VMX non-root operation (a bare machine whose RAM is the
 * slots and whose holes are MMIO), and the way the hypervisor's own software reads and writes
 * guest memory (KVM's {@code kvm_read_guest}/{@code kvm_write_guest} and its software page
 * walker). Read-only slots are ROM: writes go to the emulator, A/D updates are lost.
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
            return size == 8 ? -1L : 0xFFFF_FFFFL; // reads of nonexistent memory return all-ones (PC)
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
    public PageTarget resolve(long gpa, int type, long linear) {
        MemorySlot slot = slots.find(gpa);
        boolean write = type == Access.WRITE;
        if (slot == null || (write && slot.readOnly())) {
            return new PageTarget.Emulated(gpa);
        }
        if (!slot.backed()) {
            throw new VmExit(UNBACKED);
        }
        if (write) {
            slot.markDirty(gpa);
        }
        HostPage page = new HostPage(slot.region(), slot.regionOffset(gpa & ~0xFFFL));
        return new PageTarget.Ram(page, write ? PageTarget.ALL : PageTarget.READ_FETCH);
    }

    /** The host backing of {@code gpa}'s page, or null when it is not RAM (no side effects). */
    public HostPage hostPage(long gpa) {
        MemorySlot slot = slots.find(gpa);
        return slot == null ? null : new HostPage(slot.region(), slot.regionOffset(gpa & ~0xFFFL));
    }
}
