package dev.hvspec.spec.guest;

import dev.hvspec.fixtures.Fixture;
import dev.hvspec.fixtures.FixtureCatalog;
import dev.hvspec.vmm.Pacing;
import dev.hvspec.vmm.PcBoard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --pace wallclock} keeps the guest correct: timer fixtures that halt until the 8254, the
 * local APIC timer or the RTC interrupts, and the four-processor IPI ring, pass with virtual time
 * held back to the host's clock, with both irqchip modes. (What pacing does to the arithmetic is
 * WallClockPacerTest's; nothing here measures time.)
 */
class WallClockPacedRunTest {
    static Stream<Arguments> runs() {
        return Stream.of("irq-pit-pic-hlt", "irq-lapic-timer", "timers-i8254-irq0", "timers-rtc-interrupts", "irq-smp-ipi-ring")
                .flatMap(name -> Stream.of(PcBoard.IrqchipMode.values()).map(mode -> Arguments.of(name, mode)));
    }

    @ParameterizedTest(name = "{0} --irqchip {1} --pace wallclock")
    @MethodSource("runs")
    void passesWithWallClockPacing(String name, PcBoard.IrqchipMode mode) throws Exception {
        Fixture fixture = FixtureCatalog.standard().get(name);
        String difference = ReferenceGuestRunner.difference(fixture, fixture.build(), mode, Pacing.WALLCLOCK,
                Duration.ofSeconds(120));
        assertThat(difference).as("%s with --irqchip %s --pace wallclock", name, mode.name().toLowerCase()).isNull();
    }
}
