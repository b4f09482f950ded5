package dev.hvspec.machine.chipset;

/**
 * The state of one {@link Intel8259A}, field for field as Linux's {@code struct kvm_pic_state}
 * (arch/x86/include/uapi/asm/kvm.h), the payload of {@code KVM_GET_IRQCHIP}/{@code KVM_SET_IRQCHIP}
 * for chip 0 (master) and chip 1 (slave). Every field is one byte in the ABI; values are 0..255,
 * flags are 0 or 1. {@link #toBytes()} gives the 16-byte ABI layout.
 *
 * @param lastIrr                the input level of each IR pin (edge detection)
 * @param irr                    interrupt request register
 * @param imr                    interrupt mask register (OCW1)
 * @param isr                    in-service register
 * @param priorityAdd            the IR that currently has the highest priority (rotation base)
 * @param irqBase                ICW2 with bits 2:0 clear: the vector of IR0
 * @param readRegSelect          1 if an A0=0 read returns ISR, 0 for IRR (OCW3 RIS)
 * @param poll                   1 if a poll command (OCW3 P) is waiting for its read
 * @param specialMask            1 in special mask mode (OCW3 ESMM/SMM)
 * @param initState              0 when initialised; 1, 2 or 3 while ICW2, ICW3 or ICW4 is expected
 * @param autoEoi                ICW4 AEOI
 * @param rotateOnAutoEoi        set by OCW2 "rotate in automatic EOI mode (set)"
 * @param specialFullyNestedMode ICW4 SFNM
 * @param init4                  ICW1 IC4: an ICW4 follows
 * @param elcr                   edge/level control register of the chipset (1 = level)
 * @param elcrMask               the ELCR bits that are implemented (writable)
 */
public record KvmPicState(int lastIrr, int irr, int imr, int isr, int priorityAdd, int irqBase,
                          int readRegSelect, int poll, int specialMask, int initState, int autoEoi,
                          int rotateOnAutoEoi, int specialFullyNestedMode, int init4, int elcr,
                          int elcrMask) {
    /** Size of {@code struct kvm_pic_state} in bytes. */
    public static final int SIZE = 16;

    public KvmPicState {
        for (int field : new int[] {lastIrr, irr, imr, isr, priorityAdd, irqBase, readRegSelect, poll,
                specialMask, initState, autoEoi, rotateOnAutoEoi, specialFullyNestedMode, init4, elcr,
                elcrMask}) {
            if (field < 0 || field > 0xFF) {
                throw new IllegalArgumentException("kvm_pic_state fields are bytes: " + field);
            }
        }
    }

    /** The 16 bytes of {@code struct kvm_pic_state}, in declaration order. */
    public byte[] toBytes() {
        int[] fields = {lastIrr, irr, imr, isr, priorityAdd, irqBase, readRegSelect, poll, specialMask,
                initState, autoEoi, rotateOnAutoEoi, specialFullyNestedMode, init4, elcr, elcrMask};
        byte[] bytes = new byte[SIZE];
        for (int i = 0; i < SIZE; i++) {
            bytes[i] = (byte) fields[i];
        }
        return bytes;
    }

    /** Reads {@code struct kvm_pic_state} from {@code bytes[offset..offset+16)}. */
    public static KvmPicState fromBytes(byte[] bytes, int offset) {
        int[] f = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            f[i] = bytes[offset + i] & 0xFF;
        }
        return new KvmPicState(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10], f[11],
                f[12], f[13], f[14], f[15]);
    }
}
