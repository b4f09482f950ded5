package dev.hvspec.machine.cpu.isa;

/**
 * The bytes do not form an instruction the CPU executes: {@link Kind#UNDEFINED} is #UD (an
 * undefined or reserved encoding, a LOCK prefix where it is not allowed, an encoding of a
 * feature the CPU does not advertise, or an opcode invalid in the current mode);
 * {@link Kind#TOO_LONG} is #GP(0) for an instruction longer than 15 bytes (SDM 2 §2.3.11).
 */
public final class DecodeException extends Exception {
    public enum Kind { UNDEFINED, TOO_LONG }

    private final Kind kind;

    public DecodeException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
