package dev.hvspec.machine.cpu.isa;

/**
 * Where the decoder reads instruction bytes from, one at a time, so that a fetch crossing into an
 * unmapped page faults exactly at the byte that needs it. {@code offset} counts from the first
 * byte of the instruction. The CPU's implementation throws its own (unchecked) fault type.
 */
@FunctionalInterface
public interface CodeSource {
    int byteAt(int offset);

    /** Bytes of an array from {@code start}; reading past its end throws IndexOutOfBoundsException. */
    static CodeSource of(byte[] bytes, int start) {
        return offset -> {
            int i = start + offset;
            if (i >= bytes.length) {
                throw new IndexOutOfBoundsException("instruction runs past the end of the code: " + i);
            }
            return bytes[i] & 0xFF;
        };
    }
}
