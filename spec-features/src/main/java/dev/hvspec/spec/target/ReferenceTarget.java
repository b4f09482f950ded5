package dev.hvspec.spec.target;

import dev.hvspec.fixtures.GuestDevices;
import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.vmm.PcBoard;
import dev.hvspec.vmm.ReferenceVmm;
import dev.hvspec.vmm.RunConfig;
import dev.hvspec.vmm.RunResult;
import dev.hvspec.vmm.boot.BootException;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * The reference hypervisor in-process: {@link ReferenceVmm#run(RunConfig, java.io.OutputStream)}
 * with the guest contract's board, serial captured in memory, and the launch's devices: its disk
 * as virtio-blk ({@code --disk}), its NIC on the loopback backend ({@code --nic … --net loopback}).
 * A boot failure (not a multiboot image) is reported with status 2, as {@code hvspec run} does.
 * The host's MMU strategy and where the interrupt controllers live are options
 * ({@code --target reference:mmu=shadow,irqchip=user}).
 */
public final class ReferenceTarget implements Target {
    private final KvmParameters.Mmu mmu;
    private final PcBoard.IrqchipMode irqchip;

    /** The default host: EPT, in-kernel irqchip (as {@code hvspec run} without options). */
    public ReferenceTarget() {
        this(KvmParameters.Mmu.EPT, PcBoard.IrqchipMode.KERNEL);
    }

    public ReferenceTarget(KvmParameters.Mmu mmu, PcBoard.IrqchipMode irqchip) {
        this.mmu = mmu;
        this.irqchip = irqchip;
    }

    /** Always "reference": every host configuration shares targets/reference.expectations. */
    @Override
    public String name() {
        return "reference";
    }

    @Override
    public GuestRun run(GuestLaunch launch) {
        // The guest contract's machine (RunConfig.of), with the launch's RAM, vCPU count and devices.
        RunConfig d = RunConfig.of(launch.bytes(), launch.image().toString(), launch.timeout());
        GuestDevices devices = launch.devices();
        RunConfig config = new RunConfig(d.kernel(), d.kernelName(), d.initrd(), d.append(),
                (long) launch.memoryMib() << 20, launch.cpus(), d.timeout(), d.trace(), irqchip,
                devices.diskSectors() > 0 ? List.of(launch.disk()) : List.of(), devices.nicName(),
                devices.nic() == GuestDevices.Nic.NONE ? "none" : "loopback", RunConfig.DeviceOptions.DEFAULT);
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        try {
            RunResult result = ReferenceVmm.run(HostKernel.modern(KvmParameters.of(mmu)), config, serial, null);
            return new GuestRun(serial.toByteArray(), result.exitStatus(),
                    result.reason() == RunResult.Reason.TIMEOUT,
                    result.reason() + (result.detail() == null ? "" : ": " + result.detail()));
        } catch (BootException e) {
            return new GuestRun(serial.toByteArray(), 2, false, "boot failed: " + e.getMessage());
        }
    }
}
