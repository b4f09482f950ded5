package dev.hvspec.machine.cpu.isa;

/**
 * Per-entry attributes of the opcode maps: the superscripts of SDM 2 Table A-1 and the rules the
 * instruction pages state about prefixes and operand size.
 */
public enum Attribute {
    /** The LOCK prefix is allowed when the destination is memory (SDM 2 LOCK: the list of lockable instructions). */
    LOCKABLE,
    /** i64: invalid in 64-bit mode (SDM 2 Table A-1). */
    I64,
    /** o64: only valid in 64-bit mode. */
    O64,
    /** d64: 64-bit default operand size in 64-bit mode; 66 selects 16 bits, 32 is not encodable. */
    D64,
    /** f64: operand size forced to 64 bits in 64-bit mode; 66 is ignored. */
    F64,
    /** The operation is on bytes (derived from the operands; explicit for MOVSB-style forms without operands). */
    BYTE,
    /** REX.W does not widen the operation past 32 bits (IN/OUT/INS/OUTS: "z" sizing, SDM 2 IN, INS). */
    SIZE_Z,
    /** 64-bit operand size with REX.W, else 32; 66 is ignored (SDM 2 SYSRET, SYSEXIT). */
    SIZE_REXW,
    /** MOV CR/DR: 32-bit operands outside 64-bit mode, 64-bit in it, regardless of 66/REX.W (SDM 2 MOV—Move to/from Control Registers). */
    SIZE_CR,
    /** The ModRM.mod bits are ignored and the r/m field always names a register (SDM 2 MOV CR/DR). */
    MOD_IGNORED
}
