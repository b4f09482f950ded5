package dev.hvspec.machine.cpu;

import static dev.hvspec.machine.cpu.Rflags.AF;
import static dev.hvspec.machine.cpu.Rflags.CF;
import static dev.hvspec.machine.cpu.Rflags.OF;
import static dev.hvspec.machine.cpu.Rflags.PF;
import static dev.hvspec.machine.cpu.Rflags.SF;
import static dev.hvspec.machine.cpu.Rflags.STATUS;
import static dev.hvspec.machine.cpu.Rflags.ZF;

/**
 * What the SDM defines after each instruction of the ALU oracle: the status flags ("Flags
 * Affected" section of each instruction's page in SDM Vol. 2) and the result bits. Only these are
 * compared with the host; the rest are undefined, where the reference makes its own documented
 * choice. A flag the SDM calls "unaffected"/"not affected" is defined: it must keep its value.
 *
 * <p>Operands follow the harness (oracle.c): RAX is the accumulator/destination, RCX the source
 * (CL the shift count), RDX the data register (the SHLD/SHRD source, the CMPXCHG destination).
 */
final class SdmDefined {
    static final long ALL = STATUS;
    static final long EVERY_BIT = -1L;

    private SdmDefined() {
    }

    /** The op name without its immediate ("imul3/-1" → "imul3"). */
    static String base(String op) {
        int slash = op.indexOf('/');
        return slash < 0 ? op : op.substring(0, slash);
    }

    /**
     * The count of a shift, rotate or double shift after masking to 5 bits (6 with REX.W): the
     * immediate of the op name ("shl/5"), or CL.
     */
    static int maskedCount(HostAluOracle.Case c) {
        int slash = c.op().indexOf('/');
        long count = slash < 0 ? c.rcx() : Long.parseLong(c.op().substring(slash + 1));
        return Alu.maskShiftCount(count, c.size());
    }

    /** The status flags the SDM defines after {@code c}. */
    static long flags(HostAluOracle.Case c) {
        int size = c.size();
        int width = 8 * size;
        return switch (base(c.op())) {
            // SDM 2 ADD, ADC, SUB, SBB, CMP, NEG, XADD, CMPXCHG: "The OF, SF, ZF, AF, CF, and PF flags
            // are set according to the result" (CMPXCHG: "of the comparison operation").
            case "add", "adc", "sub", "sbb", "cmp", "neg", "xadd", "cmpxchg" -> ALL;
            // SDM 2 INC, DEC: "The CF flag is not affected. The OF, SF, ZF, AF, and PF flags are set
            // according to the result."
            case "inc", "dec" -> ALL;
            // SDM 2 AND, OR, XOR, TEST: "The OF and CF flags are cleared; the SF, ZF, and PF flags are
            // set according to the result. The state of the AF flag is undefined."
            case "and", "or", "xor", "test" -> ALL & ~AF;
            // SDM 2 NOT, BSWAP, CBW/CWDE/CDQE, CWD/CDQ/CQO: "Flags Affected: None."
            case "not", "bswap", "cbw", "cwd" -> ALL;
            case "shl", "shr", "sar" -> shiftFlags(c, width);
            case "rol", "ror", "rcl", "rcr" -> rotateFlags(c);
            case "shld", "shrd" -> doubleShiftFlags(c, width);
            // SDM 2 MUL, IMUL: "The OF and CF flags are set ... The SF, ZF, AF, and PF flags are undefined."
            case "mul", "imul1", "imul2", "imul3" -> OF | CF;
            // SDM 2 DIV, IDIV: "The CF, OF, SF, ZF, AF, and PF flags are undefined."
            case "div", "idiv" -> 0;
            // SDM 2 BSF, BSR: "The ZF flag is set to 1 if the source operand is 0; otherwise, the ZF flag
            // is cleared. The CF, OF, SF, AF, and PF flags are undefined."
            case "bsf", "bsr" -> ZF;
            // SDM 2 BT, BTS, BTR, BTC: "The CF flag contains the value of the selected bit. The ZF flag
            // is unaffected. The OF, SF, AF, and PF flags are undefined."
            case "bt", "bts", "btr", "btc" -> CF | ZF;
            // SDM 2 POPCNT: "OF, SF, ZF, AF, CF, PF are all cleared. ZF is set if SRC = 0."
            case "popcnt" -> ALL;
            // SDM 2 LZCNT, TZCNT: "ZF flag is set to 1 in case of zero output ... CF flag is set to 1 if
            // input was zero and cleared otherwise. OF, SF, PF and AF flags are undefined."
            case "lzcnt", "tzcnt" -> ZF | CF;
            // SDM 2 DAA, DAS: "The CF and AF flags are set if the adjustment of the value results in a
            // decimal carry [borrow] in either digit of the result. The SF, ZF, and PF flags are set
            // according to the result. The OF flag is undefined."
            case "daa", "das" -> ALL & ~OF;
            // SDM 2 AAA, AAS: "The AF and CF flags are set to 1 if the adjustment results in a decimal
            // carry [borrow]; otherwise they are set to 0. The OF, SF, ZF, and PF flags are undefined."
            case "aaa", "aas" -> AF | CF;
            // SDM 2 AAM, AAD: "The SF, ZF, and PF flags are set according to the resulting binary value
            // in the AL register. The OF, AF, and CF flags are undefined."
            case "aam", "aad" -> SF | ZF | PF;
            default -> throw new IllegalArgumentException("no SDM flags entry for " + c.op());
        };
    }

    /**
     * SDM 2 SAL/SAR/SHL/SHR, Flags Affected: "The CF flag contains the value of the last bit shifted
     * out of the destination operand; it is undefined for SHL and SHR instructions where the count is
     * greater than or equal to the size (in bits) of the destination operand. The OF flag is affected
     * only for 1-bit shifts; otherwise, it is undefined. The SF, ZF, and PF flags are set according
     * to the result. If the count is 0, the flags are not affected. For a non-zero count, the AF flag
     * is undefined." The count is masked to 5 bits (6 with REX.W) first.
     */
    private static long shiftFlags(HostAluOracle.Case c, int width) {
        int count = maskedCount(c);
        if (count == 0) {
            return ALL;
        }
        long defined = SF | ZF | PF;
        if (count == 1) {
            defined |= OF;
        }
        if (base(c.op()).equals("sar") || count < width) {
            defined |= CF;
        }
        return defined;
    }

    /**
     * SDM 2 RCL/RCR/ROL/ROR, Flags Affected: "If the masked count is 0, the flags are not affected.
     * If the masked count is 1, then the OF flag is affected, otherwise (masked count is greater than
     * 1) the OF flag is undefined. The CF flag is affected when the masked count is non-zero. The
     * SF, ZF, AF, and PF flags are always unaffected." For RCL/RCR the pseudo-code rotates
     * (masked count MOD 9 or 17) times, so a masked count of 9/17 (or 18) leaves CF as it was; for
     * ROL/ROR it sets CF from the result even when (masked count MOD size) = 0.
     */
    private static long rotateFlags(HostAluOracle.Case c) {
        return maskedCount(c) == 1 ? ALL : ALL & ~OF;
    }

    /**
     * SDM 2 SHLD/SHRD, Flags Affected: "If the count is 1 or greater, the CF flag is filled with the
     * last bit shifted out of the destination operand and the SF, ZF, and PF flags are set according
     * to the value of the result. For a 1-bit shift, the OF flag is set if a sign change occurred;
     * otherwise, it is cleared. For shifts greater than 1 bit, the OF flag is undefined. If a shift
     * occurs, the AF flag is undefined. If the count operand is 0, the flags are not affected. If the
     * count is greater than the operand size, the flags are undefined."
     */
    private static long doubleShiftFlags(HostAluOracle.Case c, int width) {
        int count = maskedCount(c);
        if (count == 0) {
            return ALL;
        }
        if (count > width) {
            return 0;
        }
        return count == 1 ? ALL & ~AF : CF | SF | ZF | PF;
    }

    /**
     * The bits of a register (0 RAX, 1 RCX, 2 RDX) the SDM defines after {@code c}: all of them,
     * except the destinations the SDM leaves undefined.
     */
    static long resultBits(HostAluOracle.Case c, int register) {
        int size = c.size();
        long sizeMask = Alu.mask(size);
        return switch (base(c.op())) {
            // SDM 2 BSF/BSR: "If the content of the source operand is 0, the content of the destination
            // operand is undefined."
            case "bsf", "bsr" -> register == 0 && (c.rcx() & sizeMask) == 0 ? 0 : EVERY_BIT;
            // SDM 2 SHLD/SHRD: "If the count is greater than the operand size, the result is undefined."
            case "shld", "shrd" -> register == 0 && maskedCount(c) > 8 * size
                    ? ~sizeMask : EVERY_BIT;
            // SDM 2 BSWAP: "When the BSWAP instruction references a 16-bit register, the result is
            // undefined."
            case "bswap" -> register == 0 && size == 2 ? ~sizeMask : EVERY_BIT;
            default -> EVERY_BIT;
        };
    }
}
