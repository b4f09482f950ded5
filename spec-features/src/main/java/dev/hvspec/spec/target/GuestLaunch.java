package dev.hvspec.spec.target;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What to start: an image (already written to {@code image}, and in memory as {@code bytes}),
 * guest RAM in MiB, vCPUs, the wall-clock limit, and the CPU features the guest needs beyond the
 * guest contract's {@code qemu64} (QEMU property names such as {@code la57}; empty for most).
 */
public record GuestLaunch(String name, Path image, byte[] bytes, int memoryMib, int cpus, Duration timeout,
                          List<String> cpuFeatures) {
    public GuestLaunch {
        if (memoryMib < 1 || cpus < 1) {
            throw new IllegalArgumentException("memory and cpus must be positive");
        }
        cpuFeatures = List.copyOf(cpuFeatures);
    }

    /** A launch on the guest contract's CPU model as it is. */
    public GuestLaunch(String name, Path image, byte[] bytes, int memoryMib, int cpus, Duration timeout) {
        this(name, image, bytes, memoryMib, cpus, timeout, List.of());
    }
}
