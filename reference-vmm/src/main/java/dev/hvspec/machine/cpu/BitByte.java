package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;

/** Bit and byte instructions (SDM 1 §7.3.6): BT BTS BTR BTC, BSF BSR, TZCNT LZCNT POPCNT, SETcc. */
final class BitByte {
    private BitByte() {
    }

    /**
     * BT/BTS/BTR/BTC. With a register bit offset and a memory operand the offset is signed and
     * may select a bit outside the addressed operand (SDM 2 BT, "bit base / bit offset"); with an
     * immediate it is taken modulo the operand size. CF = the selected bit; OF, SF, AF, PF unchanged.
     */
    static void bitTest(Cpu c, Instruction i) {
        int size = i.op1().size();
        int bits = size * 8;
        long offset = Operands.read(c, i.op2(), i.op2() instanceof Operand.Imm ? 1 : size);
        Operand target = i.op1();
        long value;
        int bit;
        Operand.Mem shifted = null;
        if (target instanceof Operand.Mem m && !(i.op2() instanceof Operand.Imm)) {
            long signedOffset = Alu.signExtend(offset, size);
            long displacementBytes = Math.floorDiv(signedOffset, bits) * size;
            bit = (int) Math.floorMod(signedOffset, bits);
            shifted = new Operand.Mem(m.segment(), m.base(), m.index(), m.scale(), m.displacement() + displacementBytes,
                    m.size(), m.addressSize(), m.ripRelative());
            value = Operands.read(c, shifted, size);
        } else {
            bit = (int) (offset & (bits - 1));
            value = Operands.read(c, target, size);
        }
        boolean set = ((value >>> bit) & 1) != 0;
        long result = switch (i.mnemonic()) {
            case BTS -> value | (1L << bit);
            case BTR -> value & ~(1L << bit);
            case BTC -> value ^ (1L << bit);
            default -> value;
        };
        if (i.mnemonic() != Mnemonic.BT) {
            Operands.write(c, shifted != null ? shifted : target, size, result);
        }
        c.s.rflags = set ? c.s.rflags | Rflags.CF : c.s.rflags & ~Rflags.CF;
    }

    /** BSF/BSR: ZF = (source == 0); then the destination is left unchanged (AMD-documented, Intel-observed). */
    static void bitScan(Cpu c, Instruction i) {
        int size = i.op1().size();
        long src = Operands.read(c, i.op2(), size);
        c.s.rflags = Alu.flagsAfterBitScan(c.s.rflags, src, size);
        if (src == 0) {
            return;
        }
        long index = i.mnemonic() == Mnemonic.BSF ? Long.numberOfTrailingZeros(src) : 63 - Long.numberOfLeadingZeros(src);
        Operands.write(c, i.op1(), size, index);
    }

    static void count(Cpu c, Instruction i) {
        int size = i.op1().size();
        long src = Operands.read(c, i.op2(), size);
        int bits = size * 8;
        long result = switch (i.mnemonic()) {
            case TZCNT -> src == 0 ? bits : Long.numberOfTrailingZeros(src);
            case LZCNT -> src == 0 ? bits : Long.numberOfLeadingZeros(src) - (64 - bits);
            default -> Long.bitCount(src);
        };
        Operands.write(c, i.op1(), size, result);
        c.s.rflags = i.mnemonic() == Mnemonic.POPCNT ? Alu.flagsAfterPopcnt(c.s.rflags, src, size)
                : Alu.flagsAfterCount(c.s.rflags, src, result, size);
    }

    static void setcc(Cpu c, Instruction i) {
        Operands.write(c, i.op1(), 1, ConditionCodes.holds(c.s.rflags, i.condition()) ? 1 : 0);
    }
}
