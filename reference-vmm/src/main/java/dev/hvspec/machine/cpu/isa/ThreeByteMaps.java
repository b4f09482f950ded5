package dev.hvspec.machine.cpu.isa;

import static dev.hvspec.machine.cpu.isa.MapBuilder.byPrefix;
import static dev.hvspec.machine.cpu.isa.MapBuilder.form;
import static dev.hvspec.machine.cpu.isa.MapBuilder.ud;

/**
 * SDM 2 Tables A-4 (0F 38) and A-5 (0F 3A). Only MOVBE is a general-purpose instruction; the rest
 * of both maps is SSSE3/SSE4/AES/SHA/AVX, out of scope.
 */
final class ThreeByteMaps {
    private ThreeByteMaps() {
    }

    /**
     * 0F 38: F0/F1 are MOVBE without prefix or with 66 (SDM 2 MOVBE "66 0F 38 F0 /r MOVBE r16, m16");
     * F2 0F 38 F0/F1 is CRC32 (SSE4.2), not supported.
     */
    static OpcodeMap build0F38() {
        MapBuilder m = new MapBuilder();
        m.undefined(0x00, 0xEF, "SSSE3/SSE4/AES/SHA not supported");
        m.set(0xF0, byPrefix(form("MOVBE Gv,Mv", IsaFeature.MOVBE), ud("F3 0F 38 F0 reserved"),
                ud("CRC32 (SSE4.2) not supported")));
        m.set(0xF1, byPrefix(form("MOVBE Mv,Gv", IsaFeature.MOVBE), ud("F3 0F 38 F1 reserved"),
                ud("CRC32 (SSE4.2) not supported")));
        m.undefined(0xF2, 0xFF, "BMI/ADX not supported");
        return m.build(Instruction.MAP_0F38);
    }

    /** 0F 3A: no general-purpose instructions. */
    static OpcodeMap build0F3A() {
        MapBuilder m = new MapBuilder();
        m.undefined(0x00, 0xFF, "SSSE3/SSE4/AES/AVX not supported");
        return m.build(Instruction.MAP_0F3A);
    }
}
