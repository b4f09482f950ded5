package dev.hvspec.machine.chipset;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Linux's {@code struct kvm_ioapic_state} (arch/x86/include/uapi/asm/kvm.h), chip 2 of
 * {@code KVM_GET_IRQCHIP}/{@code KVM_SET_IRQCHIP}: {@code __u64 base_address; __u32 ioregsel;
 * __u32 id; __u32 irr; __u32 pad; __u64 redirtbl[24];} (216 bytes, little-endian).
 *
 * @param baseAddress      the guest-physical MMIO base (0xFEC00000)
 * @param ioregsel         the IOREGSEL register
 * @param id               the 4-bit I/O APIC ID (IOAPICID bits 27:24)
 * @param irr              the level of each input pin (bit n = pin n asserted)
 * @param redirectionTable the 24 64-bit redirection entries, including the read-only delivery
 *                         status and remote IRR bits
 */
public record KvmIoapicState(long baseAddress, int ioregsel, int id, int irr, List<Long> redirectionTable) {
    public static final int PINS = 24;
    public static final int SIZE = 8 + 4 * 4 + PINS * 8;

    public KvmIoapicState {
        redirectionTable = List.copyOf(redirectionTable);
        if (redirectionTable.size() != PINS) {
            throw new IllegalArgumentException("kvm_ioapic_state has 24 redirection entries");
        }
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(baseAddress).putInt(ioregsel).putInt(id).putInt(irr).putInt(0);
        redirectionTable.forEach(out::putLong);
        return out.array();
    }

    public static KvmIoapicState fromBytes(byte[] bytes, int offset) {
        ByteBuffer in = ByteBuffer.wrap(bytes, offset, SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long base = in.getLong();
        int ioregsel = in.getInt();
        int id = in.getInt();
        int irr = in.getInt();
        in.getInt(); // pad
        Long[] table = new Long[PINS];
        for (int i = 0; i < PINS; i++) {
            table[i] = in.getLong();
        }
        return new KvmIoapicState(base, ioregsel, id, irr, List.of(table));
    }
}
