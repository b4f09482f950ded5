package dev.hvspec.vmm.virtio.rng;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioDeviceType;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;

import java.security.SecureRandom;
import java.util.function.Consumer;

/**
 * The entropy device (virtio 1.3 §5.4): one request queue; the device fills each buffer's
 * device-writable part with random bytes. §5.4.6.1: "The device MUST place one or more random
 * bytes into the buffer, but it MAY use less than the entire buffer length" — the reference
 * gives at most {@link #MAX_BYTES_PER_REQUEST} bytes per request. A buffer with no writable
 * part (which the driver must not offer, §5.4.6.2) is returned with length 0.
 */
public final class VirtioRng extends VirtioDevice {
    public static final int MAX_BYTES_PER_REQUEST = 4096;
    public static final int QUEUE_SIZE = 256;

    private final Consumer<byte[]> entropy;
    private long bytesDelivered;

    /** @param entropy fills an array with random bytes (a deterministic source for reproducible runs) */
    public VirtioRng(Consumer<byte[]> entropy) {
        this.entropy = entropy;
    }

    /** Entropy from the host's {@link SecureRandom}. */
    public VirtioRng() {
        this(new SecureRandom()::nextBytes);
    }

    @Override
    public VirtioDeviceType type() {
        return VirtioDeviceType.ENTROPY;
    }

    @Override
    public long deviceFeatures() {
        return 0;
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int queueMaxSize(int index) {
        return QUEUE_SIZE;
    }

    @Override
    public byte[] config() {
        return new byte[0];
    }

    @Override
    protected void queueNotified(int index) {
        drain(index, this::fill);
    }

    private long fill(DescriptorChain chain) throws GuestMemoryFault {
        int n = (int) Math.min(MAX_BYTES_PER_REQUEST, chain.writableBytes());
        if (n == 0) {
            return 0;
        }
        byte[] random = new byte[n];
        entropy.accept(random);
        chain.write(memory(), 0, random);
        bytesDelivered += n;
        return n;
    }

    public long bytesDelivered() {
        synchronized (lock()) {
            return bytesDelivered;
        }
    }
}
