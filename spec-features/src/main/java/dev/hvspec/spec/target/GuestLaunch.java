package dev.hvspec.spec.target;

import dev.hvspec.fixtures.GuestDevices;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What to start: an image (already written to {@code image}, and in memory as {@code bytes}),
 * guest RAM in MiB, vCPUs, the wall-clock limit, the PCI devices the guest drives ({@code disk}
 * is their disk image file when {@code devices} has a disk, else null), and the CPU features the
 * guest needs beyond the guest contract's {@code qemu64} (QEMU property names such as
 * {@code la57}; empty for most).
 */
public record GuestLaunch(String name, Path image, byte[] bytes, int memoryMib, int cpus, Duration timeout,
                          GuestDevices devices, Path disk, List<String> cpuFeatures) {
    public GuestLaunch {
        if (memoryMib < 1 || cpus < 1) {
            throw new IllegalArgumentException("memory and cpus must be positive");
        }
        devices = devices == null ? GuestDevices.NONE : devices;
        if (devices.diskSectors() > 0 && disk == null) {
            throw new IllegalArgumentException("a launch with a disk needs its image file");
        }
        cpuFeatures = List.copyOf(cpuFeatures);
    }

    /** A launch with the guest contract's devices and CPU model only. */
    public GuestLaunch(String name, Path image, byte[] bytes, int memoryMib, int cpus, Duration timeout) {
        this(name, image, bytes, memoryMib, cpus, timeout, GuestDevices.NONE, null, List.of());
    }
}
