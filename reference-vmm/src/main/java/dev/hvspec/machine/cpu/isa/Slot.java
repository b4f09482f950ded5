package dev.hvspec.machine.cpu.isa;

/**
 * One instruction form together with the encoding it sits under in the maps: the path from an
 * opcode-map cell through the group and prefix selectors to the {@link Form}. The flat list of
 * slots ({@link OpcodeTables#slots()}) is what the encoder, the assembler and the test generators
 * use; the decoder walks the same tree directly.
 *
 * @param map              the opcode map ({@link Instruction#MAP_ONE_BYTE} …)
 * @param opcodeByte       the opcode byte (for +r forms, the byte with the register bits)
 * @param reg              the ModRM.reg extension of a group, or -1
 * @param rm               the ModRM.rm value of a register-only form selected by rm, or -1
 * @param mod              which ModRM.mod values reach the form
 * @param requiredPrefix   a mandatory prefix ({@link Prefix#REP}, {@link Prefix#REPNE},
 *                         {@link Prefix#OPERAND_SIZE}) or 0
 * @param forbiddenPrefixes prefixes that would select another form
 * @param mode             which modes reach the form through a mode selector
 * @param rexW             REX.W required (1), forbidden (0) or either (-1) by a REX.W selector
 * @param rexB             likewise for a REX.B selector (opcode 90)
 * @param feature          a feature whose presence or absence a selector tested, or null
 * @param featurePresent   whether that feature must be present
 * @param form             the form
 */
public record Slot(int map, int opcodeByte, int reg, int rm, ModRequirement mod, int requiredPrefix,
                   int forbiddenPrefixes, ModeRequirement mode, int rexW, int rexB,
                   IsaFeature feature, boolean featurePresent, Form form) {

    public enum ModRequirement { ANY, MEMORY, REGISTER }

    public enum ModeRequirement { ANY, LEGACY, LONG }

    /** {@link Instruction#opcode()} for this slot. */
    public int opcode() {
        int opcode = (map << 8) | opcodeByte;
        return reg >= 0 ? opcode | (1 << 19) | (reg << 16) : opcode;
    }

    /** Whether the slot's form can be decoded in {@code mode} (2, 4, 8), ignoring features. */
    public boolean validIn(int mode) {
        boolean long64 = mode == 8;
        if (this.mode == ModeRequirement.LONG && !long64 || this.mode == ModeRequirement.LEGACY && long64) {
            return false;
        }
        if (form.is(Attribute.I64) && long64 || form.is(Attribute.O64) && !long64) {
            return false;
        }
        // REX exists only in 64-bit mode (SDM 2 §2.2.1), and the one-byte INC/DEC cells are REX there.
        if (rexW == 1 || rexB == 1) {
            return long64;
        }
        return true;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (requiredPrefix == Prefix.REP) {
            s.append("F3 ");
        } else if (requiredPrefix == Prefix.REPNE) {
            s.append("F2 ");
        } else if (requiredPrefix == Prefix.OPERAND_SIZE) {
            s.append("66 ");
        }
        if (rexW == 1) {
            s.append("REX.W ");
        }
        s.append(switch (map) {
            case Instruction.MAP_0F -> "0F ";
            case Instruction.MAP_0F38 -> "0F 38 ";
            case Instruction.MAP_0F3A -> "0F 3A ";
            default -> "";
        });
        s.append(String.format("%02X", opcodeByte));
        if (reg >= 0) {
            s.append(" /").append(reg);
        }
        if (rm >= 0) {
            s.append(" rm=").append(rm);
        }
        if (mod != ModRequirement.ANY) {
            s.append(mod == ModRequirement.MEMORY ? " mem" : " 11B");
        }
        return s.append("  ").append(form).toString();
    }
}
