package dev.hvspec.machine.cpu;

import static dev.hvspec.machine.cpu.Rflags.CF;
import static dev.hvspec.machine.cpu.Rflags.OF;
import static dev.hvspec.machine.cpu.Rflags.PF;
import static dev.hvspec.machine.cpu.Rflags.SF;
import static dev.hvspec.machine.cpu.Rflags.ZF;

/** The condition codes of Jcc/SETcc/CMOVcc evaluated on RFLAGS (SDM 1 Appendix B, Table B-1). Pure. */
public final class ConditionCodes {
    private ConditionCodes() {
    }

    public static boolean holds(long rflags, int condition) {
        boolean cf = (rflags & CF) != 0;
        boolean zf = (rflags & ZF) != 0;
        boolean sf = (rflags & SF) != 0;
        boolean of = (rflags & OF) != 0;
        boolean pf = (rflags & PF) != 0;
        boolean result = switch (condition >>> 1) {
            case 0 -> of;              // O
            case 1 -> cf;              // B / C / NAE
            case 2 -> zf;              // E / Z
            case 3 -> cf || zf;        // BE / NA
            case 4 -> sf;              // S
            case 5 -> pf;              // P / PE
            case 6 -> sf != of;        // L / NGE
            default -> zf || sf != of; // LE / NG
        };
        return (condition & 1) == 0 ? result : !result; // odd codes are the negations
    }
}
