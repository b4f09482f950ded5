package dev.hvspec.spec.guest;

import dev.hvspec.fixtures.Fixture;
import dev.hvspec.fixtures.programs.VirtualTimePrograms;
import dev.hvspec.vmm.PcBoard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5, deterministic virtual time: "HLT with no pending interrupt advances to the next timer
 * deadline instead of spinning", with the interrupt controllers in the kernel layer and in
 * userspace. The guest halts until a local APIC one-shot timer over 100 s of virtual time away
 * (time-hlt-distant-timer) and checks the TSC moved by that much. A halted processor retires no
 * instructions, so on the reference its time moves only by skipping: the run ends (well inside the
 * generous limit below) only if both halt paths skip — the kernel layer's (VcpuFile) and the
 * VMM's for KVM_EXIT_HLT (VcpuLoop). No wall-clock time is measured.
 */
class HaltSkipsToTheNextDeadlineTest {
    @ParameterizedTest(name = "--irqchip {0}")
    @EnumSource(PcBoard.IrqchipMode.class)
    void haltSkipsToTheTimerDeadline(PcBoard.IrqchipMode mode) throws Exception {
        Fixture fixture = VirtualTimePrograms.haltUntilDistantTimer();
        String difference = ReferenceGuestRunner.difference(fixture, fixture.build(), mode, Duration.ofSeconds(120));
        assertThat(difference).as("with --irqchip %s", mode.name().toLowerCase()).isNull();
    }
}
