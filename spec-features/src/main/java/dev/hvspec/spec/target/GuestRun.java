package dev.hvspec.spec.target;

import java.nio.charset.StandardCharsets;

/**
 * How a guest run ended: the serial bytes, the exit status under the guest contract, whether the
 * time limit stopped it, and a line of detail (the VMM's stderr or the reference's reason).
 */
public record GuestRun(byte[] serial, int exitStatus, boolean timedOut, String detail) {
    /** Timeout status, as timeout(1) and {@code hvspec run}. */
    public static final int EXIT_TIMEOUT = 124;

    /** The serial output as text (ISO-8859-1, so every byte maps to one char), CR removed. */
    public String serialText() {
        return new String(serial, StandardCharsets.ISO_8859_1).replace("\r", "");
    }
}
