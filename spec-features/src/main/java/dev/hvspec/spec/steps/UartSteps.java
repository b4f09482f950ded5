package dev.hvspec.spec.steps;

import dev.hvspec.vmm.devices.Uart16550A;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps for the PC16550D UART model. */
public final class UartSteps {
    private final ModelBench bench;
    private final ByteArrayOutputStream transmitted = new ByteArrayOutputStream();
    private Uart16550A uart;

    public UartSteps(ModelBench bench) {
        this.bench = bench;
    }

    @Given("a 16550A UART at port {word} wired to IRQ {int}")
    public void aUart(String port, int irq) {
        uart = new Uart16550A(Values.parseInt(port), bench.irq(irq), transmitted::write, bench.timers);
        bench.ports.register(uart.base(), 8, uart);
    }

    @When("the host sends {string} to the UART")
    public void hostSends(String text) {
        for (char c : Values.unescape(text).toCharArray()) {
            uart.receive(c);
        }
    }

    @When("the host sends {int} characters to the UART")
    public void hostSendsCount(int count) {
        for (int i = 0; i < count; i++) {
            uart.receive('a' + (i % 26));
        }
    }

    @Then("the UART has transmitted {string}")
    public void transmitted(String text) {
        assertThat(transmitted.toString(StandardCharsets.ISO_8859_1)).isEqualTo(Values.unescape(text));
    }

    @Then("the UART has transmitted nothing")
    public void transmittedNothing() {
        assertThat(transmitted.size()).isZero();
    }
}
