package dev.hvspec.kvm.abi;

import java.util.List;

/**
 * A field located inside a struct: where a dotted path such as {@code "io.port"} or
 * {@code "s.regs.regs.rip"} lands.
 *
 * @param path      the path it was resolved from
 * @param offset    byte offset from the start of the outermost struct
 * @param type      the element type
 * @param dims      array dimensions still to index ({@code []} for a single element; a leading
 *                  {@code 0} for a flexible array member)
 * @param bitOffset for a bit-field, its first bit counted from {@code offset}'s byte bit 0;
 *                  otherwise 0
 * @param bitWidth  for a bit-field, its width; 0 for an ordinary field
 */
public record Field(String path, long offset, CType type, List<Integer> dims, int bitOffset, int bitWidth) {
    public Field {
        dims = List.copyOf(dims);
    }

    /** Number of elements: the product of the dimensions (0 for a flexible array). */
    public long count() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** {@code sizeof} the field: element size times count (0 for a flexible array). */
    public long size() {
        return bitWidth > 0 ? 0 : type.size() * count();
    }

    public boolean isBitField() {
        return bitWidth > 0;
    }

    public boolean isArray() {
        return !dims.isEmpty();
    }

    public boolean isFlexibleArray() {
        return !dims.isEmpty() && dims.get(0) == 0;
    }
}
