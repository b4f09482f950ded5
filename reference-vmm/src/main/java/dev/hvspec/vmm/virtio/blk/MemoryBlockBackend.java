package dev.hvspec.vmm.virtio.blk;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A disk image in host memory. It keeps a journal of the operations it performed ("write
 * 0+512", "flush" ...) so scenarios can check what reached the backend and in what order.
 */
public final class MemoryBlockBackend implements BlockBackend {
    private final byte[] image;
    private final boolean readOnly;
    private final String serial;
    private final List<String> journal = new ArrayList<>();

    public MemoryBlockBackend(int size, boolean readOnly, String serial) {
        this.image = new byte[size];
        this.readOnly = readOnly;
        this.serial = serial;
    }

    public MemoryBlockBackend(int size) {
        this(size, false, "hvspec-memdisk");
    }

    @Override
    public long size() {
        return image.length;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    @Override
    public synchronized void read(long offset, byte[] dst, int from, int length) {
        System.arraycopy(image, (int) offset, dst, from, length);
    }

    @Override
    public synchronized void write(long offset, byte[] src, int from, int length) {
        System.arraycopy(src, from, image, (int) offset, length);
        journal.add("write " + offset + "+" + length);
    }

    @Override
    public synchronized void flush() {
        journal.add("flush");
    }

    @Override
    public synchronized void discard(long offset, long length) {
        journal.add("discard " + offset + "+" + length);
    }

    @Override
    public synchronized void writeZeroes(long offset, long length) {
        Arrays.fill(image, (int) offset, (int) (offset + length), (byte) 0);
        journal.add("zeroes " + offset + "+" + length);
    }

    @Override
    public String serial() {
        return serial;
    }

    /** Direct access to the image for the host side (filling a disk, checking its contents). */
    public synchronized byte[] bytes(int offset, int length) {
        return Arrays.copyOfRange(image, offset, offset + length);
    }

    public synchronized void fill(int offset, byte[] data) {
        System.arraycopy(data, 0, image, offset, data.length);
    }

    public synchronized List<String> journal() {
        return List.copyOf(journal);
    }
}
