package dev.hvspec.machine.chipset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Linux's {@code struct kvm_pit_state2} for {@code KVM_GET_PIT2}/{@code KVM_SET_PIT2}:
 * {@code struct kvm_pit_channel_state channels[3]; __u32 flags; __u32 reserved[9];} (112 bytes,
 * little-endian). {@code flags} bit 1 ({@code KVM_PIT_FLAGS_SPEAKER_DATA_ON}) is port 0x61's
 * speaker data enable; bit 0 ({@code KVM_PIT_FLAGS_HPET_LEGACY}) is never set here (no HPET).
 */
public record KvmPitState2(List<KvmPitChannelState> channels, int flags) {
    public static final int SIZE = 3 * KvmPitChannelState.SIZE + 4 + 9 * 4;
    public static final int FLAGS_HPET_LEGACY = 0x1;
    public static final int FLAGS_SPEAKER_DATA_ON = 0x2;

    public KvmPitState2 {
        channels = List.copyOf(channels);
        if (channels.size() != 3) {
            throw new IllegalArgumentException("kvm_pit_state2 has three channels");
        }
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        channels.forEach(channel -> channel.writeTo(out));
        out.putInt(flags);
        return out.array();
    }

    public static KvmPitState2 fromBytes(byte[] bytes, int offset) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        KvmPitChannelState c0 = KvmPitChannelState.readFrom(in);
        KvmPitChannelState c1 = KvmPitChannelState.readFrom(in);
        KvmPitChannelState c2 = KvmPitChannelState.readFrom(in);
        return new KvmPitState2(List.of(c0, c1, c2), in.getInt());
    }
}
