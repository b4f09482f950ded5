package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;

import static dev.hvspec.machine.cpu.CpuState.RAX;
import static dev.hvspec.machine.cpu.Rflags.AF;
import static dev.hvspec.machine.cpu.Rflags.CF;
import static dev.hvspec.machine.cpu.Rflags.OF;
import static dev.hvspec.machine.cpu.Rflags.STATUS;

/**
 * Decimal (BCD) arithmetic (SDM 1 §7.3.3; the pseudo-code of SDM 2 DAA, DAS, AAA, AAS, AAM,
 * AAD). Invalid in 64-bit mode (the decoder raises #UD). Undefined flags: DAA/DAS clear OF;
 * AAA/AAS leave OF, SF, ZF, PF unchanged; AAM/AAD clear OF, AF, CF.
 */
final class DecimalArithmetic {
    private DecimalArithmetic() {
    }

    private static int al(Cpu c) {
        return (int) c.s.gpr[RAX] & 0xFF;
    }

    private static int ah(Cpu c) {
        return (int) (c.s.gpr[RAX] >>> 8) & 0xFF;
    }

    private static void setAx(Cpu c, int ah, int al) {
        c.setGpr(RAX, 2, ((ah & 0xFF) << 8) | (al & 0xFF));
    }

    static void daa(Cpu c) {
        int oldAl = al(c);
        boolean oldCf = (c.s.rflags & CF) != 0;
        int al = oldAl;
        long flags = 0;
        if ((al & 0x0F) > 9 || (c.s.rflags & AF) != 0) {
            al += 6;
            if (oldCf || al > 0xFF) {
                flags |= CF;
            }
            flags |= AF;
        }
        if (oldAl > 0x99 || oldCf) {
            al += 0x60;
            flags |= CF;
        } else {
            flags &= ~CF;
        }
        al &= 0xFF;
        c.setGpr(RAX, 1, al);
        c.s.rflags = (c.s.rflags & ~STATUS) | flags | Alu.zsp(al, 1);
    }

    static void das(Cpu c) {
        int oldAl = al(c);
        boolean oldCf = (c.s.rflags & CF) != 0;
        int al = oldAl;
        long flags = 0;
        if ((al & 0x0F) > 9 || (c.s.rflags & AF) != 0) {
            if (oldCf || al < 6) {
                flags |= CF; // borrow from AL - 6
            }
            al -= 6;
            flags |= AF;
        }
        if (oldAl > 0x99 || oldCf) {
            al -= 0x60;
            flags |= CF;
        }
        al &= 0xFF;
        c.setGpr(RAX, 1, al);
        c.s.rflags = (c.s.rflags & ~STATUS) | flags | Alu.zsp(al, 1);
    }

    static void aaa(Cpu c) {
        int ax = (int) c.s.gpr[RAX] & 0xFFFF;
        long flags = c.s.rflags & ~(AF | CF);
        if ((ax & 0x0F) > 9 || (c.s.rflags & AF) != 0) {
            ax += 0x106;
            flags |= AF | CF;
        }
        setAx(c, ax >>> 8, ax & 0x0F);
        c.s.rflags = flags;
    }

    static void aas(Cpu c) {
        int ax = (int) c.s.gpr[RAX] & 0xFFFF;
        long flags = c.s.rflags & ~(AF | CF);
        if ((ax & 0x0F) > 9 || (c.s.rflags & AF) != 0) {
            ax -= 6;
            ax = (ax & 0x00FF) | ((((ax >>> 8) - 1) & 0xFF) << 8);
            flags |= AF | CF;
        }
        setAx(c, ax >>> 8, ax & 0x0F);
        c.s.rflags = flags;
    }

    /** AAM imm8: AH = AL / imm8, AL = AL mod imm8; #DE when imm8 = 0. */
    static void aam(Cpu c, Instruction i) {
        int base = (int) Operands.read(c, i.op1(), 1);
        if (base == 0) {
            throw CpuException.fault(Vector.DE);
        }
        int al = al(c);
        setAx(c, al / base, al % base);
        c.s.rflags = (c.s.rflags & ~STATUS) | Alu.zsp(al % base, 1);
    }

    /** AAD imm8: AL = (AL + AH × imm8) & FFH, AH = 0. */
    static void aad(Cpu c, Instruction i) {
        int base = (int) Operands.read(c, i.op1(), 1);
        int al = (al(c) + ah(c) * base) & 0xFF;
        setAx(c, 0, al);
        c.s.rflags = (c.s.rflags & ~(STATUS)) | Alu.zsp(al, 1);
        c.s.rflags &= ~OF;
    }
}
