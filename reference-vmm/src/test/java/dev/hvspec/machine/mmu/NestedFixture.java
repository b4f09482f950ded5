package dev.hvspec.machine.mmu;

import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuBus;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.memory.MemorySlots;
import dev.hvspec.machine.vmx.EptViolation;
import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.GuestExits;
import dev.hvspec.machine.vmx.NestedPageFault;
import dev.hvspec.machine.vmx.VmExecutionControls;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A processor in guest mode under hand-built second-level tables: 4 MiB of guest RAM (the first
 * region of a fresh host, so 1-GByte aligned), EPT or NPT tables built entry by entry, 4-level
 * guest paging, and exit handlers that record each exit and apply a fix chosen by the test.
 */
final class NestedFixture implements GuestExits {
    final HostMemory host = new HostMemory();
    final HostMemory.Region ram = host.mmap(4 << 20, "guest ram");
    final HostMemory.Region tables = host.mmap(64 * 4096, "nested tables");
    final HostPhysicalMemory hpm = new HostPhysicalMemory(host);
    final CpuState state = new CpuState();
    final Mmu mmu;
    final VmExecutionControls controls = new VmExecutionControls(this);
    final List<Object> exits = new ArrayList<>();
    /** What the next exit does (default: fail the test). */
    Function<Object, ExitResolution> onExit = e -> {
        throw new AssertionError("unexpected exit " + e);
    };
    final long root;
    private int nextTable = 1;
    private final boolean npt;

    NestedFixture(boolean npt, boolean accessedDirty) {
        this.npt = npt;
        this.mmu = new Mmu(state, new SlotPhysicalMemory(new MemorySlots()), new NoBus());
        this.root = tables.base();
        if (npt) {
            controls.enableNestedPaging(root);
        } else {
            controls.enableEpt(root | 6 | 3 << 3 | (accessedDirty ? 1 << 6 : 0));
        }
        mmu.configure(controls, host);
        // 4-level paging, WP, NXE (SDM 3A §4.5).
        state.cr0 = ControlBits.CR0_PE | ControlBits.CR0_PG | ControlBits.CR0_WP | ControlBits.CR0_ET;
        state.cr4 = ControlBits.CR4_PAE;
        state.efer = ControlBits.EFER_LME | ControlBits.EFER_LMA | ControlBits.EFER_NXE;
        mmu.flushAll();
    }

    /** The host-physical address backing guest-physical {@code gpa}. */
    long hpa(long gpa) {
        return ram.base() + gpa;
    }

    ByteBuffer bytes() {
        return ram.buffer();
    }

    /** A nested leaf for {@code gpa} at {@code level} (1 = 4 KiB, 2 = 2 MiB, 3 = 1 GiB) with raw low bits {@code bits}. */
    long map(long gpa, int level, long bits) {
        long table = root;
        for (int l = 4; l > level; l--) {
            long at = table + 8L * (gpa >>> 12 + 9 * (l - 1) & 0x1FF);
            long e = hpm.readEntry(at, 8);
            if ((e & 7) == 0) {
                e = tables.base() + 4096L * nextTable++ | 7;
                hpm.writeEntry(at, e);
            }
            table = e & ~0xFFFL & ((1L << 40) - 1);
        }
        long at = table + 8L * (gpa >>> 12 + 9 * (level - 1) & 0x1FF);
        long size = 1L << 12 + 9 * (level - 1);
        hpm.writeEntry(at, hpa(gpa & -size) | bits | (level > 1 ? 1L << 7 : 0));
        return at;
    }

    /** The nested leaf entry's address for {@code gpa} at {@code level} (after {@link #map}). */
    long leafAt(long gpa, int level) {
        long table = root;
        for (int l = 4; l > level; l--) {
            table = hpm.readEntry(table + 8L * (gpa >>> 12 + 9 * (l - 1) & 0x1FF), 8) & ~0xFFFL & ((1L << 40) - 1);
        }
        return table + 8L * (gpa >>> 12 + 9 * (level - 1) & 0x1FF);
    }

    /** Normal readable/writable/executable (EPT, write-back) or present/writable/user (NPT) leaf bits. */
    long rwx() {
        return npt ? 7 : 7 | 6 << 3;
    }

    /** Guest tables: PML4 at 0x1000, PDPT 0x2000, PD 0x3000, PT 0x4000 (entries with A set), mapping VA → 0x5000. */
    static final long VA = 0x40_2000_0000L;

    void guestTables() {
        ByteBuffer b = bytes();
        b.putLong(0x1000 + 8 * (int) (VA >>> 39 & 0x1FF), 0x2000 | 0x23);
        b.putLong(0x2000 + 8 * (int) (VA >>> 30 & 0x1FF), 0x3000 | 0x23);
        b.putLong(0x3000 + 8 * (int) (VA >>> 21 & 0x1FF), 0x4000 | 0x23);
        b.putLong(0x4000 + 8 * (int) (VA >>> 12 & 0x1FF), 0x5000 | 0x63);
        b.putLong(0x4000 + 8 * (int) ((VA >>> 12) + 1 & 0x1FF), 0x6000 | 0x63);
        b.putLong(0x5000 + 0x10, 0x1122_3344_5566_7788L);
        b.putLong(0x6000 + 0x10, 0x0102_0304_0506_0708L);
        state.cr3 = 0x1000;
        mmu.flushAll();
    }

    @Override
    public ExitResolution pageFault(long linear, int errorCode, int kind) {
        throw new AssertionError("#PF exits are off");
    }

    @Override
    public ExitResolution eptViolation(EptViolation violation) {
        exits.add(violation);
        return onExit.apply(violation);
    }

    @Override
    public ExitResolution eptMisconfiguration(long gpa) {
        exits.add("misconfiguration " + Long.toHexString(gpa));
        return onExit.apply(gpa);
    }

    @Override
    public ExitResolution nestedPageFault(NestedPageFault fault) {
        exits.add(fault);
        return onExit.apply(fault);
    }

    @Override
    public void movToCr3(long value) {
        throw new AssertionError();
    }

    @Override
    public void invlpg(long linear) {
        throw new AssertionError();
    }

    @Override
    public void pagingControlsChanged() {
    }

    @Override
    public long emulatedRead(long gpa, int size) {
        return -1;
    }

    @Override
    public void emulatedWrite(long gpa, int size, long value) {
    }

    private static final class NoBus implements CpuBus {
        @Override
        public int ioRead(int port, int size) {
            return -1;
        }

        @Override
        public void ioWrite(int port, int size, int value) {
        }

        @Override
        public long mmioRead(long address, int size) {
            return -1;
        }

        @Override
        public void mmioWrite(long address, int size, long value) {
        }

        @Override
        public boolean exitRequested() {
            return false;
        }
    }
}
