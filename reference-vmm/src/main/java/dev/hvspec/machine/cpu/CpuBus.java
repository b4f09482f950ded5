package dev.hvspec.machine.cpu;

/**
 * What the processor's I/O and non-RAM physical accesses reach: the hypervisor (the kernel
 * layer) in our model, because every IN/OUT and every access outside guest RAM causes a VM exit
 * (VMX with all I/O-bitmap bits set and EPT not mapping MMIO). The implementation either handles
 * the access in the kernel and returns, or arranges an exit to userspace:
 * <ul>
 *   <li>for a read it cannot answer yet it throws {@link VmExit}; the CPU re-executes the
 *       instruction on the next entry, when the implementation has the data;</li>
 *   <li>for a write it records the exit, returns, and sets {@link #exitRequested()}; the
 *       instruction retires and the CPU leaves guest mode before the next one.</li>
 * </ul>
 */
public interface CpuBus {
    int ioRead(int port, int size);

    void ioWrite(int port, int size, int value);

    /** A read of guest-physical {@code address} that is not RAM (MMIO). */
    long mmioRead(long address, int size);

    /** A write of guest-physical {@code address} that is not writable RAM (MMIO or a read-only slot). */
    void mmioWrite(long address, int size, long value);

    /** True when a retired instruction must be followed by an exit (a write went to userspace). */
    boolean exitRequested();

    /**
     * The processor committed architectural state: an instruction retired, or one iteration of a
     * repeated string instruction completed. Reads answered for the work before this point will
     * not be asked again.
     */
    default void instructionBoundary() {
    }
}
