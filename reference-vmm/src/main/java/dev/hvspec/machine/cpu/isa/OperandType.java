package dev.hvspec.machine.cpu.isa;

import java.util.List;

/**
 * One operand column of the opcode maps, written as in SDM 2 Appendix A.2: an addressing method
 * (A.2.1, the capital letter) and an operand type (A.2.2, the lower-case letters), or a register
 * name (A.2.3). {@link #parse(String)} reads the table notation.
 *
 * <p>hvspec extensions of the notation, each because the SDM states the rule in the instruction's
 * page rather than in the map:
 * <ul>
 *   <li>{@code Ib} is always a sign-extended immediate whose size is the operation's; {@code Ub}
 *       and {@code Uw} are unsigned immediates that are not extended into the operation (port
 *       numbers, vectors, counts, bit offsets, ENTER/RET sizes, the AAM/AAD base).</li>
 *   <li>{@code Rv/Mw}: a general register of the operand size, or a 16-bit memory word (SLDT,
 *       STR, SMSW, MOV to/from Sreg, LAR/LSL sources), as Table A-6 writes for SLDT.</li>
 *   <li>{@code Rv/M}: a register of the operand size, or memory that is not accessed (the
 *       hint NOPs 0F 18-0F 1F, whose memory operand has size 0 per {@link Operand#size()}).</li>
 *   <li>{@code Zb}/{@code Zv}: a general register named by the opcode's low three bits and REX.B
 *       (Table A-2 writes {@code rAX/r8} … for 50+r, B0+r, B8+r, C8+r).</li>
 *   <li>{@code 1}: the implied shift count of D0-D3, an {@code Imm(1, 0, 1)}.</li>
 *   <li>{@code Ey}/{@code Ez}: as {@code Ev} with the y/z sizing of A.2.2.</li>
 * </ul>
 */
public record OperandType(Method method, Size size, int register) {
    // hvspec notation for the x87 and SSE maps (SDM 2 §A.2.1 has V, W, U, P, Q, N; the x87 tables
    // name ST(0), ST(i) and the memory formats in words):
    //   V, W, P, Q, N as in the SDM; "U" + an SSE type (Uq, Ups, Udq …) is the SDM's U — an XMM
    //   register in ModRM.rm, memory is #UD — because Ub/Uw are hvspec's unsigned immediates;
    //   ST = ST(0), STi = ST(i) from ModRM.rm; Mt = m80 (tbyte); M14/28, M94/108, M512 = the
    //   FLDENV/FSTENV, FSAVE/FRSTOR and FXSAVE/FXRSTOR images; Rd/Mw = r32 or m16 (PINSRW).

    /** SDM 2 §A.2.1 addressing methods (and the register forms of §A.2.3). */
    public enum Method {
        /** Direct far pointer in the instruction (ptr16:16/ptr16:32). */
        A,
        /** ModRM.reg selects a control register. */
        C,
        /** ModRM.reg selects a debug register. */
        D,
        /** ModRM.rm: a general register or memory. */
        E,
        /** ModRM.reg: a general register. */
        G,
        /** Immediate, sign-extended to the operation size. */
        I,
        /** Immediate, unsigned (hvspec notation, see the class comment). */
        U,
        /** Relative offset added to the instruction pointer. */
        J,
        /** ModRM.rm: memory only (mod = 11b is #UD). */
        M,
        /** Memory offset in the instruction, no ModRM (MOV A0-A3). */
        O,
        /** ModRM.rm: a general register only (MOV CR/DR, where the mod bits are ignored). */
        R,
        /** ModRM.rm: a register of the operand size, or a 16-bit word in memory. */
        R_OR_MW,
        /** ModRM.rm: a register of the operand size, or memory that is not accessed (hint NOPs). */
        R_OR_M,
        /** ModRM.reg: a segment register. */
        S,
        /** General register from the low three opcode bits and REX.B. */
        Z,
        /** A fixed general register (AL, CL, DX, rAX, eAX). */
        FIXED_GPR,
        /** A fixed segment register (ES … GS). */
        FIXED_SEGMENT,
        /** The constant 1 of the D0-D3 shifts. */
        ONE,
        /** ModRM.reg selects an XMM register (SDM A.2.1 "V"). */
        V,
        /** ModRM.rm: an XMM register or memory (SDM A.2.1 "W"). */
        W,
        /** ModRM.rm: an XMM register only, memory is #UD (SDM A.2.1 "U"; hvspec notation U + SSE type). */
        XMM_RM,
        /** ModRM.reg selects an MMX register (SDM A.2.1 "P"). */
        P,
        /** ModRM.rm: an MMX register or memory (SDM A.2.1 "Q"). */
        Q,
        /** ModRM.rm: an MMX register only (SDM A.2.1 "N"). */
        N,
        /** ST(0), the top of the x87 stack (SDM 2 Tables A-7 to A-22 "ST(0)"). */
        ST0,
        /** ST(i), i from ModRM.rm (SDM 2 Tables A-7 to A-22 "ST(i)"). */
        STI
    }

    /** SDM 2 §A.2.2 operand types. */
    public enum Size {
        /** byte */ B,
        /** word */ W,
        /** doubleword */ D,
        /** quadword */ Q,
        /** double quadword (CMPXCHG16B) */ DQ,
        /** word, doubleword or quadword by operand size */ V,
        /** word for 16-bit operand size, else doubleword */ Z,
        /** doubleword, or quadword with 64-bit operand size */ Y,
        /** far pointer: 32, 48 or 80 bits by operand size */ P,
        /** pseudo-descriptor: 6 bytes, 10 in 64-bit mode */ S,
        /** two words or two doublewords (BOUND) */ A,
        /** memory that is not accessed (LEA, NOP hints) */ NONE,
        /** 128-bit packed single (SSE) */ PS,
        /** 128-bit packed double (SSE2) */ PD,
        /** scalar single in the low 32 bits */ SS,
        /** scalar double in the low 64 bits */ SD,
        /** 64-bit MMX packed integer */ PI,
        /** 80 bits: m80fp, m80bcd (x87 "tbyte") */ T,
        /** the x87 environment: 14 bytes with a 16-bit operand size, else 28 (SDM 1 §8.1.10) */ ENV,
        /** the x87 state of FSAVE/FRSTOR: 94 or 108 bytes (SDM 1 §8.1.10) */ FSAVE,
        /** the 512-byte FXSAVE/FXRSTOR image (SDM 2 FXSAVE) */ FXSAVE
    }

    /** The operand's size in bytes for an operand-size attribute of {@code osize} in {@code mode}. */
    public int bytes(int osize, int mode) {
        return switch (size) {
            case B -> 1;
            case W -> 2;
            case D -> 4;
            case Q -> 8;
            case DQ -> 16;
            case V -> osize;
            case Z -> osize == 2 ? 2 : 4;
            case Y -> osize == 8 ? 8 : 4;
            case P -> osize + 2;
            case S -> mode == 8 ? 10 : 6;
            case A -> osize * 2;
            case NONE -> 0;
            case PS, PD -> 16;
            case SS -> 4;
            case SD, PI -> 8;
            case T -> 10;
            case ENV -> osize == 2 ? 14 : 28;
            case FSAVE -> osize == 2 ? 94 : 108;
            case FXSAVE -> 512;
        };
    }

    /** Whether the operand is the ModRM.rm field. */
    public boolean isRm() {
        return switch (method) {
            case E, M, R, R_OR_MW, R_OR_M, W, XMM_RM, Q, N, STI -> true;
            default -> false;
        };
    }

    /** Whether the operand is the ModRM.reg field. */
    public boolean isReg() {
        return switch (method) {
            case G, S, C, D, V, P -> true;
            default -> false;
        };
    }

    /** Whether the operand names an XMM, MMX or x87 register (not a general register). */
    public boolean isVectorRegister() {
        return switch (method) {
            case V, W, XMM_RM, P, Q, N, ST0, STI -> true;
            default -> false;
        };
    }

    public boolean isImmediate() {
        return method == Method.I || method == Method.U || method == Method.ONE;
    }

    /** Reads the table notation: {@code Eb}, {@code Gv}, {@code Iz}, {@code Rv/Mw}, {@code AL}, {@code rAX}, {@code ES}, {@code 1} … */
    public static OperandType parse(String code) {
        switch (code) {
            case "1": return new OperandType(Method.ONE, Size.B, -1);
            case "Rv/Mw": return new OperandType(Method.R_OR_MW, Size.V, -1);
            case "Rv/M": return new OperandType(Method.R_OR_M, Size.V, -1);
            case "AL": return new OperandType(Method.FIXED_GPR, Size.B, 0);
            case "CL": return new OperandType(Method.FIXED_GPR, Size.B, 1);
            case "DX": return new OperandType(Method.FIXED_GPR, Size.W, 2);
            case "rAX": return new OperandType(Method.FIXED_GPR, Size.V, 0);
            case "eAX": return new OperandType(Method.FIXED_GPR, Size.Z, 0);
            case "ES": return new OperandType(Method.FIXED_SEGMENT, Size.W, 0);
            case "CS": return new OperandType(Method.FIXED_SEGMENT, Size.W, 1);
            case "SS": return new OperandType(Method.FIXED_SEGMENT, Size.W, 2);
            case "DS": return new OperandType(Method.FIXED_SEGMENT, Size.W, 3);
            case "FS": return new OperandType(Method.FIXED_SEGMENT, Size.W, 4);
            case "GS": return new OperandType(Method.FIXED_SEGMENT, Size.W, 5);
            case "M": return new OperandType(Method.M, Size.NONE, -1);
            case "AX": return new OperandType(Method.FIXED_GPR, Size.W, 0);
            case "Rd/Mw": return new OperandType(Method.R_OR_MW, Size.D, -1);
            case "ST": return new OperandType(Method.ST0, Size.T, -1);
            case "STi": return new OperandType(Method.STI, Size.T, -1);
            case "M14/28": return new OperandType(Method.M, Size.ENV, -1);
            case "M94/108": return new OperandType(Method.M, Size.FSAVE, -1);
            case "M512": return new OperandType(Method.M, Size.FXSAVE, -1);
            default: break;
        }
        if (code.startsWith("U") && !code.equals("Ub") && !code.equals("Uw")) {
            return new OperandType(Method.XMM_RM, sizeOf(code.substring(1)), -1);
        }
        Method method = Method.valueOf(code.substring(0, 1));
        return new OperandType(method, sizeOf(code.substring(1)), -1);
    }

    private static Size sizeOf(String letters) {
        return Size.valueOf(letters.toUpperCase(java.util.Locale.ROOT));
    }

    @Override
    public String toString() {
        return switch (method) {
            case ONE -> "1";
            case R_OR_MW -> size == Size.D ? "Rd/Mw" : "Rv/Mw";
            case ST0 -> "ST";
            case STI -> "STi";
            case XMM_RM -> "U" + size.name().toLowerCase(java.util.Locale.ROOT);
            case R_OR_M -> "Rv/M";
            case FIXED_GPR -> switch (register) {
                case 0 -> size == Size.B ? "AL" : size == Size.V ? "rAX" : size == Size.W ? "AX" : "eAX";
                case 1 -> "CL";
                default -> "DX";
            };
            case FIXED_SEGMENT -> List.of("ES", "CS", "SS", "DS", "FS", "GS").get(register);
            default -> switch (size) {
                case NONE -> method.name();
                case ENV -> "M14/28";
                case FSAVE -> "M94/108";
                case FXSAVE -> "M512";
                default -> method.name() + size.name().toLowerCase(java.util.Locale.ROOT);
            };
        };
    }
}
