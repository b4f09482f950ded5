package dev.hvspec.machine.chipset;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Linux's {@code struct kvm_lapic_state} (arch/x86/include/uapi/asm/kvm.h): the 1 KiB local APIC
 * register page of {@code KVM_GET_LAPIC}/{@code KVM_SET_LAPIC}, laid out as the xAPIC MMIO page
 * (SDM 3A Table 11-1), little-endian, each 32-bit register at a 16-byte aligned offset.
 *
 * <p>Register conventions: the ID register holds the xAPIC ID in bits 31:24 in xAPIC mode and the
 * full 32-bit x2APIC ID in x2APIC mode (KVM's format with {@code KVM_X2APIC_API_USE_32BIT_IDS});
 * ICR bits 63:32 are at 0x310; TMCCT (0x390) holds the current count at the time of the save.
 */
public record KvmLapicState(byte[] regs) {
    public KvmLapicState {
        if (regs.length != LocalApicRegisters.PAGE_SIZE) {
            throw new IllegalArgumentException("kvm_lapic_state is 1024 bytes, not " + regs.length);
        }
        regs = regs.clone();
    }

    @Override
    public byte[] regs() {
        return regs.clone();
    }

    public int getInt(int offset) {
        return (regs[offset] & 0xFF) | (regs[offset + 1] & 0xFF) << 8 | (regs[offset + 2] & 0xFF) << 16
                | (regs[offset + 3] & 0xFF) << 24;
    }

    static void putInt(byte[] page, int offset, int value) {
        page[offset] = (byte) value;
        page[offset + 1] = (byte) (value >>> 8);
        page[offset + 2] = (byte) (value >>> 16);
        page[offset + 3] = (byte) (value >>> 24);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KvmLapicState other && Arrays.equals(regs, other.regs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(regs);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("KvmLapicState[");
        for (int offset = 0; offset < regs.length; offset += 16) {
            int value = getInt(offset);
            if (value != 0) {
                text.append(String.format("%03X=%08X ", offset, value));
            }
        }
        return text.append(']').toString();
    }

    /** Hex of the whole page, for diagnostics. */
    public String hex() {
        return HexFormat.of().formatHex(regs);
    }
}
