package dev.hvspec.machine.cpu.isa;

import java.util.List;

/**
 * Builds the complete {@link Instruction} (sizes, prefixes, canonical operands, opcode, length) for
 * one form of the tables and a list of operands, the way the decoder would produce it from that
 * form's canonical encoding. The {@link Assembler} tries every form of a mnemonic and keeps the
 * shortest; test generators build instructions for one chosen form.
 *
 * <p>Operand conventions accepted on input (normalised in the result):
 * <ul>
 *   <li>{@link Operand.Imm} with {@code encodedSize} 0 and {@code size} 0 lets the form choose;
 *       otherwise they must match the form. Values are taken modulo the operation size and
 *       stored sign-extended from the encoded size (zero-extended for unsigned kinds).</li>
 *   <li>{@link Operand.Mem} with {@code size} 0 is accepted for memory-only forms whose size is
 *       fixed by the form (LEA, LGDT, far pointers, CMPXCHG8B …).</li>
 *   <li>{@link Operand.Rel} with {@code size} 0 takes the operand size.</li>
 * </ul>
 */
public final class InstructionBuilder {
    private InstructionBuilder() {
    }

    /**
     * The instruction for {@code slot} in {@code mode}, or null if the operands do not fit the form.
     *
     * @param operandSize     the wanted {@link Instruction#operandSize()} for forms whose operands do
     *                        not show it (string instructions, PUSHF, IRET …), or 0 for the default
     * @param extraPrefixes   {@link Prefix#LOCK}, {@link Prefix#REP}, {@link Prefix#REPNE}, or
     *                        {@link Prefix#REX} for a REX prefix that no operand needs
     * @param segmentOverride an explicit segment-override prefix (string instructions, XLAT, or a
     *                        64-bit null prefix), or -1; memory operands otherwise get the override
     *                        their {@link Operand.Mem#segment()} needs
     */
    public static Instruction build(Slot slot, int mode, int operandSize, int extraPrefixes,
                                    int segmentOverride, List<Operand> operands) {
        Form form = slot.form();
        if (!slot.validIn(mode) || operands.size() != form.operands().size()
                || slot.feature() != null && !slot.featurePresent()) {
            return null;
        }
        // The form's default operand size first, so that operands that do not show a size get it.
        int preferred = form.operandSizeAttribute(mode, slot.requiredPrefix() == Prefix.OPERAND_SIZE, slot.rexW() == 1);
        int[] sizes = {preferred, preferred == 2 ? 4 : 2, preferred == 8 ? 4 : 8};
        for (int osize : sizes) {
            Instruction i = tryOperandSize(slot, mode, osize, operandSize, extraPrefixes, segmentOverride, operands);
            if (i != null) {
                return i;
            }
        }
        return null;
    }

    private static Instruction tryOperandSize(Slot slot, int mode, int osize, int wanted, int extra,
                                              int segmentOverride, List<Operand> operands) {
        Form form = slot.form();
        // Which of (no prefix, 66, REX.W) gives this operand-size attribute (SDM 1 Table 3-4)?
        int sizePrefixes = -1;
        int[][] choices = mode == 8 ? new int[][] {{0, 0}, {1, 0}, {0, 1}} : new int[][] {{0, 0}, {1, 0}};
        for (int[] c : choices) {
            boolean has66 = c[0] == 1 || slot.requiredPrefix() == Prefix.OPERAND_SIZE;
            boolean w = c[1] == 1 || slot.rexW() == 1;
            if (slot.rexW() == 0 && w) {
                continue;
            }
            if (form.operandSizeAttribute(mode, has66, w) == osize) {
                sizePrefixes = (has66 ? Prefix.OPERAND_SIZE : 0) | (w ? Prefix.REX | Prefix.REX_W : 0);
                break;
            }
        }
        if (sizePrefixes < 0) {
            return null;
        }
        int operation = form.operationSize(osize);
        if (wanted != 0 && wanted != operation) {
            return null;
        }
        if (form.is(Attribute.BYTE) && (sizePrefixes & Prefix.OPERAND_SIZE) != 0) {
            return null;
        }
        int asize = mode == 8 ? 8 : mode;
        for (Operand op : operands) {
            if (op instanceof Operand.Mem m) {
                asize = m.addressSize();
            }
        }
        if (mode == 8 ? asize == 2 : asize == 8) {
            return null;
        }
        int defaultAsize = mode;
        int prefixes = sizePrefixes | extra | slot.requiredPrefix();
        if (asize != defaultAsize) {
            prefixes |= Prefix.ADDRESS_SIZE;
        }
        int segment = segmentOverride;
        Operand[] ops = new Operand[3];
        boolean needsRex = false;
        for (int i = 0; i < operands.size(); i++) {
            OperandType t = form.operands().get(i);
            Operand op = OperandMatcher.match(t, operands.get(i), form, osize, mode, asize);
            if (op == null) {
                return null;
            }
            if (op instanceof Operand.Mem m) {
                int needed = OperandMatcher.segmentPrefixFor(m, mode, t.method() == OperandType.Method.O);
                if (needed == -2) {
                    return null;
                }
                if (needed >= 0) {
                    if (segment >= 0 && segment != needed) {
                        return null;
                    }
                    segment = needed;
                } else if (segment >= 0 && !(mode == 8 && segment < 4) && segment != m.segment()) {
                    return null;
                }
                needsRex |= m.addressSize() != 2 && !m.ripRelative() && (m.base() >= 8 || m.index() >= 8);
            }
            if (op instanceof Operand.Reg r && r.kind() != RegisterKind.SEGMENT) {
                needsRex |= r.index() >= 8 || r.kind() == RegisterKind.GPR && r.size() == 1 && r.index() >= 4;
                if (r.kind() == RegisterKind.GPR_HIGH8 && ((prefixes & Prefix.REX) != 0)) {
                    return null;
                }
            }
            ops[i] = op;
        }
        if (slot.rexB() == 1) {
            needsRex = true;
        }
        if (needsRex) {
            if (mode != 8) {
                return null;
            }
            prefixes |= Prefix.REX;
        }
        for (Operand op : ops) {
            if (op instanceof Operand.Reg r && r.kind() == RegisterKind.GPR_HIGH8 && (prefixes & Prefix.REX) != 0) {
                return null;
            }
        }
        if (segment >= 0) {
            prefixes |= Prefix.SEGMENT;
        }
        if ((prefixes & Prefix.LOCK) != 0 && !(form.is(Attribute.LOCKABLE) && ops[0] instanceof Operand.Mem)) {
            return null;
        }
        if ((prefixes & slot.forbiddenPrefixes()) != 0) {
            return null;
        }
        Instruction draft = new Instruction(form.mnemonic(), form.condition(), operation, asize, prefixes,
                segment, ops[0], ops[1], ops[2], 0, slot.opcode());
        byte[] bytes;
        try {
            bytes = Encoder.encode(draft, mode);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new Instruction(form.mnemonic(), form.condition(), operation, asize, prefixes,
                segment, ops[0], ops[1], ops[2], bytes.length, slot.opcode());
    }
}
