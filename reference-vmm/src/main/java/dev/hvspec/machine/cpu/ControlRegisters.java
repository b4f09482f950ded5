package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Instruction;
import dev.hvspec.machine.cpu.isa.Operand;
import dev.hvspec.machine.cpu.isa.RegisterKind;
import dev.hvspec.machine.vmx.VmExecutionControls;

import static dev.hvspec.machine.cpu.ControlBits.*;

/**
 * MOV to and from control and debug registers (SDM 2 "MOV—Move to/from Control Registers",
 * "MOV—Move to/from Debug Registers"; SDM 3A §2.5, §4.1.2 on paging-mode changes, §9.8.5 on
 * entering IA-32e mode, §4.4.1 on the PDPTE registers), and IA32_EFER writes.
 */
final class ControlRegisters {
    /**
     * CR4 bits this processor implements (matching what CPUID advertises); OSFXSR and OSXMMEXCPT
     * with FXSR and SSE (SDM 3A §2.5, §13.1.3).
     */
    static final long CR4_SUPPORTED = CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCE | CR4_TSD | CR4_OSFXSR
            | CR4_OSXMMEXCPT | CR4_LA57 | CR4_PCIDE | CR4_SMEP | CR4_SMAP;
    /** IA32_EFER bits: SCE, LME, LMA (read-only), NXE. */
    static final long EFER_SUPPORTED = EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
    /** CR0 bits that a change of requires dropping cached translations. */
    private static final long CR0_PAGING_BITS = CR0_PG | CR0_WP | CR0_PE;
    private static final long CR4_PAGING_BITS = CR4_PSE | CR4_PAE | CR4_PGE | CR4_PCIDE | CR4_SMEP | CR4_SMAP | CR4_LA57;

    private ControlRegisters() {
    }

    static void mov(Cpu c, Instruction i) {
        if (c.s.protectedMode() && (c.s.v86Mode() || c.cpl() != 0)) {
            throw CpuException.gp(0);
        }
        boolean toControl = i.op1() instanceof Operand.Reg r && r.kind() == RegisterKind.CONTROL;
        Operand.Reg cr = (Operand.Reg) (toControl ? i.op1() : i.op2());
        Operand.Reg gpr = (Operand.Reg) (toControl ? i.op2() : i.op1());
        int size = c.s.mode64() ? 8 : 4;
        if (toControl) {
            write(c, cr.index(), c.gpr(gpr.index(), size));
        } else {
            c.setGpr(gpr.index(), size, read(c, cr.index()) & Alu.mask(size));
        }
    }

    static long read(Cpu c, int index) {
        return switch (index) {
            case 0 -> c.s.cr0;
            case 2 -> c.s.cr2;
            case 3 -> c.s.cr3;
            case 4 -> c.s.cr4;
            case 8 -> c.platform.readCr8();
            default -> throw CpuException.ud();
        };
    }

    static void write(Cpu c, int index, long value) {
        switch (index) {
            case 0 -> writeCr0(c, value);
            case 2 -> c.s.cr2 = value;
            case 3 -> writeCr3(c, value);
            case 4 -> writeCr4(c, value);
            case 8 -> {
                if ((value & ~0xFL) != 0) {
                    throw CpuException.gp(0);
                }
                c.platform.writeCr8(value);
                c.requestAttention();
            }
            default -> throw CpuException.ud();
        }
    }

    static void writeCr0(Cpu c, long value) {
        if ((value >>> 32) != 0) {
            throw CpuException.gp(0);
        }
        value = (value & CR0_DEFINED) | CR0_ET; // ET is hard-wired to 1; undefined low bits read as 0
        if ((value & CR0_PG) != 0 && (value & CR0_PE) == 0) {
            throw CpuException.gp(0);
        }
        if ((value & CR0_NW) != 0 && (value & CR0_CD) == 0) {
            throw CpuException.gp(0);
        }
        long old = c.s.cr0;
        boolean enablingPaging = (value & CR0_PG) != 0 && (old & CR0_PG) == 0;
        boolean disablingPaging = (value & CR0_PG) == 0 && (old & CR0_PG) != 0;
        long efer = c.s.efer;
        if (enablingPaging && (efer & EFER_LME) != 0) {
            // SDM 3A §9.8.5: IA-32e mode is activated by setting CR0.PG with EFER.LME = 1 and CR4.PAE = 1.
            if ((c.s.cr4 & CR4_PAE) == 0 || c.s.cs().longMode()) {
                throw CpuException.gp(0);
            }
            efer |= EFER_LMA;
        }
        if (disablingPaging && (c.s.cr4 & CR4_PCIDE) != 0) {
            // SDM 3A §4.10.1: "MOV to CR0 causes a general-protection exception if it would clear
            // CR0.PG to 0 while CR4.PCIDE = 1" (PCIDs exist only in IA-32e mode).
            throw CpuException.gp(0);
        }
        if (disablingPaging && (efer & EFER_LMA) != 0) {
            if (c.s.mode64()) {
                throw CpuException.gp(0); // leaving IA-32e mode must happen from compatibility mode
            }
            efer &= ~EFER_LMA;
        }
        if ((value & CR0_PG) != 0 && (c.s.cr4 & CR4_PAE) != 0 && (efer & EFER_LMA) == 0
                && (enablingPaging || ((old ^ value) & (CR0_CD | CR0_NW)) != 0)) {
            loadPdptes(c, c.s.cr3);
        }
        c.s.cr0 = value;
        c.s.efer = efer;
        if (((old ^ value) & CR0_PAGING_BITS) != 0) {
            c.mmu.pagingControlsChanged();
        }
    }

    static void writeCr3(Cpu c, long value) {
        // VMX non-root operation (shadow paging): with "CR3-load exiting" the instruction causes
        // a VM exit instead of loading CR3 (SDM 3C §26.1.3); the hypervisor emulates it through
        // HypervisorEmulation.loadCr3 and the instruction then retires.
        VmExecutionControls vmx = c.mmu.controls();
        if (vmx != null && vmx.cr3LoadExiting()) {
            vmx.exits().movToCr3(value);
            return;
        }
        loadCr3(c, value);
    }

    /** The architectural MOV to CR3: checks, PDPTE loads under PAE paging, TLB invalidation. */
    static void loadCr3(Cpu c, long value) {
        // With CR4.PCIDE = 1, bit 63 asks to keep the PCID's entries; it is not stored.
        long cr3 = (c.s.cr4 & CR4_PCIDE) != 0 ? value & ~CR3_NO_FLUSH : value;
        if (c.s.longModeActive() && (cr3 >>> 40) != 0) {
            throw CpuException.gp(0); // bits 63:MAXPHYADDR reserved
        }
        if (!c.s.longModeActive()) {
            cr3 &= 0xFFFF_FFFFL;
        }
        if ((c.s.cr0 & CR0_PG) != 0 && (c.s.cr4 & CR4_PAE) != 0 && !c.s.longModeActive()) {
            loadPdptes(c, cr3);
        }
        c.s.cr3 = cr3;
        c.mmu.cr3Written(); // even with bit 63 set: dropping entries is always permitted (§4.10.4.1)
    }

    static void writeCr4(Cpu c, long value) {
        if ((value & ~CR4_SUPPORTED) != 0) {
            throw CpuException.gp(0);
        }
        long old = c.s.cr4;
        boolean lma = c.s.longModeActive();
        if (lma && (value & CR4_PAE) == 0) {
            throw CpuException.gp(0);
        }
        if (lma && ((old ^ value) & CR4_LA57) != 0) {
            throw CpuException.gp(0); // SDM 3A §2.5: LA57 cannot change in IA-32e mode
        }
        if ((value & CR4_PCIDE) != 0 && (old & CR4_PCIDE) == 0 && (!lma || (c.s.cr3 & 0xFFF) != 0)) {
            throw CpuException.gp(0);
        }
        if ((c.s.cr0 & CR0_PG) != 0 && (value & CR4_PAE) != 0 && !lma
                && ((old ^ value) & (CR4_PAE | CR4_PSE | CR4_PGE | CR4_SMEP | CR4_SMAP)) != 0) {
            loadPdptes(c, c.s.cr3);
        }
        c.s.cr4 = value;
        if (((old ^ value) & CR4_PAGING_BITS) != 0) {
            c.mmu.pagingControlsChanged();
        }
    }

    /** SDM 3A §4.4.1: loading CR3 (or the paging controls) in PAE paging reads the four PDPTEs; reserved bits → #GP(0). */
    static void loadPdptes(Cpu c, long cr3) {
        long base = cr3 & 0xFFFF_FFE0L;
        long[] entries = new long[4];
        for (int k = 0; k < 4; k++) {
            long e = c.mmu.physical().readEntry(base + 8L * k, 8);
            long reserved = 0x1E6L | (-1L << 40);
            if ((e & 1) != 0 && (e & reserved) != 0) {
                throw CpuException.gp(0);
            }
            entries[k] = e;
        }
        System.arraycopy(entries, 0, c.s.pdpte, 0, 4);
    }

    /** Reloads the PDPTE registers after a task switch changed CR3 under PAE paging. */
    static void loadPdptesIfPae(Cpu c) {
        if ((c.s.cr0 & CR0_PG) != 0 && (c.s.cr4 & CR4_PAE) != 0 && !c.s.longModeActive()) {
            loadPdptes(c, c.s.cr3);
        }
    }

    /** WRMSR IA32_EFER: reserved bits and LME changes with paging enabled raise #GP; LMA is read-only. */
    static void writeEfer(Cpu c, long value) {
        if ((value & ~EFER_SUPPORTED) != 0) {
            throw CpuException.gp(0);
        }
        if ((c.s.cr0 & CR0_PG) != 0 && ((value ^ c.s.efer) & EFER_LME) != 0) {
            throw CpuException.gp(0);
        }
        long old = c.s.efer;
        c.s.efer = (value & ~EFER_LMA) | (old & EFER_LMA);
        if (((old ^ c.s.efer) & EFER_NXE) != 0) {
            c.mmu.pagingControlsChanged();
        }
    }

    /** MOV DRn (SDM 2): CPL 0, then DR7.GD; DR4/DR5 alias DR6/DR7 (CR4.DE is not supported). */
    static void movDebug(Cpu c, Instruction i) {
        if (c.s.protectedMode() && (c.s.v86Mode() || c.cpl() != 0)) {
            throw CpuException.gp(0);
        }
        if ((c.s.dr[7] & DebugRegisters.DR7_GD) != 0) {
            // SDM 3B §17.2.4: general detect; a #DB fault with DR6.BD, and GD cleared for the handler.
            c.s.dr[6] |= DebugRegisters.DR6_BD;
            c.s.dr[7] &= ~DebugRegisters.DR7_GD;
            throw CpuException.fault(Vector.DB);
        }
        boolean toDebug = i.op1() instanceof Operand.Reg r && r.kind() == RegisterKind.DEBUG;
        Operand.Reg dr = (Operand.Reg) (toDebug ? i.op1() : i.op2());
        Operand.Reg gpr = (Operand.Reg) (toDebug ? i.op2() : i.op1());
        int index = dr.index();
        if (index > 7) {
            throw CpuException.ud();
        }
        if (index == 4 || index == 5) {
            index += 2;
        }
        int size = c.s.mode64() ? 8 : 4;
        if (!toDebug) {
            c.setGpr(gpr.index(), size, c.s.dr[index] & Alu.mask(size));
            return;
        }
        long value = c.gpr(gpr.index(), size);
        if ((index == 6 || index == 7) && (value >>> 32) != 0) {
            throw CpuException.gp(0);
        }
        c.s.dr[index] = switch (index) {
            case 6 -> (value & 0x0000_E00FL) | 0xFFFF_0FF0L;
            case 7 -> (value & 0xFFFF_2BFFL) | 0x400L;
            default -> value;
        };
    }
}
