package dev.hvspec.machine.cpu.isa;

import static dev.hvspec.machine.cpu.isa.MapBuilder.byMod;
import static dev.hvspec.machine.cpu.isa.MapBuilder.form;
import static dev.hvspec.machine.cpu.isa.MapBuilder.group;
import static dev.hvspec.machine.cpu.isa.MapBuilder.ud;

/**
 * The MMX, SSE, SSE2 and SSE3 cells of the two-byte map (SDM 2 Table A-3): each cell has up to
 * four instructions selected by the mandatory prefix — none (MMX registers or packed single), 66
 * (packed double and 128-bit integer), F3 (scalar single) and F2 (scalar double) — written here in
 * that column order. A blank column is #UD (SDM 2 §2.1.2: the prefix is part of the opcode).
 * Operands use the SDM's letters (V, W, U, P, Q, N; see {@link OperandType}); the CPUID feature
 * of each form is the one its SDM instruction page names.
 */
final class SseMap {
    private SseMap() {
    }

    private static final IsaFeature MMX = IsaFeature.MMX, SSE = IsaFeature.SSE, SSE2 = IsaFeature.SSE2,
            SSE3 = IsaFeature.SSE3;

    private static Form f(IsaFeature feature, String text) {
        return form(text, feature);
    }

    /** A cell by mandatory prefix: none, 66, F3, F2; null columns are #UD. */
    private static OpcodeEntry sse(OpcodeEntry none, OpcodeEntry o66, OpcodeEntry f3, OpcodeEntry f2) {
        return MapBuilder.byPrefix(orUd(none, "no-prefix"), orUd(f3, "F3"), orUd(f2, "F2"), orUd(o66, "66"));
    }

    private static OpcodeEntry orUd(OpcodeEntry e, String column) {
        return e != null ? e : ud("the " + column + " column of this SDM 2 Table A-3 cell is blank");
    }

    /** An MMX instruction (no prefix, MMX registers) and its SSE2 form on XMM registers (66). */
    private static OpcodeEntry mmxAndSse2(String mnemonic, String mmxOperands, String xmmOperands) {
        return sse(f(MMX, mnemonic + " " + mmxOperands), f(SSE2, mnemonic + " " + xmmOperands), null, null);
    }

    /** A packed-integer operation on Pq,Qq (MMX) and Vdq,Wdq (66, SSE2). */
    private static OpcodeEntry packed(String mnemonic) {
        return mmxAndSse2(mnemonic, "Pq,Qq", "Vdq,Wdq");
    }

    /** The same, where the MMX form is an SSE instruction (SDM 1 §10.4.4, "SSE 64-bit SIMD integer"). */
    private static OpcodeEntry packedSse(String mnemonic) {
        return sse(f(SSE, mnemonic + " Pq,Qq"), f(SSE2, mnemonic + " Vdq,Wdq"), null, null);
    }

    /** The four arithmetic columns PS, PD, SS, SD of 0F 51-5F. */
    private static OpcodeEntry arithmetic(String base) {
        return sse(f(SSE, base + "PS Vps,Wps"), f(SSE2, base + "PD Vpd,Wpd"),
                f(SSE, base + "SS Vss,Wss"), f(SSE2, base + "SD Vsd,Wsd"));
    }

    /** Logical operations of 0F 54-57: PS and PD only. */
    private static OpcodeEntry logical(String base) {
        return sse(f(SSE, base + "PS Vps,Wps"), f(SSE2, base + "PD Vpd,Wpd"), null, null);
    }

    static void fill(MapBuilder m) {
        // Row 1: moves.
        m.set(0x10, sse(f(SSE, "MOVUPS Vps,Wps"), f(SSE2, "MOVUPD Vpd,Wpd"), f(SSE, "MOVSS Vss,Wss"), f(SSE2, "MOVSD Vsd,Wsd")));
        m.set(0x11, sse(f(SSE, "MOVUPS Wps,Vps"), f(SSE2, "MOVUPD Wpd,Vpd"), f(SSE, "MOVSS Wss,Vss"), f(SSE2, "MOVSD Wsd,Vsd")));
        m.set(0x12, sse(byMod(f(SSE, "MOVLPS Vq,Mq"), f(SSE, "MOVHLPS Vq,Uq")), f(SSE2, "MOVLPD Vq,Mq"),
                f(SSE3, "MOVSLDUP Vps,Wps"), f(SSE3, "MOVDDUP Vdq,Wsd")));
        m.set(0x13, sse(f(SSE, "MOVLPS Mq,Vq"), f(SSE2, "MOVLPD Mq,Vq"), null, null));
        m.set(0x14, sse(f(SSE, "UNPCKLPS Vps,Wps"), f(SSE2, "UNPCKLPD Vpd,Wpd"), null, null));
        m.set(0x15, sse(f(SSE, "UNPCKHPS Vps,Wps"), f(SSE2, "UNPCKHPD Vpd,Wpd"), null, null));
        m.set(0x16, sse(byMod(f(SSE, "MOVHPS Vq,Mq"), f(SSE, "MOVLHPS Vq,Uq")), f(SSE2, "MOVHPD Vq,Mq"),
                f(SSE3, "MOVSHDUP Vps,Wps"), null));
        m.set(0x17, sse(f(SSE, "MOVHPS Mq,Vq"), f(SSE2, "MOVHPD Mq,Vq"), null, null));
        // Row 2.
        m.set(0x28, sse(f(SSE, "MOVAPS Vps,Wps"), f(SSE2, "MOVAPD Vpd,Wpd"), null, null));
        m.set(0x29, sse(f(SSE, "MOVAPS Wps,Vps"), f(SSE2, "MOVAPD Wpd,Vpd"), null, null));
        m.set(0x2A, sse(f(SSE, "CVTPI2PS Vps,Qpi"), f(SSE2, "CVTPI2PD Vpd,Qpi"),
                f(SSE, "CVTSI2SS Vss,Ey"), f(SSE2, "CVTSI2SD Vsd,Ey")));
        m.set(0x2B, sse(f(SSE, "MOVNTPS Mps,Vps"), f(SSE2, "MOVNTPD Mpd,Vpd"), null, null));
        m.set(0x2C, sse(f(SSE, "CVTTPS2PI Pq,Wq"), f(SSE2, "CVTTPD2PI Pq,Wpd"),
                f(SSE, "CVTTSS2SI Gy,Wss"), f(SSE2, "CVTTSD2SI Gy,Wsd")));
        m.set(0x2D, sse(f(SSE, "CVTPS2PI Pq,Wq"), f(SSE2, "CVTPD2PI Pq,Wpd"),
                f(SSE, "CVTSS2SI Gy,Wss"), f(SSE2, "CVTSD2SI Gy,Wsd")));
        m.set(0x2E, sse(f(SSE, "UCOMISS Vss,Wss"), f(SSE2, "UCOMISD Vsd,Wsd"), null, null));
        m.set(0x2F, sse(f(SSE, "COMISS Vss,Wss"), f(SSE2, "COMISD Vsd,Wsd"), null, null));
        // Row 5: packed/scalar floating point.
        m.set(0x50, sse(f(SSE, "MOVMSKPS Gy,Ups"), f(SSE2, "MOVMSKPD Gy,Upd"), null, null));
        m.set(0x51, arithmetic("SQRT"));
        m.set(0x52, sse(f(SSE, "RSQRTPS Vps,Wps"), null, f(SSE, "RSQRTSS Vss,Wss"), null));
        m.set(0x53, sse(f(SSE, "RCPPS Vps,Wps"), null, f(SSE, "RCPSS Vss,Wss"), null));
        m.set(0x54, logical("AND")).set(0x55, logical("ANDN")).set(0x56, logical("OR")).set(0x57, logical("XOR"));
        m.set(0x58, arithmetic("ADD")).set(0x59, arithmetic("MUL"));
        m.set(0x5A, sse(f(SSE2, "CVTPS2PD Vpd,Wq"), f(SSE2, "CVTPD2PS Vps,Wpd"),
                f(SSE2, "CVTSS2SD Vsd,Wss"), f(SSE2, "CVTSD2SS Vss,Wsd")));
        m.set(0x5B, sse(f(SSE2, "CVTDQ2PS Vps,Wdq"), f(SSE2, "CVTPS2DQ Vdq,Wps"), f(SSE2, "CVTTPS2DQ Vdq,Wps"), null));
        m.set(0x5C, arithmetic("SUB")).set(0x5D, arithmetic("MIN")).set(0x5E, arithmetic("DIV")).set(0x5F, arithmetic("MAX"));
        // Rows 6-7: packed integers (MMX and their 66 forms on XMM registers).
        m.set(0x60, mmxAndSse2("PUNPCKLBW", "Pq,Qd", "Vdq,Wdq")).set(0x61, mmxAndSse2("PUNPCKLWD", "Pq,Qd", "Vdq,Wdq"));
        m.set(0x62, mmxAndSse2("PUNPCKLDQ", "Pq,Qd", "Vdq,Wdq")).set(0x63, packed("PACKSSWB"));
        m.set(0x64, packed("PCMPGTB")).set(0x65, packed("PCMPGTW")).set(0x66, packed("PCMPGTD")).set(0x67, packed("PACKUSWB"));
        m.set(0x68, packed("PUNPCKHBW")).set(0x69, packed("PUNPCKHWD")).set(0x6A, packed("PUNPCKHDQ")).set(0x6B, packed("PACKSSDW"));
        m.set(0x6C, sse(null, f(SSE2, "PUNPCKLQDQ Vdq,Wdq"), null, null));
        m.set(0x6D, sse(null, f(SSE2, "PUNPCKHQDQ Vdq,Wdq"), null, null));
        m.set(0x6E, sse(f(MMX, "MOVD Pq,Ey"), f(SSE2, "MOVD Vdq,Ey"), null, null));
        m.set(0x6F, sse(f(MMX, "MOVQ Pq,Qq"), f(SSE2, "MOVDQA Vdq,Wdq"), f(SSE2, "MOVDQU Vdq,Wdq"), null));
        m.set(0x70, sse(f(SSE, "PSHUFW Pq,Qq,Ub"), f(SSE2, "PSHUFD Vdq,Wdq,Ub"),
                f(SSE2, "PSHUFHW Vdq,Wdq,Ub"), f(SSE2, "PSHUFLW Vdq,Wdq,Ub")));
        m.set(0x71, shiftGroup("12", "PSRLW", null, "PSRAW", "PSLLW", null));
        m.set(0x72, shiftGroup("13", "PSRLD", null, "PSRAD", "PSLLD", null));
        m.set(0x73, shiftGroup("14", "PSRLQ", "PSRLDQ", null, "PSLLQ", "PSLLDQ"));
        m.set(0x74, packed("PCMPEQB")).set(0x75, packed("PCMPEQW")).set(0x76, packed("PCMPEQD"));
        m.set(0x77, sse(f(MMX, "EMMS"), null, null, null));
        m.undefined(0x78, 0x7B, "VMX/SVM/AVX-512 conversions not supported");
        m.set(0x7C, sse(null, f(SSE3, "HADDPD Vpd,Wpd"), null, f(SSE3, "HADDPS Vps,Wps")));
        m.set(0x7D, sse(null, f(SSE3, "HSUBPD Vpd,Wpd"), null, f(SSE3, "HSUBPS Vps,Wps")));
        m.set(0x7E, sse(f(MMX, "MOVD Ey,Pq"), f(SSE2, "MOVD Ey,Vdq"), f(SSE2, "MOVQ Vdq,Wq"), null));
        m.set(0x7F, sse(f(MMX, "MOVQ Qq,Pq"), f(SSE2, "MOVDQA Wdq,Vdq"), f(SSE2, "MOVDQU Wdq,Vdq"), null));
        // Row C.
        m.set(0xC2, sse(f(SSE, "CMPPS Vps,Wps,Ub"), f(SSE2, "CMPPD Vpd,Wpd,Ub"),
                f(SSE, "CMPSS Vss,Wss,Ub"), f(SSE2, "CMPSD Vsd,Wsd,Ub")));
        m.set(0xC3, sse(f(SSE2, "MOVNTI My,Gy"), null, null, null));
        m.set(0xC4, sse(f(SSE, "PINSRW Pq,Rd/Mw,Ub"), f(SSE2, "PINSRW Vdq,Rd/Mw,Ub"), null, null));
        m.set(0xC5, sse(f(SSE, "PEXTRW Gd,Nq,Ub"), f(SSE2, "PEXTRW Gd,Udq,Ub"), null, null));
        m.set(0xC6, sse(f(SSE, "SHUFPS Vps,Wps,Ub"), f(SSE2, "SHUFPD Vpd,Wpd,Ub"), null, null));
        // Rows D-F.
        m.set(0xD0, sse(null, f(SSE3, "ADDSUBPD Vpd,Wpd"), null, f(SSE3, "ADDSUBPS Vps,Wps")));
        m.set(0xD1, packed("PSRLW")).set(0xD2, packed("PSRLD")).set(0xD3, packed("PSRLQ"));
        m.set(0xD4, sse(f(SSE2, "PADDQ Pq,Qq"), f(SSE2, "PADDQ Vdq,Wdq"), null, null));
        m.set(0xD5, packed("PMULLW"));
        m.set(0xD6, sse(null, f(SSE2, "MOVQ Wq,Vdq"), f(SSE2, "MOVQ2DQ Vdq,Nq"), f(SSE2, "MOVDQ2Q Pq,Uq")));
        m.set(0xD7, sse(f(SSE, "PMOVMSKB Gd,Nq"), f(SSE2, "PMOVMSKB Gd,Udq"), null, null));
        m.set(0xD8, packed("PSUBUSB")).set(0xD9, packed("PSUBUSW")).set(0xDA, packedSse("PMINUB")).set(0xDB, packed("PAND"));
        m.set(0xDC, packed("PADDUSB")).set(0xDD, packed("PADDUSW")).set(0xDE, packedSse("PMAXUB")).set(0xDF, packed("PANDN"));
        m.set(0xE0, packedSse("PAVGB")).set(0xE1, packed("PSRAW")).set(0xE2, packed("PSRAD")).set(0xE3, packedSse("PAVGW"));
        m.set(0xE4, packedSse("PMULHUW")).set(0xE5, packed("PMULHW"));
        m.set(0xE6, sse(null, f(SSE2, "CVTTPD2DQ Vdq,Wpd"), f(SSE2, "CVTDQ2PD Vpd,Wq"), f(SSE2, "CVTPD2DQ Vdq,Wpd")));
        m.set(0xE7, sse(f(SSE, "MOVNTQ Mq,Pq"), f(SSE2, "MOVNTDQ Mdq,Vdq"), null, null));
        m.set(0xE8, packed("PSUBSB")).set(0xE9, packed("PSUBSW")).set(0xEA, packedSse("PMINSW")).set(0xEB, packed("POR"));
        m.set(0xEC, packed("PADDSB")).set(0xED, packed("PADDSW")).set(0xEE, packedSse("PMAXSW")).set(0xEF, packed("PXOR"));
        m.set(0xF0, sse(null, null, null, f(SSE3, "LDDQU Vdq,Mdq")));
        m.set(0xF1, packed("PSLLW")).set(0xF2, packed("PSLLD")).set(0xF3, packed("PSLLQ"));
        m.set(0xF4, sse(f(SSE2, "PMULUDQ Pq,Qq"), f(SSE2, "PMULUDQ Vdq,Wdq"), null, null));
        m.set(0xF5, packed("PMADDWD")).set(0xF6, packedSse("PSADBW"));
        m.set(0xF7, sse(f(SSE, "MASKMOVQ Pq,Nq"), f(SSE2, "MASKMOVDQU Vdq,Udq"), null, null));
        m.set(0xF8, packed("PSUBB")).set(0xF9, packed("PSUBW")).set(0xFA, packed("PSUBD"));
        m.set(0xFB, sse(f(SSE2, "PSUBQ Pq,Qq"), f(SSE2, "PSUBQ Vdq,Wdq"), null, null));
        m.set(0xFC, packed("PADDB")).set(0xFD, packed("PADDW")).set(0xFE, packed("PADDD"));
    }

    /**
     * Groups 12-14 (0F 71-73, Table A-6): shifts by an immediate of an MMX register (no prefix) or
     * an XMM register (66); /2 logical right, /3 byte shift right (66 only), /4 arithmetic right,
     * /6 left, /7 byte shift left (66 only). Memory forms are #UD.
     */
    private static OpcodeEntry shiftGroup(String name, String srl, String srldq, String sra, String sll, String slldq) {
        OpcodeEntry r = ud("reserved in SDM 2 Table A-6");
        OpcodeEntry[] rows = {r, r, shift(srl, false), shift(srldq, true), shift(sra, false), r, shift(sll, false),
            shift(slldq, true)};
        return group(name, rows);
    }

    private static OpcodeEntry shift(String mnemonic, boolean xmmOnly) {
        if (mnemonic == null) {
            return ud("reserved in SDM 2 Table A-6");
        }
        OpcodeEntry mmx = xmmOnly ? null : f(MMX, mnemonic + " Nq,Ub");
        return byMod(ud("groups 12-14 have no memory forms"), sse(mmx, f(SSE2, mnemonic + " Udq,Ub"), null, null));
    }
}
