package dev.hvspec.machine.cpu.isa;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * Encodes an {@link Instruction} into bytes using the same opcode tables the {@link Decoder} reads
 * ({@link OpcodeTables}), so that {@code decode(encode(i)) == i} for every instruction the decoder
 * can produce from a canonical encoding. The form is chosen by {@link Instruction#opcode()} (map,
 * byte, group extension), the mnemonic and the prefixes, which selects among equivalent encodings
 * (01 /r vs 03 /r, 83 vs 81, B8+r vs C7 /0, 90+r vs 87 …).
 *
 * <p>Choices the record leaves open are made canonically: prefixes in the order LOCK, F2/F3,
 * segment, 66, 67, mandatory F2/F3, REX; the shortest displacement (none, disp8, disp32/disp16); a SIB byte only
 * when the address needs one; ModRM.reg 0 for forms that ignore it (hint NOPs).
 */
public final class Encoder {
    /** SDM 2 §2.1.1 group 2: ES, CS, SS, DS, FS, GS override prefixes, by segment number. */
    private static final List<Integer> SEGMENT_PREFIX = List.of(0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65);

    private Encoder() {
    }

    /**
     * Encodes {@code insn} for {@code mode} (2, 4, 8).
     *
     * @throws IllegalArgumentException if no form of the tables matches or the operands cannot be
     *                                  encoded as the instruction states (e.g. a register that
     *                                  needs REX without {@link Prefix#REX})
     */
    public static byte[] encode(Instruction insn, int mode) {
        Slot slot = slotFor(insn, mode);
        return new Emitter(insn, slot, mode).emit();
    }

    /** The slot of the tables that {@code insn} was decoded from (or would be). */
    static Slot slotFor(Instruction insn, int mode) {
        for (Slot s : OpcodeTables.standard().slotsFor(insn.opcode())) {
            if (matches(s, insn, mode)) {
                return s;
            }
        }
        throw new IllegalArgumentException("no form for " + insn.mnemonic() + " under opcode "
                + Integer.toHexString(insn.opcode()) + " in mode " + mode + ": " + insn);
    }

    private static boolean matches(Slot s, Instruction insn, int mode) {
        Form f = s.form();
        if (f.mnemonic() != insn.mnemonic() || f.condition() != insn.condition() || !s.validIn(mode)) {
            return false;
        }
        if (s.requiredPrefix() != 0 && !insn.has(s.requiredPrefix()) || (insn.prefixes() & s.forbiddenPrefixes()) != 0) {
            return false;
        }
        if (s.rexW() >= 0 && (s.rexW() == 1) != insn.has(Prefix.REX_W)) {
            return false;
        }
        if (s.mod() != Slot.ModRequirement.ANY) {
            boolean memory = false;
            for (int i = 0; i < insn.operandCount(); i++) {
                memory |= insn.operand(i) instanceof Operand.Mem;
            }
            return memory == (s.mod() == Slot.ModRequirement.MEMORY);
        }
        return true;
    }

    /** Writes one instruction. */
    private static final class Emitter {
        private final Instruction insn;
        private final Slot slot;
        private final Form form;
        private final int mode;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(15);
        private int rex;
        private boolean needsRex;

        Emitter(Instruction insn, Slot slot, int mode) {
            this.insn = insn;
            this.slot = slot;
            this.form = slot.form();
            this.mode = mode;
        }

        byte[] emit() {
            if (insn.operandCount() != form.operands().size()) {
                throw new IllegalArgumentException(form + " takes " + form.operands().size() + " operands: " + insn);
            }
            legacyPrefixes();
            int modrm = -1;
            Operand.Mem memory = null;
            if (form.usesModRm() || slot.reg() >= 0) {
                modrm = modrmFields();
                memory = rmMemory();
                if (memory != null) {
                    memoryRexBits(memory);
                }
            }
            opcodeRegisterRexBit();
            rexPrefix();
            opcodeBytes();
            if (modrm >= 0) {
                if (memory == null) {
                    out.write(modrm);
                } else {
                    address(modrm & 0x38, memory);
                }
            }
            immediates();
            byte[] bytes = out.toByteArray();
            if (bytes.length > Decoder.MAX_LENGTH) {
                throw new IllegalArgumentException("encoding longer than 15 bytes: " + insn);
            }
            return bytes;
        }

        /** A mandatory F2/F3 goes last, next to the opcode, as SDM 2 §2.1.2 shows it (e.g. 66 F3 0F B8 POPCNT r16). */
        private void legacyPrefixes() {
            int mandatory = slot.requiredPrefix() & (Prefix.REP | Prefix.REPNE);
            if (insn.has(Prefix.LOCK)) {
                out.write(0xF0);
            }
            if (insn.has(Prefix.REPNE) && mandatory == 0) {
                out.write(0xF2);
            }
            if (insn.has(Prefix.REP) && mandatory == 0) {
                out.write(0xF3);
            }
            if (insn.has(Prefix.SEGMENT)) {
                out.write(SEGMENT_PREFIX.get(insn.segmentOverride()));
            }
            if (insn.has(Prefix.OPERAND_SIZE)) {
                out.write(0x66);
            }
            if (insn.has(Prefix.ADDRESS_SIZE)) {
                out.write(0x67);
            }
            if (mandatory != 0) {
                out.write(mandatory == Prefix.REP ? 0xF3 : 0xF2);
            }
        }

        /** SDM 2 §2.2.1.2: REX = 0100WRXB; needed for registers 8-15 and for SPL/BPL/SIL/DIL. */
        private void rexPrefix() {
            if (insn.has(Prefix.REX_W)) {
                rex |= 8;
            }
            for (int i = 0; i < insn.operandCount(); i++) {
                Operand op = insn.operand(i);
                if (op instanceof Operand.Reg r) {
                    if (r.kind() == RegisterKind.GPR && r.size() == 1 && r.index() >= 4 && r.index() < 8) {
                        needsRex = true;
                    }
                    if (r.kind() == RegisterKind.GPR_HIGH8 && insn.has(Prefix.REX)) {
                        throw new IllegalArgumentException("AH/CH/DH/BH cannot be encoded with REX: " + insn);
                    }
                }
            }
            if (rex != 0) {
                needsRex = true;
            }
            if (needsRex && !insn.has(Prefix.REX)) {
                throw new IllegalArgumentException("operands need a REX prefix but the instruction has none: " + insn);
            }
            if (insn.has(Prefix.REX)) {
                if (mode != 8) {
                    throw new IllegalArgumentException("REX exists only in 64-bit mode: " + insn);
                }
                out.write(0x40 | rex);
            }
        }

        private void opcodeBytes() {
            switch (slot.map()) {
                case Instruction.MAP_0F -> out.write(0x0F);
                case Instruction.MAP_0F38 -> {
                    out.write(0x0F);
                    out.write(0x38);
                }
                case Instruction.MAP_0F3A -> {
                    out.write(0x0F);
                    out.write(0x3A);
                }
                default -> { }
            }
            out.write(slot.opcodeByte());
        }

        /** The +r forms: the opcode's low bits name the register, REX.B extends it. */
        private void opcodeRegisterRexBit() {
            for (int i = 0; i < form.operands().size(); i++) {
                if (form.operands().get(i).method() == OperandType.Method.Z) {
                    int index = gprIndex((Operand.Reg) insn.operand(i));
                    if ((index & 7) != (slot.opcodeByte() & 7)) {
                        throw new IllegalArgumentException("register does not match opcode " + slot + ": " + insn);
                    }
                    rexBit(index, 1);
                }
            }
            if (slot.rexB() == 1 && (rex & 1) == 0) {
                throw new IllegalArgumentException("opcode 90 with REX.B needs R8-R15: " + insn);
            }
        }

        /** REX.X and REX.B for the index and base of a 32/64-bit address (SDM 2 §2.2.1.3). */
        private void memoryRexBits(Operand.Mem m) {
            if (m.addressSize() == 2 || m.ripRelative()) {
                return;
            }
            if (m.index() >= 0) {
                rexBit(m.index(), 2);
            }
            if (m.base() >= 0) {
                rexBit(m.base(), 1);
            }
        }

        /** ModRM without the r/m memory part: mod, reg and (for registers) rm. */
        private int modrmFields() {
            int reg = slot.reg() >= 0 ? slot.reg() : 0;
            int mod = 3;
            int rm = slot.rm() >= 0 ? slot.rm() : 0;
            for (int i = 0; i < form.operands().size(); i++) {
                OperandType t = form.operands().get(i);
                Operand op = insn.operand(i);
                if (t.isReg()) {
                    int index = ((Operand.Reg) op).index();
                    if (t.method() == OperandType.Method.G) {
                        index = gprIndex((Operand.Reg) op);
                    }
                    if (t.method() != OperandType.Method.S) {
                        rexBit(index, 4);
                    }
                    reg = index & 7;
                } else if (t.isRm()) {
                    if (op instanceof Operand.Reg r) {
                        int index = gprIndex(r);
                        rexBit(index, 1);
                        rm = index & 7;
                    } else {
                        mod = 0;
                    }
                }
            }
            return (mod << 6) | (reg << 3) | rm;
        }

        private Operand.Mem rmMemory() {
            for (int i = 0; i < form.operands().size(); i++) {
                if (form.operands().get(i).isRm() && insn.operand(i) instanceof Operand.Mem m) {
                    return m;
                }
            }
            return null;
        }

        private static int gprIndex(Operand.Reg r) {
            return r.kind() == RegisterKind.GPR_HIGH8 ? r.index() + 4 : r.index();
        }

        private void rexBit(int index, int bit) {
            if (index >= 8) {
                rex |= bit;
            }
        }

        /** ModRM.mod/rm, SIB and displacement for a memory operand (SDM 2 Tables 2-1 to 2-3). */
        private void address(int regBits, Operand.Mem m) {
            if (m.addressSize() == 2) {
                address16(regBits, m);
                return;
            }
            long disp = m.displacement();
            if (disp != (int) disp) {
                throw new IllegalArgumentException("displacement does not fit 32 bits: " + m);
            }
            if (m.ripRelative()) {
                if (mode != 8) {
                    throw new IllegalArgumentException("RIP-relative addressing exists only in 64-bit mode");
                }
                out.write(regBits | 5);
                le(disp, 4);
                return;
            }
            int base = m.base();
            int index = m.index();
            if (index == 4) {
                throw new IllegalArgumentException("RSP cannot be an index register: " + m);
            }
            boolean needSib = index != Operand.Mem.NONE || base == Operand.Mem.NONE && mode == 8
                    || base != Operand.Mem.NONE && (base & 7) == 4;
            int mod;
            int dispSize;
            if (base == Operand.Mem.NONE) {
                mod = 0;
                dispSize = 4;
            } else if (disp == 0 && (base & 7) != 5) {
                mod = 0;
                dispSize = 0;
            } else if (disp == (byte) disp) {
                mod = 1;
                dispSize = 1;
            } else {
                mod = 2;
                dispSize = 4;
            }
            if (needSib) {
                out.write((mod << 6) | regBits | 4);
                int scaleBits = switch (index == Operand.Mem.NONE ? 1 : m.scale()) {
                    case 1 -> 0;
                    case 2 -> 1;
                    case 4 -> 2;
                    case 8 -> 3;
                    default -> throw new IllegalArgumentException("scale must be 1, 2, 4 or 8: " + m);
                };
                int indexBits = index == Operand.Mem.NONE ? 4 : index & 7;
                int baseBits = base == Operand.Mem.NONE ? 5 : base & 7;
                out.write((scaleBits << 6) | (indexBits << 3) | baseBits);
            } else {
                out.write((mod << 6) | regBits | (base == Operand.Mem.NONE ? 5 : base & 7));
            }
            le(disp, dispSize);
        }

        /** SDM 2 Table 2-1. Accepts [BX|BP (+SI|DI)], [SI], [DI] in either base or index position. */
        private void address16(int regBits, Operand.Mem m) {
            final int bx = 3, bp = 5, si = 6, di = 7;
            int a = m.base();
            int b = m.index();
            if (a == si || a == di) {
                int t = a;
                a = b;
                b = t;
            }
            if (b != Operand.Mem.NONE && m.scale() != 1 || m.ripRelative()) {
                throw new IllegalArgumentException("not a 16-bit addressing form: " + m);
            }
            long disp = m.displacement();
            if (disp != (short) disp) {
                throw new IllegalArgumentException("displacement does not fit 16 bits: " + m);
            }
            int rm;
            if (a == bx && b == si) {
                rm = 0;
            } else if (a == bx && b == di) {
                rm = 1;
            } else if (a == bp && b == si) {
                rm = 2;
            } else if (a == bp && b == di) {
                rm = 3;
            } else if (a == Operand.Mem.NONE && b == si) {
                rm = 4;
            } else if (a == Operand.Mem.NONE && b == di) {
                rm = 5;
            } else if (a == bp && b == Operand.Mem.NONE) {
                rm = 6;
            } else if (a == bx && b == Operand.Mem.NONE) {
                rm = 7;
            } else if (a == Operand.Mem.NONE && b == Operand.Mem.NONE) {
                out.write(regBits | 6);
                le(disp, 2);
                return;
            } else {
                throw new IllegalArgumentException("not a 16-bit addressing form: " + m);
            }
            if (disp == 0 && rm != 6) {
                out.write(regBits | rm);
            } else if (disp == (byte) disp) {
                out.write(0x40 | regBits | rm);
                le(disp, 1);
            } else {
                out.write(0x80 | regBits | rm);
                le(disp, 2);
            }
        }

        private void immediates() {
            for (int i = 0; i < form.operands().size(); i++) {
                OperandType t = form.operands().get(i);
                Operand op = insn.operand(i);
                switch (t.method()) {
                    case I, U -> le(((Operand.Imm) op).value(), ((Operand.Imm) op).encodedSize());
                    case J -> le(((Operand.Rel) op).displacement(), ((Operand.Rel) op).encodedSize());
                    case O -> le(((Operand.Mem) op).displacement(), ((Operand.Mem) op).addressSize());
                    case A -> {
                        Operand.FarPtr far = (Operand.FarPtr) op;
                        le(far.offset(), far.offsetSize());
                        le(far.selector(), 2);
                    }
                    default -> { }
                }
            }
        }

        private void le(long value, int bytes) {
            for (int i = 0; i < bytes; i++) {
                out.write((int) (value >>> (8 * i)) & 0xFF);
            }
        }
    }
}
