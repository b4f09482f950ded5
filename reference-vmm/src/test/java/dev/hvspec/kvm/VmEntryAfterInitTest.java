package dev.hvspec.kvm;

import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.cpu.SegmentRegister;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application processor started by INIT/SIPI reaches long mode in Linux's real-mode trampoline
 * (real mode, protected mode, PAE, EFER.LME, CR0.PG) before its first LTR, and it may return to
 * userspace at any instruction on the way: every KVM_RUN then repeats the VM-entry checks. SDM 3C
 * §26.3.1.2 accepts only a 32-bit busy TSS (type 11) in TR for an IA-32e mode guest, so TR after
 * INIT must be one (KVM's VMX reset: TR access rights 0x8B).
 */
class VmEntryAfterInitTest {
    /** After INIT, with the state Linux's trampoline has built just before it loads TR. */
    private static CpuState longModeWithoutLtr() {
        CpuState s = new CpuState();
        s.init();
        s.cr0 = ControlBits.CR0_PE | ControlBits.CR0_PG | ControlBits.CR0_ET | ControlBits.CR0_NE;
        s.cr4 = ControlBits.CR4_PAE | ControlBits.CR4_PGE;
        s.cr3 = 0x9000;
        s.efer = ControlBits.EFER_LME | ControlBits.EFER_LMA | ControlBits.EFER_NXE;
        int code = SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_CODE
                | SegmentRegister.TYPE_WRITABLE_OR_READABLE | SegmentRegister.TYPE_ACCESSED | SegmentRegister.G;
        s.seg[SegmentRegister.CS].load(0x10, 0, 0xFFFF_FFFFL, code | SegmentRegister.L);
        s.rip = 0x9_A000;
        return s;
    }

    @Test
    void theTrAfterInitIsA32BitBusyTss() {
        CpuState s = new CpuState();
        s.init();
        assertThat(s.tr.type()).isEqualTo(11);
        assertThat(s.tr.present()).isTrue();
        assertThat(VmEntryChecks.check(s)).as("real mode after INIT").isEmpty();
    }

    @Test
    void anApInLongModeBeforeItsFirstLtrStillPassesVmEntry() {
        CpuState s = longModeWithoutLtr();
        assertThat(VmEntryChecks.check(s)).isEmpty();
        // The 16-bit busy TSS of a processor that never ran LTR would not do (§26.3.1.2).
        s.tr.attributes = (s.tr.attributes & ~0xF) | 3;
        assertThat(VmEntryChecks.check(s)).hasValueSatisfying(why -> assertThat(why).contains("TR"));
    }
}
