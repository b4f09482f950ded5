package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Asm;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.RegisterKind;

import java.util.ArrayList;
import java.util.List;

/**
 * The ops of the ALU oracle: each has a name the C harness knows (oracle.c's table), the operand
 * sizes it exists in, how its inputs are chosen, and how to assemble the same instruction on the
 * same registers for the reference CPU with our {@link Assembler}. Registers as in oracle.c: the
 * accumulator (destination), the count register (source, CL for counts) and the data register.
 * The reference also runs each op with its r/m operand in memory, which the SDM defines to
 * compute the same thing, so the memory paths of operand handling are checked against the host too.
 */
final class AluOracleOps {
    /** How a case's inputs are generated ({@link AluOracleInputs}). */
    enum Inputs {
        /** Two operands: RAX op RCX. */
        BINARY,
        /** One operand in RAX. */
        UNARY,
        /** RAX shifted by CL. */
        SHIFT,
        /** RAX:RDX shifted by CL. */
        DOUBLE_SHIFT,
        /** RAX (the dividend, with RDX or AH) by RCX; quotients chosen around the limits. */
        DIVIDE,
        /** CMPXCHG RDX, RCX against the accumulator; equal half of the time. */
        COMPARE_EXCHANGE,
        /** AL (and AH) with every combination of CF and AF: DAA DAS AAA AAS AAM AAD. */
        DECIMAL
    }

    /** The operands standing for RAX, RCX and RDX at one size: registers, or one of them in memory. */
    record Regs(Operand a, Operand c, Operand d) {
    }

    @FunctionalInterface
    interface Emitter {
        void emit(Assembler a, int size, Regs r);
    }

    /** How the instruction is written: {@code emitter} with the operands of {@link #forms}. */
    enum Form { REGISTERS, MEMORY }

    /**
     * An op. {@code memoryRole} is the register (0 RAX, 1 RCX, 2 RDX) whose operand is r/m and
     * is also run from memory ({@link Form#MEMORY}) on the reference, or -1 when it has no memory
     * form worth running (no r/m operand, or BT*, whose memory form addresses a bit string).
     */
    record Op(String name, List<Integer> sizes, Inputs inputs, int memoryRole, Emitter emitter) {
        List<Form> forms() {
            return memoryRole < 0 ? List.of(Form.REGISTERS) : List.of(Form.REGISTERS, Form.MEMORY);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** RBX points at the memory operand; the harness never uses RBX. */
    static Regs regs(int size, int memoryRole) {
        Operand[] r = {acc(size), cnt(size), dat(size)};
        if (memoryRole >= 0) {
            r[memoryRole] = Asm.mem(size, Asm.RBX, 0);
        }
        return new Regs(r[0], r[1], r[2]);
    }

    static final List<Integer> ALL_SIZES = List.of(1, 2, 4, 8);
    static final List<Integer> WIDE_SIZES = List.of(2, 4, 8);

    private AluOracleOps() {
    }

    static Operand.Reg acc(int size) {
        return new Operand.Reg(RegisterKind.GPR, CpuState.RAX, size);
    }

    static Operand.Reg cnt(int size) {
        return new Operand.Reg(RegisterKind.GPR, CpuState.RCX, size);
    }

    static Operand.Reg dat(int size) {
        return new Operand.Reg(RegisterKind.GPR, CpuState.RDX, size);
    }

    private static final int RAX = 0, RCX = 1, RDX = 2, NONE = -1;

    private static Op op(String name, List<Integer> sizes, Inputs inputs, int memoryRole, Emitter e) {
        return new Op(name, sizes, inputs, memoryRole, e);
    }

    /** The ops that run in 64-bit mode, in oracle.c's order. */
    static List<Op> longMode() {
        List<Op> ops = new ArrayList<>();
        for (Mnemonic m : List.of(Mnemonic.ADD, Mnemonic.ADC, Mnemonic.SUB, Mnemonic.SBB, Mnemonic.CMP,
                Mnemonic.AND, Mnemonic.OR, Mnemonic.XOR, Mnemonic.TEST)) {
            ops.add(op(name(m), ALL_SIZES, Inputs.BINARY, RAX, (a, s, r) -> a.emit(m, r.a(), r.c())));
        }
        for (Mnemonic m : List.of(Mnemonic.ADD, Mnemonic.ADC, Mnemonic.SUB, Mnemonic.SBB, Mnemonic.CMP,
                Mnemonic.AND, Mnemonic.OR, Mnemonic.XOR, Mnemonic.TEST)) {
            // r/m, imm: the immediates oracle.c has; imm8 forms are sign-extended (SDM 2 ADD "83 /0 ib").
            immediates(ops, m, List.of(1L, -1L, 127L, -128L), ALL_SIZES);
            immediates(ops, m, List.of(128L, -129L), WIDE_SIZES);
            immediates(ops, m, List.of(32767L, -32768L), List.of(2));
            immediates(ops, m, List.of(2147483647L, -2147483648L), List.of(4, 8));
        }
        for (Mnemonic m : List.of(Mnemonic.NEG, Mnemonic.NOT, Mnemonic.INC, Mnemonic.DEC)) {
            ops.add(op(name(m), ALL_SIZES, Inputs.UNARY, RAX, (a, s, r) -> a.emit(m, r.a())));
        }
        for (Mnemonic m : List.of(Mnemonic.SHL, Mnemonic.SHR, Mnemonic.SAR, Mnemonic.ROL, Mnemonic.ROR,
                Mnemonic.RCL, Mnemonic.RCR)) {
            ops.add(op(name(m), ALL_SIZES, Inputs.SHIFT, RAX, (a, s, r) -> a.emit(m, r.a(), Asm.CL)));
            for (long n : new long[] {0, 1, 5, 33}) { // 1: the D0/D1 form; 33 is masked to 1 below 64 bits
                ops.add(op(name(m) + "/" + n, ALL_SIZES, Inputs.UNARY, RAX, (a, s, r) -> a.emit(m, r.a(), Asm.imm(n))));
            }
        }
        for (Mnemonic m : List.of(Mnemonic.SHLD, Mnemonic.SHRD)) {
            ops.add(op(name(m), WIDE_SIZES, Inputs.DOUBLE_SHIFT, RAX, (a, s, r) -> a.emit(m, r.a(), r.d(), Asm.CL)));
            for (long n : new long[] {0, 1, 9, 17}) {
                ops.add(op(name(m) + "/" + n, WIDE_SIZES, Inputs.UNARY, RAX,
                        (a, s, r) -> a.emit(m, r.a(), r.d(), Asm.imm(n))));
            }
        }
        ops.add(op("mul", ALL_SIZES, Inputs.BINARY, RCX, (a, s, r) -> a.emit(Mnemonic.MUL, r.c())));
        ops.add(op("imul1", ALL_SIZES, Inputs.BINARY, RCX, (a, s, r) -> a.emit(Mnemonic.IMUL, r.c())));
        ops.add(op("imul2", WIDE_SIZES, Inputs.BINARY, RCX, (a, s, r) -> a.emit(Mnemonic.IMUL, r.a(), r.c())));
        // IMUL r, r/m, imm: the immediates oracle.c is compiled with (imm8 for all sizes, imm16, imm32).
        for (long imm : new long[] {0, 1, -1, 3, 10, 127, -128}) {
            ops.add(imul3(imm, WIDE_SIZES));
        }
        for (long imm : new long[] {32767, -32768, 1000, -300}) {
            ops.add(imul3(imm, List.of(2)));
        }
        for (long imm : new long[] {2147483647, -2147483648L, 65537, -100000}) {
            ops.add(imul3(imm, List.of(4, 8)));
        }
        ops.add(op("div", ALL_SIZES, Inputs.DIVIDE, RCX, (a, s, r) -> a.emit(Mnemonic.DIV, r.c())));
        ops.add(op("idiv", ALL_SIZES, Inputs.DIVIDE, RCX, (a, s, r) -> a.emit(Mnemonic.IDIV, r.c())));
        for (Mnemonic m : List.of(Mnemonic.BSF, Mnemonic.BSR, Mnemonic.POPCNT, Mnemonic.LZCNT, Mnemonic.TZCNT)) {
            ops.add(op(name(m), WIDE_SIZES, Inputs.BINARY, RCX, (a, s, r) -> a.emit(m, r.a(), r.c())));
        }
        for (Mnemonic m : List.of(Mnemonic.BT, Mnemonic.BTS, Mnemonic.BTR, Mnemonic.BTC)) {
            ops.add(op(name(m), WIDE_SIZES, Inputs.BINARY, NONE, (a, s, r) -> a.emit(m, r.a(), r.c())));
        }
        ops.add(op("bswap", WIDE_SIZES, Inputs.UNARY, NONE, (a, s, r) -> a.emit(Mnemonic.BSWAP, r.a())));
        ops.add(op("cmpxchg", ALL_SIZES, Inputs.COMPARE_EXCHANGE, RDX,
                (a, s, r) -> a.emit(Mnemonic.CMPXCHG, r.d(), r.c())));
        ops.add(op("xadd", ALL_SIZES, Inputs.BINARY, RAX, (a, s, r) -> a.emit(Mnemonic.XADD, r.a(), r.c())));
        ops.add(op("cbw", WIDE_SIZES, Inputs.UNARY, NONE, (a, s, r) -> a.emitSized(Mnemonic.CBW, s)));
        ops.add(op("cwd", WIDE_SIZES, Inputs.UNARY, NONE, (a, s, r) -> a.emitSized(Mnemonic.CWD, s)));
        return ops;
    }

    private static String name(Mnemonic m) {
        return m.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static void immediates(List<Op> ops, Mnemonic m, List<Long> values, List<Integer> sizes) {
        for (long imm : values) {
            ops.add(op(name(m) + "/" + imm, sizes, Inputs.UNARY, RAX, (a, s, r) -> a.emit(m, r.a(), Asm.imm(imm))));
        }
    }

    private static Op imul3(long imm, List<Integer> sizes) {
        return op("imul3/" + imm, sizes, Inputs.BINARY, RCX,
                (a, s, r) -> a.emit(Mnemonic.IMUL, r.a(), r.c(), Asm.imm(imm)));
    }

    /** The BCD adjustments, which exist only outside 64-bit mode (oracle.c built with -m32). */
    static List<Op> decimal() {
        List<Op> ops = new ArrayList<>();
        for (Mnemonic m : List.of(Mnemonic.DAA, Mnemonic.DAS, Mnemonic.AAA, Mnemonic.AAS)) {
            ops.add(op(name(m), List.of(1), Inputs.DECIMAL, NONE, (a, s, r) -> a.emit(m)));
        }
        for (Mnemonic m : List.of(Mnemonic.AAM, Mnemonic.AAD)) {
            for (int base : new int[] {10, 16, 7, 1, 255, 0}) {
                ops.add(op(name(m) + "/" + base, List.of(1), Inputs.DECIMAL, NONE,
                        (a, s, r) -> a.emit(m, Asm.imm(base))));
            }
        }
        return ops;
    }
}
