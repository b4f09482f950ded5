package dev.hvspec.machine.memory;

/**
 * Guest-physical memory as a DMA-capable device sees it (the bus-master view): little-endian,
 * bounds-checked against the RAM of the VM. Every access either completes entirely or throws
 * {@link GuestMemoryFault} without side effects on memory beyond what was written before the
 * fault was detected (implementations check the whole range first).
 *
 * <p>Ordering: plain accesses are not ordered against the vCPU threads; ring protocols (virtio,
 * e1000 descriptors) call {@link #fullFence()} where the specification asks for a memory barrier.
 */
public interface GuestMemory {
    void read(long gpa, byte[] dst, int offset, int length) throws GuestMemoryFault;

    void write(long gpa, byte[] src, int offset, int length) throws GuestMemoryFault;

    /** True if every byte of {@code [gpa, gpa + length)} is RAM. */
    boolean isRam(long gpa, long length);

    /** A full memory barrier between this device's accesses and the vCPUs'. */
    default void fullFence() {
        java.lang.invoke.VarHandle.fullFence();
    }

    default byte[] read(long gpa, int length) throws GuestMemoryFault {
        byte[] bytes = new byte[length];
        read(gpa, bytes, 0, length);
        return bytes;
    }

    default void write(long gpa, byte[] src) throws GuestMemoryFault {
        write(gpa, src, 0, src.length);
    }

    default int readU8(long gpa) throws GuestMemoryFault {
        return read(gpa, 1)[0] & 0xFF;
    }

    default int readU16(long gpa) throws GuestMemoryFault {
        byte[] b = read(gpa, 2);
        return (b[0] & 0xFF) | (b[1] & 0xFF) << 8;
    }

    default long readU32(long gpa) throws GuestMemoryFault {
        byte[] b = read(gpa, 4);
        return (b[0] & 0xFFL) | (b[1] & 0xFFL) << 8 | (b[2] & 0xFFL) << 16 | (b[3] & 0xFFL) << 24;
    }

    default long readU64(long gpa) throws GuestMemoryFault {
        return readU32(gpa) | readU32(gpa + 4) << 32;
    }

    default void writeU8(long gpa, int value) throws GuestMemoryFault {
        write(gpa, new byte[] {(byte) value});
    }

    default void writeU16(long gpa, int value) throws GuestMemoryFault {
        write(gpa, new byte[] {(byte) value, (byte) (value >>> 8)});
    }

    default void writeU32(long gpa, long value) throws GuestMemoryFault {
        write(gpa, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    default void writeU64(long gpa, long value) throws GuestMemoryFault {
        writeU32(gpa, value);
        writeU32(gpa + 4, value >>> 32);
    }
}
