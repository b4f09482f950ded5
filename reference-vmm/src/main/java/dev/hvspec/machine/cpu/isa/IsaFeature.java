package dev.hvspec.machine.cpu.isa;

/**
 * Instruction-set features that change how bytes decode; each corresponds to a CPUID bit
 * (SDM 2 §3.2, CPUID, Tables 3-8 to 3-20). The decoder raises #UD for encodings of features the
 * CPU does not advertise, or falls back to the older meaning where the SDM defines one
 * (F3 0F BC is BSF without BMI1, F3 0F BD is BSR without LZCNT).
 */
public enum IsaFeature {
    /** CPUID.01H:EDX.FPU[0] — the x87 floating-point unit (escape opcodes D8-DF). */
    FPU,
    /** CPUID.01H:EDX.MMX[23] — MMX technology (the MMX-register forms of 0F 60-7F, D0-FF). */
    MMX,
    /** CPUID.01H:EDX.FXSR[24] — FXSAVE/FXRSTOR. */
    FXSR,
    /** CPUID.01H:ECX.SSE3[0] — SSE3 (ADDSUBPx, HADDPx, HSUBPx, MOVxDUP, LDDQU, FISTTP). */
    SSE3,
    /** CPUID.01H:EDX.CX8[8] — CMPXCHG8B. */
    CX8,
    /** CPUID.01H:EDX.CMOV[15] — CMOVcc. */
    CMOV,
    /** CPUID.01H:EDX.TSC[4] — RDTSC. */
    TSC,
    /** CPUID.01H:EDX.MSR[5] — RDMSR/WRMSR. */
    MSR,
    /** CPUID.01H:EDX.SEP[11] — SYSENTER/SYSEXIT. */
    SEP,
    /** CPUID.01H:EDX.CLFSH[19] — CLFLUSH. */
    CLFSH,
    /** CPUID.01H:EDX.SSE[25] — SSE, SFENCE, PREFETCHh. */
    SSE,
    /** CPUID.01H:EDX.SSE2[26] — SSE2, LFENCE, MFENCE. */
    SSE2,
    /** CPUID.01H:ECX.CMPXCHG16B[13]. */
    CX16,
    /** CPUID.01H:ECX.MOVBE[22]. */
    MOVBE,
    /** CPUID.01H:ECX.POPCNT[23]. */
    POPCNT,
    /** CPUID.80000001H:ECX.LZCNT[5] (ABM). */
    LZCNT,
    /** CPUID.07H.0:EBX.BMI1[3] — TZCNT. */
    BMI1,
    /** CPUID.07H.0:EBX.SMAP[20] — CLAC/STAC. */
    SMAP,
    /** CPUID.80000001H:EDX.SYSCALL[11] — SYSCALL/SYSRET in 64-bit mode. */
    SYSCALL,
    /** CPUID.80000001H:EDX.RDTSCP[27]. */
    RDTSCP,
    /** CPUID.80000001H:EDX.LM[29] — long mode; also LAHF/SAHF in 64-bit mode via LAHF_LM. */
    LM,
    /** CPUID.80000001H:ECX.LAHF-SAHF[0] — LAHF/SAHF in 64-bit mode. */
    LAHF_LM
}
