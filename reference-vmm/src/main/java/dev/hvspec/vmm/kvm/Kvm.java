package dev.hvspec.vmm.kvm;

import dev.hvspec.kvm.HostKernel;
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
    private final HostKernel kernel;
    private final int fd;
    private final Scratch scratch;

    private Kvm(HostKernel kernel, int fd) {
        this.kernel = kernel;
        this.fd = fd;
        this.scratch = new Scratch(kernel);
    }

    /** open("/dev/kvm") and check KVM_GET_API_VERSION == 12 (api.rst §4.1). */
    public static Kvm open(HostKernel kernel) {
        int fd = kernel.open(HostKernel.DEV_KVM);
        if (fd < 0) {
            throw new KvmException("open(/dev/kvm)", fd);
        }
        Kvm kvm = new Kvm(kernel, fd);
        long version = kvm.apiVersion();
        if (version != 12) {
            throw new IllegalStateException("KVM API version " + version + ", expected 12");
        }
        return kvm;
    }

    public HostKernel kernel() {
        return kernel;
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
