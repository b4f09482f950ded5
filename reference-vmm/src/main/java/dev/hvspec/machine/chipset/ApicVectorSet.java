package dev.hvspec.machine.chipset;

/**
 * A 256-bit register of the local APIC indexed by vector: IRR, ISR or TMR (SDM 3A §11.8.4). Bit
 * {@code v} lives in 32-bit word {@code v / 32}, which the xAPIC page places at offset
 * {@code base + 0x10 * (v / 32)}.
 */
final class ApicVectorSet {
    private final int[] words = new int[8];

    boolean get(int vector) {
        return (words[(vector >>> 5) & 7] & (1 << (vector & 31))) != 0;
    }

    void set(int vector) {
        words[(vector >>> 5) & 7] |= 1 << (vector & 31);
    }

    void clear(int vector) {
        words[(vector >>> 5) & 7] &= ~(1 << (vector & 31));
    }

    /** The highest vector set, or -1. */
    int highest() {
        for (int w = 7; w >= 0; w--) {
            if (words[w] != 0) {
                return w * 32 + 31 - Integer.numberOfLeadingZeros(words[w]);
            }
        }
        return -1;
    }

    int word(int index) {
        return words[index];
    }

    void setWord(int index, int value) {
        words[index] = value;
    }

    void clearAll() {
        java.util.Arrays.fill(words, 0);
    }
}
