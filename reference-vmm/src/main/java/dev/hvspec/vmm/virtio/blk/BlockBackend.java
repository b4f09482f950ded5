package dev.hvspec.vmm.virtio.blk;

import java.io.IOException;

/**
 * The host side of a virtual disk: a byte-addressed image. Offsets and lengths are in bytes and
 * always within {@link #size()} (the device checks requests before calling).
 */
public interface BlockBackend extends AutoCloseable {
    long size();

    boolean readOnly();

    void read(long offset, byte[] dst, int from, int length) throws IOException;

    void write(long offset, byte[] src, int from, int length) throws IOException;

    /** Makes every completed write stable in persistent storage (for a file: fsync). */
    void flush() throws IOException;

    /** The range's contents are no longer needed; the backend MAY deallocate it (or do nothing). */
    void discard(long offset, long length) throws IOException;

    /** The range reads as zeroes afterwards. */
    void writeZeroes(long offset, long length) throws IOException;

    /** A serial number for VIRTIO_BLK_T_GET_ID, up to 20 ASCII bytes. */
    default String serial() {
        return "";
    }

    @Override
    default void close() throws IOException {
    }
}
