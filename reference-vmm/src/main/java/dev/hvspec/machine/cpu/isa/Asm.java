package dev.hvspec.machine.cpu.isa;

/**
 * Operands for the {@link Assembler}, meant for {@code import static …Asm.*}: typed register
 * constants, memory operands and immediates.
 *
 * <p>Memory operands built here may leave the address size open ({@code addressSize} 0): the
 * assembler takes it from the base/index registers, or from the current mode for absolute
 * addresses, and sign-extends the displacement from the address size as the decoder would.
 * The segment is the default one for the base (SS for rSP/rBP, DS otherwise); {@link #seg}
 * overrides it.
 */
public final class Asm {
    private Asm() {
    }

    private static Operand.Reg gpr(int index, int size) {
        return new Operand.Reg(RegisterKind.GPR, index, size);
    }

    public static final Operand.Reg RAX = gpr(0, 8), RCX = gpr(1, 8), RDX = gpr(2, 8), RBX = gpr(3, 8),
            RSP = gpr(4, 8), RBP = gpr(5, 8), RSI = gpr(6, 8), RDI = gpr(7, 8),
            R8 = gpr(8, 8), R9 = gpr(9, 8), R10 = gpr(10, 8), R11 = gpr(11, 8),
            R12 = gpr(12, 8), R13 = gpr(13, 8), R14 = gpr(14, 8), R15 = gpr(15, 8);
    public static final Operand.Reg EAX = gpr(0, 4), ECX = gpr(1, 4), EDX = gpr(2, 4), EBX = gpr(3, 4),
            ESP = gpr(4, 4), EBP = gpr(5, 4), ESI = gpr(6, 4), EDI = gpr(7, 4),
            R8D = gpr(8, 4), R9D = gpr(9, 4), R10D = gpr(10, 4), R11D = gpr(11, 4),
            R12D = gpr(12, 4), R13D = gpr(13, 4), R14D = gpr(14, 4), R15D = gpr(15, 4);
    public static final Operand.Reg AX = gpr(0, 2), CX = gpr(1, 2), DX = gpr(2, 2), BX = gpr(3, 2),
            SP = gpr(4, 2), BP = gpr(5, 2), SI = gpr(6, 2), DI = gpr(7, 2),
            R8W = gpr(8, 2), R9W = gpr(9, 2), R10W = gpr(10, 2), R11W = gpr(11, 2),
            R12W = gpr(12, 2), R13W = gpr(13, 2), R14W = gpr(14, 2), R15W = gpr(15, 2);
    public static final Operand.Reg AL = gpr(0, 1), CL = gpr(1, 1), DL = gpr(2, 1), BL = gpr(3, 1),
            SPL = gpr(4, 1), BPL = gpr(5, 1), SIL = gpr(6, 1), DIL = gpr(7, 1),
            R8B = gpr(8, 1), R9B = gpr(9, 1), R10B = gpr(10, 1), R11B = gpr(11, 1),
            R12B = gpr(12, 1), R13B = gpr(13, 1), R14B = gpr(14, 1), R15B = gpr(15, 1);
    public static final Operand.Reg AH = new Operand.Reg(RegisterKind.GPR_HIGH8, 0, 1),
            CH = new Operand.Reg(RegisterKind.GPR_HIGH8, 1, 1),
            DH = new Operand.Reg(RegisterKind.GPR_HIGH8, 2, 1),
            BH = new Operand.Reg(RegisterKind.GPR_HIGH8, 3, 1);
    public static final Operand.Reg ES = new Operand.Reg(RegisterKind.SEGMENT, 0, 2),
            CS = new Operand.Reg(RegisterKind.SEGMENT, 1, 2), SS = new Operand.Reg(RegisterKind.SEGMENT, 2, 2),
            DS = new Operand.Reg(RegisterKind.SEGMENT, 3, 2), FS = new Operand.Reg(RegisterKind.SEGMENT, 4, 2),
            GS = new Operand.Reg(RegisterKind.SEGMENT, 5, 2);
    /** Control and debug registers; their size follows the mode (4, or 8 in 64-bit mode). */
    public static final Operand.Reg CR0 = new Operand.Reg(RegisterKind.CONTROL, 0, 4),
            CR2 = new Operand.Reg(RegisterKind.CONTROL, 2, 4), CR3 = new Operand.Reg(RegisterKind.CONTROL, 3, 4),
            CR4 = new Operand.Reg(RegisterKind.CONTROL, 4, 4), CR8 = new Operand.Reg(RegisterKind.CONTROL, 8, 8);
    public static final Operand.Reg DR0 = dr(0), DR1 = dr(1), DR2 = dr(2), DR3 = dr(3), DR6 = dr(6), DR7 = dr(7);

    private static Operand.Reg dr(int n) {
        return new Operand.Reg(RegisterKind.DEBUG, n, 4);
    }

    /** The x87 register stack ST(0)-ST(7), the MMX registers and the XMM registers. */
    public static final Operand.Reg ST0 = st(0), ST1 = st(1), ST2 = st(2), ST3 = st(3), ST4 = st(4), ST5 = st(5),
            ST6 = st(6), ST7 = st(7);
    public static final Operand.Reg MM0 = mm(0), MM1 = mm(1), MM2 = mm(2), MM3 = mm(3), MM4 = mm(4), MM5 = mm(5),
            MM6 = mm(6), MM7 = mm(7);
    public static final Operand.Reg XMM0 = xmm(0), XMM1 = xmm(1), XMM2 = xmm(2), XMM3 = xmm(3), XMM4 = xmm(4),
            XMM5 = xmm(5), XMM6 = xmm(6), XMM7 = xmm(7), XMM8 = xmm(8), XMM9 = xmm(9), XMM10 = xmm(10),
            XMM11 = xmm(11), XMM12 = xmm(12), XMM13 = xmm(13), XMM14 = xmm(14), XMM15 = xmm(15);

    public static Operand.Reg st(int i) {
        return new Operand.Reg(RegisterKind.X87, i, 10);
    }

    public static Operand.Reg mm(int i) {
        return new Operand.Reg(RegisterKind.MMX, i, 8);
    }

    public static Operand.Reg xmm(int i) {
        return new Operand.Reg(RegisterKind.XMM, i, 16);
    }

    /** An immediate whose encoding the assembler chooses (the shortest form that holds it). */
    public static Operand.Imm imm(long value) {
        return new Operand.Imm(value, 0, 0);
    }

    /**
     * {@code size PTR [base + index*scale + disp]}; {@code base}/{@code index} may be null. The
     * address size is that of the registers; {@code size} 0 for LEA and operands whose size the
     * instruction fixes (LGDT, far pointers).
     */
    public static Operand.Mem mem(int size, Operand.Reg base, Operand.Reg index, int scale, long disp) {
        if (base != null && base.kind() != RegisterKind.GPR || index != null && index.kind() != RegisterKind.GPR) {
            throw new IllegalArgumentException("address registers must be general registers");
        }
        if (base != null && index != null && base.size() != index.size()) {
            throw new IllegalArgumentException("base and index must have the same size");
        }
        int asize = base != null ? base.size() : index != null ? index.size() : 0;
        int b = base == null ? Operand.Mem.NONE : base.index();
        int i = index == null ? Operand.Mem.NONE : index.index();
        boolean stack = asize == 2 ? b == 5 : b == 4 || b == 5;
        return new Operand.Mem(stack ? 2 : 3, b, i, index == null ? 1 : scale, disp, size, asize, false);
    }

    public static Operand.Mem mem(int size, Operand.Reg base, long disp) {
        return mem(size, base, null, 1, disp);
    }

    /** An absolute address {@code size PTR ds:address}. */
    public static Operand.Mem mem(int size, long address) {
        return mem(size, null, null, 1, address);
    }

    public static Operand.Mem bytePtr(Operand.Reg base, long disp) {
        return mem(1, base, disp);
    }

    public static Operand.Mem word(Operand.Reg base, long disp) {
        return mem(2, base, disp);
    }

    public static Operand.Mem dword(Operand.Reg base, long disp) {
        return mem(4, base, disp);
    }

    public static Operand.Mem qword(Operand.Reg base, long disp) {
        return mem(8, base, disp);
    }

    public static Operand.Mem bytePtr(long address) {
        return mem(1, address);
    }

    public static Operand.Mem word(long address) {
        return mem(2, address);
    }

    public static Operand.Mem dword(long address) {
        return mem(4, address);
    }

    public static Operand.Mem qword(long address) {
        return mem(8, address);
    }

    /** The same memory operand with segment {@code segment} (emits an override prefix if needed). */
    public static Operand.Mem seg(Operand.Reg segment, Operand.Mem m) {
        if (segment.kind() != RegisterKind.SEGMENT) {
            throw new IllegalArgumentException("not a segment register: " + segment);
        }
        return new Operand.Mem(segment.index(), m.base(), m.index(), m.scale(), m.displacement(), m.size(),
                m.addressSize(), m.ripRelative());
    }

    /** A far pointer {@code selector:offset} for JMP/CALL far (ptr16:16 with offsetSize 2, ptr16:32 with 4). */
    public static Operand.FarPtr far(int selector, long offset, int offsetSize) {
        return new Operand.FarPtr(selector, offset, offsetSize);
    }
}
