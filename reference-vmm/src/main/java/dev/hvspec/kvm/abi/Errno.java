package dev.hvspec.kvm.abi;

/**
 * The errno values the KVM ioctls return (as {@code -errno}), from Linux
 * {@code include/uapi/asm-generic/errno-base.h} and {@code errno.h}, which x86 uses unchanged.
 * The meaning attached to each by the KVM API (api.rst §4 "Returns:") is in the comment.
 */
public enum Errno implements AbiConstant {
    /** Operation not permitted. */
    EPERM(1),
    /** No such entry: e.g. an MSR index or CPUID leaf KVM does not know. */
    ENOENT(2),
    /** Interrupted: KVM_RUN returns it when a signal is pending (exit reason KVM_EXIT_INTR). */
    EINTR(4),
    /** I/O error: the kernel layer failed internally (logged to dmesg). */
    EIO(5),
    /** No such device or address: e.g. KVM_IRQ_LINE with no in-kernel irqchip. */
    ENXIO(6),
    /** Argument too big: e.g. more CPUID entries or MSRs than the array holds. */
    E2BIG(7),
    /** Bad file descriptor. */
    EBADF(9),
    /** Try again. */
    EAGAIN(11),
    /** Out of memory. */
    ENOMEM(12),
    /** Bad address: the argument pointer does not reach readable/writable memory. */
    EFAULT(14),
    /** Busy: e.g. a vCPU already running. */
    EBUSY(16),
    /** Exists: e.g. KVM_CREATE_IRQCHIP or KVM_CREATE_PIT2 twice, a duplicate vCPU id. */
    EEXIST(17),
    /** No such device. */
    ENODEV(19),
    /** Invalid argument. */
    EINVAL(22),
    /** Inappropriate ioctl: the request code is unknown on this kind of fd. */
    ENOTTY(25),
    /** No space left: e.g. all memory slots in use. */
    ENOSPC(28),
    /** Result out of range. */
    ERANGE(34),
    /** Function not implemented. */
    ENOSYS(38),
    /** Operation not supported. */
    EOPNOTSUPP(95);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    @Override
    public long value() {
        return value;
    }

    /** What the ioctl returns for this error: {@code -value}. */
    public int negative() {
        return -value;
    }

    @Override
    public String cName() {
        return name();
    }
}
