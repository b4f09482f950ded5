package dev.hvspec.spec.steps;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.chipset.GsiRouter;
import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.LocalApicConfig;
import dev.hvspec.machine.chipset.PcInterruptControllers;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps for the PC's wired interrupt controllers and GSI routing ({@link PcInterruptControllers}). */
public final class GsiSteps {
    private final ChipsetBench chips;
    private PcInterruptControllers pc;
    private final Map<String, IrqLine> sources = new HashMap<>();

    public GsiSteps(ChipsetBench chips) {
        this.chips = chips;
    }

    @Given("the PC interrupt controllers with {int} CPU(s) and KVM's default GSI routing")
    public void kvmDefault(int cpus) {
        build(cpus);
    }

    @Given("the PC interrupt controllers with {int} CPU(s) and the ISA IRQ 0 override routing")
    public void pcRouting(int cpus) {
        build(cpus);
        pc.gsi().setRoutes(GsiRouter.pcRoutesWithIrq0Override());
    }

    private void build(int cpus) {
        pc = new PcInterruptControllers(chips.bench.timers, Ioapic82093AA.Version.I82093AA);
        for (int id = 0; id < cpus; id++) {
            chips.cpus.add(pc.addCpu(LocalApicConfig.of(id, id == 0)));
        }
        chips.apicBus = pc.apicBus();
        chips.ioapic = pc.ioapic();
        chips.usePic(pc.pic());
    }

    @When("source {int} drives GSI {int} {word}")
    public void drive(int source, int gsi, String level) {
        IrqLine line = sources.computeIfAbsent(source + "/" + gsi, key -> pc.gsi().newLine(gsi));
        line.setLevel(switch (level) {
            case "high" -> true;
            case "low" -> false;
            default -> throw new IllegalArgumentException("high or low, not " + level);
        });
    }

    @When("GSI {int} is also routed to an MSI with address {word} and data {word}")
    public void msiRoute(int gsi, String address, String data) {
        Map<Integer, List<GsiRouter.Route>> table = new HashMap<>();
        for (int g = 0; g < 64; g++) {
            List<GsiRouter.Route> routes = new ArrayList<>(pc.gsi().routes(g));
            if (g == gsi) {
                routes.add(new GsiRouter.Route.Msi(Values.parse(address), Values.parseInt(data)));
            }
            if (!routes.isEmpty()) {
                table.put(g, routes);
            }
        }
        pc.gsi().setRoutes(table);
    }

    @Then("I\\/O APIC pin {int} input is {word}")
    public void pinInput(int pin, String level) {
        boolean high = (chips.ioapic.save().irr() & (1 << pin)) != 0;
        assertThat(high ? "high" : "low").as("I/O APIC pin %d", pin).isEqualTo(level);
    }
}
