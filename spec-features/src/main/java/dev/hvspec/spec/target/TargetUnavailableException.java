package dev.hvspec.spec.target;

/** The target's hypervisor cannot be started here (e.g. qemu-system-x86_64 is not on PATH). */
public final class TargetUnavailableException extends Exception {
    public TargetUnavailableException(String message) {
        super(message);
    }
}
