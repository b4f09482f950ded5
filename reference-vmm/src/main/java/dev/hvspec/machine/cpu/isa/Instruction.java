package dev.hvspec.machine.cpu.isa;

/**
 * A decoded x86 instruction: what the decoder produces, the executor consumes, the encoder
 * produces bytes for and the disassembler prints.
 *
 * @param mnemonic        the operation
 * @param condition       the condition of Jcc/SETcc/CMOVcc (0-15, see {@link Condition}), else -1
 * @param operandSize     effective operand size in bytes (1, 2, 4, 8); for instructions without
 *                        a sized operand, the effective operand-size attribute (2, 4, 8); 1 for
 *                        byte forms (MOVSB, XLAT, SETcc, IN AL …)
 * @param addressSize     effective address size in bytes (2, 4, 8)
 * @param prefixes        {@link Prefix} bits; of F2/F3 only the last one is recorded, also when it
 *                        is a mandatory prefix (F3 of PAUSE, POPCNT, TZCNT, LZCNT)
 * @param segmentOverride the segment-override prefix's segment (0-5), or -1 — for string
 *                        instructions and XLAT, whose source segment it replaces. The last
 *                        override counts; in 64-bit mode ES/CS/SS/DS overrides are null prefixes
 *                        (SDM 3A §3.4.4): an FS/GS override wins over them, and when only a null
 *                        prefix is present it is recorded here (so encodings round-trip) while
 *                        {@link Operand.Mem#segment()} keeps the default segment
 * @param op1             first (destination) operand, or null
 * @param op2             second operand, or null
 * @param op3             third operand, or null
 * @param length          encoded length in bytes (1-15)
 * @param opcode          the opcode as {@code (map << 8) | byte}: map 0 = one-byte, 1 = 0F,
 *                        2 = 0F38, 3 = 0F3A; for group opcodes the ModRM.reg extension is in
 *                        bits 16-18 and bit 19 is set ({@link #opcodeExtension()})
 */
public record Instruction(Mnemonic mnemonic, int condition, int operandSize, int addressSize,
                          int prefixes, int segmentOverride, Operand op1, Operand op2, Operand op3,
                          int length, int opcode) {
    public static final int MAP_ONE_BYTE = 0;
    public static final int MAP_0F = 1;
    public static final int MAP_0F38 = 2;
    public static final int MAP_0F3A = 3;

    public boolean has(int prefix) {
        return (prefixes & prefix) != 0;
    }

    /** A locked access: the LOCK prefix, or XCHG with a memory operand (locked without it, SDM 2 XCHG). */
    public boolean locked() {
        return has(Prefix.LOCK) || mnemonic == Mnemonic.XCHG && (op1 instanceof Operand.Mem || op2 instanceof Operand.Mem);
    }

    public int operandCount() {
        return op1 == null ? 0 : op2 == null ? 1 : op3 == null ? 2 : 3;
    }

    public Operand operand(int i) {
        return switch (i) {
            case 0 -> op1;
            case 1 -> op2;
            case 2 -> op3;
            default -> null;
        };
    }

    public int opcodeMap() {
        return (opcode >>> 8) & 0xFF;
    }

    public int opcodeByte() {
        return opcode & 0xFF;
    }

    /** The ModRM.reg opcode extension of a group opcode (e.g. 2 for {@code F7 /2} NOT), or -1. */
    public int opcodeExtension() {
        return (opcode & (1 << 19)) != 0 ? (opcode >>> 16) & 7 : -1;
    }

    public Condition conditionCode() {
        return condition < 0 ? null : Condition.of(condition);
    }
}
