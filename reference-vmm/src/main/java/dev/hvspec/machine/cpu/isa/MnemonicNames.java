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

    /** objdump's names of the CMPPS/CMPPD/CMPSS/CMPSD predicates 0-7 (SDM 2 CMPPS, Table 3-1). */
    static final java.util.List<String> COMPARE_PREDICATES =
            java.util.List.of("eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord");

    /** The name; prefix words are appended to {@code prefixWords}; {@code slot} is the form's slot or null. */
    static String name(Instruction insn, int mode, StringBuilder prefixWords, Slot slot) {
        int osize = insn.operandSize();
        boolean has66 = insn.has(Prefix.OPERAND_SIZE);
        boolean rexW = insn.has(Prefix.REX_W);
        if (insn.has(Prefix.LOCK)) {
            prefixWords.append("lock ");
        }
        repeatWord(insn, prefixWords, slot);
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
            case FCMOVCC -> "fcmov" + fcmovCondition(insn.condition());
            case FXSAVE, FXRSTOR -> rexW ? base + "64" : base;
            case FNSTENV, FLDENV, FNSAVE, FRSTOR -> has66 ? base + (osize == 2 ? "w" : "d") : base;
            case FNENI, FNDISI -> base + "(8087 only)";
            case FNSETPM -> base + "(287 only)";
            case MOVD -> movdName(insn);
            case CMPPS, CMPPD, CMPSS, CMPSD -> comparePseudoOp(insn, base);
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
        if (FLOATING_POINT_AND_SIMD.contains(insn.mnemonic()) && operandSizePrefixUnused(insn, mode, slot)) {
            return dataWord(insn, mode, prefixWords, name);
        }
        return name;
    }

    /** The x87, MMX and SSE mnemonics (declared from FLD to MOVDDUP). */
    private static final java.util.Set<Mnemonic> FLOATING_POINT_AND_SIMD =
            java.util.EnumSet.range(Mnemonic.FLD, Mnemonic.MOVDDUP);

    static boolean isFloatingPointOrSimd(Mnemonic m) {
        return FLOATING_POINT_AND_SIMD.contains(m);
    }

    /** A 66 prefix that is neither mandatory nor changes the size of any operand of the form. */
    private static boolean operandSizePrefixUnused(Instruction insn, int mode, Slot slot) {
        if (slot == null || !insn.has(Prefix.OPERAND_SIZE) || slot.requiredPrefix() == Prefix.OPERAND_SIZE) {
            return false;
        }
        Form form = slot.form();
        boolean rexW = insn.has(Prefix.REX_W);
        int with = form.operandSizeAttribute(mode, true, rexW);
        int without = form.operandSizeAttribute(mode, false, rexW);
        for (OperandType t : form.operands()) {
            if (t.bytes(with, mode) != t.bytes(without, mode)) {
                return false;
            }
        }
        return true;
    }

    private static String suffix(int osize) {
        return switch (osize) {
            case 2 -> "w";
            case 4 -> "d";
            case 8 -> "q";
            default -> "";
        };
    }

    /** The FCMOVcc condition as objdump names it (SDM 2 FCMOVcc: b, e, be, u, nb, ne, nbe, nu). */
    private static String fcmovCondition(int condition) {
        return switch (Condition.of(condition)) {
            case B -> "b";
            case E -> "e";
            case BE -> "be";
            case P -> "u";
            case AE -> "nb";
            case NE -> "ne";
            case A -> "nbe";
            default -> "nu";
        };
    }

    /** MOVD with a 64-bit general register or m64 (REX.W) is printed movq (SDM 2 MOVD/MOVQ). */
    private static String movdName(Instruction insn) {
        Operand scalar = insn.op1() instanceof Operand.Reg r && r.kind() != RegisterKind.GPR ? insn.op2() : insn.op1();
        return scalar.size() == 8 ? "movq" : "movd";
    }

    /** objdump prints CMPxx with a predicate of 0-7 as the pseudo-op (cmpltps …) without the immediate. */
    private static String comparePseudoOp(Instruction insn, String base) {
        long predicate = ((Operand.Imm) insn.op3()).value();
        return predicate < 8 ? "cmp" + COMPARE_PREDICATES.get((int) predicate) + base.substring(3) : base;
    }

    /** REP/REPE on string instructions; REPNE; objdump names F3 "repz" on CMPS/SCAS and elsewhere except MOVS/STOS/LODS/INS/OUTS. */
    private static void repeatWord(Instruction insn, StringBuilder prefixWords, Slot slot) {
        if (insn.mnemonic() == Mnemonic.PAUSE) {
            return;
        }
        int mandatory = slot == null ? 0 : slot.requiredPrefix();
        if (insn.has(Prefix.REP) && mandatory == Prefix.REP || insn.has(Prefix.REPNE) && mandatory == Prefix.REPNE) {
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
