package dev.hvspec.machine.cpu.isa;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The four opcode maps of SDM 2 Appendix A (one-byte, 0F, 0F 38, 0F 3A) and the flat list of
 * every instruction form reachable in them. Immutable; {@link #standard()} is shared.
 */
public final class OpcodeTables {
    private static final OpcodeTables STANDARD = new OpcodeTables();

    private final List<OpcodeMap> maps;
    private final List<Slot> slots;
    private final Map<Integer, List<Slot>> slotsByOpcode;
    private final Map<Mnemonic, List<Slot>> slotsByMnemonic;

    private OpcodeTables() {
        maps = List.of(OneByteMap.build(), TwoByteMap.build(),
                ThreeByteMaps.build0F38(), ThreeByteMaps.build0F3A());
        List<Slot> all = new ArrayList<>();
        for (OpcodeMap map : maps) {
            for (int b = 0; b < 256; b++) {
                walk(map.cell(b), new Path(map.map(), b), all);
            }
        }
        slots = List.copyOf(all);
        Map<Integer, List<Slot>> byOpcode = new HashMap<>();
        Map<Mnemonic, List<Slot>> byMnemonic = new EnumMap<>(Mnemonic.class);
        for (Slot s : slots) {
            byOpcode.computeIfAbsent(s.opcode(), k -> new ArrayList<>()).add(s);
            byMnemonic.computeIfAbsent(s.form().mnemonic(), k -> new ArrayList<>()).add(s);
        }
        byOpcode.replaceAll((k, v) -> List.copyOf(v));
        byMnemonic.replaceAll((k, v) -> List.copyOf(v));
        slotsByOpcode = Map.copyOf(byOpcode);
        slotsByMnemonic = Map.copyOf(byMnemonic);
    }

    public static OpcodeTables standard() {
        return STANDARD;
    }

    /** The map {@link Instruction#MAP_ONE_BYTE} … {@link Instruction#MAP_0F3A}. */
    public OpcodeMap map(int map) {
        return maps.get(map);
    }

    /** Every instruction form, in map order. */
    public List<Slot> slots() {
        return slots;
    }

    /** The forms under {@link Instruction#opcode()}-style key (map, byte, group extension). */
    public List<Slot> slotsFor(int opcode) {
        return slotsByOpcode.getOrDefault(opcode, List.of());
    }

    public List<Slot> slotsFor(Mnemonic mnemonic) {
        return slotsByMnemonic.getOrDefault(mnemonic, List.of());
    }

    /** The selector choices made on the way from a map cell to a form. */
    private record Path(int map, int opcodeByte, int reg, int rm, Slot.ModRequirement mod,
                        int requiredPrefix, int forbiddenPrefixes, Slot.ModeRequirement mode,
                        int rexW, int rexB, IsaFeature feature, boolean featurePresent) {
        Path(int map, int opcodeByte) {
            this(map, opcodeByte, -1, -1, Slot.ModRequirement.ANY, 0, 0, Slot.ModeRequirement.ANY,
                    -1, -1, null, false);
        }

        Path reg(int r) {
            return new Path(map, opcodeByte, r, rm, mod, requiredPrefix, forbiddenPrefixes, mode, rexW, rexB, feature, featurePresent);
        }

        Path rm(int r) {
            return new Path(map, opcodeByte, reg, r, mod, requiredPrefix, forbiddenPrefixes, mode, rexW, rexB, feature, featurePresent);
        }

        Path mod(Slot.ModRequirement m) {
            return new Path(map, opcodeByte, reg, rm, m, requiredPrefix, forbiddenPrefixes, mode, rexW, rexB, feature, featurePresent);
        }

        Path prefix(int required, int forbidden) {
            return new Path(map, opcodeByte, reg, rm, mod, required, forbidden, mode, rexW, rexB, feature, featurePresent);
        }

        Path mode(Slot.ModeRequirement m) {
            return new Path(map, opcodeByte, reg, rm, mod, requiredPrefix, forbiddenPrefixes, m, rexW, rexB, feature, featurePresent);
        }

        Path rexW(int w) {
            return new Path(map, opcodeByte, reg, rm, mod, requiredPrefix, forbiddenPrefixes, mode, w, rexB, feature, featurePresent);
        }

        Path rexB(int b) {
            return new Path(map, opcodeByte, reg, rm, mod, requiredPrefix, forbiddenPrefixes, mode, rexW, b, feature, featurePresent);
        }

        Path feature(IsaFeature f, boolean present) {
            return new Path(map, opcodeByte, reg, rm, mod, requiredPrefix, forbiddenPrefixes, mode, rexW, rexB, f, present);
        }

        Slot slot(Form form) {
            return new Slot(map, opcodeByte, reg, rm, mod, requiredPrefix, forbiddenPrefixes, mode,
                    rexW, rexB, feature, featurePresent, form);
        }
    }

    private static void walk(OpcodeEntry entry, Path path, List<Slot> out) {
        switch (entry) {
            case Form form -> out.add(path.slot(form));
            case OpcodeEntry.Undefined u -> { }
            case OpcodeEntry.Group g -> {
                for (int r = 0; r < 8; r++) {
                    walk(g.byReg().get(r), path.reg(r), out);
                }
            }
            case OpcodeEntry.ByMod m -> {
                walk(m.memory(), path.mod(Slot.ModRequirement.MEMORY), out);
                walk(m.register(), path.mod(Slot.ModRequirement.REGISTER), out);
            }
            case OpcodeEntry.ByRm r -> {
                for (int rm = 0; rm < 8; rm++) {
                    walk(r.byRm().get(rm), path.rm(rm).mod(Slot.ModRequirement.REGISTER), out);
                }
            }
            case OpcodeEntry.ByPrefix p -> {
                int selecting = (p.f3() != p.none() ? Prefix.REP : 0) | (p.f2() != p.none() ? Prefix.REPNE : 0)
                        | (p.o66() != p.none() ? Prefix.OPERAND_SIZE : 0);
                walk(p.none(), path.prefix(0, selecting), out);
                if (p.f3() != p.none()) {
                    walk(p.f3(), path.prefix(Prefix.REP, Prefix.REPNE), out);
                }
                if (p.f2() != p.none()) {
                    walk(p.f2(), path.prefix(Prefix.REPNE, Prefix.REP), out);
                }
                if (p.o66() != p.none()) {
                    walk(p.o66(), path.prefix(Prefix.OPERAND_SIZE, Prefix.REP | Prefix.REPNE), out);
                }
            }
            case OpcodeEntry.ByMode m -> {
                walk(m.legacy(), path.mode(Slot.ModeRequirement.LEGACY), out);
                walk(m.long64(), path.mode(Slot.ModeRequirement.LONG), out);
            }
            case OpcodeEntry.ByRexW w -> {
                walk(w.w0(), path.rexW(0), out);
                walk(w.w1(), path.rexW(1), out);
            }
            case OpcodeEntry.ByRexB b -> {
                walk(b.b0(), path.rexB(0), out);
                walk(b.b1(), path.rexB(1), out);
            }
            case OpcodeEntry.ByFeature f -> {
                walk(f.present(), path.feature(f.feature(), true), out);
                walk(f.absent(), path.feature(f.feature(), false), out);
            }
        }
    }
}
