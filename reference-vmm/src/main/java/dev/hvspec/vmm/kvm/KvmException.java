package dev.hvspec.vmm.kvm;

import dev.hvspec.kvm.abi.Errno;

/** A system call of the KVM API failed: the ioctl and the errno it returned. */
public final class KvmException extends RuntimeException {
    private final String call;
    private final int errno;

    public KvmException(String call, long result) {
        super(call + " failed: " + describe(result));
        this.call = call;
        this.errno = (int) -result;
    }

    private static String describe(long result) {
        for (Errno e : Errno.values()) {
            if (e.negative() == result) {
                return e.name() + " (" + -result + ")";
            }
        }
        return "errno " + -result;
    }

    public String call() {
        return call;
    }

    /** The positive errno value. */
    public int errno() {
        return errno;
    }

    public boolean is(Errno e) {
        return errno == e.value();
    }
}
