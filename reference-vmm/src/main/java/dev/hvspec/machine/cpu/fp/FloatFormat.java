package dev.hvspec.machine.cpu.fp;

/**
 * The binary floating-point formats of the x87 FPU and the SSE units (SDM 1 §4.2.2, Table 4-3,
 * Figure 4-3): single (32 bits), double (64 bits) and double extended (80 bits, with an explicit
 * integer bit J in bit 63 of the significand).
 */
public enum FloatFormat {
    SINGLE(8, 24, false),
    DOUBLE(11, 53, false),
    EXTENDED(15, 64, true);

    private final int exponentBits;
    private final int precision;
    private final boolean explicitIntegerBit;

    FloatFormat(int exponentBits, int precision, boolean explicitIntegerBit) {
        this.exponentBits = exponentBits;
        this.precision = precision;
        this.explicitIntegerBit = explicitIntegerBit;
    }

    public int exponentBits() {
        return exponentBits;
    }

    /** Significand bits including the integer bit (24, 53, 64). */
    public int precision() {
        return precision;
    }

    public boolean explicitIntegerBit() {
        return explicitIntegerBit;
    }

    /** Stored fraction bits (23, 52, 63). */
    public int fractionBits() {
        return precision - 1;
    }

    /** Exponent bias (127, 1023, 16383). */
    public int bias() {
        return (1 << (exponentBits - 1)) - 1;
    }

    /** The largest unbiased exponent of a normal number (= bias). */
    public int emax() {
        return bias();
    }

    /** The smallest unbiased exponent of a normal number (1 - bias). */
    public int emin() {
        return 1 - bias();
    }

    /** The biased exponent of infinities and NaNs (all ones). */
    public int maxBiasedExponent() {
        return (1 << exponentBits) - 1;
    }

    /** The exponent of the least significant bit of denormals: emin - (precision - 1). */
    public int denormalLsbExponent() {
        return emin() - (precision - 1);
    }

    /** Total width in bits (32, 64, 80). */
    public int width() {
        return 1 + exponentBits + (precision - (explicitIntegerBit ? 0 : 1));
    }
}
