package dev.hvspec.spec.steps;

import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Port I/O as the guest would do it (OUT/IN of a byte, word or dword) on a model bench. */
public final class PortIoSteps {
    private final ModelBench bench;

    public PortIoSteps(ModelBench bench) {
        this.bench = bench;
    }

    @When("the guest writes {word} to port {word}")
    public void writeByte(String value, String port) {
        bench.ports.write(Values.parseInt(port), 1, Values.parseInt(value));
    }

    @When("the guest writes the bytes {string} to port {word}")
    public void writeBytes(String text, String port) {
        for (char c : Values.unescape(text).toCharArray()) {
            bench.ports.write(Values.parseInt(port), 1, c);
        }
    }

    @When("the guest reads port {word}")
    public void readByte(String port) {
        bench.ports.read(Values.parseInt(port), 1);
    }

    @Then("reading port {word} gives {word}")
    public void readingGives(String port, String expected) {
        int value = bench.ports.read(Values.parseInt(port), 1);
        assertThat(Values.hex(value)).as("IN from port %s", port).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("reading a {int}-byte value from port {word} gives {word}")
    public void readingWideGives(int size, String port, String expected) {
        long value = Integer.toUnsignedLong(bench.ports.read(Values.parseInt(port), size));
        assertThat(Values.hex(value)).as("IN from port %s", port).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("reading port {word} gives {word} under mask {word}")
    public void readingGivesMasked(String port, String expected, String mask) {
        int value = bench.ports.read(Values.parseInt(port), 1) & Values.parseInt(mask);
        assertThat(Values.hex(value)).as("IN from port %s & %s", port, mask)
                .isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("{long} microseconds of virtual time pass")
    public void timePasses(long micros) {
        bench.advance(micros * 1_000);
    }

    @Then("IRQ {int} is asserted")
    public void irqAsserted(int irq) {
        assertThat(bench.irq(irq).level).as("level of IRQ %d", irq).isTrue();
    }

    @Then("IRQ {int} is not asserted")
    public void irqNotAsserted(int irq) {
        assertThat(bench.irq(irq).level).as("level of IRQ %d", irq).isFalse();
    }
}
