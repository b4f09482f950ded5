package dev.hvspec.machine.cpu.isa;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One instruction form of the opcode maps: what a fully resolved map cell means. The operand
 * types are in Intel order (destination first) and use the notation of {@link OperandType}.
 *
 * @param mnemonic  the operation
 * @param condition the condition code of Jcc/SETcc/CMOVcc, else -1
 * @param operands  the explicit operands
 * @param attributes the SDM superscripts and prefix rules that apply
 * @param feature   the CPUID feature that must be advertised for the form to decode, or null
 */
public record Form(Mnemonic mnemonic, int condition, List<OperandType> operands,
                   Set<Attribute> attributes, IsaFeature feature) implements OpcodeEntry {

    public Form {
        operands = List.copyOf(operands);
        attributes = attributes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(attributes));
    }

    public boolean is(Attribute attribute) {
        return attributes.contains(attribute);
    }

    /** Whether the form has a ModRM byte of its own (groups always do). */
    public boolean usesModRm() {
        for (OperandType t : operands) {
            if (t.isRm() || t.isReg()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The effective operand-size attribute (2, 4 or 8) in {@code mode} (2, 4, 8) with or without
     * the 66 prefix and REX.W. SDM 1 §3.6 Table 3-3/3-4: 66 toggles between the 16- and 32-bit
     * default; in 64-bit mode REX.W selects 64 bits and takes precedence over 66; Table A-1 d64 and
     * f64 change the 64-bit default.
     */
    public int operandSizeAttribute(int mode, boolean has66, boolean rexW) {
        if (is(Attribute.SIZE_CR)) {
            return mode == 8 ? 8 : 4;
        }
        if (is(Attribute.SIZE_REXW)) {
            return rexW ? 8 : 4;
        }
        if (mode != 8) {
            return (mode == 2) != has66 ? 2 : 4;
        }
        if (is(Attribute.F64)) {
            return 8;
        }
        if (rexW) {
            return is(Attribute.SIZE_Z) ? 4 : 8;
        }
        if (is(Attribute.D64)) {
            return has66 ? 2 : 8;
        }
        return has66 ? 2 : 4;
    }

    /** {@link Instruction#operandSize()} for this form: 1 for byte operations, else the attribute. */
    public int operationSize(int osize) {
        return is(Attribute.BYTE) ? 1 : osize;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(mnemonic.name());
        if (condition >= 0) {
            s.append('[').append(Condition.of(condition)).append(']');
        }
        for (int i = 0; i < operands.size(); i++) {
            s.append(i == 0 ? " " : ",").append(operands.get(i));
        }
        return s.toString();
    }
}
