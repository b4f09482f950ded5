package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.Asm;
import dev.hvspec.machine.cpu.isa.Assembler;
import dev.hvspec.machine.cpu.isa.Mnemonic;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shifts, rotates and double shifts whose masked count is 0 in 64-bit mode. The SDM says the
 * value and the flags are unchanged (SDM 2 SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD/SHRD: "If the
 * count is 0, the flags are not affected"), and a 32-bit destination register is zero-extended
 * like every 32-bit result (SDM 1 §3.4.1.1); 8- and 16-bit destinations keep the rest of the
 * register. Expected values worked out by hand from those rules (the host-CPU oracle,
 * {@link AluOracleTest}, found the missing zero-extension).
 */
class ShiftCountZeroTest {
    private static final long RAX = 0xFEDC_BA98_8000_0001L;
    private static final long RDX = 0x0123_4567_89AB_CDEFL;
    private static final long FLAGS = Rflags.CF | Rflags.OF | Rflags.ZF | Rflags.PF;

    private final ReferenceAluMachine machine = ReferenceAluMachine.longMode();

    private HostAluOracle.Outcome.Ran run(Assembler code, long rcx) {
        long rip = machine.place(code.assemble());
        return (HostAluOracle.Outcome.Ran) machine.run(rip, new HostAluOracle.Case("", 0, RAX, rcx, RDX, FLAGS));
    }

    @ParameterizedTest
    @EnumSource(value = Mnemonic.class, names = {"SHL", "SHR", "SAR", "ROL", "ROR", "RCL", "RCR"})
    void aThirtyTwoBitRegisterIsZeroExtended(Mnemonic shift) {
        for (long cl : new long[] {0, 32, 0xE0}) { // masked to 5 bits: all are 0
            var after = run(new Assembler(machine.nextCodeAddress(), 8).emit(shift, Asm.EAX, Asm.CL), cl);
            assertThat(after.rax()).as("%s eax, %d", shift, cl).isEqualTo(0x8000_0001L);
            assertThat(after.rflags() & Rflags.STATUS).isEqualTo(FLAGS);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void narrowerRegistersKeepTheirUpperBits(int size) {
        var after = run(new Assembler(machine.nextCodeAddress(), 8).emit(Mnemonic.SHL, size == 1 ? Asm.AL : Asm.AX, Asm.CL), 32);
        assertThat(after.rax()).isEqualTo(RAX);
        assertThat(after.rflags() & Rflags.STATUS).isEqualTo(FLAGS);
    }

    @ParameterizedTest
    @EnumSource(value = Mnemonic.class, names = {"SHLD", "SHRD"})
    void doubleShiftsZeroExtendToo(Mnemonic shift) {
        var after = run(new Assembler(machine.nextCodeAddress(), 8).emit(shift, Asm.EAX, Asm.EDX, Asm.CL), 0);
        assertThat(after.rax()).isEqualTo(0x8000_0001L);
        assertThat(after.rdx()).isEqualTo(RDX); // the source is only read
        assertThat(after.rflags() & Rflags.STATUS).isEqualTo(FLAGS);
    }

    @ParameterizedTest
    @EnumSource(value = Mnemonic.class, names = {"SHL", "RCR"})
    void sixtyFourBitCountsMaskToSixBits(Mnemonic shift) {
        var after = run(new Assembler(machine.nextCodeAddress(), 8).emit(shift, Asm.RAX, Asm.CL), 0x40);
        assertThat(after.rax()).isEqualTo(RAX);
        assertThat(after.rflags() & Rflags.STATUS).isEqualTo(FLAGS);
    }
}
