package dev.hvspec.vmm.kvm;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.CpuidModel;

import java.util.ArrayList;
import java.util.List;

/**
 * The typed facade over an open /dev/kvm: what a VMM written against linux/kvm.h does, in Java.
 * Every call is an ioctl on the host kernel with struct bytes in process memory — the facade adds
 * types, not behaviour.
 */
public final class Kvm implements AutoCloseable {
    /** The linux/kvm.h this userspace was compiled against (the 6.1 header unless said otherwise). */
    public static final String DEFAULT_HEADERS = "6.1";

    private final HostKernel kernel;
    private final int fd;
    private final Scratch scratch;
    private final KernelProfile headers;

    private Kvm(HostKernel kernel, int fd, KernelProfile headers) {
        this.kernel = kernel;
        this.fd = fd;
        this.scratch = new Scratch(kernel);
        this.headers = headers;
    }

    /** open("/dev/kvm") and check KVM_GET_API_VERSION == 12 (api.rst §4.1), with the 6.1 header. */
    public static Kvm open(HostKernel kernel) {
        return open(kernel, KernelProfile.of(DEFAULT_HEADERS).orElseThrow());
    }

    /**
     * open("/dev/kvm") as userspace compiled against the linux/kvm.h of release {@code headers}:
     * it can name only the ioctls and KVM_CAP_* constants that header declares (a release's own,
     * plus those it still declares after the kernel dropped them), whatever the host runs.
     */
    public static Kvm open(HostKernel kernel, KernelProfile headers) {
        int fd = kernel.open(HostKernel.DEV_KVM);
        if (fd < 0) {
            throw new KvmException("open(/dev/kvm)", fd);
        }
        Kvm kvm = new Kvm(kernel, fd, headers);
        long version = kvm.apiVersion();
        if (version != 12) {
            throw new IllegalStateException("KVM API version " + version + ", expected 12");
        }
        return kvm;
    }

    public HostKernel kernel() {
        return kernel;
    }

    /** The header release this userspace was built against. */
    public KernelProfile headers() {
        return headers;
    }

    /** Whether the header declares the ioctl (so this userspace can issue it at all). */
    public boolean knows(KvmIoctl ioctl) {
        return headers.has(ioctl) || headers.removed().containsKey(ioctl);
    }

    /** Whether the header defines the capability constant (so this userspace can ask for it). */
    public boolean knows(KvmCap cap) {
        return headers.has(cap) || headers.removed().containsKey(cap);
    }

    /**
     * The capability as negotiated: false without asking when the header does not define it (such
     * userspace cannot name it), else KVM_CHECK_EXTENSION says.
     */
    public boolean has(KvmCap cap) {
        return knows(cap) && checkExtension(cap) > 0;
    }

    void requireKnown(KvmIoctl ioctl) {
        if (!knows(ioctl)) {
            throw new IllegalStateException("userspace built against the " + headers.release()
                    + " linux/kvm.h has no " + ioctl.cName());
        }
    }

    static long call(HostKernel kernel, int fd, KvmIoctl ioctl, long arg) {
        long result = kernel.ioctl(fd, ioctl.code(), arg);
        if (result < 0) {
            throw new KvmException(ioctl.cName(), result);
        }
        return result;
    }

    public long apiVersion() {
        return call(kernel, fd, KvmIoctl.GET_API_VERSION, 0);
    }

    /** KVM_CHECK_EXTENSION: 0 if absent, otherwise 1 or a capability-specific value. */
    public long checkExtension(KvmCap cap) {
        long r = kernel.ioctl(fd, KvmIoctl.CHECK_EXTENSION.code(), cap.value());
        return Math.max(r, 0);
    }

    public long vcpuMmapSize() {
        return call(kernel, fd, KvmIoctl.GET_VCPU_MMAP_SIZE, 0);
    }

    /** KVM_GET_SUPPORTED_CPUID with room for 64 entries. */
    public synchronized List<CpuidModel.Entry> supportedCpuid() {
        int capacity = 64;
        StructView cpuid = scratch.view(KvmStructs.KVM_CPUID2, capacity).set("nent", capacity);
        call(kernel, fd, KvmIoctl.GET_SUPPORTED_CPUID, scratch.address());
        int n = (int) cpuid.get("nent");
        List<CpuidModel.Entry> entries = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = "entries[" + i + "].";
            entries.add(new CpuidModel.Entry((int) cpuid.get(p + "function"), (int) cpuid.get(p + "index"),
                    (cpuid.get(p + "flags") & 1) != 0, (int) cpuid.get(p + "eax"), (int) cpuid.get(p + "ebx"),
                    (int) cpuid.get(p + "ecx"), (int) cpuid.get(p + "edx")));
        }
        return entries;
    }

    /** KVM_CREATE_VM (machine type 0). */
    public Vm createVm() {
        int vmFd = (int) call(kernel, fd, KvmIoctl.CREATE_VM, 0);
        return new Vm(this, vmFd);
    }

    @Override
    public void close() {
        kernel.close(fd);
    }
}
