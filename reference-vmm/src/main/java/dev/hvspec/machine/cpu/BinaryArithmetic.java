package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;

import java.math.BigInteger;

import static dev.hvspec.machine.cpu.CpuState.RAX;
import static dev.hvspec.machine.cpu.CpuState.RDX;

/** Binary arithmetic (SDM 1 §7.3.2): ADD ADC SUB SBB CMP INC DEC NEG MUL IMUL DIV IDIV. */
final class BinaryArithmetic {
    private BinaryArithmetic() {
    }

    static void addSub(Cpu c, Instruction i) {
        int size = i.op1().size();
        long a = Operands.read(c, i.op1(), size);
        long b = Operands.read(c, i.op2(), size);
        long carry = (i.mnemonic() == Mnemonic.ADC || i.mnemonic() == Mnemonic.SBB) ? c.flag(Rflags.CF) : 0;
        boolean add = i.mnemonic() == Mnemonic.ADD || i.mnemonic() == Mnemonic.ADC;
        long r = (add ? a + b + carry : a - b - carry) & Alu.mask(size);
        if (i.mnemonic() != Mnemonic.CMP) {
            Operands.write(c, i.op1(), size, r);
        }
        c.s.rflags = add ? Alu.flagsAfterAdd(c.s.rflags, a, b, r, size) : Alu.flagsAfterSub(c.s.rflags, a, b, r, size);
    }

    static void inc(Cpu c, Instruction i) {
        int size = i.op1().size();
        long a = Operands.read(c, i.op1(), size);
        long r = (a + 1) & Alu.mask(size);
        Operands.write(c, i.op1(), size, r);
        c.s.rflags = Alu.flagsAfterInc(c.s.rflags, a, r, size);
    }

    static void dec(Cpu c, Instruction i) {
        int size = i.op1().size();
        long a = Operands.read(c, i.op1(), size);
        long r = (a - 1) & Alu.mask(size);
        Operands.write(c, i.op1(), size, r);
        c.s.rflags = Alu.flagsAfterDec(c.s.rflags, a, r, size);
    }

    /** NEG: 0 - DEST; CF = (DEST != 0), the other flags as SUB (SDM 2 NEG). */
    static void neg(Cpu c, Instruction i) {
        int size = i.op1().size();
        long a = Operands.read(c, i.op1(), size);
        long r = (-a) & Alu.mask(size);
        Operands.write(c, i.op1(), size, r);
        c.s.rflags = Alu.flagsAfterSub(c.s.rflags, 0, a, r, size);
    }

    /** MUL: unsigned AL/AX/EAX/RAX × r/m into AX, DX:AX, EDX:EAX, RDX:RAX. */
    static void mul(Cpu c, Instruction i) {
        int size = i.op1().size();
        long a = c.gpr(RAX, size);
        long b = Operands.read(c, i.op1(), size);
        long low;
        long high;
        if (size == 8) {
            low = a * b;
            high = Math.unsignedMultiplyHigh(a, b);
        } else {
            long product = a * b; // fits: at most 64 bits for 32×32
            low = product & Alu.mask(size);
            high = (product >>> (size * 8)) & Alu.mask(size);
        }
        storeWide(c, size, low, high);
        c.s.rflags = Alu.flagsAfterMul(c.s.rflags, low, high != 0, size);
    }

    /** IMUL in its one-, two- and three-operand forms. */
    static void imul(Cpu c, Instruction i) {
        int size = i.op1().size();
        if (i.op2() == null) {
            long a = Alu.signExtend(c.gpr(RAX, size), size);
            long b = Alu.signExtend(Operands.read(c, i.op1(), size), size);
            long low;
            long high;
            if (size == 8) {
                low = a * b;
                high = Math.multiplyHigh(a, b);
            } else {
                long product = a * b;
                low = product & Alu.mask(size);
                high = (product >> (size * 8)) & Alu.mask(size);
            }
            storeWide(c, size, low, high);
            boolean fits = (size == 8 ? high == (low >> 63) : Alu.signExtend(low, size) == a * b);
            c.s.rflags = Alu.flagsAfterMul(c.s.rflags, low, !fits, size);
            return;
        }
        long a = Alu.signExtend(Operands.read(c, i.op3() != null ? i.op2() : i.op1(), size), size);
        long b = Alu.signExtend(Operands.read(c, i.op3() != null ? i.op3() : i.op2(), size), size);
        long product = a * b;
        boolean fits = size == 8 ? Math.multiplyHigh(a, b) == (product >> 63) : Alu.signExtend(product, size) == product;
        long low = product & Alu.mask(size);
        Operands.write(c, i.op1(), size, low);
        c.s.rflags = Alu.flagsAfterMul(c.s.rflags, low, !fits, size);
    }

    private static void storeWide(Cpu c, int size, long low, long high) {
        if (size == 1) {
            c.setGpr(RAX, 2, (high << 8) | low);
        } else {
            c.setGpr(RAX, size, low);
            c.setGpr(RDX, size, high);
        }
    }

    private static BigInteger dividend(Cpu c, int size, boolean signed) {
        BigInteger high;
        BigInteger low;
        if (size == 1) {
            long ax = c.gpr(RAX, 2);
            return BigInteger.valueOf(signed ? (short) ax : ax);
        }
        long hi = c.gpr(RDX, size);
        long lo = c.gpr(RAX, size);
        high = signed ? BigInteger.valueOf(Alu.signExtend(hi, size)) : unsigned(hi);
        low = unsigned(lo);
        return high.shiftLeft(size * 8).or(low);
    }

    private static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }

    /** DIV: unsigned; #DE on a zero divisor or a quotient that does not fit (SDM 2 DIV). Flags unchanged. */
    static void div(Cpu c, Instruction i) {
        int size = i.op1().size();
        long divisor = Operands.read(c, i.op1(), size);
        if (divisor == 0) {
            throw CpuException.fault(Vector.DE);
        }
        BigInteger[] qr = dividend(c, size, false).divideAndRemainder(unsigned(divisor));
        if (qr[0].bitLength() > size * 8) {
            throw CpuException.fault(Vector.DE);
        }
        storeQuotient(c, size, qr[0].longValue(), qr[1].longValue());
    }

    /** IDIV: signed, truncating toward zero; #DE on zero or an out-of-range quotient. Flags unchanged. */
    static void idiv(Cpu c, Instruction i) {
        int size = i.op1().size();
        long divisor = Alu.signExtend(Operands.read(c, i.op1(), size), size);
        if (divisor == 0) {
            throw CpuException.fault(Vector.DE);
        }
        BigInteger[] qr = dividend(c, size, true).divideAndRemainder(BigInteger.valueOf(divisor));
        if (qr[0].bitLength() > size * 8 - 1) {
            throw CpuException.fault(Vector.DE);
        }
        storeQuotient(c, size, qr[0].longValue(), qr[1].longValue());
    }

    private static void storeQuotient(Cpu c, int size, long quotient, long remainder) {
        if (size == 1) {
            c.setGpr(RAX, 2, ((remainder & 0xFF) << 8) | (quotient & 0xFF));
        } else {
            c.setGpr(RAX, size, quotient);
            c.setGpr(RDX, size, remainder);
        }
    }
}
