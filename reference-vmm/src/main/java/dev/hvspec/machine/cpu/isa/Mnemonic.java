package dev.hvspec.machine.cpu.isa;

/**
 * The operation of a decoded instruction: one constant per semantic operation of SDM Vol. 2.
 * Operand-size variants that the SDM lists under one page share a constant (CBW covers
 * CBW/CWDE/CDQE, MOVS covers MOVSB/W/D/Q, IRET covers IRET/IRETD/IRETQ, PUSHF covers
 * PUSHF/PUSHFD/PUSHFQ …); the printed name is derived from the operand size. Conditional forms
 * carry their condition in {@link Instruction#condition()} (Jcc, SETcc, CMOVcc).
 */
public enum Mnemonic {
    // Data transfer (SDM 1 §7.3.1)
    MOV, MOVSX, MOVSXD, MOVZX, XCHG, BSWAP, XADD, CMPXCHG, CMPXCHG8B, CMPXCHG16B,
    PUSH, POP, PUSHA, POPA, CBW, CWD, MOVBE, CMOVCC,
    // Binary arithmetic (§7.3.2)
    ADD, ADC, SUB, SBB, IMUL, MUL, IDIV, DIV, INC, DEC, NEG, CMP,
    // Decimal arithmetic (§7.3.3)
    DAA, DAS, AAA, AAS, AAM, AAD,
    // Logical (§7.3.4)
    AND, OR, XOR, NOT,
    // Shift and rotate (§7.3.5); SAL is SHL
    SAR, SHR, SHL, SHRD, SHLD, ROR, ROL, RCR, RCL,
    // Bit and byte (§7.3.6)
    BT, BTS, BTR, BTC, BSF, BSR, SETCC, TEST, TZCNT, LZCNT, POPCNT,
    // Control transfer (§7.3.8)
    JMP, JMPF, JCC, JCXZ, LOOP, LOOPE, LOOPNE, CALL, CALLF, RET, RETF, IRET,
    INT, INT3, INT1, INTO, ENTER, LEAVE, BOUND,
    // String (§7.3.9) and I/O (§7.3.11)
    MOVS, CMPS, SCAS, LODS, STOS, INS, OUTS, IN, OUT,
    // Flag control (§7.3.13)
    STC, CLC, CMC, STD, CLD, LAHF, SAHF, PUSHF, POPF, STI, CLI,
    // Segment registers (§7.3.14)
    LDS, LES, LFS, LGS, LSS,
    // Miscellaneous (§7.3.15-16)
    LEA, NOP, UD0, UD1, UD2, XLAT, CPUID, PAUSE,
    // System (§2.8 of SDM 3A, and §7.3.17 for SYSCALL/SYSENTER)
    LGDT, SGDT, LIDT, SIDT, LLDT, SLDT, LTR, STR, LMSW, SMSW, CLTS, ARPL, LAR, LSL, VERR, VERW,
    INVLPG, INVD, WBINVD, RDMSR, WRMSR, RDTSC, RDTSCP, RDPMC, HLT,
    SYSCALL, SYSRET, SYSENTER, SYSEXIT, SWAPGS,
    MOV_CR, MOV_DR, CLAC, STAC,
    // Memory ordering and cache control, part of SSE/SSE2 (SDM 1 §10.4.4, §11.4.4)
    LFENCE, SFENCE, MFENCE, CLFLUSH, PREFETCH
}
