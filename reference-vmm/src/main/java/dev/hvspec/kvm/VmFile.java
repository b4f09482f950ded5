package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.FdKind;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmIrqStructs;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.memory.MemorySlot;
import dev.hvspec.machine.memory.MemorySlots;
import dev.hvspec.machine.time.TimerQueue;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A VM file descriptor and the VM behind it (api.rst §4, "vm ioctls"): its memory slots, vCPUs,
 * virtual clock and timers, in-kernel devices, ioeventfds and statistics.
 */
final class VmFile implements KernelFile {
    static final int KVM_MEM_LOG_DIRTY_PAGES = 1;
    static final int KVM_MEM_READONLY = 2;
    // kvm_ioeventfd.flags (linux/kvm.h)
    static final int IOEVENTFD_DATAMATCH = 1;
    static final int IOEVENTFD_PIO = 2;
    static final int IOEVENTFD_DEASSIGN = 4;
    /** The end of the x86-64 user address space (TASK_SIZE with 4-level paging). */
    static final long USER_ADDRESS_LIMIT = 0x0000_7FFF_FFFF_F000L;

    final HostKernel kernel;
    final MemorySlots slots = new MemorySlots();
    final VmClock clock = new VmClock();
    final TimerQueue timers = new TimerQueue(clock);
    final KvmStats stats = new KvmStats(null);
    final List<VcpuFile> vcpus = new CopyOnWriteArrayList<>();
    final KernelDevices devices = new KernelDevices();
    final List<IoEventFd> ioeventfds = new CopyOnWriteArrayList<>();
    final List<long[]> coalescedZones = new CopyOnWriteArrayList<>();
    /** Memory virtualisation: EPT, NPT or shadow paging, as the module parameters say (docs/mmu.md). */
    final KvmMmu mmu;
    /** The in-kernel PIC/IOAPIC/LAPICs after KVM_CREATE_IRQCHIP, else null (userspace irqchip). */
    volatile InKernelIrqchip irqchip;
    private final IrqchipIoctls irqchipIoctls = new IrqchipIoctls(this);

    /** A registered ioeventfd (api.rst §4.59). */
    record IoEventFd(long address, int length, boolean pio, boolean datamatch, long data, EventFd eventfd, int fd) {
        boolean matches(boolean isPio, long addr, int len, long value) {
            return pio == isPio && address == addr && (length == 0 || length == len)
                    && (!datamatch || data == (value & (len == 8 ? -1L : (1L << (8 * len)) - 1)));
        }
    }

    VmFile(HostKernel kernel) {
        this.kernel = kernel;
        this.mmu = KvmMmu.create(this);
    }

    @Override
    public long ioctl(long request, long arg) {
        KvmIoctl ioctl = kernel.profile().decode(FdKind.VM, request)
                .orElseThrow(() -> KvmError.of(Errno.ENOTTY, "unknown vm ioctl"));
        return switch (ioctl) {
            case CREATE_VCPU -> createVcpu(arg);
            case CHECK_EXTENSION -> SystemFile.checkExtension(kernel, arg);
            case SET_USER_MEMORY_REGION -> setUserMemoryRegion(StructView.of(KvmStructs.KVM_USERSPACE_MEMORY_REGION,
                    kernel.user(arg, KvmStructs.KVM_USERSPACE_MEMORY_REGION.size())));
            case SET_MEMORY_REGION -> setMemoryRegion(StructView.of(KvmStructs.KVM_MEMORY_REGION,
                    kernel.user(arg, KvmStructs.KVM_MEMORY_REGION.size())));
            case GET_DIRTY_LOG -> getDirtyLog(StructView.of(KvmStructs.KVM_DIRTY_LOG,
                    kernel.user(arg, KvmStructs.KVM_DIRTY_LOG.size())));
            case SET_TSS_ADDR, SET_IDENTITY_MAP_ADDR -> 0; // VMX real-mode support areas: nothing to do here
            case GET_CLOCK -> getClock(arg);
            case SET_CLOCK -> setClock(arg);
            case IOEVENTFD -> ioeventfd(StructView.of(KvmIrqStructs.KVM_IOEVENTFD,
                    kernel.user(arg, KvmIrqStructs.KVM_IOEVENTFD.size())));
            case REGISTER_COALESCED_MMIO -> coalesced(arg, true);
            case UNREGISTER_COALESCED_MMIO -> coalesced(arg, false);
            case CREATE_IRQCHIP, IRQ_LINE, IRQ_LINE_STATUS, GET_IRQCHIP, SET_IRQCHIP, CREATE_PIT, CREATE_PIT2,
                 GET_PIT, SET_PIT, GET_PIT2, SET_PIT2, SET_GSI_ROUTING, SIGNAL_MSI, IRQFD ->
                    irqchipIoctls.ioctl(ioctl, arg);
            case ENABLE_CAP -> enableCap(kernel, StructView.of(KvmStructs.KVM_ENABLE_CAP,
                    kernel.user(arg, KvmStructs.KVM_ENABLE_CAP.size())));
            default -> throw KvmError.of(Errno.ENOTTY, ioctl + " is not implemented on a VM fd");
        };
    }

    /**
     * api.rst §4.37 KVM_ENABLE_CAP (VM and vCPU fds): flags must be 0, and only capabilities the
     * kernel lets userspace enable are accepted. None of those (KVM_CAP_SPLIT_IRQCHIP,
     * KVM_CAP_X2APIC_API, KVM_CAP_HYPERV_SYNIC, …) is implemented by this layer, so every request
     * is -EINVAL, as 6.1 answers for a capability it cannot enable.
     */
    static long enableCap(HostKernel kernel, StructView cap) {
        if (cap.get("flags") != 0) {
            throw KvmError.of(Errno.EINVAL, "kvm_enable_cap.flags must be 0");
        }
        throw KvmError.of(Errno.EINVAL, "capability " + cap.get("cap") + " cannot be enabled here");
    }

    /** api.rst §4.7: vCPU ids are unique and below KVM_CAP_MAX_VCPUS. */
    private long createVcpu(long id) {
        if (id < 0 || id >= SystemFile.MAX_VCPUS) {
            throw KvmError.of(Errno.EINVAL, "vcpu id out of range");
        }
        synchronized (vcpus) {
            for (VcpuFile v : vcpus) {
                if (v.id == id) {
                    throw KvmError.of(Errno.EEXIST, "vcpu id in use");
                }
            }
            VcpuFile vcpu = new VcpuFile(this, (int) id);
            vcpus.add(vcpu);
            return kernel.install(vcpu);
        }
    }

    /**
     * api.rst §4.35 KVM_SET_USER_MEMORY_REGION: page-aligned guest address, size and user
     * address; no overlap with another slot (-EEXIST); size 0 deletes; an existing slot may change
     * only its dirty-logging flag; KVM_MEM_READONLY needs KVM_CAP_READONLY_MEM.
     */
    private long setUserMemoryRegion(StructView region) {
        int slotId = (int) region.get("slot");
        int flags = (int) region.get("flags");
        long gpa = region.get("guest_phys_addr");
        long size = region.get("memory_size");
        long userAddress = region.get("userspace_addr");
        int allowed = KVM_MEM_LOG_DIRTY_PAGES | (kernel.profile().has(KvmCap.READONLY_MEM) ? KVM_MEM_READONLY : 0);
        if ((flags & ~allowed) != 0) {
            throw KvmError.of(Errno.EINVAL, "unsupported memory region flags");
        }
        if ((slotId >>> 16) != 0 || (slotId & 0xFFFF) >= SystemFile.MEMSLOTS) {
            throw KvmError.of(Errno.EINVAL, "slot out of range");
        }
        int page = HostKernel.PAGE_SIZE - 1;
        if ((size & page) != 0 || (gpa & page) != 0 || (userAddress & page) != 0 || size < 0 || gpa + size < gpa) {
            throw KvmError.of(Errno.EINVAL, "unaligned or overflowing memory region");
        }
        MemorySlot existing = slots.byId(slotId);
        if (size == 0) {
            if (existing != null) {
                slots.put(slotId, null);
                mmu.slotsChanged();
                flushAllVcpus();
            }
            return 0;
        }
        if (existing != null && (existing.size() != size || existing.readOnly() != ((flags & KVM_MEM_READONLY) != 0))) {
            throw KvmError.of(Errno.EINVAL, "a slot may only change its flags or move");
        }
        if (slots.overlaps(gpa, size, slotId)) {
            throw KvmError.of(Errno.EEXIST, "memory region overlaps another slot");
        }
        // Like access_ok(): the range must be a user address range; whether it is mapped is only
        // found out when the guest touches it (KVM_RUN then fails with -EFAULT).
        long end = userAddress + size;
        if (Long.compareUnsigned(end, USER_ADDRESS_LIMIT) > 0 || Long.compareUnsigned(end, userAddress) < 0) {
            throw KvmError.of(Errno.EINVAL, "userspace_addr is not a user address");
        }
        HostMemory.Region backing = kernel.memory().regionAt(userAddress, size);
        AtomicLongArray dirty = (flags & KVM_MEM_LOG_DIRTY_PAGES) != 0
                ? new AtomicLongArray((int) ((size / HostKernel.PAGE_SIZE + 63) / 64)) : null;
        slots.put(slotId, new MemorySlot(slotId, gpa, size, backing, userAddress,
                (flags & KVM_MEM_READONLY) != 0, dirty));
        mmu.slotsChanged();
        flushAllVcpus();
        return 0;
    }

    /**
     * api.rst §4.6 KVM_SET_MEMORY_REGION, the interface before user memory (removed by 6.1): the
     * kernel allocates the slot's memory, zeroed, and userspace reaches it by mmap of the VM fd at
     * offset = guest physical address ({@link #mmap}). Checks as 2.6.22's
     * kvm_dev_ioctl_set_memory_region: page-aligned size and address, no wrap-around, a slot below
     * the slot count (else -EINVAL); an existing slot keeps its size (-EINVAL) and memory; no overlap
     * with another slot (-EEXIST); size 0 frees the slot. The only flag is KVM_MEM_LOG_DIRTY_PAGES.
     */
    private long setMemoryRegion(StructView region) {
        int slotId = (int) region.get("slot");
        int flags = (int) region.get("flags");
        long gpa = region.get("guest_phys_addr");
        long size = region.get("memory_size");
        int page = HostKernel.PAGE_SIZE - 1;
        if ((size & page) != 0 || (gpa & page) != 0 || slotId < 0 || slotId >= SystemFile.MEMSLOTS
                || gpa + size < gpa || (flags & ~KVM_MEM_LOG_DIRTY_PAGES) != 0 || size > Integer.MAX_VALUE - 8192L) {
            throw KvmError.of(Errno.EINVAL, "bad kvm_memory_region");
        }
        MemorySlot existing = slots.byId(slotId);
        if (size == 0) {
            if (existing != null) {
                slots.put(slotId, null);
                flushAllVcpus();
            }
            return 0;
        }
        if (existing != null && existing.size() != size) {
            throw KvmError.of(Errno.EINVAL, "a slot's size cannot change");
        }
        if (slots.overlaps(gpa, size, slotId)) {
            throw KvmError.of(Errno.EEXIST, "memory region overlaps another slot");
        }
        HostMemory.Region memory = existing != null && existing.backed() ? existing.region()
                : kernel.memory().allocateUnmapped(size, "kvm memory slot " + slotId);
        AtomicLongArray dirty = (flags & KVM_MEM_LOG_DIRTY_PAGES) != 0
                ? new AtomicLongArray((int) ((size / HostKernel.PAGE_SIZE + 63) / 64)) : null;
        slots.put(slotId, new MemorySlot(slotId, gpa, size, memory, memory.base(), false, dirty));
        flushAllVcpus();
        return 0;
    }

    /**
     * mmap of a VM fd (2.6.22-era kvm_vm_mmap): page offset n is guest frame n, so userspace maps
     * guest RAM with {@code offset} = guest physical address. Releases without KVM_SET_MEMORY_REGION
     * have no VM mmap (-ENODEV). Linux would accept any range and SIGBUS on access outside a slot;
     * this model has no lazy faults and refuses such a range with -EINVAL.
     */
    @Override
    public long mmap(long length, long offset) {
        if (!kernel.profile().has(KvmIoctl.SET_MEMORY_REGION)) {
            throw KvmError.of(Errno.ENODEV, "a VM fd cannot be mapped in this release");
        }
        MemorySlot slot = slots.find(offset);
        if (length <= 0 || (offset & (HostKernel.PAGE_SIZE - 1)) != 0 || slot == null || !slot.backed()
                || offset + length > slot.gpa() + slot.size()) {
            throw KvmError.of(Errno.EINVAL, "no memory slot covers the mapped range");
        }
        kernel.memory().map(slot.region());
        return slot.hostAddress() + (offset - slot.gpa());
    }

    /**
     * api.rst §4.8: copies the slot's dirty bitmap to userspace and clears it; later writes are
     * tracked again (the MMU write-protects the slot and every vCPU's TLB is flushed).
     */
    private long getDirtyLog(StructView log) {
        int slotId = (int) log.get("slot");
        if ((slotId & 0xFFFF) >= SystemFile.MEMSLOTS) {
            throw KvmError.of(Errno.EINVAL, "slot out of range");
        }
        MemorySlot slot = slots.byId(slotId);
        if (slot == null || !slot.logsDirty()) {
            throw KvmError.of(Errno.ENOENT, "slot has no dirty log");
        }
        AtomicLongArray bitmap = slot.dirtyBitmap();
        ByteBuffer user = kernel.user(log.get("dirty_bitmap"), bitmap.length() * 8L);
        for (int i = 0; i < bitmap.length(); i++) {
            user.putLong(i * 8, bitmap.getAndSet(i, 0));
        }
        mmu.writeProtectSlot(slot); // the next write to each page faults and is logged again
        return 0;
    }

    /** api.rst §4.29: kvm_clock_data.clock is the VM's virtual nanoseconds. */
    private long getClock(long arg) {
        StructView data = StructView.of(KvmStructs.KVM_CLOCK_DATA, kernel.user(arg, KvmStructs.KVM_CLOCK_DATA.size()));
        data.clear().set("clock", clock.nanos());
        return 0;
    }

    /** api.rst §4.30: flags must be 0 (no KVM_CLOCK_REALTIME here); sets the VM's virtual time. */
    private long setClock(long arg) {
        StructView data = StructView.of(KvmStructs.KVM_CLOCK_DATA, kernel.user(arg, KvmStructs.KVM_CLOCK_DATA.size()));
        if (data.get("flags") != 0) {
            throw KvmError.of(Errno.EINVAL, "unsupported kvm_clock_data flags");
        }
        clock.set(data.get("clock"));
        return 0;
    }

    /** api.rst §4.59 KVM_IOEVENTFD: length 0, 1, 2, 4 or 8; deassign must match an assignment. */
    private long ioeventfd(StructView args) {
        long flags = args.get("flags");
        int length = (int) args.get("len");
        if ((flags & ~(IOEVENTFD_DATAMATCH | IOEVENTFD_PIO | IOEVENTFD_DEASSIGN)) != 0
                || (length != 0 && length != 1 && length != 2 && length != 4 && length != 8)
                || (length == 0 && (flags & IOEVENTFD_DATAMATCH) != 0)) {
            throw KvmError.of(Errno.EINVAL, "bad kvm_ioeventfd");
        }
        int fd = (int) args.get("fd");
        EventFd eventfd = eventfd(fd);
        IoEventFd entry = new IoEventFd(args.get("addr"), length, (flags & IOEVENTFD_PIO) != 0,
                (flags & IOEVENTFD_DATAMATCH) != 0, args.get("datamatch"), eventfd, fd);
        if ((flags & IOEVENTFD_DEASSIGN) != 0) {
            boolean removed = ioeventfds.removeIf(e -> e.address() == entry.address() && e.length() == entry.length()
                    && e.pio() == entry.pio() && e.datamatch() == entry.datamatch()
                    && (!entry.datamatch() || e.data() == entry.data()) && e.fd() == fd);
            if (!removed) {
                throw KvmError.of(Errno.ENOENT, "no such ioeventfd");
            }
            return 0;
        }
        for (IoEventFd e : ioeventfds) {
            if (e.address() == entry.address() && e.pio() == entry.pio() && e.length() == entry.length()
                    && (!e.datamatch() || !entry.datamatch() || e.data() == entry.data())) {
                throw KvmError.of(Errno.EEXIST, "overlapping ioeventfd");
            }
        }
        ioeventfds.add(entry);
        return 0;
    }

    /** api.rst §4.116: coalesced MMIO zones are written to the ring without exiting. */
    private long coalesced(long arg, boolean register) {
        StructView zone = StructView.of(KvmIrqStructs.KVM_COALESCED_MMIO_ZONE,
                kernel.user(arg, KvmIrqStructs.KVM_COALESCED_MMIO_ZONE.size()));
        long[] z = {zone.get("addr"), zone.get("size")};
        if (register) {
            coalescedZones.add(z);
        } else {
            coalescedZones.removeIf(e -> e[0] == z[0] && e[1] == z[1]);
        }
        return 0;
    }

    /** eventfd_ctx_fdget: -EBADF for a closed fd number, -EINVAL for a file that is not an eventfd. */
    EventFd eventfd(int fd) {
        KernelFile file = kernel.file(fd);
        if (file == null) {
            throw KvmError.of(Errno.EBADF, "no such file descriptor");
        }
        if (!(file instanceof EventFd eventfd)) {
            throw KvmError.of(Errno.EINVAL, "not an eventfd");
        }
        return eventfd;
    }

    IoEventFd findIoEventFd(boolean pio, long address, int length, long value) {
        for (IoEventFd e : ioeventfds) {
            if (e.matches(pio, address, length, value)) {
                return e;
            }
        }
        return null;
    }

    boolean coalescedAt(long address, int length) {
        for (long[] z : coalescedZones) {
            if (address >= z[0] && address + length <= z[0] + z[1]) {
                return true;
            }
        }
        return false;
    }

    private void flushAllVcpus() {
        for (VcpuFile v : vcpus) {
            v.requestTlbFlush();
        }
    }

    /** The VM's counters plus its MMU pages and its processors' walk counters (see HostKernel#vmStatistics). */
    java.util.Map<String, Long> statistics() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>(stats.snapshot());
        m.put("mmu_pages", (long) mmu.pagesInUse());
        for (VcpuFile v : vcpus) {
            v.cpu.mmu().counters().snapshot().forEach((k, n) -> m.merge(k, n, Long::sum));
        }
        return m;
    }

    int onlineVcpus() {
        return Math.max(1, vcpus.size());
    }
}
