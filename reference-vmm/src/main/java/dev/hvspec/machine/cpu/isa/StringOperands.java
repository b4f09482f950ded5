package dev.hvspec.machine.cpu.isa;

/**
 * The implicit operands objdump prints for string instructions and XLAT: {@code es:[rDI]} as
 * destination, {@code seg:[rSI]} as source (seg = DS or the override, SDM 2 MOVS "the DS segment
 * may be overridden; ES cannot"), the accumulator for STOS/LODS/SCAS, DX for INS/OUTS.
 */
final class StringOperands {
    private StringOperands() {
    }

    /** The operands; an override prefix that no operand uses (INS, STOS, SCAS) goes to {@code prefixWords}. */
    static String format(Instruction insn, int mode, StringBuilder prefixWords) {
        int size = insn.operandSize();
        int asize = insn.addressSize();
        String ptr = Disassembler.ptr(size);
        String source = ptr + sourceSegment(insn) + ":[" + Disassembler.gprName(6, asize) + "]";
        String destination = ptr + "es:[" + Disassembler.gprName(7, asize) + "]";
        String accumulator = Disassembler.gprName(0, size);
        boolean readsSource = switch (insn.mnemonic()) {
            case MOVS, CMPS, LODS, OUTS, XLAT -> true;
            default -> false;
        };
        if (insn.has(Prefix.SEGMENT) && !readsSource) {
            prefixWords.append(Disassembler.segmentName(insn.segmentOverride())).append(' ');
        }
        return switch (insn.mnemonic()) {
            case MOVS -> destination + "," + source;
            case CMPS -> source + "," + destination;
            case STOS -> destination + "," + accumulator;
            case LODS -> accumulator + "," + source;
            case SCAS -> accumulator + "," + destination;
            case INS -> destination + ",dx";
            case OUTS -> "dx," + source;
            case XLAT -> "BYTE PTR " + sourceSegment(insn) + ":[" + Disassembler.gprName(3, asize) + "]";
            default -> throw new IllegalArgumentException(insn.mnemonic() + " is not a string instruction");
        };
    }

    private static String sourceSegment(Instruction insn) {
        int segment = insn.segmentOverride() >= 0 ? insn.segmentOverride() : 3;
        return Disassembler.segmentName(segment);
    }
}
