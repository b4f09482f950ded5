package dev.hvspec.vmm.net;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Writes frames in the classic libpcap file format (tcpdump.org "pcap(5)" / IETF draft
 * "PCAP Capture File Format"): a 24-byte global header with magic 0xA1B2C3D4 (microsecond
 * timestamps), version 2.4, snaplen and link type 1 (LINKTYPE_ETHERNET), then per frame a
 * 16-byte record header (seconds, microseconds, captured length, original length) and the
 * bytes. Written little-endian; readers detect the byte order from the magic.
 */
public final class PcapWriter implements AutoCloseable {
    public static final int MAGIC_MICROSECONDS = 0xA1B2C3D4;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int SNAPLEN = 65535;

    private final OutputStream out;

    public PcapWriter(OutputStream out) throws IOException {
        this.out = out;
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MAGIC_MICROSECONDS).putShort((short) 2).putShort((short) 4)
                .putInt(0)          // thiszone: timestamps are UTC
                .putInt(0)          // sigfigs
                .putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
        out.write(h.array());
    }

    /** One frame captured at {@code nanos} (virtual time since the VM started). */
    public synchronized void write(long nanos, byte[] frame) throws IOException {
        int captured = Math.min(frame.length, SNAPLEN);
        ByteBuffer r = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        r.putInt((int) (nanos / 1_000_000_000L)).putInt((int) (nanos / 1_000 % 1_000_000))
                .putInt(captured).putInt(frame.length);
        out.write(r.array());
        out.write(frame, 0, captured);
    }

    public synchronized void flush() throws IOException {
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
