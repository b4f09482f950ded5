package dev.hvspec.spec.guest;

import dev.hvspec.fixtures.Fixture;
import dev.hvspec.fixtures.FixtureCatalog;
import dev.hvspec.fixtures.runtime.GuestImages;
import dev.hvspec.vmm.PcBoard;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5, "an SMP guest with 4 vCPUs exchanging IPIs completes reliably 100 times in a row": the
 * irq-smp-ipi-ring fixture (INIT-SIPI-SIPI, then 100 fixed IPIs around four processors) runs 100
 * times in a row on the reference with each irqchip mode; the first run that does not pass fails
 * the test and says which it was. The count is the system property {@value #REPEAT_PROPERTY}
 * (default 100), e.g. {@code -Dhvspec.smp-repeat=1000} for a longer soak.
 */
class SmpIpiRingRepeatTest {
    static final String REPEAT_PROPERTY = "hvspec.smp-repeat";

    @ParameterizedTest(name = "--irqchip {0}")
    @EnumSource(PcBoard.IrqchipMode.class)
    void completesReliablyManyTimesInARow(PcBoard.IrqchipMode mode) throws Exception {
        Fixture fixture = FixtureCatalog.standard().get("irq-smp-ipi-ring");
        assertThat(fixture.cpus()).isEqualTo(4);
        GuestImages.Built built = fixture.build();
        int runs = Integer.getInteger(REPEAT_PROPERTY, 100);
        for (int run = 1; run <= runs; run++) {
            String difference = ReferenceGuestRunner.difference(fixture, built, mode, Duration.ofSeconds(60));
            assertThat(difference).as("run %d of %d with --irqchip %s", run, runs, mode.name().toLowerCase()).isNull();
        }
    }
}
