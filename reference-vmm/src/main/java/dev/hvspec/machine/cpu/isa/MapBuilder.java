package dev.hvspec.machine.cpu.isa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;

/**
 * The small notation the opcode-map classes are written in: {@code op(0x00, "ADD Eb,Gb", LOCKABLE)}
 * reads like a cell of SDM 2 Table A-2. Cells that are never set are reserved (#UD).
 * A builder is a local, single-use object; the maps it builds are immutable.
 */
final class MapBuilder {
    private final OpcodeEntry[] cells = new OpcodeEntry[256];

    /** A cell holding one instruction form, e.g. {@code op(0x01, "ADD Ev,Gv", LOCKABLE)}. */
    MapBuilder op(int opcode, String form, Attribute... attributes) {
        return set(opcode, form(form, null, attributes));
    }

    /** A cell holding one instruction form that needs a CPUID feature. */
    MapBuilder op(int opcode, String form, IsaFeature feature, Attribute... attributes) {
        return set(opcode, form(form, feature, attributes));
    }

    /** Sixteen cells {@code first + cc}, one per condition (Jcc, SETcc, CMOVcc). */
    MapBuilder conditional(int first, String form, IsaFeature feature, Attribute... attributes) {
        for (int cc = 0; cc < 16; cc++) {
            set(first + cc, conditionalForm(form, cc, feature, attributes));
        }
        return this;
    }

    /** Eight cells {@code first + r} whose register is in the opcode's low bits ({@code Zv}/{@code Zb}). */
    MapBuilder plusR(int first, String form, Attribute... attributes) {
        for (int r = 0; r < 8; r++) {
            set(first + r, form(form, null, attributes));
        }
        return this;
    }

    /** The six ALU cells of a Table A-2 row (ADD, OR, ADC, SBB, AND, SUB, XOR, CMP at 00, 08, … 38). */
    MapBuilder alu(int first, String mnemonic, Attribute... lockable) {
        op(first, mnemonic + " Eb,Gb", lockable);
        op(first + 1, mnemonic + " Ev,Gv", lockable);
        op(first + 2, mnemonic + " Gb,Eb");
        op(first + 3, mnemonic + " Gv,Ev");
        op(first + 4, mnemonic + " AL,Ib");
        return op(first + 5, mnemonic + " rAX,Iz");
    }

    MapBuilder set(int opcode, OpcodeEntry entry) {
        if (cells[opcode] != null) {
            throw new IllegalStateException("opcode " + Integer.toHexString(opcode) + " defined twice");
        }
        cells[opcode] = entry;
        return this;
    }

    /** Marks a range of cells undefined with a reason (out-of-scope extensions, reserved rows). */
    MapBuilder undefined(int first, int last, String why) {
        for (int b = first; b <= last; b++) {
            set(b, ud(why));
        }
        return this;
    }

    OpcodeMap build(int map) {
        List<OpcodeEntry> list = new ArrayList<>(Arrays.asList(cells));
        list.replaceAll(e -> e == null ? ud("reserved") : e);
        return new OpcodeMap(map, list);
    }

    // ---- factory helpers used by the table classes ----

    static OpcodeEntry.Undefined ud(String why) {
        return new OpcodeEntry.Undefined(why);
    }

    /** Parses {@code "MNEMONIC op1,op2,op3"}. */
    static Form form(String text, IsaFeature feature, Attribute... attributes) {
        return conditionalForm(text, -1, feature, attributes);
    }

    static Form form(String text, Attribute... attributes) {
        return form(text, null, attributes);
    }

    static Form conditionalForm(String text, int condition, IsaFeature feature, Attribute... attributes) {
        String[] parts = text.trim().split("\\s+", 2);
        Mnemonic mnemonic = Mnemonic.valueOf(parts[0]);
        List<OperandType> operands = new ArrayList<>();
        if (parts.length > 1) {
            for (String code : parts[1].split(",")) {
                operands.add(OperandType.parse(code.trim()));
            }
        }
        EnumSet<Attribute> set = EnumSet.noneOf(Attribute.class);
        set.addAll(Arrays.asList(attributes));
        if (isByteOperation(operands)) {
            set.add(Attribute.BYTE);
        }
        return new Form(mnemonic, condition, operands, set, feature);
    }

    /** A form is a byte operation when its first register/memory operand (other than the DX port) is a byte. */
    private static boolean isByteOperation(List<OperandType> operands) {
        for (OperandType t : operands) {
            boolean port = t.method() == OperandType.Method.FIXED_GPR && t.register() == 2;
            if (t.isImmediate() || port) {
                continue;
            }
            return t.size() == OperandType.Size.B;
        }
        return false;
    }

    static OpcodeEntry.Group group(String name, OpcodeEntry... byReg) {
        return new OpcodeEntry.Group(name, List.of(byReg));
    }

    static OpcodeEntry.ByMod byMod(OpcodeEntry memory, OpcodeEntry register) {
        return new OpcodeEntry.ByMod(memory, register);
    }

    static OpcodeEntry.ByRm byRm(OpcodeEntry... byRm) {
        return new OpcodeEntry.ByRm(List.of(byRm));
    }

    /** Mandatory F3/F2 prefixes select among forms; F2 falls back to the unprefixed form. */
    static OpcodeEntry.ByPrefix byPrefix(OpcodeEntry none, OpcodeEntry f3) {
        return new OpcodeEntry.ByPrefix(none, f3, none, none);
    }

    static OpcodeEntry.ByPrefix byPrefix(OpcodeEntry none, OpcodeEntry f3, OpcodeEntry f2) {
        return new OpcodeEntry.ByPrefix(none, f3, f2, none);
    }

    static OpcodeEntry.ByPrefix byPrefix(OpcodeEntry none, OpcodeEntry f3, OpcodeEntry f2, OpcodeEntry o66) {
        return new OpcodeEntry.ByPrefix(none, f3, f2, o66);
    }

    static OpcodeEntry.ByMode byMode(OpcodeEntry legacy, OpcodeEntry long64) {
        return new OpcodeEntry.ByMode(legacy, long64);
    }

    static OpcodeEntry.ByRexW byRexW(OpcodeEntry w0, OpcodeEntry w1) {
        return new OpcodeEntry.ByRexW(w0, w1);
    }

    static OpcodeEntry.ByFeature byFeature(IsaFeature feature, OpcodeEntry present, OpcodeEntry absent) {
        return new OpcodeEntry.ByFeature(feature, present, absent);
    }
}
