package dev.hvspec.vmm.virtio.blk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image file (QEMU's "raw" format: byte i of the disk is byte i of the file). A flush
 * is {@link FileChannel#force(boolean) force(true)}, i.e. fsync: file data and metadata reach
 * the storage device before the flush request completes (virtio 1.3 §5.2.6.2).
 */
public final class RawFileBlockBackend implements BlockBackend {
    private static final int ZERO_CHUNK = 64 * 1024;

    private final FileChannel channel;
    private final boolean readOnly;
    private final long size;
    private final String serial;
    private long flushes;

    public RawFileBlockBackend(Path file, boolean readOnly) throws IOException {
        this.readOnly = readOnly;
        this.channel = readOnly ? FileChannel.open(file, StandardOpenOption.READ)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.size = channel.size();
        String name = file.getFileName() == null ? "disk" : file.getFileName().toString();
        this.serial = name.length() > 20 ? name.substring(0, 20) : name;
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public synchronized void read(long offset, byte[] dst, int from, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(dst, from, length);
        long at = offset;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of image at " + at);
            }
            at += n;
        }
    }

    @Override
    public synchronized void write(long offset, byte[] src, int from, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(src, from, length);
        long at = offset;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        channel.force(true);
        flushes++;
    }

    /** Number of completed fsyncs (for diagnostics). */
    public synchronized long flushes() {
        return flushes;
    }

    /** Discard is a no-op: a portable Java file cannot punch holes, and §5.2.6.2 makes it a MAY. */
    @Override
    public void discard(long offset, long length) {
    }

    @Override
    public synchronized void writeZeroes(long offset, long length) throws IOException {
        byte[] zeroes = new byte[(int) Math.min(ZERO_CHUNK, length)];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(zeroes.length, length - done);
            write(offset + done, zeroes, 0, n);
            done += n;
        }
    }

    @Override
    public String serial() {
        return serial;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
