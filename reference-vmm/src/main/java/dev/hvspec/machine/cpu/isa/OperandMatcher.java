package dev.hvspec.machine.cpu.isa;

/**
 * Whether an operand fits an operand type of a form at a given operand-size attribute, and its
 * canonical form (what the decoder would produce). Used by {@link InstructionBuilder}.
 */
final class OperandMatcher {
    private OperandMatcher() {
    }

    /** The canonical operand, or null if {@code op} does not fit {@code t}. */
    static Operand match(OperandType t, Operand op, Form form, int osize, int mode, int asize) {
        int size = t.bytes(osize, mode);
        return switch (t.method()) {
            case E -> op instanceof Operand.Reg r ? gpr(r, size, mode) : memory(op, size, false, mode, asize);
            case M -> memory(op, size, fixedSize(t), mode, asize);
            case R, G, Z -> op instanceof Operand.Reg r ? gpr(r, size, mode) : null;
            case R_OR_MW -> op instanceof Operand.Reg r ? gpr(r, t.size() == OperandType.Size.D ? 4 : osize, mode)
                    : memory(op, 2, true, mode, asize);
            case V, XMM_RM -> vector(op, RegisterKind.XMM, mode == 8 ? 16 : 8, 16);
            case W -> op instanceof Operand.Reg ? vector(op, RegisterKind.XMM, mode == 8 ? 16 : 8, 16)
                    : memory(op, size, fixedSize(t), mode, asize);
            case P, N -> vector(op, RegisterKind.MMX, 8, 8);
            case Q -> op instanceof Operand.Reg ? vector(op, RegisterKind.MMX, 8, 8)
                    : memory(op, size, fixedSize(t), mode, asize);
            case ST0 -> op instanceof Operand.Reg r && r.kind() == RegisterKind.X87 && r.index() == 0
                    ? new Operand.Reg(RegisterKind.X87, 0, 10) : null;
            case STI -> vector(op, RegisterKind.X87, 8, 10);
            case R_OR_M -> op instanceof Operand.Reg r ? gpr(r, osize, mode)
                    : op instanceof Operand.Mem m ? memory(withSize(m, 0), 0, true, mode, asize) : null;
            case S -> op instanceof Operand.Reg r && r.kind() == RegisterKind.SEGMENT && r.index() <= 5
                    ? new Operand.Reg(RegisterKind.SEGMENT, r.index(), 2) : null;
            case C -> op instanceof Operand.Reg r && r.kind() == RegisterKind.CONTROL && validCr(r.index(), mode)
                    ? new Operand.Reg(RegisterKind.CONTROL, r.index(), size) : null;
            case D -> op instanceof Operand.Reg r && r.kind() == RegisterKind.DEBUG && r.index() <= 7
                    ? new Operand.Reg(RegisterKind.DEBUG, r.index(), size) : null;
            case FIXED_GPR -> op instanceof Operand.Reg r && r.kind() == RegisterKind.GPR
                    && r.index() == t.register() && r.size() == size ? r : null;
            case FIXED_SEGMENT -> op instanceof Operand.Reg r && r.kind() == RegisterKind.SEGMENT
                    && r.index() == t.register() ? new Operand.Reg(RegisterKind.SEGMENT, r.index(), 2) : null;
            case ONE -> op instanceof Operand.Imm i && i.value() == 1 && i.encodedSize() == 0
                    && (i.size() == 0 || i.size() == 1) ? new Operand.Imm(1, 0, 1) : null;
            case I -> signedImmediate(t, op, form.operationSize(osize), size);
            case U -> unsignedImmediate(op, size);
            case J -> relative(t, op, osize, size);
            case O -> op instanceof Operand.Mem m && m.base() == Operand.Mem.NONE && m.index() == Operand.Mem.NONE
                    && !m.ripRelative() && m.size() == size && m.addressSize() == asize
                    && (asize == 8 || fitsSigned(m.displacement(), asize)) ? m : null;
            case A -> op instanceof Operand.FarPtr f && f.offsetSize() == (osize == 2 ? 2 : 4)
                    && f.selector() >= 0 && f.selector() <= 0xFFFF
                    && f.offset() >= 0 && f.offset() < (1L << (8 * f.offsetSize())) ? f : null;
        };
    }

    /**
     * The segment-override prefix a memory operand needs: -1 for none (its segment is the default),
     * the segment, or -2 if it cannot be expressed (ES/CS/SS/DS overrides are ignored in 64-bit mode).
     */
    static int segmentPrefixFor(Operand.Mem m, int mode, boolean moffs) {
        int defaultSegment = 3;
        if (!moffs && !m.ripRelative()) {
            boolean stackBase = m.addressSize() == 2 ? m.base() == 5 : m.base() == 4 || m.base() == 5;
            defaultSegment = stackBase ? 2 : 3;
        }
        if (m.segment() == defaultSegment) {
            return -1;
        }
        if (mode == 8 && m.segment() < 4) {
            return -2;
        }
        return m.segment();
    }

    private static boolean fixedSize(OperandType t) {
        return switch (t.size()) {
            case NONE, S, P, A, Q, DQ, PS, PD, SS, SD, PI, T, ENV, FSAVE, FXSAVE -> true;
            default -> false;
        };
    }

    /** An XMM, MMX or x87 register of {@code kind} with an index below {@code count}, at {@code size}. */
    private static Operand.Reg vector(Operand op, RegisterKind kind, int count, int size) {
        return op instanceof Operand.Reg r && r.kind() == kind && r.index() >= 0 && r.index() < count
                ? new Operand.Reg(kind, r.index(), size) : null;
    }

    private static boolean validCr(int cr, int mode) {
        return cr == 0 || cr == 2 || cr == 3 || cr == 4 || cr == 8 && mode == 8;
    }

    private static Operand.Reg gpr(Operand.Reg r, int size, int mode) {
        if (r.kind() == RegisterKind.GPR_HIGH8) {
            return size == 1 && r.index() < 4 ? r : null;
        }
        if (r.kind() != RegisterKind.GPR || r.size() != size || r.index() < 0 || r.index() > 15) {
            return null;
        }
        return mode == 8 || r.index() < 8 && !(size == 1 && r.index() >= 4) ? r : null;
    }

    private static Operand.Mem withSize(Operand.Mem m, int size) {
        return new Operand.Mem(m.segment(), m.base(), m.index(), m.scale(), m.displacement(), size,
                m.addressSize(), m.ripRelative());
    }

    private static Operand.Mem memory(Operand op, int size, boolean sizeMayBeOmitted, int mode, int asize) {
        if (!(op instanceof Operand.Mem m) || m.addressSize() != asize) {
            return null;
        }
        if (m.size() != size && !(sizeMayBeOmitted && m.size() == 0)) {
            return null;
        }
        if (m.ripRelative() && (mode != 8 || m.base() != Operand.Mem.NONE || m.index() != Operand.Mem.NONE)) {
            return null;
        }
        if (m.index() == Operand.Mem.NONE ? m.scale() != 1 : !(m.scale() == 1 || m.scale() == 2 || m.scale() == 4 || m.scale() == 8)) {
            return null;
        }
        if (m.segment() < 0 || m.segment() > 5 || !fitsSigned(m.displacement(), asize == 2 ? 2 : 4)) {
            return null;
        }
        int limit = mode == 8 ? 16 : 8;
        if (m.base() >= limit || m.index() >= limit) {
            return null;
        }
        return withSize(m, size);
    }

    private static Operand.Imm signedImmediate(OperandType t, Operand op, int operation, int size) {
        if (!(op instanceof Operand.Imm i)) {
            return null;
        }
        int encoded = t.size() == OperandType.Size.B ? 1 : size;
        if (i.encodedSize() != 0 && i.encodedSize() != encoded || i.size() != 0 && i.size() != operation) {
            return null;
        }
        long value = i.value();
        if (!fitsSigned(value, operation) && !fitsUnsigned(value, operation)) {
            return null;
        }
        long atOperation = signExtend(value, operation);
        return fitsSigned(atOperation, encoded) ? new Operand.Imm(atOperation, encoded, operation) : null;
    }

    private static Operand.Imm unsignedImmediate(Operand op, int size) {
        if (!(op instanceof Operand.Imm i) || i.encodedSize() != 0 && i.encodedSize() != size
                || i.size() != 0 && i.size() != size) {
            return null;
        }
        return fitsUnsigned(i.value(), size) ? new Operand.Imm(i.value(), size, size) : null;
    }

    private static Operand.Rel relative(OperandType t, Operand op, int osize, int size) {
        if (!(op instanceof Operand.Rel r)) {
            return null;
        }
        int encoded = t.size() == OperandType.Size.B ? 1 : size;
        if (r.encodedSize() != 0 && r.encodedSize() != encoded || r.size() != 0 && r.size() != osize) {
            return null;
        }
        return fitsSigned(r.displacement(), encoded) ? new Operand.Rel(r.displacement(), encoded, osize) : null;
    }

    static long signExtend(long value, int bytes) {
        int shift = 64 - 8 * bytes;
        return bytes >= 8 ? value : (value << shift) >> shift;
    }

    static boolean fitsSigned(long value, int bytes) {
        return signExtend(value, bytes) == value;
    }

    static boolean fitsUnsigned(long value, int bytes) {
        return bytes >= 8 || value >= 0 && value < (1L << (8 * bytes));
    }
}
