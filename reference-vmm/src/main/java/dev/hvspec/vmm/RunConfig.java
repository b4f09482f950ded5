package dev.hvspec.vmm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What to run: a guest image and the machine around it (the options of {@code hvspec run}).
 *
 * @param kernel      the guest image (multiboot ELF32)
 * @param kernelName  the name the guest sees as the first word of its command line (the path given)
 * @param initrd      multiboot modules (or a Linux initrd), may be empty
 * @param append      the kernel command line
 * @param memoryBytes guest RAM
 * @param cpus        number of vCPUs
 * @param timeout     wall-clock limit, or null for none
 * @param trace       print one line per executed instruction to the trace sink
 * @param irqchip     where the interrupt controllers and PIT are emulated (kernel unless it lacks them)
 * @param disks       raw disk images, each a virtio-blk device
 * @param nic         the network card model: null (none), "virtio", "e1000"
 * @param net         the network backend: "none", "loopback", "pcap:FILE"
 */
public record RunConfig(byte[] kernel, String kernelName, List<Path> initrd, String append, long memoryBytes,
                        int cpus, Duration timeout, boolean trace, PcBoard.IrqchipMode irqchip, List<Path> disks,
                        String nic, String net) {
    public static final long DEFAULT_MEMORY = 128L << 20;

    public RunConfig {
        initrd = List.copyOf(initrd);
        append = append == null ? "" : append;
        disks = List.copyOf(disks);
        net = net == null ? "none" : net;
    }

    /** A multiboot image with the guest contract's defaults: 128 MiB, one vCPU. */
    public static RunConfig of(byte[] kernel, String name, Duration timeout) {
        return new RunConfig(kernel, name, List.of(), "", DEFAULT_MEMORY, 1, timeout, false, PcBoard.IrqchipMode.KERNEL,
                List.of(), null, "none");
    }
}
