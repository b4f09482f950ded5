package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;

/**
 * An error the kernel returns to userspace as a negative errno. Thrown inside the kernel layer
 * and turned into the ioctl's return value at the syscall boundary; it never crosses it.
 */
final class KvmError extends RuntimeException {
    private final Errno errno;

    KvmError(Errno errno, String why) {
        super(why, null, false, false);
        this.errno = errno;
    }

    Errno errno() {
        return errno;
    }

    static KvmError of(Errno errno, String why) {
        return new KvmError(errno, why);
    }
}
