package dev.hvspec.kvm;

import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.cpu.VmExit;
import dev.hvspec.machine.mmu.HostPhysicalMemory;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;
import dev.hvspec.machine.vmx.EptViolation;
import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.NestedPageFault;

import java.util.ArrayList;
import java.util.List;

/**
 * Two-dimensional paging (KVM's TDP MMU): one EPT (SDM 3C §29.3) or NPT (AMD APM vol. 2 §15.25)
 * table tree per VM, built lazily by the fault handler from the memory slots, like KVM's
 * {@code kvm_tdp_page_fault}:
 * <ul>
 *   <li>a guest-physical address in a slot is mapped to the slot's host memory — with a 1-GByte
 *       (EPT) or 2-MByte leaf when the slot covers the aligned range and guest and host
 *       addresses are equally aligned, and it is not logging dirty pages; 4 KiB otherwise;</li>
 *   <li>outside every slot, an MMIO entry is installed (EPT: RWX = 110b, a misconfiguration;
 *       NPT: reserved bit 51, a reserved-bit nested page fault) and the access is emulated — the
 *       next access to the page exits as a misconfiguration and goes straight to emulation;</li>
 *   <li>writes to read-only slots are emulated (KVM_EXIT_MMIO);</li>
 *   <li>dirty logging: pages of a logging slot are mapped writable only on a write fault, which
 *       records them; KVM_GET_DIRTY_LOG write-protects the slot again.</li>
 * </ul>
 * The guest's own page tables are never intercepted: guest #PF, MOV to CR3 and INVLPG do not exit.
 */
final class TdpMmu implements KvmMmu {
    /** The nested-table format. */
    enum Format { EPT, NPT }

    static final long ADDRESS = ((1L << 40) - 1) & ~0xFFFL;
    /** Bits 2:0: EPT read/write/execute; NPT present/read-write/user — a table reference sets all three. */
    static final long TABLE_RIGHTS = 7;
    static final long READ_OR_PRESENT = 1;
    static final long WRITABLE = 1L << 1;
    static final long EXECUTE_OR_USER = 1L << 2;
    static final long PAGE_SIZE = 1L << 7;
    /** EPT memory type write-back (SDM 3C §29.3.7) in bits 5:3 of a leaf. */
    static final long EPT_WRITE_BACK = 6L << 3;
    /** EPT: write/execute without read, a misconfiguration (§29.3.3.1). */
    static final long EPT_MMIO = WRITABLE | EXECUTE_OR_USER;
    /** NPT: present with reserved bit 51 set (bits 51:MAXPHYADDR are reserved). */
    static final long NPT_MMIO = TABLE_RIGHTS | 1L << 51;

    final VmFile vm;
    final Format format;
    private final KernelPagePool pool;
    private final HostPhysicalMemory host;
    private final long root;
    private final List<Long> tables = new ArrayList<>();

    TdpMmu(VmFile vm, Format format) {
        this.vm = vm;
        this.format = format;
        this.pool = new KernelPagePool(vm.kernel.memory(), "kvm " + format.name().toLowerCase() + " tables");
        this.host = new HostPhysicalMemory(vm.kernel.memory());
        this.root = pool.allocate();
    }

    /** EPTP (SDM 3C §25.6.11): write-back, page-walk length 4 (encoded 3), A/D flags enabled, PML4 address. */
    long eptp() {
        return root | 6 | 3 << 3 | 1 << 6;
    }

    @Override
    public VcpuMmu attach(VcpuFile vcpu) {
        Exits exits = new Exits(vcpu);
        if (format == Format.EPT) {
            exits.controls.enableEpt(eptp());
        } else {
            exits.controls.enableNestedPaging(root);
        }
        vcpu.cpu.mmu().configure(exits.controls, vm.kernel.memory());
        return exits;
    }

    private boolean present(long e) {
        return format == Format.EPT ? (e & 7) != 0 : (e & READ_OR_PRESENT) != 0;
    }

    private boolean mmio(long e) {
        return format == Format.EPT ? (e & 7) == EPT_MMIO : e == NPT_MMIO;
    }

    private static int index(long gpa, int level) {
        return (int) (gpa >>> 12 + 9 * (level - 1)) & 0x1FF;
    }

    /** The fault handler: map {@code gpa}'s page from its slot, or emulate. */
    synchronized ExitResolution fault(VcpuMmu v, long gpa, boolean write) {
        KvmStats stats = v.stats();
        stats.count(KvmStats.PF_TAKEN);
        MemorySlot slot = vm.slots.find(gpa);
        if (slot == null) {
            install(gpa & ~0xFFFL, format == Format.EPT ? EPT_MMIO : NPT_MMIO, 1);
            stats.count(KvmStats.PF_MMIO_SPTE_CREATED);
            stats.count(KvmStats.PF_EMULATE);
            return new ExitResolution.Emulate(gpa);
        }
        if (write && slot.readOnly()) {
            stats.count(KvmStats.PF_EMULATE);
            return new ExitResolution.Emulate(gpa);
        }
        if (!slot.backed()) {
            throw new VmExit(SlotPhysicalMemory.UNBACKED); // KVM_RUN fails with -EFAULT
        }
        boolean writable = !slot.readOnly() && (write || !slot.logsDirty());
        if (write) {
            slot.markDirty(gpa);
        }
        int level = mappingLevel(slot, gpa);
        long size = 1L << 12 + 9 * (level - 1);
        long base = gpa & -size;
        long hpa = slot.hostAddress() + (base - slot.gpa());
        long leaf = hpa | READ_OR_PRESENT | EXECUTE_OR_USER | (writable ? WRITABLE : 0)
                | (format == Format.EPT ? EPT_WRITE_BACK : 0) | (level > 1 ? PAGE_SIZE : 0);
        if (!install(base, leaf, level)) {
            // A table already covers the large range (it was mapped while smaller pages were needed): map 4 KiB.
            install(gpa & ~0xFFFL, (slot.hostAddress() + ((gpa & ~0xFFFL) - slot.gpa())) | (leaf & 0xFFF & ~PAGE_SIZE), 1);
        }
        stats.count(KvmStats.PF_FIXED);
        return ExitResolution.RESUME;
    }

    /** The largest leaf level for {@code gpa}: 3 (1 GiB, EPT only) or 2 (2 MiB) when the slot allows, else 1. */
    private int mappingLevel(MemorySlot slot, long gpa) {
        if (slot.logsDirty()) {
            return 1;
        }
        for (int level = format == Format.EPT ? 3 : 2; level >= 2; level--) {
            long size = 1L << 12 + 9 * (level - 1);
            long base = gpa & -size;
            if (base >= slot.gpa() && base + size <= slot.gpa() + slot.size()
                    && ((slot.hostAddress() + (base - slot.gpa())) & (size - 1)) == 0) {
                return level;
            }
        }
        return 1;
    }

    /** Writes {@code leaf} at {@code level} for {@code gpa}, creating tables; false if a table sits where the leaf goes. */
    private boolean install(long gpa, long leaf, int level) {
        long table = root;
        for (int l = 4; l > level; l--) {
            long at = table + 8L * index(gpa, l);
            long e = host.readEntry(at, 8);
            if (!present(e) || mmio(e) || (e & PAGE_SIZE) != 0) {
                long t = pool.allocate();
                tables.add(t);
                e = t | TABLE_RIGHTS;
                host.writeEntry(at, e);
            }
            table = e & ADDRESS;
        }
        long at = table + 8L * index(gpa, level);
        long old = host.readEntry(at, 8);
        if (level > 1 && present(old) && !mmio(old) && (old & PAGE_SIZE) == 0) {
            return false;
        }
        host.writeEntry(at, leaf);
        return true;
    }

    /** The leaf entry mapping {@code gpa}, or 0. */
    private long leafOf(long gpa) {
        long table = root;
        for (int level = 4; level >= 1; level--) {
            long e = host.readEntry(table + 8L * index(gpa, level), 8);
            if (!present(e) || mmio(e) || level == 1 || (e & PAGE_SIZE) != 0) {
                return e;
            }
            table = e & ADDRESS;
        }
        return 0;
    }

    synchronized boolean mmioAt(long gpa) {
        return mmio(leafOf(gpa));
    }

    @Override
    public synchronized void slotsChanged() {
        for (int i = 0; i < 512; i++) {
            host.writeEntry(root + 8L * i, 0);
        }
        tables.forEach(pool::free);
        tables.clear();
        for (VcpuFile v : vm.vcpus) {
            v.requestTlbFlush();
        }
    }

    @Override
    public synchronized void writeProtectSlot(MemorySlot slot) {
        writeProtect(root, 4, 0, slot);
        for (VcpuFile v : vm.vcpus) {
            v.requestTlbFlush();
        }
    }

    private void writeProtect(long table, int level, long base, MemorySlot slot) {
        long span = 1L << 12 + 9 * (level - 1);
        for (int i = 0; i < 512; i++) {
            long at = table + 8L * i;
            long e = host.readEntry(at, 8);
            long gpa = base + i * span;
            if (!present(e) || mmio(e) || gpa + span <= slot.gpa() || gpa >= slot.gpa() + slot.size()) {
                continue;
            }
            if (level == 1) {
                host.writeEntry(at, e & ~WRITABLE);
            } else if ((e & PAGE_SIZE) != 0) {
                host.writeEntry(at, 0); // a large leaf in a logging slot: drop it, 4 KiB pages come back on demand
            } else {
                writeProtect(e & ADDRESS, level - 1, gpa, slot);
            }
        }
    }

    @Override
    public synchronized int pagesInUse() {
        return pool.pagesInUse();
    }

    /** The exits of one vCPU under two-dimensional paging. */
    private final class Exits extends VcpuMmu {
        Exits(VcpuFile vcpu) {
            super(vcpu);
        }

        @Override
        public ExitResolution eptViolation(EptViolation violation) {
        stats().count(KvmStats.MMU_EXITS);
            stats().count(KvmStats.EPT_VIOLATIONS);
            return fault(this, violation.gpa(), violation.write());
        }

        @Override
        public ExitResolution eptMisconfiguration(long gpa) {
        stats().count(KvmStats.MMU_EXITS);
            stats().count(KvmStats.EPT_MISCONFIGS);
            if (mmioAt(gpa)) {
                stats().count(KvmStats.PF_EMULATE);
                return new ExitResolution.Emulate(gpa);
            }
            throw new IllegalStateException(String.format("EPT misconfiguration at %#x outside an MMIO entry", gpa));
        }

        @Override
        public ExitResolution nestedPageFault(NestedPageFault f) {
        stats().count(KvmStats.MMU_EXITS);
            stats().count(KvmStats.NPF_EXITS);
            if (f.reservedBits() && mmioAt(f.gpa())) {
                stats().count(KvmStats.PF_EMULATE);
                return new ExitResolution.Emulate(f.gpa());
            }
            return fault(this, f.gpa(), f.write());
        }

        @Override
        public ExitResolution pageFault(long linear, int errorCode, int kind) {
            throw new IllegalStateException("#PF does not exit under two-dimensional paging");
        }

        @Override
        public void movToCr3(long value) {
            throw new IllegalStateException("MOV to CR3 does not exit under two-dimensional paging");
        }

        @Override
        public void invlpg(long linear) {
            throw new IllegalStateException("INVLPG does not exit under two-dimensional paging");
        }

        @Override
        public void pagingControlsChanged() {
        }
    }
}
