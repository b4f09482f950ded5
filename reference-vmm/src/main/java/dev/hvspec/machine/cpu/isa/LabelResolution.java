package dev.hvspec.machine.cpu.isa;

/**
 * Replaces the placeholder operands of an assembled instruction with their label values, keeping
 * the encoded sizes (so the instruction's length does not change): immediates and absolute
 * displacements get the address, relative branches and RIP-relative operands the distance from
 * the end of the instruction, far pointers the offset.
 */
final class LabelResolution {
    private LabelResolution() {
    }

    static Instruction resolve(Assembler a, Instruction insn, Assembler.LabelRef[] refs, long address) {
        Operand[] ops = {insn.op1(), insn.op2(), insn.op3()};
        long next = address + insn.length();
        for (int i = 0; i < refs.length; i++) {
            if (refs[i] == null) {
                continue;
            }
            long value = a.addressOfBound(refs[i].label()) + refs[i].addend();
            String what = "reference to " + refs[i].label() + " at 0x" + Long.toHexString(address);
            ops[i] = switch (ops[i]) {
                case Operand.Imm imm -> {
                    int bytes = imm.encodedSize();
                    Assembler.require(OperandMatcher.fitsUnsigned(value, bytes) || OperandMatcher.fitsSigned(value, bytes),
                            what + ": address does not fit " + bytes + " bytes");
                    yield new Operand.Imm(OperandMatcher.signExtend(value, bytes), bytes, imm.size());
                }
                case Operand.Rel rel -> {
                    long disp = value - next;
                    Assembler.require(OperandMatcher.fitsSigned(disp, rel.encodedSize()),
                            what + ": target out of range of a " + (8 * rel.encodedSize()) + "-bit displacement");
                    yield new Operand.Rel(disp, rel.encodedSize(), rel.size());
                }
                case Operand.Mem m when m.ripRelative() -> {
                    long disp = value - next;
                    Assembler.require(OperandMatcher.fitsSigned(disp, 4), what + ": RIP-relative target out of range");
                    yield new Operand.Mem(m.segment(), m.base(), m.index(), m.scale(), disp, m.size(), m.addressSize(), true);
                }
                case Operand.Mem m -> {
                    int bytes = m.addressSize() == 2 ? 2 : 4;
                    Assembler.require(OperandMatcher.fitsUnsigned(value, bytes) || OperandMatcher.fitsSigned(value, bytes),
                            what + ": address does not fit a " + (8 * bytes) + "-bit displacement");
                    yield new Operand.Mem(m.segment(), m.base(), m.index(), m.scale(),
                            OperandMatcher.signExtend(value, bytes), m.size(), m.addressSize(), false);
                }
                case Operand.FarPtr far -> {
                    Assembler.require(OperandMatcher.fitsUnsigned(value, far.offsetSize()),
                            what + ": address does not fit the far pointer's offset");
                    yield new Operand.FarPtr(far.selector(), value, far.offsetSize());
                }
                case Operand.Reg r -> r;
            };
        }
        return new Instruction(insn.mnemonic(), insn.condition(), insn.operandSize(), insn.addressSize(),
                insn.prefixes(), insn.segmentOverride(), ops[0], ops[1], ops[2], insn.length(), insn.opcode());
    }
}
