package dev.hvspec.kvm.abi;

/**
 * A C type as the KVM headers use it on x86-64 (LP64, System V ABI): a {@link Scalar} or a
 * struct/union {@link StructLayout}.
 */
public sealed interface CType permits CType.Scalar, StructLayout {
    /** {@code sizeof}. */
    long size();

    /** {@code _Alignof}. */
    long alignment();

    /**
     * The scalar types of the uapi headers ({@code <asm-generic/int-ll64.h>}: {@code __u8} …
     * {@code __s64}), plus {@code char}, pointers and {@code unsigned long}, all 8 bytes on
     * x86-64 (System V psABI §3.1.2, Figure 3.1). Every scalar is aligned to its size.
     */
    enum Scalar implements CType {
        U8(1, false, "__u8"),
        S8(1, true, "__s8"),
        U16(2, false, "__u16"),
        S16(2, true, "__s16"),
        U32(4, false, "__u32"),
        S32(4, true, "__s32"),
        U64(8, false, "__u64"),
        S64(8, true, "__s64"),
        /** {@code char}: signed on x86-64. */
        CHAR(1, true, "char"),
        /** {@code void *} and other data pointers. */
        POINTER(8, false, "void *"),
        /** {@code unsigned long}. */
        ULONG(8, false, "unsigned long");

        private final int size;
        private final boolean signed;
        private final String cName;

        Scalar(int size, boolean signed, String cName) {
            this.size = size;
            this.signed = signed;
            this.cName = cName;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public long alignment() {
            return size;
        }

        public boolean signed() {
            return signed;
        }

        public String cName() {
            return cName;
        }
    }
}
