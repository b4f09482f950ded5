package dev.hvspec.machine.cpu.isa;

import static dev.hvspec.machine.cpu.isa.MapBuilder.byFeature;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byMod;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byRm;
import static dev.hvspec.machine.cpu.isa.MapBuilder.conditionalForm;
import static dev.hvspec.machine.cpu.isa.MapBuilder.form;
import static dev.hvspec.machine.cpu.isa.MapBuilder.group;
import static dev.hvspec.machine.cpu.isa.MapBuilder.ud;

/**
 * The x87 escape opcodes D8-DF (SDM 2 §A.5, Tables ): with a memory operand
 * (ModRM.mod ≠ 11B) ModRM.reg selects the instruction (Tables … A-21); with mod = 11B
 * the whole ModRM byte does (Tables … A-22), written here as ModRM.reg (the row) and,
 * where the row is not one instruction on ST(i), ModRM.rm (the column).
 *
 * <p>Blank cells are #UD, like the blank cells of Table A-6, although Intel processors execute
 * some as aliases (D9 D8+i FSTP, DC D0+i FCOM, DD C8+i FXCH, DF C0+i FFREEP …). DB E0, E1 and E4
 * (the 8087's FENI/FDISI and the 287's FSETPM) execute as no-operations (SDM 3A §17.17.7.14 and
 * the 8087/287 compatibility notes there). FCMOVcc, FCOMI and FUCOMI need CMOV as well as FPU
 * (SDM 2 FCMOVcc, FCOMI: CPUID.01H:EDX.CMOV[bit 15] and FPU[bit 0]); FISTTP needs SSE3.
 */
final class X87Map {
    private X87Map() {
    }

    private static final IsaFeature FPU = IsaFeature.FPU;
    private static final String BLANK = "blank in SDM 2 Tables A-7 to A-22";

    /** The cell of escape opcode {@code opcode} (D8-DF). */
    static OpcodeEntry escape(int opcode) {
        return switch (opcode) {
            case 0xD8 -> d8();
            case 0xD9 -> d9();
            case 0xDA -> da();
            case 0xDB -> db();
            case 0xDC -> dc();
            case 0xDD -> dd();
            case 0xDE -> de();
            case 0xDF -> df();
            default -> throw new IllegalArgumentException("not an x87 escape: " + Integer.toHexString(opcode));
        };
    }

    private static Form x(String text) {
        return form(text, FPU);
    }

    private static OpcodeEntry blank() {
        return ud(BLANK);
    }

    /** Eight rows of one escape byte: memory form and register form of each ModRM.reg. */
    private static OpcodeEntry escapeGroup(String name, OpcodeEntry[] memory, OpcodeEntry[] register) {
        OpcodeEntry[] rows = new OpcodeEntry[8];
        for (int reg = 0; reg < 8; reg++) {
            rows[reg] = byMod(memory[reg], register[reg]);
        }
        return group(name, rows);
    }

    /** The arithmetic row shared by D8 (m32fp), DC (m64fp), DA (m32int) and DE (m16int). */
    private static OpcodeEntry[] arithmeticMemory(String prefix, String operand) {
        String[] ops = {"ADD", "MUL", "COM", "COMP", "SUB", "SUBR", "DIV", "DIVR"};
        OpcodeEntry[] row = new OpcodeEntry[8];
        for (int i = 0; i < 8; i++) {
            row[i] = x(prefix + ops[i] + " " + operand);
        }
        return row;
    }

    /** FCMOVcc ST(0), ST(i) (SDM 2 FCMOVcc): needs CMOV too. */
    private static OpcodeEntry fcmov(int condition) {
        return cmov(conditionalForm("FCMOVCC ST,STi", condition, FPU));
    }

    private static OpcodeEntry cmov(Form form) {
        return byFeature(IsaFeature.CMOV, form, ud(form.mnemonic() + " needs CMOV"));
    }

    /** Table: D8, single-real arithmetic and ST(0) op ST(i). */
    private static OpcodeEntry d8() {
        return escapeGroup("D8", arithmeticMemory("F", "Md"), new OpcodeEntry[] {
            x("FADD ST,STi"), x("FMUL ST,STi"), x("FCOM STi"), x("FCOMP STi"),
            x("FSUB ST,STi"), x("FSUBR ST,STi"), x("FDIV ST,STi"), x("FDIVR ST,STi")});
    }

    /** Table: D9, loads/stores of m32fp, environment and control word; constants and functions. */
    private static OpcodeEntry d9() {
        OpcodeEntry[] memory = {
            x("FLD Md"), blank(), x("FST Md"), x("FSTP Md"),
            x("FLDENV M14/28"), x("FLDCW Mw"), x("FNSTENV M14/28"), x("FNSTCW Mw")};
        OpcodeEntry[] register = {
            x("FLD STi"), x("FXCH STi"),
            byRm(x("FNOP"), blank(), blank(), blank(), blank(), blank(), blank(), blank()),
            blank(),
            byRm(x("FCHS"), x("FABS"), blank(), blank(), x("FTST"), x("FXAM"), blank(), blank()),
            byRm(x("FLD1"), x("FLDL2T"), x("FLDL2E"), x("FLDPI"), x("FLDLG2"), x("FLDLN2"), x("FLDZ"), blank()),
            byRm(x("F2XM1"), x("FYL2X"), x("FPTAN"), x("FPATAN"), x("FXTRACT"), x("FPREM1"), x("FDECSTP"), x("FINCSTP")),
            byRm(x("FPREM"), x("FYL2XP1"), x("FSQRT"), x("FSINCOS"), x("FRNDINT"), x("FSCALE"), x("FSIN"), x("FCOS"))};
        return escapeGroup("D9", memory, register);
    }

    /** Table: DA, m32int arithmetic; FCMOVB/E/BE/U and FUCOMPP. */
    private static OpcodeEntry da() {
        return escapeGroup("DA", arithmeticMemory("FI", "Md"), new OpcodeEntry[] {
            fcmov(Condition.B.ordinal()), fcmov(Condition.E.ordinal()), fcmov(Condition.BE.ordinal()),
            fcmov(Condition.P.ordinal()), blank(),
            byRm(blank(), x("FUCOMPP"), blank(), blank(), blank(), blank(), blank(), blank()),
            blank(), blank()});
    }

    /** Table: DB, m32int loads/stores and m80fp; FCMOVNB/NE/NBE/NU, FNCLEX, FNINIT, FUCOMI, FCOMI. */
    private static OpcodeEntry db() {
        OpcodeEntry[] memory = {
            x("FILD Md"), form("FISTTP Md", IsaFeature.SSE3), x("FIST Md"), x("FISTP Md"),
            blank(), x("FLD Mt"), blank(), x("FSTP Mt")};
        OpcodeEntry[] register = {
            fcmov(Condition.AE.ordinal()), fcmov(Condition.NE.ordinal()), fcmov(Condition.A.ordinal()),
            fcmov(Condition.NP.ordinal()),
            byRm(x("FNENI"), x("FNDISI"), x("FNCLEX"), x("FNINIT"), x("FNSETPM"), blank(), blank(), blank()),
            cmov(x("FUCOMI ST,STi")), cmov(x("FCOMI ST,STi")), blank()};
        return escapeGroup("DB", memory, register);
    }

    /** Table: DC, m64fp arithmetic and ST(i) op ST(0). */
    private static OpcodeEntry dc() {
        return escapeGroup("DC", arithmeticMemory("F", "Mq"), new OpcodeEntry[] {
            x("FADD STi,ST"), x("FMUL STi,ST"), blank(), blank(),
            x("FSUBR STi,ST"), x("FSUB STi,ST"), x("FDIVR STi,ST"), x("FDIV STi,ST")});
    }

    /** Table: DD, m64fp loads/stores, FRSTOR/FNSAVE/FNSTSW m2byte; FFREE, FST/FSTP/FUCOM/FUCOMP ST(i). */
    private static OpcodeEntry dd() {
        OpcodeEntry[] memory = {
            x("FLD Mq"), form("FISTTP Mq", IsaFeature.SSE3), x("FST Mq"), x("FSTP Mq"),
            x("FRSTOR M94/108"), blank(), x("FNSAVE M94/108"), x("FNSTSW Mw")};
        OpcodeEntry[] register = {
            x("FFREE STi"), blank(), x("FST STi"), x("FSTP STi"), x("FUCOM STi"), x("FUCOMP STi"), blank(), blank()};
        return escapeGroup("DD", memory, register);
    }

    /** Table: DE, m16int arithmetic and the popping ST(i) op ST(0) forms, FCOMPP. */
    private static OpcodeEntry de() {
        return escapeGroup("DE", arithmeticMemory("FI", "Mw"), new OpcodeEntry[] {
            x("FADDP STi,ST"), x("FMULP STi,ST"), blank(),
            byRm(blank(), x("FCOMPP"), blank(), blank(), blank(), blank(), blank(), blank()),
            x("FSUBRP STi,ST"), x("FSUBP STi,ST"), x("FDIVRP STi,ST"), x("FDIVP STi,ST")});
    }

    /** Table: DF, m16int/m64int/m80bcd loads and stores; FNSTSW AX, FUCOMIP, FCOMIP. */
    private static OpcodeEntry df() {
        OpcodeEntry[] memory = {
            x("FILD Mw"), form("FISTTP Mw", IsaFeature.SSE3), x("FIST Mw"), x("FISTP Mw"),
            x("FBLD Mt"), x("FILD Mq"), x("FBSTP Mt"), x("FISTP Mq")};
        OpcodeEntry[] register = {
            blank(), blank(), blank(), blank(),
            byRm(x("FNSTSW AX"), blank(), blank(), blank(), blank(), blank(), blank(), blank()),
            cmov(x("FUCOMIP ST,STi")), cmov(x("FCOMIP ST,STi")), blank()};
        return escapeGroup("DF", memory, register);
    }
}
