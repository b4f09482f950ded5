package dev.hvspec.machine.cpu;

import static dev.hvspec.machine.cpu.ControlBits.CR0_EM;
import static dev.hvspec.machine.cpu.ControlBits.CR0_MP;
import static dev.hvspec.machine.cpu.ControlBits.CR0_NE;
import static dev.hvspec.machine.cpu.ControlBits.CR0_TS;
import static dev.hvspec.machine.cpu.ControlBits.CR4_OSFXSR;
import static dev.hvspec.machine.cpu.ControlBits.CR4_OSXMMEXCPT;

/**
 * The faults that guard the x87, MMX and SSE units before an instruction does anything: #NM
 * (device not available: CR0.EM/TS/MP, SDM 3A §2.5 and Table 2-2, SDM 3A §6.15 "Interrupt 7"), #UD
 * for SSE and MMX under CR0.EM or without CR4.OSFXSR (SDM 3A §13.1.3, SDM 2 §2.4 exception
 * classes), and the deferred x87 floating-point error #MF that a waiting instruction raises when
 * an unmasked exception is pending (SDM 1 §8.6, SDM 3A §6.15 "Interrupt 16").
 *
 * <p>With CR0.NE = 0 the PC/AT way of reporting x87 errors (FERR# to IRQ 13 through the
 * interrupt controller, IGNNE#) is not modelled: the pending exception is then ignored and the
 * instruction executes. Operating systems since the i486 set CR0.NE.
 */
final class FpuFaults {
    private FpuFaults() {
    }

    /**
     * An x87 instruction: #NM when CR0.EM or CR0.TS (Table 2-2); then, for waiting instructions
     * (all but FNINIT, FNCLEX, FNSTSW, FNSTCW, FNSTENV, FNSAVE), #MF when FSW.ES is set.
     */
    static void x87(Cpu c, boolean waiting) {
        if ((c.s.cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw CpuException.fault(Vector.NM);
        }
        if (waiting) {
            pendingError(c);
        }
    }

    /** WAIT/FWAIT (SDM 2 WAIT): #NM only when CR0.MP and CR0.TS are both set; then #MF if pending. */
    static void fwait(Cpu c) {
        if ((c.s.cr0 & (CR0_MP | CR0_TS)) == (CR0_MP | CR0_TS)) {
            throw CpuException.fault(Vector.NM);
        }
        pendingError(c);
    }

    /** MMX instructions (SDM 2, the MMX pages' exception lists): #UD with CR0.EM, #NM with CR0.TS, #MF if pending. */
    static void mmx(Cpu c) {
        if ((c.s.cr0 & CR0_EM) != 0) {
            throw CpuException.ud();
        }
        if ((c.s.cr0 & CR0_TS) != 0) {
            throw CpuException.fault(Vector.NM);
        }
        pendingError(c);
    }

    /** SSE/SSE2/SSE3 instructions (SDM 3A §13.1.3-4): #UD with CR0.EM or without CR4.OSFXSR, then #NM with CR0.TS. */
    static void sse(Cpu c) {
        if ((c.s.cr0 & CR0_EM) != 0 || (c.s.cr4 & CR4_OSFXSR) == 0) {
            throw CpuException.ud();
        }
        if ((c.s.cr0 & CR0_TS) != 0) {
            throw CpuException.fault(Vector.NM);
        }
    }

    /** FXSAVE/FXRSTOR (SDM 2 FXSAVE): #NM with CR0.TS or CR0.EM; they do not check pending x87 errors. */
    static void fxsave(Cpu c) {
        if ((c.s.cr0 & (CR0_EM | CR0_TS)) != 0) {
            throw CpuException.fault(Vector.NM);
        }
    }

    /**
     * An unmasked SIMD floating-point exception (SDM 3A §6.15 "Interrupt 19"): #XM with
     * CR4.OSXMMEXCPT, else #UD.
     */
    static CpuException simdFloatingPoint(Cpu c) {
        return (c.s.cr4 & CR4_OSXMMEXCPT) != 0 ? CpuException.fault(Vector.XM) : CpuException.ud();
    }

    private static void pendingError(Cpu c) {
        if ((c.s.x87.fsw & X87Registers.FSW_ES) != 0 && (c.s.cr0 & CR0_NE) != 0) {
            throw CpuException.fault(Vector.MF);
        }
    }
}
