package dev.hvspec.machine.cpu.isa;

import java.util.List;

/**
 * One opcode map of SDM 2 Appendix A: 256 cells indexed by the opcode byte.
 *
 * @param map   {@link Instruction#MAP_ONE_BYTE}, {@link Instruction#MAP_0F}, {@link Instruction#MAP_0F38}
 *              or {@link Instruction#MAP_0F3A}
 * @param cells the cells, index = opcode byte
 */
public record OpcodeMap(int map, List<OpcodeEntry> cells) {
    public OpcodeMap {
        cells = List.copyOf(cells);
        if (cells.size() != 256) {
            throw new IllegalArgumentException("an opcode map has 256 cells");
        }
    }

    public OpcodeEntry cell(int opcodeByte) {
        return cells.get(opcodeByte & 0xFF);
    }
}
