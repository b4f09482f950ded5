package dev.hvspec.machine.cpu.isa;

import java.util.EnumSet;
import java.util.Set;

/**
 * Decodes one instruction from a {@link CodeSource} following SDM 2 Chapter 2 (instruction format)
 * and the opcode maps of Appendix A ({@link OpcodeTables}):
 * <ol>
 *   <li>legacy prefixes and, in 64-bit mode, a REX prefix immediately before the opcode (§2.1.1, §2.2.1);</li>
 *   <li>the opcode: one byte, 0F xx, 0F 38 xx or 0F 3A xx (§2.1.2);</li>
 *   <li>the map cell, resolved through groups (ModRM.reg), mod/rm, mandatory prefix, mode, REX.W/B
 *       and feature selectors to a {@link Form};</li>
 *   <li>operand-size and address-size attributes (SDM 1 §3.6, Tables 3-3, 3-4);</li>
 *   <li>ModRM/SIB/displacement (§2.1.5, Tables 2-1 to 2-3; RIP-relative §2.2.1.6), then immediates;</li>
 *   <li>validity: mode, advertised features, LOCK (SDM 2 LOCK), length at most 15 bytes (§2.3.11).</li>
 * </ol>
 * Faults thrown by the {@link CodeSource} propagate unchanged. Instances are immutable and thread-safe.
 */
public final class Decoder {
    /** SDM 2 §2.3.11: an instruction longer than 15 bytes raises #GP(0). */
    public static final int MAX_LENGTH = 15;

    private final Set<IsaFeature> features;
    private final OpcodeTables tables = OpcodeTables.standard();

    public Decoder(Set<IsaFeature> features) {
        this.features = features.isEmpty() ? EnumSet.noneOf(IsaFeature.class) : EnumSet.copyOf(features);
    }

    /** Whether a feature is advertised to this decoder. */
    public boolean advertises(IsaFeature feature) {
        return features.contains(feature);
    }

    /**
     * Decodes the instruction starting at offset 0 of {@code code}.
     *
     * @param mode the default operand/address size of the code segment in bytes: 2 (16-bit code),
     *             4 (32-bit code), 8 (64-bit mode)
     */
    public Instruction decode(CodeSource code, int mode) throws DecodeException {
        if (mode != 2 && mode != 4 && mode != 8) {
            throw new IllegalArgumentException("mode must be 2, 4 or 8: " + mode);
        }
        return new Decoding(code, mode).run();
    }

    /** The state of one decode: a cursor over the bytes and what the prefixes said. */
    private final class Decoding {
        private final CodeSource code;
        private final int mode;
        private int position;
        private int prefixes;
        private int rex;
        private int anySegment = -1;
        private int fsGsSegment = -1;
        private int modrm = -1;
        private int map = Instruction.MAP_ONE_BYTE;
        private int opcode;

        Decoding(CodeSource code, int mode) {
            this.code = code;
            this.mode = mode;
        }

        private int next() throws DecodeException {
            if (position >= MAX_LENGTH) {
                throw new DecodeException(DecodeException.Kind.TOO_LONG,
                        "instruction longer than 15 bytes (SDM 2 §2.3.11)");
            }
            return code.byteAt(position++) & 0xFF;
        }

        private long signed(int bytes) throws DecodeException {
            long value = 0;
            for (int i = 0; i < bytes; i++) {
                value |= (long) next() << (8 * i);
            }
            int shift = 64 - 8 * bytes;
            return (value << shift) >> shift;
        }

        private long unsigned(int bytes) throws DecodeException {
            long value = 0;
            for (int i = 0; i < bytes; i++) {
                value |= (long) next() << (8 * i);
            }
            return value;
        }

        private boolean rexW() {
            return (rex & 8) != 0;
        }

        private int rexR() {
            return (rex & 4) << 1;
        }

        private int rexX() {
            return (rex & 2) << 2;
        }

        private int rexB() {
            return (rex & 1) << 3;
        }

        Instruction run() throws DecodeException {
            opcode = prefixesThenOpcode();
            if (opcode == 0x0F) {
                opcode = next();
                map = Instruction.MAP_0F;
                if (opcode == 0x38 || opcode == 0x3A) {
                    map = opcode == 0x38 ? Instruction.MAP_0F38 : Instruction.MAP_0F3A;
                    opcode = next();
                }
            }
            int extension = -1;
            OpcodeEntry entry = tables.map(map).cell(opcode);
            Form form = null;
            while (form == null) {
                switch (entry) {
                    case Form f -> form = f;
                    case OpcodeEntry.Undefined u -> throw undefined(u.why());
                    case OpcodeEntry.Group g -> {
                        extension = (modrm() >> 3) & 7;
                        entry = g.byReg().get(extension);
                    }
                    case OpcodeEntry.ByMod m -> entry = (modrm() >> 6) == 3 ? m.register() : m.memory();
                    case OpcodeEntry.ByRm r -> entry = r.byRm().get(modrm() & 7);
                    case OpcodeEntry.ByPrefix p -> entry = selectByPrefix(p);
                    case OpcodeEntry.ByMode m -> entry = mode == 8 ? m.long64() : m.legacy();
                    case OpcodeEntry.ByRexW w -> entry = rexW() ? w.w1() : w.w0();
                    case OpcodeEntry.ByRexB b -> entry = rexB() != 0 ? b.b1() : b.b0();
                    case OpcodeEntry.ByFeature f -> entry = features.contains(f.feature()) ? f.present() : f.absent();
                }
            }
            checkValid(form);
            if (form.usesModRm()) {
                modrm();
            }
            boolean has66 = (prefixes & Prefix.OPERAND_SIZE) != 0;
            int osize = form.operandSizeAttribute(mode, has66, rexW());
            int asize = addressSize();
            Operand[] ops = new Operand[3];
            int n = form.operands().size();
            // SDM 2 §2.1: ModRM, SIB and displacement precede the immediates; every form lists its
            // ModRM operands before its immediates, so operands decode in order.
            for (int i = 0; i < n; i++) {
                ops[i] = operand(form, form.operands().get(i), osize, asize);
            }
            if ((prefixes & Prefix.LOCK) != 0 && !(form.is(Attribute.LOCKABLE) && ops[0] instanceof Operand.Mem)) {
                // SDM 2 LOCK: #UD unless the instruction is lockable and its destination is memory.
                throw undefined("LOCK prefix not allowed here");
            }
            if (form.mnemonic() == Mnemonic.MOV && ops[0] instanceof Operand.Reg r
                    && r.kind() == RegisterKind.SEGMENT && r.index() == 1) {
                throw undefined("MOV to CS (SDM 2 MOV: #UD)");
            }
            int segment = segmentOverride();
            int fullOpcode = (map << 8) | opcode | (extension >= 0 ? (1 << 19) | (extension << 16) : 0);
            return new Instruction(form.mnemonic(), form.condition(), form.operationSize(osize), asize,
                    prefixes, segment, ops[0], ops[1], ops[2], position, fullOpcode);
        }

        /** SDM 2 §2.1.1 (legacy prefix groups) and §2.2.1 (REX must immediately precede the opcode). */
        private int prefixesThenOpcode() throws DecodeException {
            while (true) {
                int b = next();
                if (mode == 8 && (b & 0xF0) == 0x40) {
                    rex = b;
                    continue;
                }
                int segment = switch (b) {
                    case 0x26 -> 0;
                    case 0x2E -> 1;
                    case 0x36 -> 2;
                    case 0x3E -> 3;
                    case 0x64 -> 4;
                    case 0x65 -> 5;
                    default -> -1;
                };
                if (segment >= 0) {
                    prefixes |= Prefix.SEGMENT;
                    anySegment = segment;
                    if (segment >= 4) {
                        fsGsSegment = segment;
                    }
                } else if (b == 0xF0) {
                    prefixes |= Prefix.LOCK;
                } else if (b == 0xF2 || b == 0xF3) {
                    // Group 1: of REPNE/REP the last one counts.
                    prefixes = (prefixes & ~(Prefix.REP | Prefix.REPNE)) | (b == 0xF3 ? Prefix.REP : Prefix.REPNE);
                } else if (b == 0x66) {
                    prefixes |= Prefix.OPERAND_SIZE;
                } else if (b == 0x67) {
                    prefixes |= Prefix.ADDRESS_SIZE;
                } else {
                    if (rex != 0) {
                        prefixes |= Prefix.REX | (rexW() ? Prefix.REX_W : 0);
                    }
                    return b;
                }
                // SDM 2 §2.2.1: a REX prefix followed by a legacy prefix is ignored.
                rex = 0;
            }
        }

        private int modrm() throws DecodeException {
            if (modrm < 0) {
                modrm = next();
            }
            return modrm;
        }

        private OpcodeEntry selectByPrefix(OpcodeEntry.ByPrefix p) {
            if ((prefixes & Prefix.REP) != 0) {
                return p.f3();
            }
            if ((prefixes & Prefix.REPNE) != 0) {
                return p.f2();
            }
            return (prefixes & Prefix.OPERAND_SIZE) != 0 ? p.o66() : p.none();
        }

        private void checkValid(Form form) throws DecodeException {
            if (form.feature() != null && !features.contains(form.feature())) {
                throw undefined(form.mnemonic() + " needs CPUID feature " + form.feature());
            }
            if (form.is(Attribute.I64) && mode == 8) {
                throw undefined(form.mnemonic() + " is invalid in 64-bit mode (SDM 2 Table A-1 i64)");
            }
            if (form.is(Attribute.O64) && mode != 8) {
                throw undefined(form.mnemonic() + " is valid only in 64-bit mode (SDM 2 Table A-1 o64)");
            }
        }

        /** SDM 1 §3.6, Table 3-4: 67 toggles 16/32 outside 64-bit mode, and 64/32 in it. */
        private int addressSize() {
            boolean has67 = (prefixes & Prefix.ADDRESS_SIZE) != 0;
            if (mode == 8) {
                return has67 ? 4 : 8;
            }
            return (mode == 2) != has67 ? 2 : 4;
        }

        /**
         * The segment named by the override prefixes. SDM 1 §3.7.4.1 / SDM 3A §3.4.4: in 64-bit
         * mode ES, CS, SS and DS overrides are ignored (null prefixes), so an FS/GS override is kept
         * even when one of those follows it.
         */
        private int segmentOverride() {
            return mode == 8 && fsGsSegment >= 0 ? fsGsSegment : anySegment;
        }

        private int effectiveSegment(int defaultSegment) {
            if (mode == 8) {
                return fsGsSegment >= 0 ? fsGsSegment : defaultSegment;
            }
            return anySegment >= 0 ? anySegment : defaultSegment;
        }

        private Operand operand(Form form, OperandType t, int osize, int asize) throws DecodeException {
            int size = t.bytes(osize, mode);
            int mod = modrm >> 6;
            return switch (t.method()) {
                case E -> mod == 3 ? gpr((modrm & 7) | rexB(), size) : memory(size, asize);
                case M -> {
                    if (mod == 3) {
                        throw undefined(form.mnemonic() + " needs a memory operand");
                    }
                    yield memory(size, asize);
                }
                case R -> gpr((modrm & 7) | rexB(), size);
                case R_OR_MW -> mod == 3 ? gpr((modrm & 7) | rexB(), t.size() == OperandType.Size.D ? 4 : osize)
                        : memory(2, asize);
                case R_OR_M -> mod == 3 ? gpr((modrm & 7) | rexB(), osize) : memory(0, asize);
                case G -> gpr(((modrm >> 3) & 7) | rexR(), size);
                case S -> {
                    int sreg = (modrm >> 3) & 7;
                    if (sreg > 5) {
                        throw undefined("segment register " + sreg + " is reserved");
                    }
                    yield new Operand.Reg(RegisterKind.SEGMENT, sreg, 2);
                }
                case C -> {
                    // SDM 2 MOV CR: CR1, CR5-CR7 and CR9-CR15 are #UD; CR8 exists in 64-bit mode.
                    int cr = ((modrm >> 3) & 7) | rexR();
                    if (!(cr == 0 || cr == 2 || cr == 3 || cr == 4 || cr == 8 && mode == 8)) {
                        throw undefined("CR" + cr + " is reserved");
                    }
                    yield new Operand.Reg(RegisterKind.CONTROL, cr, size);
                }
                case D -> {
                    // SDM 2 MOV DR: DR8-DR15 (REX.R) are #UD.
                    int dr = ((modrm >> 3) & 7) | rexR();
                    if (dr > 7) {
                        throw undefined("DR" + dr + " is reserved");
                    }
                    yield new Operand.Reg(RegisterKind.DEBUG, dr, size);
                }
                case Z -> gpr((opcode & 7) | rexB(), size);
                case FIXED_GPR -> new Operand.Reg(RegisterKind.GPR, t.register(), size);
                case FIXED_SEGMENT -> new Operand.Reg(RegisterKind.SEGMENT, t.register(), 2);
                case ONE -> new Operand.Imm(1, 0, 1);
                case I -> {
                    int encoded = t.size() == OperandType.Size.B ? 1 : size;
                    yield new Operand.Imm(signed(encoded), encoded, form.operationSize(osize));
                }
                case U -> new Operand.Imm(unsigned(size), size, size);
                case J -> {
                    int encoded = t.size() == OperandType.Size.B ? 1 : size;
                    yield new Operand.Rel(signed(encoded), encoded, osize);
                }
                case O -> new Operand.Mem(effectiveSegment(3), Operand.Mem.NONE, Operand.Mem.NONE, 1,
                        signed(asize), size, asize, false);
                case V -> new Operand.Reg(RegisterKind.XMM, ((modrm >> 3) & 7) | rexR(), 16);
                case W -> mod == 3 ? new Operand.Reg(RegisterKind.XMM, (modrm & 7) | rexB(), 16) : memory(size, asize);
                case XMM_RM -> {
                    if (mod != 3) {
                        throw undefined(form.mnemonic() + " needs an XMM register operand");
                    }
                    yield new Operand.Reg(RegisterKind.XMM, (modrm & 7) | rexB(), 16);
                }
                // SDM 2 §2.2.1.7 (Table 2-4 note): REX.R/REX.B do not extend MMX register numbers.
                case P -> new Operand.Reg(RegisterKind.MMX, (modrm >> 3) & 7, 8);
                case Q -> mod == 3 ? new Operand.Reg(RegisterKind.MMX, modrm & 7, 8) : memory(size, asize);
                case N -> {
                    if (mod != 3) {
                        throw undefined(form.mnemonic() + " needs an MMX register operand");
                    }
                    yield new Operand.Reg(RegisterKind.MMX, modrm & 7, 8);
                }
                case ST0 -> new Operand.Reg(RegisterKind.X87, 0, 10);
                case STI -> new Operand.Reg(RegisterKind.X87, modrm & 7, 10);
                case A -> {
                    int offsetSize = osize == 2 ? 2 : 4;
                    long offset = unsigned(offsetSize);
                    int selector = (int) unsigned(2);
                    yield new Operand.FarPtr(selector, offset, offsetSize);
                }
            };
        }

        /** A general register; byte registers 4-7 are AH, CH, DH, BH without REX (SDM 2 §2.2.1.2, Table 3-1). */
        private Operand.Reg gpr(int index, int size) {
            if (size == 1 && (prefixes & Prefix.REX) == 0 && index >= 4 && index < 8) {
                return new Operand.Reg(RegisterKind.GPR_HIGH8, index - 4, 1);
            }
            return new Operand.Reg(RegisterKind.GPR, index, size);
        }

        private Operand.Mem memory(int size, int asize) throws DecodeException {
            return asize == 2 ? memory16(size) : memory32(size, asize);
        }

        /** SDM 2 Table 2-1: 16-bit addressing forms. BP-based forms default to SS. */
        private Operand.Mem memory16(int size) throws DecodeException {
            int mod = modrm >> 6;
            int rm = modrm & 7;
            if (mod == 0 && rm == 6) {
                return new Operand.Mem(effectiveSegment(3), Operand.Mem.NONE, Operand.Mem.NONE, 1, signed(2), size, 2, false);
            }
            final int bx = 3, bp = 5, si = 6, di = 7;
            int base = switch (rm) {
                case 0, 1, 7 -> bx;
                case 2, 3, 6 -> bp;
                case 4 -> si;
                default -> di;
            };
            int index = switch (rm) {
                case 0, 2 -> si;
                case 1, 3 -> di;
                default -> Operand.Mem.NONE;
            };
            long disp = mod == 1 ? signed(1) : mod == 2 ? signed(2) : 0;
            int segment = effectiveSegment(base == bp ? 2 : 3);
            return new Operand.Mem(segment, base, index, 1, disp, size, 2, false);
        }

        /**
         * SDM 2 Tables 2-2 and 2-3 (32-bit forms with SIB), §2.2.1.3-§2.2.1.6 (REX.X/B extend index and
         * base; SIB.index 100b without REX.X means none; mod 00 rm 101 is RIP-relative in 64-bit mode).
         * RSP/RBP bases default to SS (SDM 1 §3.7.4); R12/R13 do not.
         */
        private Operand.Mem memory32(int size, int asize) throws DecodeException {
            int mod = modrm >> 6;
            int rm = modrm & 7;
            int base;
            int index = Operand.Mem.NONE;
            int scale = 1;
            boolean rip = false;
            long disp;
            if (rm == 4) {
                int sib = next();
                int idx = ((sib >> 3) & 7) | rexX();
                if (idx != 4) {
                    index = idx;
                    scale = 1 << (sib >> 6);
                }
                base = (sib & 7) | rexB();
                if ((sib & 7) == 5 && mod == 0) {
                    base = Operand.Mem.NONE;
                    disp = signed(4);
                } else {
                    disp = mod == 1 ? signed(1) : mod == 2 ? signed(4) : 0;
                }
            } else if (rm == 5 && mod == 0) {
                base = Operand.Mem.NONE;
                rip = mode == 8;
                disp = signed(4);
            } else {
                base = rm | rexB();
                disp = mod == 1 ? signed(1) : mod == 2 ? signed(4) : 0;
            }
            int segment = effectiveSegment(base == 4 || base == 5 ? 2 : 3);
            return new Operand.Mem(segment, base, index, scale, disp, size, asize, rip);
        }

        private DecodeException undefined(String why) {
            String where = switch (map) {
                case Instruction.MAP_0F -> "0F ";
                case Instruction.MAP_0F38 -> "0F 38 ";
                case Instruction.MAP_0F3A -> "0F 3A ";
                default -> "";
            };
            return new DecodeException(DecodeException.Kind.UNDEFINED,
                    String.format("#UD at opcode %s%02X: %s", where, opcode, why));
        }
    }
}
