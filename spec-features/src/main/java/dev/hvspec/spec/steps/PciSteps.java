package dev.hvspec.spec.steps;

import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps for the PCI host bridge and configuration space. PCI functions are named "dd.f" (device
 * and function on bus 0). Expected values in the features are computed by hand from the PCI
 * Local Bus Specification 3.0 and the layout of {@link PciTestFunction}.
 */
public final class PciSteps {
    private final PciBench pci;
    private final List<PciTestFunction> testFunctions = new ArrayList<>();

    public PciSteps(PciBench pci) {
        this.pci = pci;
    }

    @Given("a PCI host bridge with PIRQA-D wired to IRQs {int}, {int}, {int} and {int}")
    public void hostBridge(int a, int b, int c, int d) {
        pci.createBridge(a, b, c, d);
    }

    @Given("a PCI test function at {word}")
    public void testFunction(String slot) {
        PciTestFunction fn = new PciTestFunction();
        pci.bridge().attach(device(slot), function(slot), fn);
        testFunctions.add(fn);
    }

    @When("the guest writes the {int}-byte value {word} to port {word}")
    public void writePort(int size, String value, String port) {
        pci.bench.ports.write(Values.parseInt(port), size, Values.parseInt(value));
    }

    @When("the guest writes {word} to the {int}-byte configuration register {word} of PCI function {word}")
    public void configWrite(String value, int size, String offset, String slot) {
        pci.configWrite(device(slot), function(slot), Values.parseInt(offset), size, Values.parseInt(value));
    }

    @Then("the {int}-byte configuration register {word} of PCI function {word} reads {word}")
    public void configReads(int size, String offset, String slot, String expected) {
        long value = Integer.toUnsignedLong(pci.configRead(device(slot), function(slot), Values.parseInt(offset), size));
        assertThat(Values.hex(value)).as("config %s+%s", slot, offset).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("through ECAM the guest writes {word} to the {int}-byte register {word} of PCI function {word}")
    public void ecamWrite(String value, int size, String offset, String slot) {
        pci.writeMemory(PciBench.ecamAddress(device(slot), function(slot), Values.parseInt(offset)), size, Values.parse(value));
    }

    @Then("through ECAM the {int}-byte register {word} of PCI function {word} reads {word}")
    public void ecamReads(int size, String offset, String slot, String expected) {
        long value = pci.readMemory(PciBench.ecamAddress(device(slot), function(slot), Values.parseInt(offset)), size);
        assertThat(Values.hex(value)).as("ECAM %s+%s", slot, offset).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("the guest writes the {int}-byte value {word} to memory address {word}")
    public void writeMemory(int size, String value, String address) {
        pci.writeMemory(Values.parse(address), size, Values.parse(value));
    }

    @Then("reading {int} bytes at memory address {word} gives {word}")
    public void readMemory(int size, String address, String expected) {
        long value = pci.readMemory(Values.parse(address), size);
        assertThat(Values.hex(value)).as("memory %s", address).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("the capability list of PCI function {word} is {string}")
    public void capabilityList(String slot, String expected) {
        List<String> caps = new ArrayList<>();
        int status = pci.configRead(device(slot), function(slot), 0x06, 2);
        if ((status & 0x10) != 0) {
            int at = pci.configRead(device(slot), function(slot), 0x34, 1) & 0xFC;
            for (int guard = 0; at != 0 && guard < 48; guard++) {
                int id = pci.configRead(device(slot), function(slot), at, 1);
                caps.add(String.format("%02X@%02X", id, at));
                at = pci.configRead(device(slot), function(slot), at + 1, 1) & 0xFC;
            }
        }
        assertThat(String.join(" ", caps)).isEqualTo(expected);
    }

    @When("the PCI test function at {word} asserts its interrupt")
    public void assertInterrupt(String slot) {
        testFunction(slot, true).assertInterrupt(true);
    }

    @When("the PCI test function at {word} deasserts its interrupt")
    public void deassertInterrupt(String slot) {
        testFunction(slot, true).assertInterrupt(false);
    }

    @When("the PCI test function at {word} records a received master abort")
    public void masterAbort(String slot) {
        testFunction(slot, true).recordMasterAbort();
    }

    @When("the PCI test function at {word} signals interrupt vector {int}")
    public void signal(String slot, int vector) {
        testFunction(slot, true).signal(vector);
    }

    @Then("the PCI test function at {word} can DMA to {word}")
    public void dmaSucceeds(String slot, String address) {
        assertThat(testFunction(slot, true).dmaWrite(Values.parse(address), new byte[] {1, 2, 3, 4})).isTrue();
    }

    @Then("the PCI test function at {word} cannot DMA to {word}")
    public void dmaFails(String slot, String address) {
        assertThat(testFunction(slot, true).dmaWrite(Values.parse(address), new byte[] {1, 2, 3, 4})).isFalse();
    }

    @Then("the MSI messages delivered are {string}")
    public void messages(String expected) {
        List<String> got = pci.messages().stream().map(PciBench.Message::toString).toList();
        assertThat(String.join(" ", got)).isEqualTo(expected);
    }

    @Then("no MSI message was delivered")
    public void noMessages() {
        assertThat(pci.messages()).isEmpty();
    }

    @When("the PCI bus is reset")
    public void reset() {
        pci.bridge().reset();
    }

    private PciTestFunction testFunction(String slot, boolean required) {
        Object fn = pci.bridge().function(device(slot), function(slot));
        assertThat(fn).as("PCI test function at %s", slot).isInstanceOf(PciTestFunction.class);
        return (PciTestFunction) fn;
    }

    static int device(String slot) {
        String[] parts = slot.split("\\.");
        return Integer.parseInt(parts[0], 16);
    }

    static int function(String slot) {
        String[] parts = slot.split("\\.");
        return parts.length > 1 ? Integer.parseInt(parts[1], 16) : 0;
    }
}
