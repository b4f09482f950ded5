package dev.hvspec.vmm.virtio.pci;

import dev.hvspec.vmm.net.NetBackend;
import dev.hvspec.vmm.virtio.VirtioDeviceOptions;
import dev.hvspec.vmm.virtio.balloon.VirtioBalloon;
import dev.hvspec.vmm.virtio.blk.RawFileBlockBackend;
import dev.hvspec.vmm.virtio.blk.VirtioBlk;
import dev.hvspec.vmm.virtio.console.VirtioConsole;
import dev.hvspec.vmm.virtio.net.VirtioNet;
import dev.hvspec.vmm.virtio.rng.VirtioRng;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Ready-made virtio PCI functions for a board: attach what these return to a
 * {@link dev.hvspec.vmm.pci.PciHostBridge} ({@code bridge.attach(fn)}). All are modern
 * (non-transitional) unless {@code transitional} is asked for; see docs/virtio.md.
 */
public final class VirtioPciDevices {
    /** QEMU's default MAC address, 52:54:00:12:34:56. */
    public static final byte[] DEFAULT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

    private VirtioPciDevices() {
    }

    /** {@code --disk FILE}: virtio-blk on a raw image; FLUSH is an fsync of the file. */
    public static VirtioPciFunction disk(Path image, boolean readOnly, boolean transitional) throws IOException {
        return disk(image, readOnly, transitional, VirtioDeviceOptions.NONE);
    }

    /** The same, offering the transport {@code options} too. */
    public static VirtioPciFunction disk(Path image, boolean readOnly, boolean transitional, VirtioDeviceOptions options)
            throws IOException {
        return new VirtioPciFunction(new VirtioBlk(new RawFileBlockBackend(image, readOnly)), transitional, options);
    }

    /** {@code --nic virtio}: virtio-net in front of {@code backend} (see NetBackends.create for --net). */
    public static VirtioPciFunction nic(NetBackend backend, byte[] mac, boolean transitional) {
        return nic(backend, mac, transitional, VirtioDeviceOptions.NONE);
    }

    /** The same, offering the transport {@code options} too. */
    public static VirtioPciFunction nic(NetBackend backend, byte[] mac, boolean transitional, VirtioDeviceOptions options) {
        return new VirtioPciFunction(new VirtioNet(backend, mac), transitional, options);
    }

    public static VirtioPciFunction rng() {
        return new VirtioPciFunction(new VirtioRng());
    }

    public static VirtioPciFunction balloon() {
        return new VirtioPciFunction(new VirtioBalloon());
    }

    /** A console whose port 0 and emergency output go to {@code output}. */
    public static VirtioPciFunction console(Consumer<byte[]> output) {
        return new VirtioPciFunction(new VirtioConsole(1, output, c -> output.accept(new byte[] {(byte) c})));
    }
}
