package dev.hvspec.machine.cpu.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generates random valid instructions for a chosen form of the opcode tables: random registers,
 * addressing forms (16-, 32- and 64-bit, SIB, RIP-relative, segment overrides), immediates,
 * displacements and prefixes, assembled into a complete {@link Instruction} by
 * {@link InstructionBuilder}. Used by the round-trip property and the objdump/nasm differential
 * tests.
 */
final class InstructionGenerator {
    private final Random random;
    /** Restrict to what objdump prints the way the SDM defines it (see ObjdumpDifferentialTest). */
    private final boolean objdumpComparable;

    InstructionGenerator(Random random, boolean objdumpComparable) {
        this.random = random;
        this.objdumpComparable = objdumpComparable;
    }

    /** A random instruction of {@code slot} in {@code mode}, or null if none could be built. */
    Instruction generate(Slot slot, int mode) {
        if (!slot.validIn(mode) || slot.feature() != null && !slot.featurePresent()) {
            return null;
        }
        for (int attempt = 0; attempt < 40; attempt++) {
            Instruction i = attempt(slot, mode);
            if (i != null) {
                return i;
            }
        }
        return null;
    }

    private Instruction attempt(Slot slot, int mode) {
        Form form = slot.form();
        int osize = pick(mode == 8 ? new int[] {2, 4, 8} : new int[] {2, 4});
        if (slot.rexW() == 1) {
            osize = 8;
        }
        int asize = mode == 8 ? pick(new int[] {8, 8, 8, 4}) : pick(new int[] {mode, mode, mode, 6 - mode});
        boolean rex = mode == 8 && (random.nextInt(8) == 0 && !objdumpComparable || slot.rexB() == 1);
        List<Operand> operands = new ArrayList<>();
        for (OperandType t : form.operands()) {
            Operand op = operand(t, slot, form, osize, mode, asize, rex);
            if (op == null) {
                return null;
            }
            operands.add(op);
        }
        if (objdumpComparable && slot.rexW() != 1 && osize != form.operandSizeAttribute(mode, false, false)
                && !operandSizeVisible(form, operands, mode)) {
            // objdump prints an operand-size prefix that changes nothing it shows as data16/rex.W.
            return null;
        }
        int extra = rex ? Prefix.REX : 0;
        boolean string = isString(form.mnemonic());
        if (form.is(Attribute.LOCKABLE) && !operands.isEmpty() && operands.get(0) instanceof Operand.Mem && random.nextBoolean()) {
            extra |= Prefix.LOCK;
        }
        if (string && random.nextInt(3) == 0) {
            extra |= random.nextBoolean() ? Prefix.REP : Prefix.REPNE;
        }
        int segment = -1;
        if ((string || form.mnemonic() == Mnemonic.XLAT) && random.nextInt(3) == 0) {
            segment = random.nextInt(6);
            if (mode == 8 && objdumpComparable) {
                segment = 4 + random.nextInt(2);
            }
        }
        int wanted = form.operationSize(osize);
        Instruction i = InstructionBuilder.build(slot, mode, wanted, extra, segment, operands);
        if (i == null && string) {
            // String instructions carry the address size only in the prefixes; try the default.
            i = InstructionBuilder.build(slot, mode, wanted, extra, segment, operands);
        }
        return i;
    }

    /** Whether objdump's text shows the operand-size attribute of the form (register/memory sizes, suffixes). */
    private static boolean operandSizeVisible(Form form, List<Operand> operands, int mode) {
        switch (form.mnemonic()) {
            case PUSHA, POPA, PUSHF, POPF, IRET, RET, RETF, ENTER, LEAVE, LGDT, LIDT, SGDT, SIDT, CBW, CWD,
                 MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS, PUSH, POP, JMP, CALL, JCC, LOOP, LOOPE, LOOPNE, JCXZ,
                 MOV_CR, MOV_DR -> {
                return true;
            }
            case SYSRET, SYSEXIT -> {
                return mode == 8;
            }
            default -> { }
        }
        for (int i = 0; i < form.operands().size(); i++) {
            OperandType t = form.operands().get(i);
            boolean memory = operands.get(i) instanceof Operand.Mem;
            boolean registerOnly = t.method() == OperandType.Method.R_OR_MW && t.size() != OperandType.Size.D
                    || t.method() == OperandType.Method.R_OR_M;
            boolean sized = !registerOnly && switch (t.size()) {
                case V, Z, Y, P, A -> true;
                default -> false;
            };
            if (sized && t.method() != OperandType.Method.U || registerOnly && !memory) {
                return true;
            }
        }
        return false;
    }

    private static boolean isString(Mnemonic m) {
        return switch (m) {
            case MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS -> true;
            default -> false;
        };
    }

    private Operand operand(OperandType t, Slot slot, Form form, int osize, int mode, int asize, boolean rex) {
        int size = t.bytes(osize, mode);
        boolean wantMemory = switch (slot.mod()) {
            case MEMORY -> true;
            case REGISTER -> false;
            case ANY -> random.nextBoolean();
        };
        return switch (t.method()) {
            case E -> wantMemory ? memory(size, mode, asize) : gpr(size, mode, rex, -1);
            case M -> memory(size, mode, asize);
            case R, G -> gpr(size, mode, rex, -1);
            case R_OR_MW -> wantMemory ? memory(2, mode, asize)
                    : gpr(t.size() == OperandType.Size.D ? 4 : osize, mode, rex, -1);
            case V, XMM_RM -> vector(RegisterKind.XMM, mode == 8 ? 16 : 8, 16);
            case W -> wantMemory ? memory(size, mode, asize) : vector(RegisterKind.XMM, mode == 8 ? 16 : 8, 16);
            case P, N -> vector(RegisterKind.MMX, 8, 8);
            case Q -> wantMemory ? memory(size, mode, asize) : vector(RegisterKind.MMX, 8, 8);
            case ST0 -> new Operand.Reg(RegisterKind.X87, 0, 10);
            case STI -> vector(RegisterKind.X87, 8, 10);
            case R_OR_M -> wantMemory ? memory(0, mode, asize) : gpr(osize, mode, rex, -1);
            case Z -> gpr(size, mode, rex || slot.rexB() == 1, slot.opcodeByte() & 7);
            case S -> new Operand.Reg(RegisterKind.SEGMENT, form.mnemonic() == Mnemonic.MOV && t == form.operands().get(0)
                    ? pick(new int[] {0, 2, 3, 4, 5}) : random.nextInt(6), 2);
            case C -> new Operand.Reg(RegisterKind.CONTROL, pick(mode == 8 ? new int[] {0, 2, 3, 4, 8} : new int[] {0, 2, 3, 4}), size);
            case D -> new Operand.Reg(RegisterKind.DEBUG, random.nextInt(8), size);
            case FIXED_GPR -> new Operand.Reg(RegisterKind.GPR, t.register(), size);
            case FIXED_SEGMENT -> new Operand.Reg(RegisterKind.SEGMENT, t.register(), 2);
            case ONE -> new Operand.Imm(1, 0, 1);
            case I -> new Operand.Imm(signedValue(t.size() == OperandType.Size.B ? 1 : size), 0, 0);
            case U -> new Operand.Imm(random.nextLong() & (size == 1 ? 0xFF : 0xFFFF), 0, 0);
            case J -> new Operand.Rel(signedValue(t.size() == OperandType.Size.B ? 1 : size), 0, 0);
            case O -> new Operand.Mem(segment(mode, false, false), Operand.Mem.NONE, Operand.Mem.NONE, 1,
                    signedValue(asize), size, asize, false);
            case A -> new Operand.FarPtr(random.nextInt(0x10000),
                    random.nextLong() & (osize == 2 ? 0xFFFFL : 0xFFFFFFFFL), osize == 2 ? 2 : 4);
        };
    }

    private Operand.Reg vector(RegisterKind kind, int count, int size) {
        return new Operand.Reg(kind, random.nextInt(count), size);
    }

    private Operand.Reg gpr(int size, int mode, boolean rex, int low3) {
        int index = low3 >= 0 ? low3 + (mode == 8 && (rex && random.nextBoolean()) ? 8 : 0)
                : random.nextInt(mode == 8 ? 16 : 8);
        if (low3 >= 0 && rex && mode == 8 && random.nextInt(4) == 0) {
            index = low3 + 8;
        }
        if (size == 1 && index >= 4 && index < 8 && !(rex || mode == 8 && random.nextBoolean())) {
            return new Operand.Reg(RegisterKind.GPR_HIGH8, index - 4, 1);
        }
        return new Operand.Reg(RegisterKind.GPR, index, size);
    }

    private Operand.Mem memory(int size, int mode, int asize) {
        if (asize == 2) {
            int[][] forms = {{3, 6}, {3, 7}, {5, 6}, {5, 7}, {6, -1}, {7, -1}, {5, -1}, {3, -1}, {-1, -1}};
            int[] f = forms[random.nextInt(forms.length)];
            long disp = f[0] < 0 && f[1] < 0 ? signedValue(2) : displacement(2);
            boolean stack = f[0] == 5;
            return new Operand.Mem(segment(mode, stack, true), f[0], f[1], 1, disp, size, 2, false);
        }
        int regs = mode == 8 ? 16 : 8;
        if (mode == 8 && random.nextInt(6) == 0) {
            return new Operand.Mem(segment(mode, false, true), Operand.Mem.NONE, Operand.Mem.NONE, 1,
                    signedValue(4), size, asize, true);
        }
        int base = random.nextInt(5) == 0 ? Operand.Mem.NONE : random.nextInt(regs);
        int index = Operand.Mem.NONE;
        int scale = 1;
        if (random.nextInt(3) == 0) {
            do {
                index = random.nextInt(regs);
            } while (index == 4);
            scale = 1 << random.nextInt(4);
        }
        long disp = base == Operand.Mem.NONE ? signedValue(4) : displacement(4);
        boolean stack = base == 4 || base == 5;
        return new Operand.Mem(segment(mode, stack, true), base, index, scale, disp, size, asize, false);
    }

    private long displacement(int bytes) {
        return switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> (byte) random.nextInt();
            default -> signedValue(bytes);
        };
    }

    private int segment(int mode, boolean stack, boolean mayOverride) {
        int byDefault = stack ? 2 : 3;
        if (!mayOverride || random.nextInt(4) != 0) {
            return byDefault;
        }
        return mode == 8 ? 4 + random.nextInt(2) : random.nextInt(6);
    }

    private long signedValue(int bytes) {
        long v = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(256) - 128;
            case 1 -> random.nextBoolean() ? 0 : -1;
            default -> random.nextLong();
        };
        return OperandMatcher.signExtend(v, bytes);
    }

    private int pick(int[] choices) {
        return choices[random.nextInt(choices.length)];
    }
}
