package dev.hvspec.machine.cpu.fp;

/**
 * The rounding-control field RC of the x87 control word (bits 11:10) and of MXCSR (bits 14:13),
 * SDM 1 §4.8.4, Table 4-8: the same encoding in both.
 */
public enum Rounding {
    /** 00B: round to nearest, ties to even (the default). */
    NEAREST_EVEN,
    /** 01B: round down, toward −∞. */
    DOWN,
    /** 10B: round up, toward +∞. */
    UP,
    /** 11B: round toward zero (truncate). */
    TOWARD_ZERO;

    private static final Rounding[] BY_FIELD = values();

    /** The mode encoded by a two-bit RC field. */
    public static Rounding ofField(int rc) {
        return BY_FIELD[rc & 3];
    }
}
