package dev.hvspec.spec.target;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What to start: an image (already written to {@code image}, and in memory as {@code bytes}),
 * guest RAM in MiB, vCPUs, and the wall-clock limit.
 */
public record GuestLaunch(String name, Path image, byte[] bytes, int memoryMib, int cpus, Duration timeout) {
    public GuestLaunch {
        if (memoryMib < 1 || cpus < 1) {
            throw new IllegalArgumentException("memory and cpus must be positive");
        }
    }
}
