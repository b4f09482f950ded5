package dev.hvspec.machine.cpu.isa;

/**
 * The sixteen condition codes of Jcc/SETcc/CMOVcc, numbered as the low nibble of their opcodes
 * (SDM 1 Appendix B, Table B-1). The evaluation against RFLAGS lives with the CPU.
 */
public enum Condition {
    O, NO, B, AE, E, NE, BE, A, S, NS, P, NP, L, GE, LE, G;

    private static final Condition[] BY_CODE = values();

    public static Condition of(int code) {
        return BY_CODE[code & 0xF];
    }

    public int code() {
        return ordinal();
    }
}
