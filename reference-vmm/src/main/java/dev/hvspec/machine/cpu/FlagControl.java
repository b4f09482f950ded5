package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;

import static dev.hvspec.machine.cpu.CpuState.RAX;

/** Flag control (SDM 1 §7.3.13): STC CLC CMC STD CLD CLI STI CLAC STAC LAHF SAHF PUSHF POPF. */
final class FlagControl {
    private FlagControl() {
    }

    static void set(Cpu c, Instruction i) {
        switch (i.mnemonic()) {
            case STC -> c.s.rflags |= Rflags.CF;
            case CLC -> c.s.rflags &= ~Rflags.CF;
            case CMC -> c.s.rflags ^= Rflags.CF;
            case STD -> c.s.rflags |= Rflags.DF;
            case CLD -> c.s.rflags &= ~Rflags.DF;
            case CLI -> {
                checkInterruptFlagAccess(c);
                c.s.rflags &= ~Rflags.IF;
            }
            case STI -> {
                checkInterruptFlagAccess(c);
                if ((c.s.rflags & Rflags.IF) == 0) {
                    c.s.stiShadow = true; // SDM 2 STI: interrupts recognised after the next instruction
                }
                c.s.rflags |= Rflags.IF;
                c.requestAttention();
            }
            case CLAC, STAC -> {
                if (c.cpl() != 0) {
                    throw CpuException.ud(); // SDM 2 CLAC/STAC: #UD if CPL > 0
                }
                c.s.rflags = i.mnemonic() == dev.hvspec.machine.cpu.isa.Mnemonic.STAC
                        ? c.s.rflags | Rflags.AC : c.s.rflags & ~Rflags.AC;
            }
            default -> throw new IllegalStateException(i.mnemonic().name());
        }
    }

    /** SDM 2 CLI/STI table (no VME/PVI): protected mode needs CPL ≤ IOPL, V86 mode IOPL = 3. */
    private static void checkInterruptFlagAccess(Cpu c) {
        if (!c.s.protectedMode()) {
            return;
        }
        int iopl = Rflags.iopl(c.s.rflags);
        if (c.s.v86Mode() ? iopl != 3 : c.cpl() > iopl) {
            throw CpuException.gp(0);
        }
    }

    /** LAHF: AH = SF:ZF:0:AF:0:PF:1:CF. */
    static void lahf(Cpu c) {
        long ah = (c.s.rflags & (Rflags.SF | Rflags.ZF | Rflags.AF | Rflags.PF | Rflags.CF)) | Rflags.FIXED1;
        c.s.gpr[RAX] = (c.s.gpr[RAX] & ~0xFF00L) | (ah << 8);
    }

    /** SAHF: SF ZF AF PF CF from AH. */
    static void sahf(Cpu c) {
        long mask = Rflags.SF | Rflags.ZF | Rflags.AF | Rflags.PF | Rflags.CF;
        long ah = (c.s.gpr[RAX] >>> 8) & 0xFF;
        c.s.rflags = (c.s.rflags & ~mask) | (ah & mask);
    }

    /** PUSHF/PUSHFD/PUSHFQ: the image has VM and RF cleared; #GP in V86 mode with IOPL < 3. */
    static void pushf(Cpu c, Instruction i) {
        if (c.s.v86Mode() && Rflags.iopl(c.s.rflags) != 3) {
            throw CpuException.gp(0);
        }
        c.push(c.s.rflags & ~(Rflags.VM | Rflags.RF), i.operandSize());
    }

    /**
     * POPF/POPFD/POPFQ (SDM 2 POPF, Table 4-x "Effect of POPF"): IOPL changes only at CPL 0, IF
     * only when CPL ≤ IOPL; VM, VIF, VIP never change; RF is cleared.
     */
    static void popf(Cpu c, Instruction i) {
        int size = i.operandSize();
        int iopl = Rflags.iopl(c.s.rflags);
        if (c.s.v86Mode() && iopl != 3) {
            throw CpuException.gp(0);
        }
        long popped = c.peek(0, size);
        long changeable = Rflags.STATUS | Rflags.TF | Rflags.DF | Rflags.NT | Rflags.AC | Rflags.ID;
        boolean real = !c.s.protectedMode();
        if (real || (!c.s.v86Mode() && c.cpl() == 0)) {
            changeable |= Rflags.IOPL | Rflags.IF;
        } else if (c.s.v86Mode() || c.cpl() <= iopl) {
            changeable |= Rflags.IF;
        }
        if (size == 2) {
            changeable &= 0xFFFF;
        }
        c.pop(size);
        long before = c.s.rflags;
        c.s.rflags = ((before & ~changeable) | (popped & changeable) | Rflags.FIXED1) & ~Rflags.RF;
        if ((c.s.rflags & Rflags.IF) != 0 && (before & Rflags.IF) == 0) {
            c.requestAttention();
        }
    }
}
