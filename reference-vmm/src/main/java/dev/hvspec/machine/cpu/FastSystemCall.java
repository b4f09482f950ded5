package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;

import static dev.hvspec.machine.cpu.CpuState.RCX;
import static dev.hvspec.machine.cpu.CpuState.RDX;
import static dev.hvspec.machine.cpu.CpuState.RSP;

/**
 * SYSCALL/SYSRET (SDM 2; IA32_STAR, IA32_LSTAR, IA32_FMASK), SYSENTER/SYSEXIT (IA32_SYSENTER_*)
 * and SWAPGS. These load CS and SS with fixed flat descriptors rather than from the GDT.
 */
final class FastSystemCall {
    private static final int FLAT_DATA = SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_WRITABLE_OR_READABLE
            | SegmentRegister.TYPE_ACCESSED | SegmentRegister.DB | SegmentRegister.G;
    private static final int FLAT_CODE = SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_CODE
            | SegmentRegister.TYPE_WRITABLE_OR_READABLE | SegmentRegister.TYPE_ACCESSED | SegmentRegister.G;

    private FastSystemCall() {
    }

    private static void loadFlat(SegmentRegister sr, int selector, int attributes, int dpl) {
        sr.load(selector, 0, 0xFFFF_FFFFL, attributes | (dpl << SegmentRegister.DPL_SHIFT));
    }

    /** SYSCALL (64-bit mode, EFER.SCE): RCX = RIP, R11 = RFLAGS, CS/SS from STAR[47:32], RIP = LSTAR. */
    static void syscall(Cpu c, Instruction i) {
        if (!c.s.mode64() || (c.s.efer & ControlBits.EFER_SCE) == 0) {
            throw CpuException.ud();
        }
        int selector = (int) (c.s.star >>> 32) & 0xFFFF;
        c.s.gpr[RCX] = c.nextRip;
        c.s.gpr[11] = c.s.rflags & ~Rflags.RF;
        c.s.rflags = (c.s.rflags & ~c.s.fmask & ~Rflags.RF) | Rflags.FIXED1;
        loadFlat(c.s.cs(), selector & 0xFFFC, FLAT_CODE | SegmentRegister.L, 0);
        loadFlat(c.s.ss(), (selector + 8) & 0xFFFC, FLAT_DATA, 0);
        c.nextRip = c.s.lstar;
    }

    /** SYSRET: to 64-bit (REX.W) or compatibility mode at CPL 3; RFLAGS from R11. */
    static void sysret(Cpu c, Instruction i) {
        if (!c.s.mode64() || (c.s.efer & ControlBits.EFER_SCE) == 0) {
            throw CpuException.ud();
        }
        if (c.cpl() != 0) {
            throw CpuException.gp(0);
        }
        int selector = (int) (c.s.star >>> 48) & 0xFFFF;
        boolean to64 = i.operandSize() == 8;
        long rip = to64 ? c.s.gpr[RCX] : c.s.gpr[RCX] & 0xFFFF_FFFFL;
        if (to64 && !c.isCanonical(rip)) {
            throw CpuException.gp(0); // Intel: #GP(0) at CPL 0 for a non-canonical RCX
        }
        if (to64) {
            loadFlat(c.s.cs(), (selector + 16) | 3, FLAT_CODE | SegmentRegister.L, 3);
        } else {
            loadFlat(c.s.cs(), selector | 3, FLAT_CODE | SegmentRegister.DB, 3);
        }
        loadFlat(c.s.ss(), (selector + 8) | 3, FLAT_DATA, 3);
        c.s.rflags = (c.s.gpr[11] & 0x3C_7FD7L) | Rflags.FIXED1;
        c.nextRip = rip;
        c.requestAttention();
    }

    /** SYSENTER: to CPL 0 with CS = SYSENTER_CS, SS = CS + 8, ESP/EIP from the MSRs (#GP(0) in real mode or with CS = 0). */
    static void sysenter(Cpu c) {
        if (!c.s.protectedMode() || (c.s.sysenterCs & 0xFFFC) == 0) {
            throw CpuException.gp(0);
        }
        int cs = (int) c.s.sysenterCs & 0xFFFC;
        boolean ia32e = c.s.longModeActive();
        c.s.rflags &= ~(Rflags.VM | Rflags.IF | Rflags.RF);
        loadFlat(c.s.cs(), cs, FLAT_CODE | (ia32e ? SegmentRegister.L : SegmentRegister.DB), 0);
        loadFlat(c.s.ss(), cs + 8, FLAT_DATA, 0);
        c.s.gpr[RSP] = ia32e ? c.s.sysenterEsp : c.s.sysenterEsp & 0xFFFF_FFFFL;
        c.nextRip = ia32e ? c.s.sysenterEip : c.s.sysenterEip & 0xFFFF_FFFFL;
    }

    /** SYSEXIT: to CPL 3, 32-bit (CS = SYSENTER_CS + 16) or with REX.W 64-bit (CS + 32); ESP = ECX, EIP = EDX. */
    static void sysexit(Cpu c, Instruction i) {
        if (!c.s.protectedMode() || (c.s.sysenterCs & 0xFFFC) == 0 || c.cpl() != 0) {
            throw CpuException.gp(0);
        }
        int base = (int) c.s.sysenterCs & 0xFFFC;
        boolean to64 = i.operandSize() == 8;
        long rip = to64 ? c.s.gpr[RDX] : c.s.gpr[RDX] & 0xFFFF_FFFFL;
        long rsp = to64 ? c.s.gpr[RCX] : c.s.gpr[RCX] & 0xFFFF_FFFFL;
        if (to64 && (!c.isCanonical(rip) || !c.isCanonical(rsp))) {
            throw CpuException.gp(0);
        }
        if (to64) {
            loadFlat(c.s.cs(), (base + 32) | 3, FLAT_CODE | SegmentRegister.L, 3);
            loadFlat(c.s.ss(), (base + 40) | 3, FLAT_DATA, 3);
        } else {
            loadFlat(c.s.cs(), (base + 16) | 3, FLAT_CODE | SegmentRegister.DB, 3);
            loadFlat(c.s.ss(), (base + 24) | 3, FLAT_DATA, 3);
        }
        c.s.gpr[RSP] = rsp;
        c.nextRip = rip;
    }

    /** SWAPGS: exchanges GS.base with IA32_KERNEL_GS_BASE; 64-bit mode and CPL 0 only. */
    static void swapgs(Cpu c) {
        if (!c.s.mode64()) {
            throw CpuException.ud();
        }
        if (c.cpl() != 0) {
            throw CpuException.gp(0);
        }
        SegmentRegister gs = c.s.seg[SegmentRegister.GS];
        long tmp = gs.base;
        gs.base = c.s.kernelGsBase;
        c.s.kernelGsBase = tmp;
    }
}
