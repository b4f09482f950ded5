package dev.hvspec.machine.time;

/**
 * The virtual time of one VM, in nanoseconds since the VM was created. By default it advances
 * with retired guest instructions (deterministic, reproducible runs); pacing to wall-clock time is
 * a separate option of the run loop, never of the devices. Devices and timers read time only here.
 */
@FunctionalInterface
public interface VirtualClock {
    long nanos();
}
