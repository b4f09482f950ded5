package dev.hvspec.machine.chipset;

/**
 * The outcome of an RDMSR/WRMSR that a chip handles: a value (for a write, the value is 0), or a
 * general-protection fault the CPU must raise as #GP(0) (SDM 3A §11.12.1.3, §11.4.3).
 */
public sealed interface MsrResult {
    record Ok(long value) implements MsrResult {
    }

    /** #GP(0); {@code reason} names the rule for traces and test messages. */
    record GeneralProtection(String reason) implements MsrResult {
    }

    static MsrResult ok(long value) {
        return new Ok(value);
    }

    static MsrResult ok() {
        return new Ok(0);
    }

    static MsrResult gp(String reason) {
        return new GeneralProtection(reason);
    }

    default boolean isFault() {
        return this instanceof GeneralProtection;
    }
}
