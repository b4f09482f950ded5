package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.machine.memory.HostMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The host: a Linux kernel with the KVM module loaded, as one userspace process (the VMM) sees it
 * through system calls — {@code open("/dev/kvm")}, {@code ioctl}, {@code mmap}, {@code close},
 * {@code eventfd}, anonymous memory — and the memory of that process. Which ioctls and
 * capabilities exist is the {@link KernelProfile} of the KVM release the host runs.
 *
 * <p>The syscall boundary: arguments are plain integers and addresses in the process's memory;
 * results are non-negative values or negative errno values. No Java exception crosses it — an
 * unexpected internal failure is logged to {@link #dmesg()} and returned as {@code -EIO}.
 */
public final class HostKernel {
    public static final String DEV_KVM = "/dev/kvm";
    public static final int PAGE_SIZE = 4096;

    private final KernelProfile profile;
    private final KvmParameters parameters;
    private final HostMemory memory = new HostMemory();
    private final Map<Integer, KernelFile> files = new ConcurrentHashMap<>();
    private final AtomicInteger nextFd = new AtomicInteger(3);
    private final List<String> dmesg = new ArrayList<>();
    private final List<VmFile> vms = new java.util.concurrent.CopyOnWriteArrayList<>();

    public HostKernel(KernelProfile profile) {
        this(profile, KvmParameters.DEFAULT);
    }

    /** A host whose KVM modules were loaded with {@code parameters} (e.g. {@code ept=0}). */
    public HostKernel(KernelProfile profile, KvmParameters parameters) {
        this.profile = profile;
        this.parameters = parameters;
    }

    /** A host running the newest modelled KVM (6.1). */
    public static HostKernel modern() {
        return modern(KvmParameters.DEFAULT);
    }

    /** A host running the newest modelled KVM (6.1) with these module parameters. */
    public static HostKernel modern(KvmParameters parameters) {
        return new HostKernel(KernelProfile.of("6.1").orElseThrow(), parameters);
    }

    public KvmParameters parameters() {
        return parameters;
    }

    public KernelProfile profile() {
        return profile;
    }

    public HostMemory memory() {
        return memory;
    }

    /** Kernel log lines (internal errors caught at the syscall boundary). */
    public synchronized List<String> dmesg() {
        return List.copyOf(dmesg);
    }

    synchronized void log(String line) {
        dmesg.add(line);
    }

    // ---- system calls ----

    /** open(2): only /dev/kvm exists here. */
    public int open(String path) {
        if (!DEV_KVM.equals(path)) {
            return Errno.ENOENT.negative();
        }
        return install(new SystemFile(this));
    }

    /** ioctl(2) on any file. */
    public long ioctl(int fd, long request, long arg) {
        KernelFile file = files.get(fd);
        if (file == null) {
            return Errno.EBADF.negative();
        }
        try {
            return file.ioctl(request & 0xFFFF_FFFFL, arg);
        } catch (KvmError e) {
            return e.errno().negative();
        } catch (RuntimeException e) {
            log("ioctl(" + fd + ", " + Long.toHexString(request) + "): internal error " + e);
            return Errno.EIO.negative();
        }
    }

    /** mmap(2) of a file (the vCPU's kvm_run area); returns the address or a negative errno. */
    public long mmap(int fd, long length, long offset) {
        KernelFile file = files.get(fd);
        if (file == null) {
            return Errno.EBADF.negative();
        }
        try {
            return file.mmap(length, offset);
        } catch (KvmError e) {
            return e.errno().negative();
        }
    }

    /** Anonymous mmap(2): zeroed process memory, e.g. guest RAM; returns its address. */
    public long mmapAnonymous(long length) {
        if (length <= 0 || length > Integer.MAX_VALUE - 8192L) {
            return Errno.EINVAL.negative();
        }
        try {
            return memory.mmap(length, "anonymous").base();
        } catch (OutOfMemoryError e) {
            return Errno.ENOMEM.negative();
        }
    }

    public int close(int fd) {
        KernelFile file = files.remove(fd);
        if (file == null) {
            return Errno.EBADF.negative();
        }
        file.close();
        return 0;
    }

    /** eventfd(2). */
    public int eventfd() {
        return install(new EventFd());
    }

    /** write(2) of an 8-byte value to an eventfd. */
    public int eventfdWrite(int fd, long value) {
        if (!(files.get(fd) instanceof EventFd e)) {
            return Errno.EBADF.negative();
        }
        e.signal(value);
        return 8;
    }

    /** Non-blocking read(2) of an eventfd: the counter (0 if none, where read would be EAGAIN). */
    public long eventfdRead(int fd) {
        if (!(files.get(fd) instanceof EventFd e)) {
            return Errno.EBADF.negative();
        }
        return e.take();
    }

    /**
     * A signal to the thread running KVM_RUN on {@code vcpuFd} (pthread_kill): KVM_RUN returns
     * -EINTR with exit reason KVM_EXIT_INTR (api.rst §4.10).
     */
    public int signal(int vcpuFd) {
        if (!(files.get(vcpuFd) instanceof VcpuFile v)) {
            return Errno.EBADF.negative();
        }
        v.signal();
        return 0;
    }

    /**
     * A one-shot timer on the VM's virtual clock that signals the vCPU thread when it expires
     * (timer_create with SIGEV_THREAD_ID, on virtual time): how the VMM gets control back when a
     * userspace device timer is due. {@code Long.MAX_VALUE} disarms.
     */
    public int alarm(int vcpuFd, long virtualNanos) {
        if (!(files.get(vcpuFd) instanceof VcpuFile v)) {
            return Errno.EBADF.negative();
        }
        v.alarmAt(virtualNanos);
        return 0;
    }

    /**
     * The statistics of every VM created on this host, in creation order, including VMs already
     * destroyed (what {@code kvm_stat} showed for them last): the VM's {@link KvmStats} counters
     * (summed over its vCPUs), its MMU's kernel pages ({@code mmu_pages}), and its processors'
     * address-translation event counters ({@code walk_*}, see {@code docs/mmu.md}).
     */
    public List<java.util.Map<String, Long>> vmStatistics() {
        List<java.util.Map<String, Long>> all = new ArrayList<>();
        for (VmFile vm : vms) {
            all.add(vm.statistics());
        }
        return all;
    }

    /**
     * The kvm_stat counters of a VM (the sum over its vCPUs) or of one vCPU, as root reads them
     * from debugfs ({@code /sys/kernel/debug/kvm/<pid>-<fd>/}, the files kvm_stat shows); empty for
     * other files. A host interface outside the ioctl ABI, like debugfs itself.
     */
    public java.util.Map<String, Long> debugfsStats(int fd) {
        return switch (files.get(fd)) {
            case VmFile vm -> vm.stats.snapshot();
            case VcpuFile vcpu -> vcpu.stats.snapshot();
            case null, default -> java.util.Map.of();
        };
    }

    // ---- inside the kernel ----

    void vmCreated(VmFile vm) {
        vms.add(vm);
    }

    int install(KernelFile file) {
        int fd = nextFd.getAndIncrement();
        files.put(fd, file);
        return fd;
    }

    KernelFile file(int fd) {
        return files.get(fd);
    }

    /**
     * The process memory {@code [address, address + length)} as a little-endian buffer view
     * (copy_from_user/copy_to_user); -EFAULT when it is not mapped.
     */
    ByteBuffer user(long address, long length) {
        if (length < 0 || length > Integer.MAX_VALUE) {
            throw KvmError.of(Errno.EFAULT, "bad user length");
        }
        HostMemory.Region region = memory.regionAt(address, Math.max(length, 1));
        if (region == null) {
            throw KvmError.of(Errno.EFAULT, String.format("user address 0x%x+%d not mapped", address, length));
        }
        int at = (int) (address - region.base());
        return region.buffer().slice(at, (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }
}
