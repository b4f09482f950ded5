package dev.hvspec.machine.cpu.isa;

/** The register files an operand can name (SDM 2 §2.1.5, Table 2-2 and §3.1.1.3). */
public enum RegisterKind {
    /** General-purpose registers 0-15 (RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8-R15) at sizes 1, 2, 4, 8. */
    GPR,
    /** The legacy high byte registers AH, CH, DH, BH (index 0-3), only addressable without REX. */
    GPR_HIGH8,
    /** Segment registers ES=0, CS=1, SS=2, DS=3, FS=4, GS=5. */
    SEGMENT,
    /** Control registers CR0-CR15. */
    CONTROL,
    /** Debug registers DR0-DR15. */
    DEBUG,
    /**
     * The x87 register stack: index i names ST(i), relative to the top of stack (SDM 1 §8.1.2);
     * size 10 (80 bits).
     */
    X87,
    /** The SSE registers XMM0-XMM15 (SDM 1 §10.2.2); size 16. */
    XMM,
    /** The MMX registers MM0-MM7 (SDM 1 §9.2.2), aliased to the x87 significands; size 8. */
    MMX
}
