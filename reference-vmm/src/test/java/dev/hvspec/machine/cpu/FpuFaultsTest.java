package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import dev.hvspec.machine.cpu.isa.Operand;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.Consumer;

import static dev.hvspec.machine.cpu.isa.Asm.AX;
import static dev.hvspec.machine.cpu.isa.Asm.EAX;
import static dev.hvspec.machine.cpu.isa.Asm.MM0;
import static dev.hvspec.machine.cpu.isa.Asm.MM1;
import static dev.hvspec.machine.cpu.isa.Asm.RBX;
import static dev.hvspec.machine.cpu.isa.Asm.ST0;
import static dev.hvspec.machine.cpu.isa.Asm.ST1;
import static dev.hvspec.machine.cpu.isa.Asm.XMM0;
import static dev.hvspec.machine.cpu.isa.Asm.XMM1;
import static dev.hvspec.machine.cpu.isa.Asm.mem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The faults that guard the x87/MMX/SSE units, which the host-CPU oracle cannot show (the host's
 * operating system owns CR0 and CR4). Each expectation is read off the SDM: SDM 3A §2.5 Table 2-2
 * (CR0.EM/MP/TS and the instruction classes), SDM 3A §13.1.3-13.1.5 (CR4.OSFXSR, OSXMMEXCPT), SDM 1
 * §8.6 and SDM 3A §6.15 interrupt 16 (#MF at the next waiting x87 instruction), SDM 2 WAIT/FWAIT.
 */
@Tag("sdm-3A-2.5")
@Tag("sdm-3A-6.15")
class FpuFaultsTest {
    private static final int NONE = -1;
    private final ReferenceFpuMachine machine = new ReferenceFpuMachine();

    private static byte[] code(Mnemonic m, Operand... operands) {
        Assembler a = new Assembler(0x10000, 8);
        a.emit(m, operands);
        return a.assemble();
    }

    /** FNINIT's state with ST(0) = 1.0 and ST(1) = 2.0, MXCSR 1F80H (everything masked). */
    private static FpuCase state(int fcw, int fswFlags, int mxcsr) {
        byte[] fx = new byte[512];
        ByteBuffer b = ByteBuffer.wrap(fx).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) fcw).putShort(2, (short) (6 << 11 | fswFlags)).put(4, (byte) 0xC0);
        b.putInt(24, mxcsr);
        b.putLong(32, Long.MIN_VALUE).putShort(40, (short) 0x3FFF);       // ST(0) = R6 = 1.0
        b.putLong(48, Long.MIN_VALUE).putShort(56, (short) 0x4000);       // ST(1) = R7 = 2.0
        b.putInt(160, 0x3F80_0000).putInt(176, 0);                        // XMM0 = 1.0f, XMM1 = 0
        return new FpuCase(new byte[] {(byte) 0x90}, NONE, fx, new long[4], 0, new byte[512]);
    }

    private int trap(FpuCase base, byte[] code, Consumer<CpuState> setup) {
        FpuCase c = new FpuCase(code, NONE, base.fx(), base.gpr(), base.rflags(), base.mem());
        return machine.run(c, setup).trap();
    }

    private int trap(byte[] code, Consumer<CpuState> setup) {
        return trap(state(0x037F, 0, 0x1F80), code, setup);
    }

    private static final byte[] FADD = code(Mnemonic.FADD, ST0, ST1);
    private static final byte[] FWAIT = code(Mnemonic.FWAIT);
    private static final byte[] FNINIT = code(Mnemonic.FNINIT);
    private static final byte[] FNSTSW_AX = code(Mnemonic.FNSTSW, AX);
    private static final byte[] ADDPS = code(Mnemonic.ADDPS, XMM0, XMM1);
    private static final byte[] PADDB_MMX = code(Mnemonic.PADDB, MM0, MM1);
    private static final byte[] FXSAVE = code(Mnemonic.FXSAVE, mem(512, RBX, 0));
    private static final byte[] LDMXCSR = code(Mnemonic.LDMXCSR, mem(4, RBX, 0));
    private static final byte[] CVTSI2SD = code(Mnemonic.CVTSI2SD, XMM0, EAX);

    @Test
    void emulationBitGivesNmForX87AndUdForMmxAndSse() {
        // Table 2-2, EM = 1: x87 instructions #NM, MMX and SSE instructions #UD; WAIT is unaffected.
        Consumer<CpuState> em = s -> s.cr0 |= ControlBits.CR0_EM;
        assertThat(trap(FADD, em)).isEqualTo(Vector.NM);
        assertThat(trap(FNINIT, em)).isEqualTo(Vector.NM);
        assertThat(trap(FXSAVE, em)).isEqualTo(Vector.NM); // SDM 2 FXSAVE: #NM if CR0.TS or CR0.EM
        assertThat(trap(PADDB_MMX, em)).isEqualTo(Vector.UD);
        assertThat(trap(ADDPS, em)).isEqualTo(Vector.UD);
        assertThat(trap(FWAIT, em)).isEqualTo(NONE);
    }

    @Test
    void taskSwitchedBitGivesNmAndWaitFollowsMonitorCoprocessor() {
        // Table 2-2, TS = 1: every x87/MMX/SSE instruction #NM; WAIT only when MP = 1 too.
        Consumer<CpuState> tsMp = s -> s.cr0 |= ControlBits.CR0_TS | ControlBits.CR0_MP;
        for (byte[] code : new byte[][] {FADD, FNINIT, FNSTSW_AX, PADDB_MMX, ADDPS, FXSAVE, LDMXCSR, FWAIT}) {
            assertThat(trap(code, tsMp)).isEqualTo(Vector.NM);
        }
        Consumer<CpuState> tsOnly = s -> s.cr0 = (s.cr0 | ControlBits.CR0_TS) & ~ControlBits.CR0_MP;
        assertThat(trap(FWAIT, tsOnly)).isEqualTo(NONE);
        assertThat(trap(FADD, tsOnly)).isEqualTo(Vector.NM);
    }

    @Test
    void sseNeedsOsfxsrButX87MmxAndFxsaveDoNot() {
        // SDM 3A §13.1.3: with CR4.OSFXSR = 0, SSE instructions (and LDMXCSR) are #UD.
        Consumer<CpuState> noOsfxsr = s -> s.cr4 &= ~ControlBits.CR4_OSFXSR;
        assertThat(trap(ADDPS, noOsfxsr)).isEqualTo(Vector.UD);
        assertThat(trap(LDMXCSR, noOsfxsr)).isEqualTo(Vector.UD);
        assertThat(trap(CVTSI2SD, noOsfxsr)).isEqualTo(Vector.UD);
        assertThat(trap(FADD, noOsfxsr)).isEqualTo(NONE);
        assertThat(trap(PADDB_MMX, noOsfxsr)).isEqualTo(NONE);
        assertThat(trap(FXSAVE, noOsfxsr)).isEqualTo(NONE);
    }

    @Test
    void pendingX87ExceptionRaisesMfAtTheNextWaitingInstruction() {
        // FSW.IE set with FCW.IM clear: ES is set and an exception is pending (SDM 1 §8.6).
        FpuCase pending = state(0x037E, 0x0001, 0x1F80);
        Consumer<CpuState> nothing = s -> { };
        assertThat(trap(pending, FADD, nothing)).isEqualTo(Vector.MF);
        assertThat(trap(pending, FWAIT, nothing)).isEqualTo(Vector.MF);
        assertThat(trap(pending, PADDB_MMX, nothing)).isEqualTo(Vector.MF); // MMX checks too (SDM 2 PADDB)
        // Non-waiting forms and the FXSAVE/SSE instructions do not look at it.
        assertThat(trap(pending, FNSTSW_AX, nothing)).isEqualTo(NONE);
        assertThat(trap(pending, FNINIT, nothing)).isEqualTo(NONE);
        assertThat(trap(pending, FXSAVE, nothing)).isEqualTo(NONE);
        assertThat(trap(pending, ADDPS, nothing)).isEqualTo(NONE);
        // CR0.NE = 0 selects the PC-style FERR# report, which this processor does not model: the
        // instruction executes (docs/cpu.md).
        assertThat(trap(pending, FADD, s -> s.cr0 &= ~ControlBits.CR0_NE)).isEqualTo(NONE);
    }

    @Test
    void fldcwThatUnmasksASetFlagArmsMf() {
        // SDM 2 FLDCW: "If an exception flag is set and its mask is cleared, … generated at the
        // next waiting instruction". ZE is set and masked; FLDCW loads 037BH (ZM cleared).
        FpuCase zeroDividePending = state(0x037F, 0x0004, 0x1F80);
        byte[] mem = new byte[512];
        mem[0] = 0x7B;
        mem[1] = 0x03;
        FpuCase c = new FpuCase(code(Mnemonic.FLDCW, mem(2, RBX, 0)), NONE, zeroDividePending.fx(),
                new long[4], 0, mem);
        FpuCase after = machine.run(c);
        assertThat(after.trap()).isEqualTo(NONE);
        int fsw = ByteBuffer.wrap(after.fx()).order(ByteOrder.LITTLE_ENDIAN).getShort(2) & 0xFFFF;
        assertThat(fsw & (X87Registers.FSW_ES | X87Registers.FSW_B)).isEqualTo(X87Registers.FSW_ES | X87Registers.FSW_B);
        assertThat(trap(after, FADD, s -> { })).isEqualTo(Vector.MF);
    }

    @Test
    void unmaskedSimdExceptionIsXmWithOsxmmexceptElseUd() {
        // DIVPS by zero with MXCSR.ZM clear (1D80H): #XM (SDM 3A §6.15 interrupt 19), or #UD
        // without CR4.OSXMMEXCPT (SDM 3A §13.1.4).
        FpuCase divideByZero = state(0x037F, 0, 0x1D80);
        byte[] divps = code(Mnemonic.DIVPS, XMM0, XMM1);
        assertThat(trap(divideByZero, divps, s -> { })).isEqualTo(Vector.XM);
        assertThat(trap(divideByZero, divps, s -> s.cr4 &= ~ControlBits.CR4_OSXMMEXCPT)).isEqualTo(Vector.UD);
        assertThat(trap(state(0x037F, 0, 0x1F80), divps, s -> { })).isEqualTo(NONE);
    }
}
