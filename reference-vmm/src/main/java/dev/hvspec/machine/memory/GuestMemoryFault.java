package dev.hvspec.machine.memory;

/**
 * A guest-physical access touched an address that is not backed by RAM of the VM (outside
 * every memory slot, or in an MMIO hole). Device models catch it and give the specification's
 * answer (an error status, DEVICE_NEEDS_RESET); it never escapes to the VMM's run loop.
 */
public final class GuestMemoryFault extends Exception {
    private final long address;

    public GuestMemoryFault(long address, int length) {
        super(String.format("guest-physical 0x%x+%d is not RAM", address, length), null, false, false);
        this.address = address;
    }

    public long address() {
        return address;
    }
}
