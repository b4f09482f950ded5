package dev.hvspec.machine.cpu.isa;

import static dev.hvspec.machine.cpu.isa.Attribute.D64;
import static dev.hvspec.machine.cpu.isa.Attribute.F64;
import static dev.hvspec.machine.cpu.isa.Attribute.LOCKABLE;
import static dev.hvspec.machine.cpu.isa.Attribute.MOD_IGNORED;
import static dev.hvspec.machine.cpu.isa.Attribute.O64;
import static dev.hvspec.machine.cpu.isa.Attribute.SIZE_CR;
import static dev.hvspec.machine.cpu.isa.Attribute.SIZE_REXW;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byFeature;
import static dev.hvspec.machine.cpu.isa.MapBuilder.byPrefix;
import static dev.hvspec.machine.cpu.isa.MapBuilder.form;
import static dev.hvspec.machine.cpu.isa.MapBuilder.ud;

/**
 * SDM 2 Table A-3, the two-byte opcode map (first byte 0F). The general-purpose and system
 * instructions are here; the MMX/SSE/SSE2/SSE3 cells (0F 10-17, 28-2F, 50-7F, C2-C6, D0-FE) are
 * filled by {@link SseMap}. 0F 38 and 0F 3A escape to {@link ThreeByteMaps}.
 */
final class TwoByteMap {
    private TwoByteMap() {
    }

    static OpcodeMap build() {
        MapBuilder m = new MapBuilder();
        // Row 0.
        m.set(0x00, OpcodeGroups.group6()).set(0x01, OpcodeGroups.group7());
        m.op(0x02, "LAR Gv,Rv/Mw").op(0x03, "LSL Gv,Rv/Mw");
        // SDM 2 SYSCALL/SYSRET: #UD outside 64-bit mode (Intel); SYSCALL needs CPUID.80000001H:EDX[11].
        m.op(0x05, "SYSCALL", IsaFeature.SYSCALL, O64).op(0x06, "CLTS");
        m.op(0x07, "SYSRET", IsaFeature.SYSCALL, O64, SIZE_REXW);
        // F3 0F 09 is WBNOINVD (not advertised); WBINVD takes no 66/F2 (SDM 2 WBINVD, WBNOINVD).
        m.op(0x08, "INVD").op(0x0B, "UD2");
        m.set(0x09, byPrefix(form("WBINVD"), ud("WBNOINVD not advertised"), ud("F2 0F 09 reserved"),
                ud("66 0F 09 reserved")));
        m.set(0x0D, ud("PREFETCHW not advertised"));
        m.undefined(0x0E, 0x0F, "3DNow! not supported");
        // 0F 18 group 16; 0F 19-1F reserved NOPs (Table A-3: "NOP Ev"; 0F 1F /0 is the
        // recommended multi-byte NOP, SDM 2 NOP Table 4-12).
        m.set(0x18, OpcodeGroups.group16());
        for (int b = 0x19; b <= 0x1F; b++) {
            m.op(b, "NOP Rv/M");
        }
        // Row 2: MOV to/from control and debug registers (Rd/Cd in Table A-3; 64-bit in
        // 64-bit mode). The mod bits are ignored (SDM 2 MOV CR: "the 2 bits in the mod field are ignored").
        m.op(0x20, "MOV_CR Ry,Cy", SIZE_CR, MOD_IGNORED).op(0x21, "MOV_DR Ry,Dy", SIZE_CR, MOD_IGNORED);
        m.op(0x22, "MOV_CR Cy,Ry", SIZE_CR, MOD_IGNORED).op(0x23, "MOV_DR Dy,Ry", SIZE_CR, MOD_IGNORED);
        m.undefined(0x24, 0x27, "reserved (MOV to/from test registers of the 386/486)");
        // Row 3.
        m.op(0x30, "WRMSR", IsaFeature.MSR).op(0x31, "RDTSC", IsaFeature.TSC);
        m.op(0x32, "RDMSR", IsaFeature.MSR).op(0x33, "RDPMC");
        m.op(0x34, "SYSENTER", IsaFeature.SEP).op(0x35, "SYSEXIT", IsaFeature.SEP, SIZE_REXW);
        m.set(0x37, ud("GETSEC (SMX) not advertised"));
        m.set(0x38, ud("three-byte escape")).set(0x3A, ud("three-byte escape"));
        // Row 4: CMOVcc.
        m.conditional(0x40, "CMOVCC Gv,Ev", IsaFeature.CMOV);
        // Row 8: Jcc rel16/32 (f64). Row 9: SETcc.
        m.conditional(0x80, "JCC Jz", null, F64);
        m.conditional(0x90, "SETCC Eb", null);
        // Row A.
        m.op(0xA0, "PUSH FS", D64).op(0xA1, "POP FS", D64).op(0xA2, "CPUID");
        m.op(0xA3, "BT Ev,Gv").op(0xA4, "SHLD Ev,Gv,Ub").op(0xA5, "SHLD Ev,Gv,CL");
        m.op(0xA8, "PUSH GS", D64).op(0xA9, "POP GS", D64).set(0xAA, ud("RSM: SMM not modelled"));
        m.op(0xAB, "BTS Ev,Gv", LOCKABLE).op(0xAC, "SHRD Ev,Gv,Ub").op(0xAD, "SHRD Ev,Gv,CL");
        m.set(0xAE, OpcodeGroups.group15()).op(0xAF, "IMUL Gv,Ev");
        // Row B. B8 without F3 is JMPE (IA-64), reserved. BC/BD with F3 are TZCNT/LZCNT, which
        // fall back to BSF/BSR where the feature is not advertised (SDM 2 TZCNT, LZCNT).
        m.op(0xB0, "CMPXCHG Eb,Gb", LOCKABLE).op(0xB1, "CMPXCHG Ev,Gv", LOCKABLE);
        m.op(0xB2, "LSS Gv,Mp").op(0xB3, "BTR Ev,Gv", LOCKABLE);
        m.op(0xB4, "LFS Gv,Mp").op(0xB5, "LGS Gv,Mp");
        m.op(0xB6, "MOVZX Gv,Eb").op(0xB7, "MOVZX Gv,Ew");
        m.set(0xB8, byPrefix(ud("JMPE (IA-64) reserved"), form("POPCNT Gv,Ev", IsaFeature.POPCNT),
                ud("F2 0F B8 reserved")));
        m.op(0xB9, "UD1 Gv,Ev");
        m.set(0xBA, OpcodeGroups.group8()).op(0xBB, "BTC Ev,Gv", LOCKABLE);
        // F2 0F BC/BD are not defined next to the F3 forms: reserved.
        m.set(0xBC, byPrefix(form("BSF Gv,Ev"),
                byFeature(IsaFeature.BMI1, form("TZCNT Gv,Ev", IsaFeature.BMI1), form("BSF Gv,Ev")),
                ud("F2 0F BC reserved")));
        m.set(0xBD, byPrefix(form("BSR Gv,Ev"),
                byFeature(IsaFeature.LZCNT, form("LZCNT Gv,Ev", IsaFeature.LZCNT), form("BSR Gv,Ev")),
                ud("F2 0F BD reserved")));
        m.op(0xBE, "MOVSX Gv,Eb").op(0xBF, "MOVSX Gv,Ew");
        // Row C: XADD, group 9, BSWAP r (SDM 2 BSWAP: the 16-bit form is undefined but decodes).
        m.op(0xC0, "XADD Eb,Gb", LOCKABLE).op(0xC1, "XADD Ev,Gv", LOCKABLE);
        m.set(0xC7, OpcodeGroups.group9());
        m.plusR(0xC8, "BSWAP Zv");
        // 0F FF UD0 takes a ModRM byte (SDM 2 UD: "0F FF /r UD0 r32, r/m32").
        m.op(0xFF, "UD0 Gv,Ev");
        SseMap.fill(m);
        return m.build(Instruction.MAP_0F);
    }
}
