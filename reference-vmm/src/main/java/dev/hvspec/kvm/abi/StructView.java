package dev.hvspec.kvm.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Byte-exact access to a C struct held in memory, field by dotted path, little-endian as on
 * x86-64. This is how the kernel layer reads an ioctl argument and fills {@code struct kvm_run},
 * and how the typed facade speaks the ABI:
 * <pre>{@code
 * StructView run = StructView.of(KvmRunLayout.KVM_RUN, runPage);   // a ByteBuffer or byte[]
 * run.set("exit_reason", KvmExitReason.IO.value());
 * run.set("io.port", 0x3F8);
 * long rip = run.get("s.regs.regs.rip");
 * }</pre>
 * Scalars are read zero-extended (unsigned types) or sign-extended (signed types) into a
 * {@code long}; a {@code __u64} comes back as its raw 64 bits. Writes check that the value fits
 * the field as either a signed or an unsigned number of that width. Paths that do not exist throw
 * {@link IllegalArgumentException}; reads past the end of the buffer throw
 * {@link IndexOutOfBoundsException} (the caller, not this class, turns a short user buffer into
 * EFAULT). The view holds no state of its own beyond the buffer.
 *
 * <p>The memory is a {@link ByteBuffer} (heap, direct or a {@code MappedByteBuffer} of a shared
 * mapping) or a {@code byte[]}: the project's baseline is Java 21, where
 * {@code java.lang.foreign.MemorySegment} is still a preview API; on Java 22+ a segment is passed
 * as {@code segment.asByteBuffer()}. The buffer's position, limit and byte order are ignored: the
 * view works on a private little-endian duplicate spanning the buffer's capacity from index 0.
 */
public final class StructView {
    private final StructLayout layout;
    private final ByteBuffer buffer;

    private StructView(StructLayout layout, ByteBuffer buffer) {
        this.layout = Objects.requireNonNull(layout);
        this.buffer = buffer.duplicate().clear().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * A view of {@code buffer} (from index 0 to its capacity) as {@code layout}. The buffer may be
     * larger (a flexible array's elements follow the fixed part) but not smaller than the fixed
     * part. Writes go through to the buffer.
     */
    public static StructView of(StructLayout layout, ByteBuffer buffer) {
        if (buffer.capacity() < layout.size()) {
            throw new IndexOutOfBoundsException(layout.cName() + " needs " + layout.size()
                    + " bytes, buffer has " + buffer.capacity());
        }
        return new StructView(layout, buffer);
    }

    /** A view over a byte array: changes write through to the array. */
    public static StructView of(StructLayout layout, byte[] bytes) {
        return of(layout, ByteBuffer.wrap(bytes));
    }

    /** A zero-filled struct of exactly {@code sizeof} bytes. */
    public static StructView allocate(StructLayout layout) {
        return of(layout, new byte[Math.toIntExact(layout.size())]);
    }

    /** A zero-filled struct followed by {@code n} elements of its flexible array. */
    public static StructView allocate(StructLayout layout, int n) {
        return of(layout, new byte[Math.toIntExact(layout.sizeWith(n))]);
    }

    public StructLayout layout() {
        return layout;
    }

    /** The underlying memory: a little-endian duplicate of the buffer the view was made on. */
    public ByteBuffer buffer() {
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A copy of the whole buffer. */
    public byte[] toByteArray() {
        byte[] out = new byte[buffer.capacity()];
        buffer.get(0, out);
        return out;
    }

    /** Reads the scalar (or bit-field) at {@code path}. */
    public long get(String path) {
        return get(layout.field(path));
    }

    /** Reads a field resolved earlier with {@link StructLayout#field(String)} on this layout. */
    public long get(Field field) {
        CType.Scalar scalar = scalar(field);
        if (field.isBitField()) {
            long unit = raw(field.offset(), scalar);
            return (unit >>> field.bitOffset()) & ((1L << field.bitWidth()) - 1);
        }
        long raw = raw(field.offset(), scalar);
        return scalar.signed() ? signExtend(raw, scalar.size()) : raw;
    }

    /** Writes the scalar (or bit-field) at {@code path}. */
    public StructView set(String path, long value) {
        return set(layout.field(path), value);
    }

    public StructView set(Field field, long value) {
        CType.Scalar scalar = scalar(field);
        if (field.isBitField()) {
            long mask = (1L << field.bitWidth()) - 1;
            if ((value & ~mask) != 0) {
                throw new IllegalArgumentException(field.path() + ": " + value + " does not fit "
                        + field.bitWidth() + " bits");
            }
            long unit = raw(field.offset(), scalar);
            unit = (unit & ~(mask << field.bitOffset())) | (value << field.bitOffset());
            put(field.offset(), scalar, unit);
            return this;
        }
        int bits = (int) scalar.size() * 8;
        if (bits < 64 && (value < -(1L << (bits - 1)) || value > (1L << bits) - 1)) {
            throw new IllegalArgumentException(field.path() + ": " + value + " does not fit " + scalar.cName());
        }
        put(field.offset(), scalar, value);
        return this;
    }

    /** The bytes of the field at {@code path} (a scalar, an array, or a nested struct). */
    public byte[] bytes(String path) {
        ByteBuffer slice = slice(path);
        byte[] out = new byte[slice.capacity()];
        slice.get(0, out);
        return out;
    }

    /** Copies {@code data} into the field at {@code path}; it must be exactly the field's size. */
    public StructView setBytes(String path, byte[] data) {
        ByteBuffer target = slice(path);
        if (data.length != target.capacity()) {
            throw new IllegalArgumentException(path + " is " + target.capacity() + " bytes, got " + data.length);
        }
        target.put(0, data);
        return this;
    }

    /**
     * The part of the buffer holding the field at {@code path} (little-endian, index 0 = the
     * field's first byte); for a flexible array, everything from its start to the buffer's end.
     */
    public ByteBuffer slice(String path) {
        Field f = layout.field(path);
        if (f.isBitField()) {
            throw new IllegalArgumentException(path + " is a bit-field");
        }
        int start = Math.toIntExact(f.offset());
        int length = f.isFlexibleArray() ? buffer.capacity() - start : Math.toIntExact(f.size());
        return slice(start, length);
    }

    private ByteBuffer slice(int start, int length) {
        return buffer.slice(start, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A view of the nested struct or union at {@code path} ({@code "s.regs"}, {@code "entries[3]"}). */
    public StructView view(String path) {
        Field f = layout.field(path);
        if (!(f.type() instanceof StructLayout nested) || f.isArray()) {
            throw new IllegalArgumentException(path + " is not a struct or union");
        }
        return new StructView(nested, slice(Math.toIntExact(f.offset()), Math.toIntExact(nested.size())));
    }

    /** Sets every byte to zero. */
    public StructView clear() {
        for (int i = 0; i < buffer.capacity(); i++) {
            buffer.put(i, (byte) 0);
        }
        return this;
    }

    private static CType.Scalar scalar(Field field) {
        if (!(field.type() instanceof CType.Scalar scalar) || field.isArray()) {
            throw new IllegalArgumentException(field.path() + " is not a scalar (index the array or use bytes())");
        }
        return scalar;
    }

    private long raw(long offset, CType.Scalar scalar) {
        int at = Math.toIntExact(offset);
        return switch ((int) scalar.size()) {
            case 1 -> buffer.get(at) & 0xFFL;
            case 2 -> buffer.getShort(at) & 0xFFFFL;
            case 4 -> buffer.getInt(at) & 0xFFFF_FFFFL;
            case 8 -> buffer.getLong(at);
            default -> throw new IllegalStateException("scalar size " + scalar.size());
        };
    }

    private void put(long offset, CType.Scalar scalar, long value) {
        int at = Math.toIntExact(offset);
        switch ((int) scalar.size()) {
            case 1 -> buffer.put(at, (byte) value);
            case 2 -> buffer.putShort(at, (short) value);
            case 4 -> buffer.putInt(at, (int) value);
            case 8 -> buffer.putLong(at, value);
            default -> throw new IllegalStateException("scalar size " + scalar.size());
        }
    }

    private static long signExtend(long raw, long bytes) {
        int shift = 64 - (int) bytes * 8;
        return (raw << shift) >> shift;
    }

    @Override
    public String toString() {
        return "StructView[" + layout.cName() + ", " + buffer.capacity() + " bytes]";
    }
}
