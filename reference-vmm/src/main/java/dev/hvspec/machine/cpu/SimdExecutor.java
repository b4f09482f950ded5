package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;

/**
 * The dispatch of MMX, SSE, SSE2 and SSE3 instructions and of the x87/SSE state instructions:
 * the availability checks of {@link FpuFaults} (SSE forms: #UD without CR4.OSFXSR or with CR0.EM,
 * #NM with CR0.TS; MMX registers: #UD with CR0.EM, #NM with CR0.TS, #MF for a pending x87
 * error), the semantics, and the x87 state change of MMX instructions (SDM 3A §12.2).
 */
final class SimdExecutor {
    private SimdExecutor() {
    }

    static void execute(Cpu c, Instruction i) {
        Mnemonic m = i.mnemonic();
        switch (m) {
            case FXSAVE -> {
                FpuFaults.fxsave(c);
                SimdState.fxsave(c, i);
                return;
            }
            case FXRSTOR -> {
                FpuFaults.fxsave(c);
                SimdState.fxrstor(c, i);
                return;
            }
            case LDMXCSR, STMXCSR -> {
                FpuFaults.sse(c);
                if (m == Mnemonic.LDMXCSR) {
                    SimdState.ldmxcsr(c, i);
                } else {
                    SimdState.stmxcsr(c, i);
                }
                return;
            }
            case EMMS -> {
                FpuFaults.mmx(c);
                SimdState.emms(c);
                return;
            }
            case MOVNTI -> {
                // A general-purpose store with a non-temporal hint: no x87/SSE state involved.
                SseMoves.copy(c, i);
                return;
            }
            default -> { }
        }
        boolean mmx = SimdOperands.usesMmx(i);
        if (SimdOperands.usesXmm(i)) {
            FpuFaults.sse(c);
        }
        if (mmx) {
            FpuFaults.mmx(c);
        }
        semantics(c, i);
        if (mmx) {
            SimdOperands.mmxTransition(c);
        }
    }

    private static void semantics(Cpu c, Instruction i) {
        switch (i.mnemonic()) {
            case MOVAPS, MOVUPS, MOVAPD, MOVUPD, MOVDQA, MOVDQU, LDDQU, MOVNTPS, MOVNTPD, MOVNTDQ, MOVNTQ ->
                    SseMoves.copy(c, i);
            case MOVD, MOVQ, MOVQ2DQ, MOVDQ2Q -> SseMoves.movdq(c, i);
            case MOVSS, MOVSD -> SseMoves.scalar(c, i);
            case MOVLPS, MOVLPD, MOVHPS, MOVHPD, MOVHLPS, MOVLHPS -> SseMoves.half(c, i);
            case MOVMSKPS, MOVMSKPD, PMOVMSKB -> SseMoves.moveMask(c, i);
            case MASKMOVQ, MASKMOVDQU -> SseMoves.maskedStore(c, i);
            case MOVSHDUP, MOVSLDUP, MOVDDUP -> SseMoves.duplicate(c, i);
            case PEXTRW -> SseMoves.pextrw(c, i);
            case PINSRW -> SseMoves.pinsrw(c, i);
            case ADDPS, ADDSS, ADDPD, ADDSD, SUBPS, SUBSS, SUBPD, SUBSD, MULPS, MULSS, MULPD, MULSD,
                 DIVPS, DIVSS, DIVPD, DIVSD -> SseFloat.arithmetic(c, i);
            case MINPS, MINSS, MINPD, MINSD, MAXPS, MAXSS, MAXPD, MAXSD -> SseFloat.minMax(c, i);
            case SQRTPS, SQRTSS, SQRTPD, SQRTSD -> SseFloat.sqrt(c, i);
            case RCPPS, RCPSS, RSQRTPS, RSQRTSS -> SseFloat.approximate(c, i);
            case CMPPS, CMPSS, CMPPD, CMPSD -> SseFloat.compare(c, i);
            case COMISS, UCOMISS, COMISD, UCOMISD -> SseFloat.compareFlags(c, i);
            case ADDSUBPS, ADDSUBPD, HADDPS, HADDPD, HSUBPS, HSUBPD -> SseFloat.horizontal(c, i);
            case CVTPI2PS, CVTSI2SS, CVTPS2PI, CVTTPS2PI, CVTSS2SI, CVTTSS2SI, CVTPD2PI, CVTTPD2PI, CVTPI2PD,
                 CVTPD2DQ, CVTTPD2DQ, CVTDQ2PD, CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS, CVTSD2SI, CVTTSD2SI,
                 CVTSI2SD, CVTDQ2PS, CVTPS2DQ, CVTTPS2DQ -> SseConvert.execute(c, i);
            case ANDPS, ANDNPS, ORPS, XORPS, ANDPD, ANDNPD, ORPD, XORPD, PAND, PANDN, POR, PXOR -> SimdInteger.logic(c, i);
            case PADDB, PADDW, PADDD, PADDQ, PADDSB, PADDSW, PADDUSB, PADDUSW, PSUBB, PSUBW, PSUBD, PSUBQ,
                 PSUBSB, PSUBSW, PSUBUSB, PSUBUSW, PCMPEQB, PCMPEQW, PCMPEQD, PCMPGTB, PCMPGTW, PCMPGTD,
                 PMINUB, PMINSW, PMAXUB, PMAXSW, PAVGB, PAVGW, PMULLW, PMULHW, PMULHUW -> SimdInteger.lanes(c, i);
            case PMULUDQ -> SimdInteger.pmuludq(c, i);
            case PMADDWD -> SimdInteger.pmaddwd(c, i);
            case PSADBW -> SimdInteger.psadbw(c, i);
            case PSLLW, PSLLD, PSLLQ, PSRLW, PSRLD, PSRLQ, PSRAW, PSRAD -> SimdInteger.shift(c, i);
            case PSLLDQ, PSRLDQ -> SimdInteger.byteShift(c, i);
            case SHUFPS -> SseShuffle.shufps(c, i);
            case SHUFPD -> SseShuffle.shufpd(c, i);
            case PSHUFD, PSHUFLW, PSHUFHW, PSHUFW -> SseShuffle.pshuf(c, i);
            case UNPCKLPS, UNPCKHPS, UNPCKLPD, UNPCKHPD, PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ, PUNPCKLQDQ,
                 PUNPCKHBW, PUNPCKHWD, PUNPCKHDQ, PUNPCKHQDQ -> SseShuffle.interleave(c, i);
            case PACKSSWB, PACKSSDW, PACKUSWB -> SseShuffle.packs(c, i);
            default -> throw new IllegalStateException("not an MMX/SSE instruction: " + i.mnemonic());
        }
    }
}
