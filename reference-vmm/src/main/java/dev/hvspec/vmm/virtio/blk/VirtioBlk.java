package dev.hvspec.vmm.virtio.blk;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.VirtioDevice;
import dev.hvspec.vmm.virtio.VirtioDeviceType;
import dev.hvspec.vmm.virtio.VirtioFeatures;
import dev.hvspec.vmm.virtio.queue.DescriptorChain;
import dev.hvspec.vmm.virtio.queue.RingViolation;
import dev.hvspec.vmm.virtio.queue.VirtqueueException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static dev.hvspec.vmm.virtio.VirtioFeatures.bit;

/**
 * The virtio block device (virtio 1.3 §5.2) over a {@link BlockBackend}: one request queue,
 * requests {@code struct virtio_blk_req { le32 type; le32 reserved; le64 sector; u8 data[]; u8 status; }}.
 *
 * <p>Request handling (§5.2.6): IN and OUT move multiples of 512 bytes within {@code capacity}
 * (else IOERR); OUT, DISCARD and WRITE_ZEROES on a read-only device fail with IOERR and write
 * nothing; DISCARD with the unmap flag and either command with unknown flags fail with UNSUPP;
 * FLUSH makes completed writes stable; GET_ID returns the NUL-padded 20-byte serial; any other
 * type (zoned, secure erase, lifetime ...) is UNSUPP. A request too short to hold the header or
 * the status byte cannot be failed, so the device asks for a reset (DEVICE_NEEDS_RESET).
 *
 * <p>Writes are stable when their completion is reported if neither CONFIG_WCE nor FLUSH was
 * negotiated, or if CONFIG_WCE was and {@code writeback} is 0 (§5.2.6.2, cases 1 and 2): the
 * device then flushes the backend before completing the write.
 */
public final class VirtioBlk extends VirtioDevice {
    public static final int F_SIZE_MAX = 1;
    public static final int F_SEG_MAX = 2;
    public static final int F_GEOMETRY = 4;
    public static final int F_RO = 5;
    public static final int F_BLK_SIZE = 6;
    public static final int F_FLUSH = 9;
    public static final int F_TOPOLOGY = 10;
    public static final int F_CONFIG_WCE = 11;
    public static final int F_MQ = 12;
    public static final int F_DISCARD = 13;
    public static final int F_WRITE_ZEROES = 14;

    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;
    public static final int T_GET_LIFETIME = 10;
    public static final int T_DISCARD = 11;
    public static final int T_WRITE_ZEROES = 13;

    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;

    public static final int SECTOR = 512;
    public static final int HEADER = 16;
    public static final int ID_BYTES = 20;
    public static final int SEGMENT_BYTES = 16; // struct virtio_blk_discard_write_zeroes
    public static final int MAX_DISCARD_SEGMENTS = 8;
    public static final int MAX_WRITE_ZEROES_SEGMENTS = 8;
    public static final long MAX_DISCARD_SECTORS = 0x3F_FFFF;
    public static final long MAX_WRITE_ZEROES_SECTORS = 0x3F_FFFF;
    public static final int QUEUE_SIZE = 256;

    // virtio_blk_config offsets (§5.2.4)
    public static final int CFG_CAPACITY = 0;
    public static final int CFG_SIZE_MAX = 8;
    public static final int CFG_SEG_MAX = 12;
    public static final int CFG_GEOMETRY = 16;
    public static final int CFG_BLK_SIZE = 20;
    public static final int CFG_TOPOLOGY = 24;
    public static final int CFG_WRITEBACK = 32;
    public static final int CFG_NUM_QUEUES = 34;
    public static final int CFG_MAX_DISCARD_SECTORS = 36;
    public static final int CFG_MAX_DISCARD_SEG = 40;
    public static final int CFG_DISCARD_SECTOR_ALIGNMENT = 44;
    public static final int CFG_MAX_WRITE_ZEROES_SECTORS = 48;
    public static final int CFG_MAX_WRITE_ZEROES_SEG = 52;
    public static final int CFG_WRITE_ZEROES_MAY_UNMAP = 56;
    public static final int CONFIG_SIZE = 60;

    private static final int CHUNK = 64 * 1024;

    private final BlockBackend backend;
    private final byte[] config = new byte[CONFIG_SIZE];
    private final ByteBuffer cfg = ByteBuffer.wrap(config).order(ByteOrder.LITTLE_ENDIAN);
    private long capacitySectors;

    public VirtioBlk(BlockBackend backend) {
        this.backend = backend;
        this.capacitySectors = backend.size() / SECTOR;
        fillConfig();
    }

    private void fillConfig() {
        cfg.putLong(CFG_CAPACITY, capacitySectors);
        cfg.putInt(CFG_SEG_MAX, QUEUE_SIZE - 2); // two descriptors go to header and status
        cfg.putInt(CFG_BLK_SIZE, SECTOR);
        cfg.put(CFG_TOPOLOGY, (byte) 0);          // physical_block_exp: one logical block per physical block
        cfg.put(CFG_TOPOLOGY + 1, (byte) 0);      // alignment_offset
        cfg.putShort(CFG_TOPOLOGY + 2, (short) 1); // min_io_size in blocks
        cfg.putInt(CFG_TOPOLOGY + 4, 0);          // opt_io_size: no preference
        cfg.put(CFG_WRITEBACK, (byte) 1);
        cfg.putShort(CFG_NUM_QUEUES, (short) 1);
        cfg.putInt(CFG_MAX_DISCARD_SECTORS, (int) MAX_DISCARD_SECTORS);
        cfg.putInt(CFG_MAX_DISCARD_SEG, MAX_DISCARD_SEGMENTS);
        cfg.putInt(CFG_DISCARD_SECTOR_ALIGNMENT, 1);
        cfg.putInt(CFG_MAX_WRITE_ZEROES_SECTORS, (int) MAX_WRITE_ZEROES_SECTORS);
        cfg.putInt(CFG_MAX_WRITE_ZEROES_SEG, MAX_WRITE_ZEROES_SEGMENTS);
        cfg.put(CFG_WRITE_ZEROES_MAY_UNMAP, (byte) 0); // the backends never deallocate on write zeroes
    }

    @Override
    public VirtioDeviceType type() {
        return VirtioDeviceType.BLOCK;
    }

    /** §5.2.5.2: "Devices SHOULD always offer VIRTIO_BLK_F_FLUSH, and MUST offer it if they offer CONFIG_WCE". */
    @Override
    public long deviceFeatures() {
        long f = bit(F_SEG_MAX) | bit(F_BLK_SIZE) | bit(F_FLUSH) | bit(F_TOPOLOGY) | bit(F_CONFIG_WCE)
                | bit(F_DISCARD) | bit(F_WRITE_ZEROES);
        return backend.readOnly() ? f | bit(F_RO) : f;
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
        return config;
    }

    public BlockBackend backend() {
        return backend;
    }

    /** §5.2.5.2: with CONFIG_WCE but not FLUSH, writeback starts at 0 (writethrough). */
    @Override
    protected void featuresAccepted(long features) {
        if (VirtioFeatures.has(features, F_CONFIG_WCE) && !VirtioFeatures.has(features, F_FLUSH)) {
            config[CFG_WRITEBACK] = 0;
        }
    }

    /** Only writeback is writable, and only with CONFIG_WCE negotiated (§5.2.6.1). */
    @Override
    protected void configWritten(int offset, int size, long value) {
        if (offset == CFG_WRITEBACK && negotiated(F_CONFIG_WCE)) {
            config[CFG_WRITEBACK] = (byte) (value & 1);
        }
    }

    @Override
    protected void resetDevice() {
        config[CFG_WRITEBACK] = 1;
    }

    /** The host resizes the disk: capacity changes and the driver is told (§5.2.6.2 SHOULD). */
    public void setCapacity(long sectors) {
        synchronized (lock()) {
            capacitySectors = sectors;
            cfg.putLong(CFG_CAPACITY, sectors);
            configChanged();
        }
    }

    private boolean writeThrough() {
        boolean wce = negotiated(F_CONFIG_WCE);
        return wce ? config[CFG_WRITEBACK] == 0 : !negotiated(F_FLUSH);
    }

    @Override
    protected void queueNotified(int index) {
        drain(index, this::handle);
    }

    private long handle(DescriptorChain chain) throws VirtqueueException, GuestMemoryFault {
        if (chain.readableBytes() < HEADER || chain.writableBytes() < 1) {
            throw new VirtqueueException(RingViolation.MALFORMED_REQUEST,
                    "virtio-blk request without header or status byte");
        }
        ByteBuffer header = ByteBuffer.wrap(chain.read(memory(), 0, HEADER)).order(ByteOrder.LITTLE_ENDIAN);
        int type = header.getInt(0);
        long sector = header.getLong(8);
        long statusAt = chain.writableBytes() - 1;
        long dataIn = chain.writableBytes() - 1;        // device-writable data before the status byte
        long dataOut = chain.readableBytes() - HEADER;  // device-readable data after the header
        Result r;
        try {
            r = switch (type) {
                case T_IN -> read(chain, sector, dataIn);
                case T_OUT -> write(chain, sector, dataOut);
                case T_FLUSH -> flush();
                case T_GET_ID -> getId(chain, dataIn);
                case T_DISCARD -> discardOrZero(chain, dataOut, true);
                case T_WRITE_ZEROES -> discardOrZero(chain, dataOut, false);
                default -> new Result(S_UNSUPP, 0);
            };
        } catch (IOException e) {
            r = new Result(S_IOERR, 0);
        }
        chain.write(memory(), statusAt, new byte[] {(byte) r.status});
        return r.dataWritten + 1;
    }

    private record Result(int status, long dataWritten) {
    }

    private boolean inRange(long sector, long bytes) {
        if (bytes % SECTOR != 0 || sector < 0 || sector > capacitySectors) {
            return false;
        }
        return bytes / SECTOR <= capacitySectors - sector;
    }

    private Result read(DescriptorChain chain, long sector, long length) throws IOException, GuestMemoryFault {
        if (!inRange(sector, length)) {
            return new Result(S_IOERR, 0);
        }
        byte[] buffer = new byte[(int) Math.min(CHUNK, length)];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(buffer.length, length - done);
            backend.read(sector * SECTOR + done, buffer, 0, n);
            chain.write(memory(), done, buffer, 0, n);
            done += n;
        }
        return new Result(S_OK, length);
    }

    private Result write(DescriptorChain chain, long sector, long length) throws IOException, GuestMemoryFault {
        if (backend.readOnly()) {
            return new Result(S_IOERR, 0); // §5.2.6.2: IOERR for writes with VIRTIO_BLK_F_RO, nothing written
        }
        if (!inRange(sector, length)) {
            return new Result(S_IOERR, 0);
        }
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(CHUNK, length - done);
            byte[] data = chain.read(memory(), HEADER + done, n);
            backend.write(sector * SECTOR + done, data, 0, n);
            done += n;
        }
        if (writeThrough()) {
            backend.flush();
        }
        return new Result(S_OK, 0);
    }

    private Result flush() throws IOException {
        backend.flush();
        return new Result(S_OK, 0);
    }

    private Result getId(DescriptorChain chain, long room) throws GuestMemoryFault {
        byte[] id = new byte[ID_BYTES];
        byte[] serial = backend.serial().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(serial, 0, id, 0, Math.min(serial.length, ID_BYTES));
        int n = (int) Math.min(ID_BYTES, room);
        chain.write(memory(), 0, id, 0, n);
        return new Result(S_OK, n);
    }

    /** DISCARD and WRITE_ZEROES: a list of {le64 sector; le32 num_sectors; le32 flags (bit 0 unmap)}. */
    private Result discardOrZero(DescriptorChain chain, long length, boolean discard) throws IOException, GuestMemoryFault {
        if (!negotiated(discard ? F_DISCARD : F_WRITE_ZEROES)) {
            return new Result(S_UNSUPP, 0);
        }
        int maxSegments = discard ? MAX_DISCARD_SEGMENTS : MAX_WRITE_ZEROES_SEGMENTS;
        if (length == 0 || length % SEGMENT_BYTES != 0 || length / SEGMENT_BYTES > maxSegments) {
            return new Result(S_IOERR, 0);
        }
        ByteBuffer segs = ByteBuffer.wrap(chain.read(memory(), HEADER, (int) length)).order(ByteOrder.LITTLE_ENDIAN);
        int count = (int) (length / SEGMENT_BYTES);
        for (int i = 0; i < count; i++) {
            int flags = segs.getInt(i * SEGMENT_BYTES + 12);
            // §5.2.6.2: UNSUPP if any unknown flag is set, and for discard if unmap is set.
            if ((flags & ~1) != 0 || (discard && (flags & 1) != 0)) {
                return new Result(S_UNSUPP, 0);
            }
        }
        if (backend.readOnly()) {
            return new Result(S_IOERR, 0);
        }
        long maxSectors = discard ? MAX_DISCARD_SECTORS : MAX_WRITE_ZEROES_SECTORS;
        for (int i = 0; i < count; i++) {
            long sector = segs.getLong(i * SEGMENT_BYTES);
            long sectors = segs.getInt(i * SEGMENT_BYTES + 8) & 0xFFFF_FFFFL;
            if (sectors > maxSectors || !inRange(sector, sectors * SECTOR)) {
                return new Result(S_IOERR, 0);
            }
        }
        for (int i = 0; i < count; i++) {
            long offset = segs.getLong(i * SEGMENT_BYTES) * SECTOR;
            long bytes = (segs.getInt(i * SEGMENT_BYTES + 8) & 0xFFFF_FFFFL) * SECTOR;
            if (discard) {
                backend.discard(offset, bytes);
            } else {
                backend.writeZeroes(offset, bytes);
            }
        }
        if (!discard && writeThrough()) {
            backend.flush();
        }
        return new Result(S_OK, 0);
    }
}
