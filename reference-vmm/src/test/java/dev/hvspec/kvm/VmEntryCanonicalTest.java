package dev.hvspec.kvm;

import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SDM 3C §26.3.1.3: the GDTR/IDTR bases must be canonical, with respect to the linear-address
 * width in force — 48 bits, or 57 with CR4.LA57 (SDM 3A §4.5). 0x00FF_8000_0000_0000 has bits
 * 55:47 set and 63:56 clear: not canonical for 48 bits (bit 47 is not copied up), canonical for
 * 57 bits (bit 56 is 0 like 63:57).
 */
class VmEntryCanonicalTest {
    private static final long HIGH_57 = 0x00FF_8000_0000_0000L;

    private static CpuState realModeAt0() {
        CpuState s = new CpuState();
        s.reset();
        return s;
    }

    @Test
    void aBaseAbove47BitsFailsEntryWithoutLa57() {
        CpuState s = realModeAt0();
        assertThat(VmEntryChecks.check(s)).isEmpty();
        s.gdtr.base = HIGH_57;
        assertThat(VmEntryChecks.check(s)).contains("GDTR/IDTR base must be canonical");
    }

    @Test
    void theSameBaseIsCanonicalWithLa57() {
        CpuState s = realModeAt0();
        s.cr4 |= ControlBits.CR4_LA57;
        s.idtr.base = HIGH_57;
        assertThat(VmEntryChecks.check(s)).isEmpty();
        s.idtr.base = 0x0100_0000_0000_0000L; // bit 56 set, 63:57 clear: not canonical for 57 bits
        assertThat(VmEntryChecks.check(s)).contains("GDTR/IDTR base must be canonical");
    }
}
