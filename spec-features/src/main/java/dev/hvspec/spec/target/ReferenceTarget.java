package dev.hvspec.spec.target;

import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import dev.hvspec.vmm.boot.BootException;

import java.io.ByteArrayOutputStream;

/**
 * The reference hypervisor in-process: {@link ReferenceVmm#run(RunConfig, java.io.OutputStream)}
 * with the guest contract's board, serial captured in memory. A boot failure (not a multiboot
 * image) is reported with status 2, as {@code hvspec run} does.
 */
public final class ReferenceTarget implements Target {
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public GuestRun run(GuestLaunch launch) {
        // The guest contract's machine (RunConfig.of), with the launch's RAM and vCPU count.
        RunConfig d = RunConfig.of(launch.bytes(), launch.image().toString(), launch.timeout());
        RunConfig config = new RunConfig(d.kernel(), d.kernelName(), d.initrd(), d.append(),
                (long) launch.memoryMib() << 20, launch.cpus(), d.timeout(), d.trace(), d.irqchip(),
                d.disks(), d.nic(), d.net());
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        try {
            RunResult result = ReferenceVmm.run(config, serial);
            return new GuestRun(serial.toByteArray(), result.exitStatus(),
                    result.reason() == RunResult.Reason.TIMEOUT,
                    result.reason() + (result.detail() == null ? "" : ": " + result.detail()));
        } catch (BootException e) {
            return new GuestRun(serial.toByteArray(), 2, false, "boot failed: " + e.getMessage());
        }
    }
}
