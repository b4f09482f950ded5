package dev.hvspec.kvm.abi;

/**
 * The direction field of an ioctl request code, as seen from userspace
 * ({@code <asm-generic/ioctl.h>}: {@code _IOC_NONE}, {@code _IOC_WRITE}, {@code _IOC_READ}).
 * WRITE means userspace writes the argument and the kernel reads it ({@code _IOW}); READ means the
 * kernel fills it in ({@code _IOR}). The direction is a convention of the header: the kernel does
 * not enforce it, and some KVM ioctls are declared "backwards" (KVM_SET_IRQCHIP is {@code _IOR}).
 */
public enum IoctlDirection {
    /** {@code _IO}: no argument struct, or an integer passed by value. */
    NONE(0, "_IO"),
    /** {@code _IOW}: userspace to kernel. */
    WRITE(1, "_IOW"),
    /** {@code _IOR}: kernel to userspace. */
    READ(2, "_IOR"),
    /** {@code _IOWR}: both ways. */
    READ_WRITE(3, "_IOWR");

    private final int bits;
    private final String macro;

    IoctlDirection(int bits, String macro) {
        this.bits = bits;
        this.macro = macro;
    }

    /** The 2-bit value stored in bits 30-31 of the request code. */
    public int bits() {
        return bits;
    }

    /** The C macro that builds a code with this direction. */
    public String macro() {
        return macro;
    }

    public static IoctlDirection ofBits(int bits) {
        for (IoctlDirection d : values()) {
            if (d.bits == bits) {
                return d;
            }
        }
        throw new IllegalArgumentException("direction bits out of range: " + bits);
    }
}
