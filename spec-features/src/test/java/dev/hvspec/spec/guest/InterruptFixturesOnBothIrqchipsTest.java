package dev.hvspec.spec.guest;

import dev.hvspec.fixtures.Fixture;
import dev.hvspec.fixtures.FixtureCatalog;
import dev.hvspec.fixtures.FixtureGroup;
import dev.hvspec.vmm.PcBoard;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5, "the same guest programs pass with --irqchip kernel and --irqchip user": every guest
 * fixture of the irq and timers areas runs on the reference twice, once with the interrupt
 * controllers and the 8254 in the kernel layer (KVM_CREATE_IRQCHIP, KVM_CREATE_PIT2) and once
 * emulated by the VMM (KVM_INTERRUPT injection), each with its own processor count. The Cucumber
 * suite runs the same fixtures on the reference's default (kernel) and on QEMU.
 */
class InterruptFixturesOnBothIrqchipsTest {
    static Stream<Arguments> runs() {
        return FixtureCatalog.groups().stream()
                .filter(g -> g.area().equals("irq") || g.area().equals("timers"))
                .map(FixtureGroup::fixtures)
                .flatMap(fixtures -> fixtures.stream())
                .flatMap(f -> Stream.of(PcBoard.IrqchipMode.values()).map(mode -> Arguments.of(f.name(), mode)));
    }

    @ParameterizedTest(name = "{0} --irqchip {1}")
    @MethodSource("runs")
    void passesOnTheReference(String name, PcBoard.IrqchipMode mode) throws Exception {
        Fixture fixture = FixtureCatalog.standard().get(name);
        Expectations.forTarget("reference").reasonFor(name)
                .ifPresent(reason -> Assumptions.abort("declared divergence of the reference: " + reason));
        String difference = ReferenceGuestRunner.difference(fixture, fixture.build(), mode, Duration.ofSeconds(120));
        assertThat(difference).as("%s with --irqchip %s", name, mode.name().toLowerCase()).isNull();
    }

    @org.junit.jupiter.api.Test
    void theInterruptAreasHaveGuestFixtures() {
        assertThat(runs().count()).as("fixtures x irqchip modes").isGreaterThanOrEqualTo(2 * 25);
    }
}
