package dev.hvspec.vmm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What to run: a guest image and the machine around it (the options of {@code hvspec run}).
 *
 * @param kernel      the guest image (multiboot ELF32)
 * @param kernelName  the name the guest sees as the first word of its command line (the path given)
 * @param initrd      multiboot modules with their strings (or a Linux initrd), may be empty
 * @param append      the kernel command line
 * @param memoryBytes guest RAM
 * @param cpus        number of vCPUs
 * @param timeout     wall-clock limit, or null for none
 * @param trace       print one line per executed instruction to the trace sink
 * @param irqchip     where the interrupt controllers and PIT are emulated (kernel unless it lacks them)
 * @param disks       raw disk images, each a virtio-blk device
 * @param nic         the network card model: null (none), "virtio", "e1000"
 * @param net         the network backend: "none", "loopback", "pcap:FILE", "loopback,pcap:FILE"
 * @param devices     device and fast-path switches (ioeventfd, e1000 interrupt mitigation)
 * @param pace        virtual time only (the default), or held back to the host's clock
 * @param tscKhz      the guest TSC's frequency in kHz set with KVM_SET_TSC_KHZ on every vCPU, or 0 to
 *                    leave the host's (the default; QEMU's {@code -cpu ...,tsc-frequency=})
 */
public record RunConfig(byte[] kernel, String kernelName, List<BootModule> initrd, String append, long memoryBytes,
                        int cpus, Duration timeout, boolean trace, PcBoard.IrqchipMode irqchip, List<Path> disks,
                        String nic, String net, DeviceOptions devices, Pacing pace, long tscKhz) {
    public static final long DEFAULT_MEMORY = 128L << 20;

    /**
     * Switches for the benchmark's comparisons; both on by default, as on QEMU.
     *
     * @param ioeventfd       virtio-pci notifications through KVM_IOEVENTFD and the VMM's I/O
     *                        thread when the kernel offers it (QEMU's {@code ioeventfd=on}); off:
     *                        every notification is an exit handled on the vCPU thread
     * @param e1000Mitigation the e1000 applies ITR, RDTR/RADV and TIDV/TADV (E1000Config.mitigation)
     * @param virtioTransitional virtio-pci functions are transitional (device ID 0x1000 + n, the
     *                        legacy I/O BAR beside the modern capabilities: QEMU's
     *                        {@code disable-legacy=off}); off: modern only (0x1040 + type)
     * @param virtio          transport features the virtio-pci functions offer beyond the defaults
     *                        (QEMU's {@code iommu_platform=on}, {@code notification_data=on})
     */
    public record DeviceOptions(boolean ioeventfd, boolean e1000Mitigation, boolean virtioTransitional,
                                dev.hvspec.vmm.virtio.VirtioDeviceOptions virtio) {
        public static final DeviceOptions DEFAULT = new DeviceOptions(true, true, false);

        public DeviceOptions {
            virtio = virtio == null ? dev.hvspec.vmm.virtio.VirtioDeviceOptions.NONE : virtio;
        }

        public DeviceOptions(boolean ioeventfd, boolean e1000Mitigation, boolean virtioTransitional) {
            this(ioeventfd, e1000Mitigation, virtioTransitional, null);
        }

        public DeviceOptions(boolean ioeventfd, boolean e1000Mitigation) {
            this(ioeventfd, e1000Mitigation, false);
        }
    }

    public RunConfig {
        initrd = List.copyOf(initrd);
        append = append == null ? "" : append;
        disks = List.copyOf(disks);
        net = net == null ? "none" : net;
        devices = devices == null ? DeviceOptions.DEFAULT : devices;
        pace = pace == null ? Pacing.VIRTUAL : pace;
        if (tscKhz < 0) {
            throw new IllegalArgumentException("tscKhz must not be negative");
        }
    }

    /** A configuration with the host's TSC frequency. */
    public RunConfig(byte[] kernel, String kernelName, List<BootModule> initrd, String append, long memoryBytes,
                     int cpus, Duration timeout, boolean trace, PcBoard.IrqchipMode irqchip, List<Path> disks,
                     String nic, String net, DeviceOptions devices, Pacing pace) {
        this(kernel, kernelName, initrd, append, memoryBytes, cpus, timeout, trace, irqchip, disks, nic, net,
                devices, pace, 0);
    }

    /** A configuration with the default device options and virtual pacing. */
    public RunConfig(byte[] kernel, String kernelName, List<BootModule> initrd, String append, long memoryBytes,
                     int cpus, Duration timeout, boolean trace, PcBoard.IrqchipMode irqchip, List<Path> disks,
                     String nic, String net) {
        this(kernel, kernelName, initrd, append, memoryBytes, cpus, timeout, trace, irqchip, disks, nic, net,
                DeviceOptions.DEFAULT, Pacing.VIRTUAL);
    }

    /** A configuration with these device options and virtual pacing. */
    public RunConfig(byte[] kernel, String kernelName, List<BootModule> initrd, String append, long memoryBytes,
                     int cpus, Duration timeout, boolean trace, PcBoard.IrqchipMode irqchip, List<Path> disks,
                     String nic, String net, DeviceOptions devices) {
        this(kernel, kernelName, initrd, append, memoryBytes, cpus, timeout, trace, irqchip, disks, nic, net,
                devices, Pacing.VIRTUAL);
    }

    /** A configuration with the default device options and this pacing. */
    public RunConfig(byte[] kernel, String kernelName, List<BootModule> initrd, String append, long memoryBytes,
                     int cpus, Duration timeout, boolean trace, PcBoard.IrqchipMode irqchip, List<Path> disks,
                     String nic, String net, Pacing pace) {
        this(kernel, kernelName, initrd, append, memoryBytes, cpus, timeout, trace, irqchip, disks, nic, net,
                DeviceOptions.DEFAULT, pace);
    }

    /** This configuration with PCI devices: {@code disks} as virtio-blk, {@code nic} on {@code net}. */
    public RunConfig withDevices(List<Path> disks, String nic, String net, DeviceOptions devices) {
        return new RunConfig(kernel, kernelName, initrd, append, memoryBytes, cpus, timeout, trace, irqchip, disks,
                nic, net, devices, pace, tscKhz);
    }

    /** This configuration with {@code memoryBytes} of RAM, {@code cpus} processors and the interrupt controllers in {@code irqchip}. */
    public RunConfig withMachine(long memoryBytes, int cpus, PcBoard.IrqchipMode irqchip) {
        return new RunConfig(kernel, kernelName, initrd, append, memoryBytes, cpus, timeout, trace, irqchip, disks,
                nic, net, devices, pace, tscKhz);
    }

    /** This configuration with the guest TSC at {@code tscKhz} kHz (0: the host's frequency). */
    public RunConfig withTscKhz(long tscKhz) {
        return new RunConfig(kernel, kernelName, initrd, append, memoryBytes, cpus, timeout, trace, irqchip, disks,
                nic, net, devices, pace, tscKhz);
    }

    /** A multiboot image with the guest contract's defaults: 128 MiB, one vCPU. */
    public static RunConfig of(byte[] kernel, String name, Duration timeout) {
        return new RunConfig(kernel, name, List.of(), "", DEFAULT_MEMORY, 1, timeout, false, PcBoard.IrqchipMode.KERNEL,
                List.of(), null, "none");
    }
}
