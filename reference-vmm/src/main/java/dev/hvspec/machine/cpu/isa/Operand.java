package dev.hvspec.machine.cpu.isa;

/**
 * One explicit operand of a decoded instruction, in Intel order (destination first). Implicit
 * operands (the accumulator of string instructions, the stack of PUSH) are not listed unless the
 * SDM's operand column names them (e.g. {@code AL} in {@code ADD AL, imm8} is a {@link Reg}).
 */
public sealed interface Operand {
    /** Operand size in bytes as accessed (0 for memory operands that are not accessed, as in LEA). */
    int size();

    /** A register of one of the register files. */
    record Reg(RegisterKind kind, int index, int size) implements Operand {
    }

    /**
     * A memory operand: {@code segment:[base + index*scale + disp]}, computed at
     * {@code addressSize} bytes (2, 4, 8) and truncated to it. {@code base}/{@code index} are GPR
     * numbers or {@link #NONE}; {@code ripRelative} means base is the address of the next
     * instruction (64-bit mode). {@code segment} is the effective segment (default or override).
     * {@code size} is the access size; for pointers and descriptors-table operands it is the
     * whole operand (e.g. 6 or 10 for m16:32/m16:64, LGDT's m16&32/m16&64).
     * {@code displacement} is sign-extended from its encoded size (disp8/16/32, or the moffs
     * width); without an index {@code scale} is 1.
     */
    record Mem(int segment, int base, int index, int scale, long displacement, int size,
               int addressSize, boolean ripRelative) implements Operand {
        public static final int NONE = -1;
    }

    /**
     * An immediate. {@code value} is already extended as the instruction defines (sign-extended
     * for imm8 forms of arithmetic, zero-extended where the SDM says so) to 64 bits;
     * {@code encodedSize} is how many bytes it occupies in the instruction. Concretely: operands
     * of the operation (ADD, MOV, PUSH, TEST, IMUL …) are sign-extended from their encoded size
     * and {@code size} is the operation size; unsigned operands (I/O ports, vectors, shift and
     * bit counts, ENTER/RET sizes, the AAM/AAD base) are zero-extended and {@code size} equals
     * {@code encodedSize}; the implied count of D0-D3 is {@code Imm(1, 0, 1)}.
     */
    record Imm(long value, int encodedSize, int size) implements Operand {
    }

    /**
     * A relative branch target: {@code displacement} (sign-extended) from the address of the next
     * instruction; {@code encodedSize} is 1, 2 or 4 bytes. {@code size} is the operand size the
     * target is truncated to (2, 4 or 8).
     */
    record Rel(long displacement, int encodedSize, int size) implements Operand {
    }

    /** A direct far pointer {@code selector:offset} (JMPF/CALLF ptr16:16 / ptr16:32). */
    record FarPtr(int selector, long offset, int offsetSize) implements Operand {
        @Override
        public int size() {
            return offsetSize + 2;
        }
    }
}
