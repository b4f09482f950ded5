package dev.hvspec.spec.target;

/**
 * A hypervisor that runs guest images under the guest contract (docs/DESIGN.md): COM1 output is
 * captured, the exit status follows isa-debug-exit ({@code (V << 1) | 1}), 0 on a shutdown
 * (triple fault), 124 when the run hit its time limit. Implementations must be usable from
 * several threads at once (scenarios run in parallel).
 */
public interface Target {
    /** The name reports and expectation files use: reference, qemu, command. */
    String name();

    /**
     * Runs one guest to its end or to the launch's time limit.
     *
     * @throws TargetUnavailableException when the hypervisor cannot be started at all (binary
     *                                    missing): scenarios are then skipped, not failed
     */
    GuestRun run(GuestLaunch launch) throws TargetUnavailableException;
}
