package dev.hvspec.kvm.abi;

/**
 * Ioctl request codes as {@code include/uapi/asm-generic/ioctl.h} builds them (x86 uses the
 * generic layout): a 32-bit number with
 * <pre>
 *   bits  0-7   nr    the command number within the type
 *   bits  8-15  type  the driver's magic; KVMIO = 0xAE
 *   bits 16-29  size  sizeof the argument type (14 bits)
 *   bits 30-31  dir   {@link IoctlDirection}
 * </pre>
 * {@code _IO(type, nr)} has size 0; {@code _IOR/_IOW/_IOWR(type, nr, T)} put {@code sizeof(T)}
 * in the size field. Codes are returned as unsigned values in a {@code long}
 * (the real ioctl takes an {@code unsigned long} request).
 */
public final class IoctlEncoding {
    public static final int NR_BITS = 8;
    public static final int TYPE_BITS = 8;
    public static final int SIZE_BITS = 14;
    public static final int DIR_BITS = 2;
    public static final int NR_SHIFT = 0;
    public static final int TYPE_SHIFT = NR_SHIFT + NR_BITS;
    public static final int SIZE_SHIFT = TYPE_SHIFT + TYPE_BITS;
    public static final int DIR_SHIFT = SIZE_SHIFT + SIZE_BITS;

    /** {@code #define KVMIO 0xAE} in linux/kvm.h. */
    public static final int KVMIO = 0xAE;

    private IoctlEncoding() {
    }

    /** {@code _IOC(dir, type, nr, size)}; rejects fields that do not fit their bits. */
    public static long encode(IoctlDirection dir, int type, int nr, long size) {
        check("type", type, TYPE_BITS);
        check("nr", nr, NR_BITS);
        check("size", size, SIZE_BITS);
        return ((long) dir.bits() << DIR_SHIFT) | ((long) type << TYPE_SHIFT)
                | ((long) nr << NR_SHIFT) | (size << SIZE_SHIFT);
    }

    public static long io(int type, int nr) {
        return encode(IoctlDirection.NONE, type, nr, 0);
    }

    public static long ior(int type, int nr, long size) {
        return encode(IoctlDirection.READ, type, nr, size);
    }

    public static long iow(int type, int nr, long size) {
        return encode(IoctlDirection.WRITE, type, nr, size);
    }

    public static long iowr(int type, int nr, long size) {
        return encode(IoctlDirection.READ_WRITE, type, nr, size);
    }

    /** {@code _IOC_DIR(code)}. */
    public static IoctlDirection direction(long code) {
        return IoctlDirection.ofBits((int) ((code >>> DIR_SHIFT) & mask(DIR_BITS)));
    }

    /** {@code _IOC_TYPE(code)}. */
    public static int type(long code) {
        return (int) ((code >>> TYPE_SHIFT) & mask(TYPE_BITS));
    }

    /** {@code _IOC_NR(code)}. */
    public static int nr(long code) {
        return (int) ((code >>> NR_SHIFT) & mask(NR_BITS));
    }

    /** {@code _IOC_SIZE(code)}. */
    public static int size(long code) {
        return (int) ((code >>> SIZE_SHIFT) & mask(SIZE_BITS));
    }

    private static long mask(int bits) {
        return (1L << bits) - 1;
    }

    private static void check(String what, long value, int bits) {
        if (value < 0 || value > mask(bits)) {
            throw new IllegalArgumentException(what + " " + value + " does not fit in " + bits + " bits");
        }
    }
}
