package dev.hvspec.vmm.e1000;

/**
 * What the device counted since it was created (not reset by the guest): the register accesses a
 * driver made (each one an exit to the VMM on a real hypervisor), the interrupts the device
 * asserted, and the frames it moved. The exits-per-packet benchmark divides these by packets.
 *
 * @param mmioReads            accesses to BAR0 that read
 * @param mmioWrites           accesses to BAR0 that wrote
 * @param ioReads              accesses to the I/O BAR (IOADDR/IODATA) that read
 * @param ioWrites             accesses to the I/O BAR that wrote
 * @param interrupts           assertions (rising edges) of the function's interrupt
 * @param framesSent           frames handed to the wire (TSO segments counted one by one)
 * @param framesReceived       frames stored in receive buffers
 * @param framesMissed         frames dropped for lack of receive descriptors
 * @param txDescriptors        transmit descriptors processed
 * @param txPacketsDropped     transmit packets not sent (oversized, faulted, refused TSO)
 */
public record E1000Counters(long mmioReads, long mmioWrites, long ioReads, long ioWrites, long interrupts,
                            long framesSent, long framesReceived, long framesMissed, long txDescriptors,
                            long txPacketsDropped) {
    /** All register accesses, MMIO and I/O. */
    public long registerAccesses() {
        return mmioReads + mmioWrites + ioReads + ioWrites;
    }
}
