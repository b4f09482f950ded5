package dev.hvspec.vmm;

/** A run option the host's KVM (or the VMM's linux/kvm.h) cannot provide; the CLI reports it and exits 2. */
public final class UnsupportedOptionException extends RuntimeException {
    public UnsupportedOptionException(String message) {
        super(message);
    }
}
