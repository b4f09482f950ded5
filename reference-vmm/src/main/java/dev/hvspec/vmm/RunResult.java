package dev.hvspec.vmm;

/**
 * How a guest run ended, and the process exit status the guest contract assigns to it: the
 * isa-debug-exit value V as {@code (V << 1) | 1}; 0 for a triple fault, a reset request (there is
 * no reboot) or power-off; 124 for a timeout.
 */
public record RunResult(Reason reason, int exitStatus, String detail) {
    public enum Reason { DEBUG_EXIT, TRIPLE_FAULT, RESET, POWER_OFF, TIMEOUT, GUEST_ERROR }

    public static final int EXIT_TIMEOUT = 124;

    /** The line `hvspec run` prints on stderr for this ending (null when the guest chose its exit code). */
    public String stderrLine() {
        return switch (reason) {
            case DEBUG_EXIT -> null;
            case TRIPLE_FAULT -> "hvspec: guest triple-faulted (shutdown)";
            case RESET -> "hvspec: guest requested a reset (no reboot: exiting)";
            case POWER_OFF -> "hvspec: guest powered off";
            case TIMEOUT -> "hvspec: timeout: the guest did not exit in time" + (detail == null ? "" : " (" + detail + ")");
            case GUEST_ERROR -> "hvspec: guest stopped: " + detail;
        };
    }
}
