package dev.hvspec.machine.cpu.isa;

import java.util.Locale;

/**
 * The printed mnemonic of an instruction as objdump's Intel syntax writes it: names that depend on
 * the operand size (CBW/CWDE/CDQE, JCXZ/JECXZ/JRCXZ, MOVABS), the w/d/q suffixes objdump adds
 * where an operand-size prefix changed an instruction whose operands do not show the size
 * (PUSHW imm, IRETQ, RETFQ, LGDTD …), and the prefix words objdump prints before it
 * ({@code lock}, {@code rep}/{@code repz}/{@code repnz}, {@code data16}, {@code addr16}).
 */
final class MnemonicNames {
    private MnemonicNames() {
    }

    /** The name; prefix words are appended to {@code prefixWords}. */
    static String name(Instruction insn, int mode, StringBuilder prefixWords) {
        int osize = insn.operandSize();
        boolean has66 = insn.has(Prefix.OPERAND_SIZE);
        boolean rexW = insn.has(Prefix.REX_W);
        if (insn.has(Prefix.LOCK)) {
            prefixWords.append("lock ");
        }
        repeatWord(insn, prefixWords);
        String base = insn.mnemonic().name().toLowerCase(Locale.ROOT);
        String suffix = has66 || rexW ? suffix(osize) : "";
        String name = switch (insn.mnemonic()) {
            case JCC -> "j" + Disassembler.conditionName(insn.condition());
            case SETCC -> "set" + Disassembler.conditionName(insn.condition());
            case CMOVCC -> "cmov" + Disassembler.conditionName(insn.condition());
            case MOV_CR, MOV_DR -> dataWord(insn, mode, prefixWords, "mov");
            case NOP -> has66 && insn.opcode() == 0x90 ? (osize == 2 ? "xchg ax,ax" : "xchg eax,eax") : "nop";
            case PREFETCH -> switch (insn.opcodeExtension()) {
                case 0 -> "prefetchnta";
                case 1 -> "prefetcht0";
                case 2 -> "prefetcht1";
                default -> "prefetcht2";
            };
            case MOV -> isMovabs(insn, mode) ? "movabs" : "mov";
            case CALLF -> "call";
            case JMPF -> "jmp";
            case CBW -> osize == 2 ? "cbw" : osize == 4 ? "cwde" : "cdqe";
            case CWD -> osize == 2 ? "cwd" : osize == 4 ? "cdq" : "cqo";
            case JCXZ -> insn.addressSize() == 2 ? "jcxz" : insn.addressSize() == 4 ? "jecxz" : "jrcxz";
            case PUSHA, POPA, PUSHF, POPF, IRET, RETF, ENTER, LEAVE -> base + suffix;
            case SYSRET, SYSEXIT -> dataWord(insn, mode, prefixWords, mode == 8 ? base + suffix(osize) : base);
            case RET -> mode == 8 ? dataWord(insn, mode, prefixWords, base) : base + suffix;
            case PUSH, POP -> pushPopName(insn, base, suffix);
            case LGDT, LIDT, SGDT, SIDT -> mode == 8 ? base : base + suffix(osize);
            case CALL, JMP -> relativeName(insn, mode, prefixWords, base, suffix);
            case LOOP, LOOPE, LOOPNE -> {
                if (insn.has(Prefix.ADDRESS_SIZE)) {
                    prefixWords.append(insn.addressSize() == 2 ? "addr16 " : "addr32 ");
                }
                yield dataWord(insn, mode, prefixWords,
                        insn.mnemonic() == Mnemonic.LOOP ? "loop" : insn.mnemonic() == Mnemonic.LOOPE ? "loope" : "loopne");
            }
            default -> base;
        };
        if (insn.mnemonic() == Mnemonic.JCC && insn.op1() instanceof Operand.Rel rel && rel.encodedSize() == 1) {
            return dataWord(insn, mode, prefixWords, name);
        }
        return name;
    }

    private static String suffix(int osize) {
        return switch (osize) {
            case 2 -> "w";
            case 4 -> "d";
            case 8 -> "q";
            default -> "";
        };
    }

    /** REP/REPE on string instructions; REPNE; objdump names F3 "repz" on CMPS/SCAS and elsewhere except MOVS/STOS/LODS/INS/OUTS. */
    private static void repeatWord(Instruction insn, StringBuilder prefixWords) {
        if (insn.mnemonic() == Mnemonic.PAUSE) {
            return;
        }
        if (insn.has(Prefix.REP)) {
            if (isRequiredF3(insn)) {
                return;
            }
            boolean plainRep = switch (insn.mnemonic()) {
                case MOVS, STOS, LODS, INS, OUTS -> true;
                default -> false;
            };
            prefixWords.append(plainRep ? "rep " : "repz ");
        } else if (insn.has(Prefix.REPNE)) {
            prefixWords.append("repnz ");
        }
    }

    private static boolean isRequiredF3(Instruction insn) {
        return insn.opcodeMap() == Instruction.MAP_0F && switch (insn.opcodeByte()) {
            case 0xB8, 0xBC, 0xBD -> true;
            default -> false;
        };
    }

    /** MOVABS: the moffs forms with a 64-bit offset, and MOV r64, imm64 (objdump's name). */
    private static boolean isMovabs(Instruction insn, int mode) {
        if (mode != 8 || insn.opcodeMap() != Instruction.MAP_ONE_BYTE) {
            return false;
        }
        int b = insn.opcodeByte();
        if (b >= 0xA0 && b <= 0xA3) {
            return insn.addressSize() == 8;
        }
        return b >= 0xB8 && insn.op2() instanceof Operand.Imm imm && imm.encodedSize() == 8;
    }

    /** PUSH/POP show the size by suffix only where no operand shows it (immediates, segment registers). */
    private static String pushPopName(Instruction insn, String base, String suffix) {
        Operand op = insn.op1();
        boolean sizeHidden = op instanceof Operand.Imm
                || op instanceof Operand.Reg r && r.kind() == RegisterKind.SEGMENT;
        return sizeHidden ? base + suffix : base;
    }

    /** Near CALL/JMP: relative forms take a suffix for rel16/rel32 changed by 66; rel8 a data16 word. */
    private static String relativeName(Instruction insn, int mode, StringBuilder prefixWords, String base, String suffix) {
        if (!(insn.op1() instanceof Operand.Rel rel)) {
            return base;
        }
        if (rel.encodedSize() == 1 || mode == 8) {
            return dataWord(insn, mode, prefixWords, base);
        }
        return base + suffix;
    }

    /** objdump prints an operand-size prefix that no operand shows as a separate data16/data32 word. */
    private static String dataWord(Instruction insn, int mode, StringBuilder prefixWords, String name) {
        if (insn.has(Prefix.OPERAND_SIZE)) {
            prefixWords.append(mode == 2 ? "data32 " : "data16 ");
        }
        return name;
    }
}
