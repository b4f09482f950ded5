package dev.hvspec.machine.cpu.isa;

import java.util.List;

/**
 * A cell of an opcode map (SDM 2 Appendix A). A cell is either an instruction {@link Form}, an
 * undefined encoding, or a selector that needs one more piece of the encoding to resolve: the
 * ModRM.reg opcode extension (the groups of Table A-6), ModRM.mod (memory or register form),
 * ModRM.rm (the register forms of group 7), a mandatory F3/F2 prefix, the mode, REX.W, REX.B, or
 * whether a CPUID feature is advertised.
 */
public sealed interface OpcodeEntry permits Form, OpcodeEntry.Undefined, OpcodeEntry.Group,
        OpcodeEntry.ByMod, OpcodeEntry.ByRm, OpcodeEntry.ByPrefix, OpcodeEntry.ByMode,
        OpcodeEntry.ByRexW, OpcodeEntry.ByRexB, OpcodeEntry.ByFeature {

    /** A reserved, undefined or out-of-scope encoding: #UD. {@code why} says which. */
    record Undefined(String why) implements OpcodeEntry {
    }

    /** SDM 2 §A.4: ModRM.reg (bits 5:3) extends the opcode; one entry per value 0-7. */
    record Group(String name, List<OpcodeEntry> byReg) implements OpcodeEntry {
        public Group {
            byReg = List.copyOf(byReg);
            if (byReg.size() != 8) {
                throw new IllegalArgumentException(name + ": a group has 8 entries");
            }
        }
    }

    /** The memory form (mod != 11b) and the register form (mod = 11b) differ (Table A-6 "mem"/"11B"). */
    record ByMod(OpcodeEntry memory, OpcodeEntry register) implements OpcodeEntry {
    }

    /** Register forms selected by ModRM.rm (Table A-6, group 7 with mod = 11b). */
    record ByRm(List<OpcodeEntry> byRm) implements OpcodeEntry {
        public ByRm {
            byRm = List.copyOf(byRm);
        }
    }

    /**
     * A mandatory prefix selects the instruction (SDM 2 §2.1.2, Table A-3 notes): {@code f3} with
     * F3, {@code f2} with F2, {@code o66} with 66 and neither F2 nor F3, else {@code none}. Of F2/F3
     * the last one in the encoding counts; they take precedence over 66. Where a branch is the same
     * entry as {@code none}, the prefix is not mandatory there (66 then sizes the operands).
     */
    record ByPrefix(OpcodeEntry none, OpcodeEntry f3, OpcodeEntry f2, OpcodeEntry o66) implements OpcodeEntry {
    }

    /** Different meaning in 64-bit mode (e.g. 63: ARPL outside, MOVSXD in 64-bit mode). */
    record ByMode(OpcodeEntry legacy, OpcodeEntry long64) implements OpcodeEntry {
    }

    /** REX.W selects the instruction (0F C7 /1: CMPXCHG8B or CMPXCHG16B). */
    record ByRexW(OpcodeEntry w0, OpcodeEntry w1) implements OpcodeEntry {
    }

    /** REX.B selects the instruction (90: NOP, or XCHG r8, rAX with REX.B). */
    record ByRexB(OpcodeEntry b0, OpcodeEntry b1) implements OpcodeEntry {
    }

    /**
     * Whether a CPUID feature is advertised selects the meaning (IsaFeature's Javadoc: F3 0F BC is
     * BSF without BMI1, F3 0F BD is BSR without LZCNT).
     */
    record ByFeature(IsaFeature feature, OpcodeEntry present, OpcodeEntry absent) implements OpcodeEntry {
    }
}
