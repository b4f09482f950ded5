package dev.hvspec.vmm.boot;

/** The image cannot be booted: not a supported format, truncated, or inconsistent. */
public final class BootException extends Exception {
    public BootException(String message) {
        super(message);
    }
}
