package dev.hvspec.machine.cpu.isa;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small x86 assembler for guest programs, over the same opcode tables as the decoder: each
 * instruction is the shortest encoding among the forms of its mnemonic that accept the operands
 * ({@link InstructionBuilder}, {@link Encoder}). Operands come from {@link Asm}.
 *
 * <pre>{@code
 * Assembler a = new Assembler(0x7C00, 2);          // 16-bit real-mode code at 0x7C00
 * Label gdtr = a.label(), gdt = a.label(), pm = a.label();
 * a.cli();
 * a.lgdt(a.absolute(0, gdtr));
 * a.mov(EAX, CR0).or(EAX, 1).mov(CR0, EAX);
 * a.jmpFar(0x08, pm, 4);                           // ptr16:32 to 32-bit code
 * a.bits(4).bind(pm);
 * a.mov(EAX, 0x10).mov(DS, AX);
 * a.mov(DX, 0xF4).out(DX, EAX);                    // isa-debug-exit
 * a.align(8).bind(gdt).dq(0, 0x00CF9A000000FFFFL, 0x00CF92000000FFFFL);
 * a.bind(gdtr).dw(0x17).dd(gdt);
 * byte[] image = a.assemble();
 * }</pre>
 *
 * Jumps and calls to labels use rel16/rel32 ({@link #jmp(Label)}) or rel8 where asked
 * ({@link #jmpShort(Label)}); label addresses can be immediates ({@link #addressOf(Label)}),
 * absolute or RIP-relative memory operands ({@link #absolute}, {@link #ripRelative}) and data
 * ({@link #dd(Label)}). All are resolved by {@link #assemble()}, which fails if a value does not
 * fit its field (e.g. a short jump out of range). An assembler is a single-threaded builder.
 */
public final class Assembler {
    private final long origin;
    private int mode;
    private final ByteArrayOutputStream code = new ByteArrayOutputStream();
    private final List<Long> labelOffsets = new ArrayList<>();
    private final List<Fixup> fixups = new ArrayList<>();
    private final Map<Operand, LabelRef> placeholders = new IdentityHashMap<>();
    private int pendingPrefixes;
    private int pendingSegment = -1;

    /** A label plus an addend, the value of a placeholder operand. */
    record LabelRef(Label label, long addend) {
    }

    /** A field whose value depends on a label. */
    private record Fixup(int offset, int mode, Instruction instruction, LabelRef[] refs, int dataSize, LabelRef data) {
    }

    /**
     * @param origin the address of the first byte
     * @param mode   the code size: 2 (16-bit), 4 (32-bit), 8 (64-bit)
     */
    public Assembler(long origin, int mode) {
        this.origin = origin;
        bits(mode);
    }

    /** Switches the code size for the following instructions (a boot stub goes 2 → 4 → 8). */
    public Assembler bits(int newMode) {
        if (newMode != 2 && newMode != 4 && newMode != 8) {
            throw new IllegalArgumentException("mode must be 2, 4 or 8: " + newMode);
        }
        this.mode = newMode;
        return this;
    }

    public int mode() {
        return mode;
    }

    public long origin() {
        return origin;
    }

    /** The address the next byte will have. */
    public long position() {
        return origin + code.size();
    }

    // ---- labels ----

    public Label label() {
        return label(null);
    }

    public Label label(String name) {
        labelOffsets.add(-1L);
        return new Label(this, labelOffsets.size() - 1, name);
    }

    /** Binds {@code label} to the current position. */
    public Assembler bind(Label label) {
        own(label);
        if (labelOffsets.get(label.id) >= 0) {
            throw new IllegalStateException("label " + label + " is bound twice");
        }
        labelOffsets.set(label.id, (long) code.size());
        return this;
    }

    /** A new label bound here. */
    public Label here() {
        Label l = label();
        bind(l);
        return l;
    }

    private void own(Label label) {
        if (label.owner != this) {
            throw new IllegalArgumentException("label " + label + " belongs to another assembler");
        }
    }

    /** The label's address as an immediate (16 bits in 16-bit code, else 32), resolved at {@link #assemble()}. */
    public Operand.Imm addressOf(Label label) {
        return addressOf(label, 0);
    }

    public Operand.Imm addressOf(Label label, long addend) {
        own(label);
        return placeholder(new Operand.Imm(0, mode == 2 ? 2 : 4, 0), label, addend);
    }

    /** The label's address as a 64-bit immediate, for {@code MOV r64, imm64} (MOVABS). */
    public Operand.Imm addressOf64(Label label) {
        own(label);
        return placeholder(new Operand.Imm(0, 8, 0), label, 0);
    }

    /** {@code size PTR ds:label} — an absolute memory operand at the label's address. */
    public Operand.Mem absolute(int size, Label label) {
        own(label);
        int asize = mode == 8 ? 8 : mode;
        return placeholder(new Operand.Mem(3, Operand.Mem.NONE, Operand.Mem.NONE, 1, 0, size, asize, false), label, 0);
    }

    /** {@code size PTR [rip+label]} (64-bit mode). */
    public Operand.Mem ripRelative(int size, Label label) {
        own(label);
        return placeholder(new Operand.Mem(3, Operand.Mem.NONE, Operand.Mem.NONE, 1, 0, size, 8, true), label, 0);
    }

    private <T extends Operand> T placeholder(T operand, Label label, long addend) {
        placeholders.put(operand, new LabelRef(label, addend));
        return operand;
    }

    // ---- prefixes for the next instruction ----

    public Assembler lock() {
        pendingPrefixes |= Prefix.LOCK;
        return this;
    }

    /** REP (F3); also REPE for CMPS/SCAS. */
    public Assembler rep() {
        pendingPrefixes |= Prefix.REP;
        return this;
    }

    public Assembler repe() {
        return rep();
    }

    public Assembler repne() {
        pendingPrefixes |= Prefix.REPNE;
        return this;
    }

    /** A segment override for the next string instruction or XLAT (source segment). */
    public Assembler segmentOverride(Operand.Reg segment) {
        pendingSegment = segment.index();
        return this;
    }

    // ---- generic emission ----

    public Assembler emit(Mnemonic mnemonic, Operand... operands) {
        return emit(mnemonic, -1, 0, operands);
    }

    public Assembler emit(Mnemonic mnemonic, Condition condition, Operand... operands) {
        return emit(mnemonic, condition.code(), 0, operands);
    }

    /** For forms whose operands do not show the size: {@code emitSized(MOVS, 4)} is MOVSD, {@code emitSized(IRET, 8)} IRETQ. */
    public Assembler emitSized(Mnemonic mnemonic, int operandSize, Operand... operands) {
        return emit(mnemonic, -1, operandSize, operands);
    }

    private Assembler emit(Mnemonic mnemonic, int condition, int operandSize, Operand... operands) {
        LabelRef[] refs = new LabelRef[operands.length];
        List<Operand> ops = new ArrayList<>(operands.length);
        boolean anyRef = false;
        for (int i = 0; i < operands.length; i++) {
            refs[i] = placeholders.remove(operands[i]);
            anyRef |= refs[i] != null;
            ops.add(operands[i] instanceof Operand.Mem m ? normalise(m) : operands[i]);
        }
        Instruction best = select(mnemonic, condition, operandSize, ops);
        int prefixes = pendingPrefixes;
        pendingPrefixes = 0;
        pendingSegment = -1;
        if (best == null) {
            throw new IllegalArgumentException("no encoding of " + mnemonic
                    + (condition >= 0 ? "[" + Condition.of(condition) + "]" : "") + " " + ops
                    + " in " + (8 * mode) + "-bit code" + (prefixes != 0 ? " with prefixes " + prefixes : ""));
        }
        int offset = code.size();
        code.writeBytes(Encoder.encode(best, mode));
        if (anyRef) {
            fixups.add(new Fixup(offset, mode, best, refs, 0, null));
        }
        return this;
    }

    private Instruction select(Mnemonic mnemonic, int condition, int operandSize, List<Operand> ops) {
        Instruction best = null;
        for (Slot slot : OpcodeTables.standard().slotsFor(mnemonic)) {
            if (slot.form().condition() != condition || !preferred(slot)) {
                continue;
            }
            Instruction i = InstructionBuilder.build(slot, mode, operandSize, pendingPrefixes, pendingSegment, ops);
            if (i != null && (best == null || i.length() < best.length())) {
                best = i;
            }
        }
        return best;
    }

    /** Forms the assembler never picks: fallback decodings and the reserved hint NOPs (0F 1F /0 is the NOP of choice). */
    private static boolean preferred(Slot slot) {
        if (slot.feature() != null && !slot.featurePresent()) {
            return false;
        }
        if (slot.form().mnemonic() == Mnemonic.NOP) {
            return slot.opcode() == 0x90 || slot.opcode() == 0x11F;
        }
        return true;
    }

    /** Fills in the address size (from the mode) and sign-extends the displacement from it. */
    private Operand.Mem normalise(Operand.Mem m) {
        int asize = m.addressSize() != 0 ? m.addressSize() : mode == 8 ? 8 : mode;
        int width = asize == 2 ? 2 : 4;
        long disp = m.displacement();
        if (OperandMatcher.fitsUnsigned(disp, width) || OperandMatcher.fitsSigned(disp, width)) {
            disp = OperandMatcher.signExtend(disp, width);
        } else {
            throw new IllegalArgumentException("displacement " + Long.toHexString(disp) + " does not fit " + (8 * width) + " bits");
        }
        return new Operand.Mem(m.segment(), m.base(), m.index(), m.scale(), disp, m.size(), asize, m.ripRelative());
    }

    // ---- common instructions ----

    /** MOV, including MOV to/from control and debug registers (MOV_CR/MOV_DR). */
    public Assembler mov(Operand dst, Operand src) {
        Mnemonic m = Mnemonic.MOV;
        if (isKind(dst, RegisterKind.CONTROL) || isKind(src, RegisterKind.CONTROL)) {
            m = Mnemonic.MOV_CR;
        } else if (isKind(dst, RegisterKind.DEBUG) || isKind(src, RegisterKind.DEBUG)) {
            m = Mnemonic.MOV_DR;
        }
        return emit(m, dst, src);
    }

    private static boolean isKind(Operand op, RegisterKind kind) {
        return op instanceof Operand.Reg r && r.kind() == kind;
    }

    /**
     * MOV Sreg, r16 as assemblers write it: SDM 2 MOV uses only the low 16 bits of the register,
     * so the encoding without an operand-size prefix is used (the decoder shows the register at
     * the operand size, e.g. {@code mov ds,eax} in 32-bit code).
     */
    public Assembler mov(Operand.Reg segment, Operand.Reg source) {
        if (segment.kind() == RegisterKind.SEGMENT && source.kind() == RegisterKind.GPR && source.size() == 2 && mode != 2) {
            return emit(Mnemonic.MOV, segment, new Operand.Reg(RegisterKind.GPR, source.index(), 4));
        }
        return mov((Operand) segment, (Operand) source);
    }
    public Assembler mov(Operand dst, long imm) { return mov(dst, Asm.imm(imm)); }
    public Assembler add(Operand dst, Operand src) { return emit(Mnemonic.ADD, dst, src); }
    public Assembler add(Operand dst, long imm) { return emit(Mnemonic.ADD, dst, Asm.imm(imm)); }
    public Assembler sub(Operand dst, Operand src) { return emit(Mnemonic.SUB, dst, src); }
    public Assembler sub(Operand dst, long imm) { return emit(Mnemonic.SUB, dst, Asm.imm(imm)); }
    public Assembler and(Operand dst, Operand src) { return emit(Mnemonic.AND, dst, src); }
    public Assembler and(Operand dst, long imm) { return emit(Mnemonic.AND, dst, Asm.imm(imm)); }
    public Assembler or(Operand dst, Operand src) { return emit(Mnemonic.OR, dst, src); }
    public Assembler or(Operand dst, long imm) { return emit(Mnemonic.OR, dst, Asm.imm(imm)); }
    public Assembler xor(Operand dst, Operand src) { return emit(Mnemonic.XOR, dst, src); }
    public Assembler xor(Operand dst, long imm) { return emit(Mnemonic.XOR, dst, Asm.imm(imm)); }
    public Assembler cmp(Operand dst, Operand src) { return emit(Mnemonic.CMP, dst, src); }
    public Assembler cmp(Operand dst, long imm) { return emit(Mnemonic.CMP, dst, Asm.imm(imm)); }
    public Assembler test(Operand dst, Operand src) { return emit(Mnemonic.TEST, dst, src); }
    public Assembler test(Operand dst, long imm) { return emit(Mnemonic.TEST, dst, Asm.imm(imm)); }
    public Assembler inc(Operand dst) { return emit(Mnemonic.INC, dst); }
    public Assembler dec(Operand dst) { return emit(Mnemonic.DEC, dst); }
    public Assembler lea(Operand dst, Operand.Mem src) { return emit(Mnemonic.LEA, dst, src); }
    public Assembler shl(Operand dst, long count) { return emit(Mnemonic.SHL, dst, Asm.imm(count)); }
    public Assembler shr(Operand dst, long count) { return emit(Mnemonic.SHR, dst, Asm.imm(count)); }
    public Assembler push(Operand src) { return emit(Mnemonic.PUSH, src); }
    public Assembler push(long imm) { return emit(Mnemonic.PUSH, Asm.imm(imm)); }
    public Assembler pop(Operand dst) { return emit(Mnemonic.POP, dst); }
    public Assembler jmp(Operand target) { return emit(Mnemonic.JMP, target); }
    public Assembler call(Operand target) { return emit(Mnemonic.CALL, target); }
    public Assembler ret() { return emit(Mnemonic.RET); }
    public Assembler ret(int bytes) { return emit(Mnemonic.RET, Asm.imm(bytes)); }
    public Assembler retf() { return emit(Mnemonic.RETF); }

    /** IRET at the default operand size (IRETD in 32-bit code, IRET 32-bit in 64-bit mode). */
    public Assembler iret() { return emit(Mnemonic.IRET); }
    public Assembler iretq() { return emitSized(Mnemonic.IRET, 8); }

    /** INT n. */
    public Assembler interrupt(int vector) { return emit(Mnemonic.INT, Asm.imm(vector)); }
    public Assembler int3() { return emit(Mnemonic.INT3); }
    public Assembler in(Operand accumulator, Operand port) { return emit(Mnemonic.IN, accumulator, port); }
    public Assembler out(Operand port, Operand accumulator) { return emit(Mnemonic.OUT, port, accumulator); }
    public Assembler out(int port, Operand accumulator) { return emit(Mnemonic.OUT, Asm.imm(port), accumulator); }
    public Assembler lgdt(Operand.Mem m) { return emit(Mnemonic.LGDT, m); }
    public Assembler lidt(Operand.Mem m) { return emit(Mnemonic.LIDT, m); }
    public Assembler ltr(Operand selector) { return emit(Mnemonic.LTR, selector); }

    /** String instruction of {@code size} bytes per element: {@code movs(4)} is MOVSD. */
    public Assembler movs(int size) { return emitSized(Mnemonic.MOVS, size); }
    public Assembler stos(int size) { return emitSized(Mnemonic.STOS, size); }
    public Assembler lods(int size) { return emitSized(Mnemonic.LODS, size); }
    public Assembler cmps(int size) { return emitSized(Mnemonic.CMPS, size); }
    public Assembler scas(int size) { return emitSized(Mnemonic.SCAS, size); }
    public Assembler ins(int size) { return emitSized(Mnemonic.INS, size); }
    public Assembler outs(int size) { return emitSized(Mnemonic.OUTS, size); }
    public Assembler hlt() { return emit(Mnemonic.HLT); }
    public Assembler cli() { return emit(Mnemonic.CLI); }
    public Assembler sti() { return emit(Mnemonic.STI); }
    public Assembler cld() { return emit(Mnemonic.CLD); }
    public Assembler std() { return emit(Mnemonic.STD); }
    public Assembler nop() { return emit(Mnemonic.NOP); }
    public Assembler pause() { return emit(Mnemonic.PAUSE); }
    public Assembler cpuid() { return emit(Mnemonic.CPUID); }
    public Assembler rdmsr() { return emit(Mnemonic.RDMSR); }
    public Assembler wrmsr() { return emit(Mnemonic.WRMSR); }
    public Assembler rdtsc() { return emit(Mnemonic.RDTSC); }
    public Assembler ud2() { return emit(Mnemonic.UD2); }

    // ---- control transfer to labels ----

    private Operand.Rel rel(Label target, boolean shortForm) {
        own(target);
        int size = shortForm ? 1 : mode == 2 ? 2 : 4;
        return placeholder(new Operand.Rel(0, size, 0), target, 0);
    }

    public Assembler jmp(Label target) {
        return emit(Mnemonic.JMP, rel(target, false));
    }

    public Assembler jmpShort(Label target) {
        return emit(Mnemonic.JMP, rel(target, true));
    }

    public Assembler jcc(Condition condition, Label target) {
        return emit(Mnemonic.JCC, condition, rel(target, false));
    }

    public Assembler jccShort(Condition condition, Label target) {
        return emit(Mnemonic.JCC, condition, rel(target, true));
    }

    public Assembler call(Label target) {
        return emit(Mnemonic.CALL, rel(target, false));
    }

    public Assembler loop(Label target) {
        return emit(Mnemonic.LOOP, rel(target, true));
    }

    public Assembler jcxz(Label target) {
        return emit(Mnemonic.JCXZ, rel(target, true));
    }

    /** JMP ptr16:16 or ptr16:32 ({@code offsetSize} 2 or 4) to a label, e.g. into protected mode. */
    public Assembler jmpFar(int selector, Label target, int offsetSize) {
        own(target);
        return emit(Mnemonic.JMPF, placeholder(new Operand.FarPtr(selector, 0, offsetSize), target, 0));
    }

    public Assembler callFar(int selector, Label target, int offsetSize) {
        own(target);
        return emit(Mnemonic.CALLF, placeholder(new Operand.FarPtr(selector, 0, offsetSize), target, 0));
    }

    // ---- data ----

    public Assembler db(int... bytes) {
        for (int b : bytes) {
            code.write(b);
        }
        return this;
    }

    public Assembler db(byte[] bytes) {
        code.writeBytes(bytes);
        return this;
    }

    public Assembler dw(int... words) {
        for (int w : words) {
            le(w, 2);
        }
        return this;
    }

    public Assembler dd(long... dwords) {
        for (long d : dwords) {
            le(d, 4);
        }
        return this;
    }

    public Assembler dq(long... qwords) {
        for (long q : qwords) {
            le(q, 8);
        }
        return this;
    }

    /** The label's address as a 16-bit word. */
    public Assembler dw(Label label) {
        return data(label, 2);
    }

    public Assembler dd(Label label) {
        return data(label, 4);
    }

    public Assembler dq(Label label) {
        return data(label, 8);
    }

    private Assembler data(Label label, int size) {
        own(label);
        fixups.add(new Fixup(code.size(), mode, null, null, size, new LabelRef(label, 0)));
        return space(size);
    }

    public Assembler ascii(String text) {
        return db(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public Assembler asciz(String text) {
        return ascii(text).db(0);
    }

    /** Pads with zero bytes to a multiple of {@code alignment} (relative to address 0). */
    public Assembler align(int alignment) {
        return align(alignment, 0);
    }

    public Assembler align(int alignment, int fill) {
        while (Long.remainderUnsigned(position(), alignment) != 0) {
            code.write(fill);
        }
        return this;
    }

    public Assembler space(int bytes) {
        for (int i = 0; i < bytes; i++) {
            code.write(0);
        }
        return this;
    }

    private void le(long value, int bytes) {
        for (int i = 0; i < bytes; i++) {
            code.write((int) (value >>> (8 * i)) & 0xFF);
        }
    }

    // ---- output ----

    /** The address of a bound label. */
    public long addressOfBound(Label label) {
        own(label);
        long offset = labelOffsets.get(label.id);
        if (offset < 0) {
            throw new IllegalStateException("label " + label + " is never bound");
        }
        return origin + offset;
    }

    /** The code with every label reference resolved. */
    public byte[] assemble() {
        byte[] out = code.toByteArray();
        for (Fixup f : fixups) {
            if (f.instruction() == null) {
                long value = addressOfBound(f.data().label()) + f.data().addend();
                require(OperandMatcher.fitsUnsigned(value, f.dataSize()), "address of " + f.data().label()
                        + " does not fit " + f.dataSize() + " bytes");
                patch(out, f.offset(), value, f.dataSize());
            } else {
                byte[] bytes = Encoder.encode(LabelResolution.resolve(this, f.instruction(), f.refs(),
                        origin + f.offset()), f.mode());
                if (bytes.length != f.instruction().length()) {
                    throw new IllegalStateException("encoding length changed while resolving labels");
                }
                System.arraycopy(bytes, 0, out, f.offset(), bytes.length);
            }
        }
        return out;
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    private static void patch(byte[] out, int offset, long value, int size) {
        for (int i = 0; i < size; i++) {
            out[offset + i] = (byte) (value >>> (8 * i));
        }
    }
}
