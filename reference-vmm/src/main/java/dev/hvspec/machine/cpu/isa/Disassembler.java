package dev.hvspec.machine.cpu.isa;

import java.util.List;

/**
 * Prints an {@link Instruction} in Intel syntax the way GNU objdump prints it with
 * {@code -M intel} (and {@code intel64} in 64-bit mode): lower-case mnemonics whose suffix or name
 * follows the operand size where objdump does (cwde/cdqe, iretq, pushfw, lgdtd …), operands
 * destination first, {@code DWORD PTR fs:[rax+rcx*4+0x10]} memory operands, branch targets as
 * absolute addresses, and the {@code # 0x…} comment after RIP-relative operands.
 *
 * <p>Known differences from objdump, because an {@link Instruction} does not record the encoding
 * choice: objdump prints {@code +0x0} for an explicit zero displacement and {@code eiz/riz} for a
 * SIB byte without index; this class prints {@code +0x0} only where the encoding needs a
 * displacement (rBP/r13 bases, 16-bit [bp]) and never prints eiz/riz.
 */
public final class Disassembler {
    private static final List<String> GPR64 = List.of("rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi");
    private static final List<String> GPR32 = List.of("eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi");
    private static final List<String> GPR16 = List.of("ax", "cx", "dx", "bx", "sp", "bp", "si", "di");
    private static final List<String> GPR8 = List.of("al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil");
    private static final List<String> HIGH8 = List.of("ah", "ch", "dh", "bh");
    private static final List<String> SEGMENTS = List.of("es", "cs", "ss", "ds", "fs", "gs");
    private static final List<String> CONDITIONS = List.of("o", "no", "b", "ae", "e", "ne", "be", "a",
        "s", "ns", "p", "np", "l", "ge", "le", "g");

    private Disassembler() {
    }

    /**
     * Formats {@code insn} located at {@code address}, inferring the mode from the address size and
     * prefixes (exact except for a 16-bit-mode instruction with a 67 prefix and only byte operands).
     */
    public static String format(Instruction insn, long address) {
        return format(insn, address, inferMode(insn));
    }

    /** Formats {@code insn} located at {@code address}, decoded in {@code mode} (2, 4, 8). */
    public static String format(Instruction insn, long address, int mode) {
        return new Printer(insn, address, mode).print();
    }

    /** The code-segment size an instruction was most likely decoded in. */
    static int inferMode(Instruction insn) {
        boolean has67 = insn.has(Prefix.ADDRESS_SIZE);
        int asize = insn.addressSize();
        if (asize == 8 || insn.has(Prefix.REX)) {
            return 8;
        }
        if (!has67) {
            return asize;
        }
        if (asize == 2) {
            return 4;
        }
        // 67 with 32-bit addresses: 16-bit code (operand size toggled by 66 from 2) or 64-bit mode.
        boolean has66 = insn.has(Prefix.OPERAND_SIZE);
        int osize = insn.operandSize();
        if (osize == 8) {
            return 8;
        }
        if (osize == 1) {
            return 8;
        }
        return (osize == 4) == has66 ? 2 : 8;
    }

    static String registerName(Operand.Reg r) {
        return switch (r.kind()) {
            case GPR -> gprName(r.index(), r.size());
            case GPR_HIGH8 -> HIGH8.get(r.index());
            case SEGMENT -> SEGMENTS.get(r.index());
            case CONTROL -> "cr" + r.index();
            case DEBUG -> "dr" + r.index();
            case X87 -> "st(" + r.index() + ")";
            case XMM -> "xmm" + r.index();
            case MMX -> "mm" + r.index();
        };
    }

    static String gprName(int index, int size) {
        if (index < 8) {
            return switch (size) {
                case 1 -> GPR8.get(index);
                case 2 -> GPR16.get(index);
                case 4 -> GPR32.get(index);
                default -> GPR64.get(index);
            };
        }
        return "r" + index + switch (size) {
            case 1 -> "b";
            case 2 -> "w";
            case 4 -> "d";
            default -> "";
        };
    }

    static String conditionName(int condition) {
        return CONDITIONS.get(condition & 15);
    }

    static String segmentName(int segment) {
        return SEGMENTS.get(segment);
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    static long mask(long value, int bytes) {
        return bytes >= 8 ? value : value & ((1L << (8 * bytes)) - 1);
    }

    /** objdump's size keyword for a memory operand of {@code size} bytes. */
    static String ptr(int size) {
        return switch (size) {
            case 1 -> "BYTE PTR ";
            case 2 -> "WORD PTR ";
            case 4 -> "DWORD PTR ";
            case 6 -> "FWORD PTR ";
            case 8 -> "QWORD PTR ";
            case 10 -> "TBYTE PTR ";
            case 16 -> "OWORD PTR ";
            default -> "";
        };
    }

    /** Formats one instruction; a short-lived helper holding the instruction and its mode. */
    private static final class Printer {
        private final Instruction insn;
        private final long address;
        private final int mode;
        private final StringBuilder prefixWords = new StringBuilder();
        /** The form's slot, for what the instruction does not record (mandatory prefixes, ST vs ST(0)). */
        private final Slot slot;

        Printer(Instruction insn, long address, int mode) {
            this.insn = insn;
            this.address = address;
            this.mode = mode;
            Slot found;
            try {
                found = Encoder.slotFor(insn, mode);
            } catch (IllegalArgumentException e) {
                found = null;
            }
            this.slot = found;
        }

        /** Whether operand {@code i} is the fixed ST(0) of the x87 tables, which objdump prints as "st". */
        private boolean isFixedSt0(int i) {
            return slot != null && i < slot.form().operands().size()
                    && slot.form().operands().get(i).method() == OperandType.Method.ST0;
        }

        /** CMPxx printed as a pseudo-op drops its predicate immediate. */
        private boolean isHiddenPredicate(int i) {
            return i == 2 && switch (insn.mnemonic()) {
                case CMPPS, CMPPD, CMPSS, CMPSD -> ((Operand.Imm) insn.op3()).value() < 8;
                default -> false;
            };
        }

        String print() {
            String name = MnemonicNames.name(insn, mode, prefixWords, slot);
            String operands = isString() ? StringOperands.format(insn, mode, prefixWords) : operands();
            String head = prefixWords + name;
            if (operands.isEmpty()) {
                return head;
            }
            StringBuilder s = new StringBuilder(head);
            do {
                s.append(' ');
            } while (s.length() < 7);
            s.append(operands);
            if (ripComment >= 0) {
                s.append("        # ").append(hex(ripTarget));
            }
            return s.toString();
        }

        private boolean isString() {
            return switch (insn.mnemonic()) {
                case MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS, XLAT -> true;
                default -> false;
            };
        }

        private int ripComment = -1;
        private long ripTarget;

        private String operands() {
            StringBuilder s = new StringBuilder();
            boolean memoryShown = false;
            for (int i = 0; i < insn.operandCount(); i++) {
                if (isHiddenPredicate(i)) {
                    continue;
                }
                if (i > 0) {
                    s.append(',');
                }
                Operand op = insn.operand(i);
                switch (op) {
                    case Operand.Reg r -> s.append(isFixedSt0(i) ? "st" : registerName(r));
                    case Operand.Imm imm -> s.append(imm.encodedSize() == 0 ? "1" : hex(mask(imm.value(), imm.size())));
                    case Operand.Rel rel -> s.append(hex(mask(address + insn.length() + rel.displacement(), rel.size())));
                    case Operand.FarPtr far -> s.append(hex(far.selector())).append(':').append(hex(far.offset()));
                    case Operand.Mem mem -> {
                        s.append(memory(mem));
                        memoryShown = true;
                    }
                }
            }
            if (insn.has(Prefix.SEGMENT) && !(memoryShown && segmentInOperand())) {
                prefixWords.insert(0, segmentName(insn.segmentOverride()) + " ");
            }
            return s.toString();
        }

        /** Whether the override prefix is effective on memory operands (not a 64-bit null prefix). */
        private boolean segmentInOperand() {
            return mode != 8 || insn.segmentOverride() >= 4;
        }

        private String memory(Operand.Mem mem) {
            StringBuilder s = new StringBuilder(sizeKeyword(mem));
            boolean absolute = mem.base() == Operand.Mem.NONE && mem.index() == Operand.Mem.NONE && !mem.ripRelative();
            // In 64-bit mode a 32-bit absolute address is encoded with a SIB byte (no base, no
            // index), which objdump shows as [eiz*1+disp].
            boolean eiz = absolute && mode == 8 && mem.addressSize() == 4 && !isMoffs();
            if (isMoffs() && insn.has(Prefix.ADDRESS_SIZE) || absolute && mode == 2 && mem.addressSize() == 4) {
                // objdump marks the address size of moffs operands changed by 67, and of a 32-bit
                // absolute address in 16-bit code.
                prefixWords.append(mem.addressSize() == 2 ? "addr16 " : "addr32 ");
            }
            if (absolute && !eiz || insn.has(Prefix.SEGMENT) && segmentInOperand()) {
                s.append(segmentName(mem.segment())).append(':');
            }
            if (absolute && !eiz) {
                return s.append(hex(mask(mem.displacement(), mem.addressSize()))).toString();
            }
            s.append('[');
            if (mem.ripRelative()) {
                // objdump prints the displacement as an unsigned 64-bit number and the target
                // without address-size wrap-around.
                ripComment = 0;
                ripTarget = address + insn.length() + mem.displacement();
                return s.append(mem.addressSize() == 8 ? "rip" : "eip").append('+')
                        .append(hex(mem.displacement())).append(']').toString();
            }
            boolean first = true;
            if (mem.base() != Operand.Mem.NONE) {
                s.append(gprName(mem.base(), mem.addressSize()));
                first = false;
            }
            if (mem.index() != Operand.Mem.NONE || eiz) {
                if (!first) {
                    s.append('+');
                }
                s.append(eiz ? "eiz" : gprName(mem.index(), mem.addressSize()));
                if (mem.addressSize() != 2) {
                    s.append('*').append(mem.scale());
                }
                first = false;
            }
            long disp = mem.displacement();
            if (eiz) {
                return s.append('+').append(hex(mask(disp, 4))).append(']').toString();
            }
            // The encoding has a displacement even when it is zero: rBP/r13 bases, 16-bit [bp],
            // and SIB forms without base (disp32).
            boolean needsDisp = mem.addressSize() == 2
                    ? mem.base() == 5 && mem.index() == Operand.Mem.NONE
                    : mem.base() == Operand.Mem.NONE || (mem.base() & 7) == 5;
            if (disp != 0 || needsDisp) {
                long shown = mem.addressSize() == 2 ? (short) disp : disp;
                s.append(shown < 0 ? "-" : "+").append(hex(Math.abs(shown)));
            }
            return s.append(']').toString();
        }

        private boolean isMoffs() {
            return insn.opcodeMap() == Instruction.MAP_ONE_BYTE && insn.opcodeByte() >= 0xA0 && insn.opcodeByte() <= 0xA3;
        }

        private String sizeKeyword(Operand.Mem mem) {
            boolean moffs = isMoffs();
            if (mem.size() != 0) {
                return switch (insn.mnemonic()) {
                    case LGDT, LIDT, SGDT, SIDT, LDDQU -> "";
                    default -> moffs ? "" : mem.size() == 16 && MnemonicNames.isFloatingPointOrSimd(insn.mnemonic())
                            ? "XMMWORD PTR " : ptr(mem.size());
                };
            }
            return switch (insn.mnemonic()) {
                case NOP -> ptr(insn.operandSize());
                case INVLPG, PREFETCH -> ptr(1);
                default -> "";
            };
        }
    }
}
