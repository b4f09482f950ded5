package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.mmu.Access;

import java.util.OptionalLong;

import static dev.hvspec.machine.cpu.CpuState.RAX;
import static dev.hvspec.machine.cpu.CpuState.RBX;
import static dev.hvspec.machine.cpu.CpuState.RCX;
import static dev.hvspec.machine.cpu.CpuState.RDX;

/**
 * System instructions (SDM 3A §2.8, SDM 2 pages): LGDT LIDT SGDT SIDT SLDT STR LMSW SMSW CLTS
 * INVLPG RDMSR WRMSR RDTSC RDTSCP HLT CPUID CLFLUSH, and the model-specific registers held by
 * the core.
 */
final class SystemInstructions {
    private SystemInstructions() {
    }

    /** Privileged instructions raise #GP(0) at CPL > 0 and in virtual-8086 mode. */
    static void requireCpl0(Cpu c) {
        if (c.s.protectedMode() && (c.s.v86Mode() || c.cpl() != 0)) {
            throw CpuException.gp(0);
        }
    }

    private static Operand.Mem memory(Instruction i) {
        if (i.op1() instanceof Operand.Mem m) {
            return m;
        }
        throw CpuException.ud();
    }

    /** LGDT/LIDT m16&32 / m16&64: a 16-bit operand size keeps 24 bits of base (SDM 2 LGDT). */
    static void loadDescriptorTable(Cpu c, Instruction i) {
        requireCpl0(c);
        Operand.Mem m = memory(i);
        long ea = Operands.effectiveAddress(c, m);
        int limit = (int) c.readMem(m.segment(), ea, 2);
        int baseSize = c.s.mode64() ? 8 : 4;
        long base = c.readMem(m.segment(), (ea + 2) & Alu.mask(m.addressSize()), baseSize);
        if (!c.s.mode64() && i.operandSize() == 2) {
            base &= 0xFF_FFFFL;
        }
        if (c.s.mode64() && !c.isCanonical(base)) {
            throw CpuException.gp(0);
        }
        DescriptorTable table = i.mnemonic() == Mnemonic.LGDT ? c.s.gdtr : c.s.idtr;
        table.load(base, limit);
    }

    /** SGDT/SIDT: the full 32-bit (64-bit in 64-bit mode) base is stored whatever the operand size. */
    static void storeDescriptorTable(Cpu c, Instruction i) {
        Operand.Mem m = memory(i);
        DescriptorTable table = i.mnemonic() == Mnemonic.SGDT ? c.s.gdtr : c.s.idtr;
        long ea = Operands.effectiveAddress(c, m);
        int baseSize = c.s.mode64() ? 8 : 4;
        c.probeWrite(m.segment(), ea, 2 + baseSize);
        c.writeMem(m.segment(), ea, 2, table.limit);
        c.writeMem(m.segment(), (ea + 2) & Alu.mask(m.addressSize()), baseSize, table.base);
    }

    /** SLDT/STR: protected mode only; to a register the selector is zero-extended, to memory 16 bits. */
    static void storeSystemSegment(Cpu c, Instruction i) {
        if (!c.s.protectedMode() || c.s.v86Mode()) {
            throw CpuException.ud();
        }
        int selector = i.mnemonic() == Mnemonic.SLDT ? c.s.ldtr.selector : c.s.tr.selector;
        Operands.write(c, i.op1(), Operands.isMemory(i.op1()) ? 2 : i.op1().size(), selector);
    }

    /** LMSW: loads CR0 bits 3:0; PE can be set but not cleared. */
    static void lmsw(Cpu c, Instruction i) {
        requireCpl0(c);
        long value = Operands.read(c, i.op1(), 2) & 0xF;
        long cr0 = (c.s.cr0 & ~0xEL) | (value & 0xE) | ((c.s.cr0 | value) & ControlBits.CR0_PE);
        ControlRegisters.writeCr0(c, cr0);
    }

    /** SMSW: CR0 bits 15:0 to memory; to a register the operand size's worth of CR0. */
    static void smsw(Cpu c, Instruction i) {
        if (Operands.isMemory(i.op1())) {
            Operands.write(c, i.op1(), 2, c.s.cr0 & 0xFFFF);
        } else {
            Operands.write(c, i.op1(), i.op1().size(), c.s.cr0);
        }
    }

    static void clts(Cpu c) {
        requireCpl0(c);
        c.s.cr0 &= ~ControlBits.CR0_TS;
    }

    /** INVLPG m: invalidates the TLB entries for the page of the linear address (no fault on an unmapped page). */
    static void invlpg(Cpu c, Instruction i) {
        requireCpl0(c);
        Operand.Mem m = memory(i);
        long ea = Operands.effectiveAddress(c, m);
        long base = c.s.mode64() ? (m.segment() >= SegmentRegister.FS ? c.s.seg[m.segment()].base : 0)
                : c.s.seg[m.segment()].base;
        long linear = c.s.mode64() ? base + ea : (base + ea) & 0xFFFF_FFFFL;
        // VMX non-root operation: with "INVLPG exiting" the instruction causes a VM exit and the
        // hypervisor emulates it (SDM 3C §26.1.3); the instruction then retires.
        var vmx = c.mmu.controls();
        if (vmx != null && vmx.invlpgExiting()) {
            vmx.exits().invlpg(linear);
            return;
        }
        c.mmu.invlpg(linear);
    }

    /** CLFLUSH m8: checked like a byte read (segment, paging), no further effect in this model. */
    static void clflush(Cpu c, Instruction i) {
        Operand.Mem m = memory(i);
        long linear = c.linear(m.segment(), Operands.effectiveAddress(c, m), 1, false);
        c.mmu.translate(linear, c.dataKind(Access.READ));
    }

    static void hlt(Cpu c) {
        requireCpl0(c);
        c.halt();
    }

    /** RDTSC/RDTSCP: #GP(0) when CR4.TSD = 1 and CPL > 0; RDTSCP also returns IA32_TSC_AUX in ECX. */
    static void rdtsc(Cpu c, boolean withAux) {
        if ((c.s.cr4 & ControlBits.CR4_TSD) != 0 && c.s.protectedMode() && c.cpl() != 0) {
            throw CpuException.gp(0);
        }
        long tsc = c.tsc();
        c.setGpr(RAX, 4, tsc);
        c.setGpr(RDX, 4, tsc >>> 32);
        if (withAux) {
            c.setGpr(RCX, 4, c.s.tscAux);
        }
    }

    /**
     * CPUID: the installed table; a leaf above the maximum returns the highest basic leaf's data
     * (SDM 2 CPUID, "If a value entered … is higher than the maximum input value").
     */
    static void cpuid(Cpu c) {
        int leaf = (int) c.s.gpr[RAX];
        int subleaf = (int) c.s.gpr[RCX];
        CpuidModel.Entry max = CpuidModel.find(c.cpuid(), 0, 0);
        CpuidModel.Entry maxExt = CpuidModel.find(c.cpuid(), 0x8000_0000, 0);
        int maxBasic = max == null ? 0 : max.eax();
        int maxExtended = maxExt == null ? 0 : maxExt.eax();
        boolean extended = Integer.compareUnsigned(leaf, 0x8000_0000) >= 0;
        if ((!extended && Integer.compareUnsigned(leaf, maxBasic) > 0)
                || (extended && Integer.compareUnsigned(leaf, maxExtended) > 0)) {
            leaf = maxBasic;
        }
        CpuidModel.Entry e = CpuidModel.find(c.cpuid(), leaf, subleaf);
        long eax = e == null ? 0 : Integer.toUnsignedLong(e.eax());
        long ebx = e == null ? 0 : Integer.toUnsignedLong(e.ebx());
        long ecx = e == null ? 0 : Integer.toUnsignedLong(e.ecx());
        long edx = e == null ? 0 : Integer.toUnsignedLong(e.edx());
        if (leaf == 1 && !apicGloballyEnabled(c)) {
            // SDM 3A §11.4.3: with IA32_APIC_BASE[11] = 0 "the CPUID feature flag for the APIC ... is
            // also set to 0" (KVM: kvm_update_cpuid_runtime).
            edx &= ~CpuidModel.EDX1_APIC;
        }
        c.setGpr(RAX, 4, eax);
        c.setGpr(RBX, 4, ebx);
        c.setGpr(RCX, 4, ecx);
        c.setGpr(RDX, 4, edx);
    }

    /** IA32_APIC_BASE.EN of the platform's local APIC (true when there is none to ask). */
    private static boolean apicGloballyEnabled(Cpu c) {
        OptionalLong base = c.platform.readMsr(Msr.IA32_APIC_BASE);
        return base.isEmpty() || (base.getAsLong() & (1L << 11)) != 0;
    }

    static void rdmsr(Cpu c) {
        requireCpl0(c);
        int msr = (int) c.s.gpr[RCX];
        long value = readMsr(c, msr);
        c.setGpr(RAX, 4, value);
        c.setGpr(RDX, 4, value >>> 32);
    }

    static void wrmsr(Cpu c) {
        requireCpl0(c);
        int msr = (int) c.s.gpr[RCX];
        long value = (c.s.gpr[RDX] << 32) | (c.s.gpr[RAX] & 0xFFFF_FFFFL);
        writeMsr(c, msr, value);
    }

    /** The MSRs of SDM 4 Table 2-2 that this processor implements; anything else raises #GP(0). */
    static long readMsr(Cpu c, int msr) {
        OptionalLong platform = c.platform.readMsr(msr);
        if (platform.isPresent()) {
            return platform.getAsLong();
        }
        CpuState s = c.s;
        if (msr >= Msr.IA32_MTRR_PHYSBASE0 && msr <= Msr.IA32_MTRR_PHYSMASK7) {
            return s.mtrrVariable[msr - Msr.IA32_MTRR_PHYSBASE0];
        }
        int fixed = fixedMtrrIndex(msr);
        if (fixed >= 0) {
            return s.mtrrFixed[fixed];
        }
        return switch (msr) {
            case Msr.IA32_TSC -> c.tsc();
            case Msr.IA32_PLATFORM_ID, Msr.IA32_BIOS_SIGN_ID -> 0;
            case Msr.IA32_FEATURE_CONTROL -> 1; // locked, VMX disabled
            case Msr.IA32_MTRRCAP -> 0x508; // 8 variable ranges, fixed ranges, write-combining
            case Msr.IA32_MTRR_DEF_TYPE -> s.mtrrDefType;
            case Msr.IA32_SYSENTER_CS -> s.sysenterCs;
            case Msr.IA32_SYSENTER_ESP -> s.sysenterEsp;
            case Msr.IA32_SYSENTER_EIP -> s.sysenterEip;
            case Msr.IA32_MISC_ENABLE -> s.miscEnable;
            case Msr.IA32_PAT -> s.pat;
            case Msr.IA32_EFER -> s.efer;
            case Msr.IA32_STAR -> s.star;
            case Msr.IA32_LSTAR -> s.lstar;
            case Msr.IA32_CSTAR -> s.cstar;
            case Msr.IA32_FMASK -> s.fmask;
            case Msr.IA32_FS_BASE -> s.seg[SegmentRegister.FS].base;
            case Msr.IA32_GS_BASE -> s.seg[SegmentRegister.GS].base;
            case Msr.IA32_KERNEL_GS_BASE -> s.kernelGsBase;
            case Msr.IA32_TSC_AUX -> s.tscAux;
            default -> throw CpuException.gp(0);
        };
    }

    static void writeMsr(Cpu c, int msr, long value) {
        if (c.platform.writeMsr(msr, value)) {
            return;
        }
        CpuState s = c.s;
        if (msr >= Msr.IA32_MTRR_PHYSBASE0 && msr <= Msr.IA32_MTRR_PHYSMASK7) {
            s.mtrrVariable[msr - Msr.IA32_MTRR_PHYSBASE0] = value;
            return;
        }
        int fixed = fixedMtrrIndex(msr);
        if (fixed >= 0) {
            s.mtrrFixed[fixed] = value;
            return;
        }
        switch (msr) {
            case Msr.IA32_TSC -> c.writeTsc(value);
            case Msr.IA32_MTRR_DEF_TYPE -> s.mtrrDefType = value & 0xCFF;
            case Msr.IA32_SYSENTER_CS -> s.sysenterCs = value & 0xFFFF;
            case Msr.IA32_SYSENTER_ESP -> s.sysenterEsp = canonical(c, value);
            case Msr.IA32_SYSENTER_EIP -> s.sysenterEip = canonical(c, value);
            case Msr.IA32_MISC_ENABLE -> s.miscEnable = value;
            case Msr.IA32_PAT -> s.pat = validPat(value);
            case Msr.IA32_EFER -> ControlRegisters.writeEfer(c, value);
            case Msr.IA32_STAR -> s.star = value;
            case Msr.IA32_LSTAR -> s.lstar = canonical(c, value);
            case Msr.IA32_CSTAR -> s.cstar = canonical(c, value);
            case Msr.IA32_FMASK -> s.fmask = value & 0xFFFF_FFFFL;
            case Msr.IA32_FS_BASE -> s.seg[SegmentRegister.FS].base = canonical(c, value);
            case Msr.IA32_GS_BASE -> s.seg[SegmentRegister.GS].base = canonical(c, value);
            case Msr.IA32_KERNEL_GS_BASE -> s.kernelGsBase = canonical(c, value);
            case Msr.IA32_TSC_AUX -> {
                if ((value >>> 32) != 0) {
                    throw CpuException.gp(0);
                }
                s.tscAux = value;
            }
            case Msr.IA32_BIOS_SIGN_ID -> { }
            default -> throw CpuException.gp(0);
        }
    }

    private static int fixedMtrrIndex(int msr) {
        if (msr == Msr.IA32_MTRR_FIX64K_00000) return 0;
        if (msr == Msr.IA32_MTRR_FIX16K_80000) return 1;
        if (msr == Msr.IA32_MTRR_FIX16K_A0000) return 2;
        if (msr >= Msr.IA32_MTRR_FIX4K_C0000 && msr <= Msr.IA32_MTRR_FIX4K_F8000) return 3 + msr - Msr.IA32_MTRR_FIX4K_C0000;
        return -1;
    }

    private static long canonical(Cpu c, long value) {
        if (!c.isCanonical(value)) {
            throw CpuException.gp(0);
        }
        return value;
    }

    /** SDM 3A §12.12.2: each PAT entry must be a valid memory type (0, 1, 4, 5, 6, 7). */
    private static long validPat(long value) {
        for (int k = 0; k < 8; k++) {
            int type = (int) (value >>> (8 * k)) & 0xFF;
            if (type == 2 || type == 3 || type > 7) {
                throw CpuException.gp(0);
            }
        }
        return value;
    }
}
