package dev.hvspec.machine.chipset;

import java.nio.ByteBuffer;

/**
 * Linux's {@code struct kvm_pit_channel_state} (arch/x86/include/uapi/asm/kvm.h), 24 bytes:
 * {@code __u32 count; __u16 latched_count; __u8 count_latched, status_latched, status, read_state,
 * write_state, write_latch, rw_mode, mode, bcd, gate; __s64 count_load_time;}.
 *
 * <p>{@code count} is CR as written, with 0 stored as 0x10000; {@code count_latched},
 * {@code read_state} and {@code write_state} use the byte states 1 = LSB, 2 = MSB, 3 = LSB of a
 * word, 4 = MSB of a word; {@code count_load_time} is the virtual time (ns) of the CLK edge at which
 * the counting element was last loaded.
 */
public record KvmPitChannelState(int count, int latchedCount, int countLatched, int statusLatched, int status,
                                 int readState, int writeState, int writeLatch, int rwMode, int mode, int bcd,
                                 int gate, long countLoadTime) {
    public static final int SIZE = 24;

    void writeTo(ByteBuffer out) {
        out.putInt(count).putShort((short) latchedCount).put((byte) countLatched).put((byte) statusLatched)
                .put((byte) status).put((byte) readState).put((byte) writeState).put((byte) writeLatch)
                .put((byte) rwMode).put((byte) mode).put((byte) bcd).put((byte) gate).putLong(countLoadTime);
    }

    static KvmPitChannelState readFrom(ByteBuffer in) {
        return new KvmPitChannelState(in.getInt(), in.getShort() & 0xFFFF, in.get() & 0xFF, in.get() & 0xFF,
                in.get() & 0xFF, in.get() & 0xFF, in.get() & 0xFF, in.get() & 0xFF, in.get() & 0xFF, in.get() & 0xFF,
                in.get() & 0xFF, in.get() & 0xFF, in.getLong());
    }
}
