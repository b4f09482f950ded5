package dev.hvspec.kvm;

/** An open file of the host kernel as the KVM stack uses them: /dev/kvm, a VM, a vCPU, an eventfd, an epoll instance. */
sealed interface KernelFile permits SystemFile, VmFile, VcpuFile, EventFd, Epoll {
    /** Handles an ioctl; returns a non-negative result or throws {@link KvmError}. */
    long ioctl(long request, long arg);

    /** mmap of the file; only vCPU files can be mapped (their kvm_run area). */
    default long mmap(long length, long offset) {
        throw KvmError.of(dev.hvspec.kvm.abi.Errno.ENODEV, "file cannot be mapped");
    }

    default void close() {
    }
}
