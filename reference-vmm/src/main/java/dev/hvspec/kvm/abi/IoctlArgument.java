package dev.hvspec.kvm.abi;

import java.util.Optional;

/**
 * What an ioctl's third argument is. For {@code _IO} ioctls it is either unused or an integer
 * passed by value (KVM_CREATE_VCPU's vCPU id, KVM_CHECK_EXTENSION's capability number); otherwise
 * it points to a struct or scalar whose {@code sizeof} is encoded in the request code.
 *
 * @param cType  the C type as written in the header's {@code _IOx} macro, or a description for
 *               by-value arguments
 * @param layout the struct layout, when the argument is a struct
 * @param size   {@code sizeof} the pointed-to type; 0 for {@code _IO} ioctls
 */
public record IoctlArgument(String cType, StructLayout layout, long size, boolean byPointer) {
    /** No argument at all. */
    public static IoctlArgument none() {
        return new IoctlArgument("none", null, 0, false);
    }

    /** An integer passed in the argument register itself (an {@code _IO} ioctl). */
    public static IoctlArgument byValue(String meaning) {
        return new IoctlArgument(meaning, null, 0, false);
    }

    /** A pointer to a struct. */
    public static IoctlArgument struct(StructLayout layout) {
        return new IoctlArgument(layout.cName(), layout, layout.size(), true);
    }

    /** A pointer to a scalar, as in {@code _IOW(KVMIO, 0x48, __u64)}. */
    public static IoctlArgument scalar(CType.Scalar type) {
        return new IoctlArgument(type.cName(), null, type.size(), true);
    }

    public Optional<StructLayout> structLayout() {
        return Optional.ofNullable(layout);
    }
}
