package dev.hvspec.machine.cpu.isa;

/** Bits of {@link Instruction#prefixes()}: which legacy prefixes and REX the encoding carried (SDM 2 §2.1.1, §2.2.1). */
public final class Prefix {
    public static final int LOCK = 1;          // F0
    public static final int REPNE = 1 << 1;    // F2
    public static final int REP = 1 << 2;      // F3 (REP/REPE)
    public static final int OPERAND_SIZE = 1 << 3; // 66
    public static final int ADDRESS_SIZE = 1 << 4; // 67
    public static final int SEGMENT = 1 << 5;  // an explicit segment override (see Instruction.segmentOverride)
    public static final int REX = 1 << 6;      // a REX prefix was present (40-4F in 64-bit mode)
    public static final int REX_W = 1 << 7;

    private Prefix() {
    }
}
