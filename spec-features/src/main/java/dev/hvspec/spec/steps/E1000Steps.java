package dev.hvspec.spec.steps;

import dev.hvspec.vmm.e1000.E1000Config;
import dev.hvspec.vmm.e1000.E1000Counters;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps for the 82540EM: creating it on the PCI bench, register accesses as the driver makes them
 * (BAR0 or IOADDR/IODATA), the EEPROM, the PHY behind MDIC, the cable, and the device's counters.
 * Ring steps are in {@link E1000RingSteps}. Register names are those of the 8254x SDM.
 */
public final class E1000Steps {
    private final E1000Bench e1000;
    private final List<Integer> eepromWords = new ArrayList<>();
    private E1000Counters mark;

    public E1000Steps(E1000Bench e1000) {
        this.e1000 = e1000;
    }

    // ---- creation ----

    @Given("an 82540EM at PCI slot 03.0 with MAC address {word}")
    public void anE1000(String mac) {
        e1000.create(E1000Config.of(EthernetFrames.mac(mac)));
    }

    @Given("an 82540EM at PCI slot 03.0 with MAC address {word} and interrupt mitigation off")
    public void anE1000WithoutMitigation(String mac) {
        e1000.create(E1000Config.of(EthernetFrames.mac(mac)).withMitigation(false));
    }

    @Given("the driver has probed the 82540EM")
    public void probed() {
        e1000.driver.probe();
    }

    /** Probe, reset, CTRL.SLU, then virtual time for auto-negotiation; pending causes cleared. */
    @Given("the driver has brought up the 82540EM")
    public void broughtUp() {
        e1000.driver.probe();
        e1000.driver.resetHardware();
        e1000.driver.setLinkUp();
        e1000.pci.bench.advance(2_000_000);
        e1000.driver.read("ICR");
    }

    // ---- registers ----

    @When("the driver writes {word} to register {word}")
    public void writeRegister(String value, String register) {
        e1000.driver.write(register, Values.parseInt(value));
    }

    @When("the driver sets bits {word} in register {word}")
    public void setBits(String bits, String register) {
        e1000.driver.write(register, e1000.driver.read(register) | Values.parseInt(bits));
    }

    @When("the driver clears bits {word} in register {word}")
    public void clearBits(String bits, String register) {
        e1000.driver.write(register, e1000.driver.read(register) & ~Values.parseInt(bits));
    }

    @When("the driver reads register {word}")
    public void readRegister(String register) {
        e1000.driver.read(register);
    }

    @When("the driver writes the {int}-byte value {word} to BAR0 offset {word}")
    public void writeNarrow(int size, String value, String offset) {
        e1000.pci.writeMemory(E1000Driver.BAR0 + Values.parse(offset), size, Values.parse(value));
    }

    @Then("register {word} reads {word}")
    public void registerReads(String register, String expected) {
        assertThat(hex(e1000.driver.read(register))).as("register %s", register).isEqualTo(hex(Values.parseInt(expected)));
    }

    @Then("register {word} reads {word} under mask {word}")
    public void registerReadsMasked(String register, String expected, String mask) {
        int value = e1000.driver.read(register) & Values.parseInt(mask);
        assertThat(hex(value)).as("register %s & %s", register, mask).isEqualTo(hex(Values.parseInt(expected)));
    }

    @When("through the I\\/O BAR the driver writes {word} to register {word}")
    public void writeIo(String value, String register) {
        e1000.driver.writeIo(E1000Driver.offset(register), Values.parseInt(value));
    }

    @Then("through the I\\/O BAR register {word} reads {word}")
    public void readIo(String register, String expected) {
        int value = e1000.driver.readIo(E1000Driver.offset(register));
        assertThat(hex(value)).as("IODATA for %s", register).isEqualTo(hex(Values.parseInt(expected)));
    }

    @Then("IOADDR reads {word}")
    public void ioaddrReads(String expected) {
        int value = e1000.pci.bench.ports.read(E1000Driver.BAR1, 4);
        assertThat(hex(value)).isEqualTo(hex(Values.parseInt(expected)));
    }

    // ---- EEPROM ----

    @When("the driver reads EEPROM words {word} to {word} through EECD")
    public void readEepromWords(String first, String last) {
        eepromWords.clear();
        for (int w = Values.parseInt(first); w <= Values.parseInt(last); w++) {
            eepromWords.add(e1000.driver.readEepromWord(w));
        }
    }

    @Then("the EEPROM words read are {string}")
    public void eepromWordsAre(String expected) {
        List<String> got = eepromWords.stream().map(w -> String.format("0x%04X", w)).toList();
        assertThat(String.join(" ", got)).isEqualTo(expected);
    }

    @Then("the EEPROM words read sum to {word}, carries ignored")
    public void eepromSum(String expected) {
        int sum = 0;
        for (int w : eepromWords) {
            sum = (sum + w) & 0xFFFF;
        }
        assertThat(String.format("0x%04X", sum)).isEqualTo(String.format("0x%04X", Values.parseInt(expected)));
    }

    @Then("EEPROM word {word} read through EERD is {word}")
    public void eerdWord(String word, String expected) {
        int value = e1000.driver.readEepromWordByEerd(Values.parseInt(word));
        assertThat(String.format("0x%04X", value)).isEqualTo(String.format("0x%04X", Values.parseInt(expected)));
    }

    @Then("EEPROM word {word} read through EECD is {word} under mask {word}")
    public void eecdWordMasked(String word, String expected, String mask) {
        int value = e1000.driver.readEepromWord(Values.parseInt(word)) & Values.parseInt(mask);
        assertThat(String.format("0x%04X", value)).isEqualTo(String.format("0x%04X", Values.parseInt(expected)));
    }

    // ---- PHY ----

    @Then("PHY register {int} reads {word} through MDIC")
    public void phyReads(int register, String expected) {
        assertThat(String.format("0x%04X", e1000.driver.readPhy(register)))
                .as("PHY register %d", register).isEqualTo(String.format("0x%04X", Values.parseInt(expected)));
    }

    @Then("PHY register {int} reads {word} under mask {word} through MDIC")
    public void phyReadsMasked(int register, String expected, String mask) {
        int value = e1000.driver.readPhy(register) & Values.parseInt(mask);
        assertThat(String.format("0x%04X", value)).as("PHY register %d", register)
                .isEqualTo(String.format("0x%04X", Values.parseInt(expected)));
    }

    @When("the driver reads PHY register {int} through MDIC")
    public void phyRead(int register) {
        e1000.driver.readPhy(register);
    }

    @When("the driver writes {word} to PHY register {int} through MDIC")
    public void phyWrite(String value, int register) {
        e1000.driver.writePhy(register, Values.parseInt(value));
    }

    @Then("an MDIC {word} of register {int} at PHY address {int} completes with MDIC reading {word} under mask {word}")
    public void mdicOperation(String op, int register, int phy, String expected, String mask) {
        int code = op.equals("read") ? 2 : op.equals("write") ? 1 : Values.parseInt(op);
        int mdic = e1000.driver.mdic(code, phy, register, 0) & Values.parseInt(mask);
        assertThat(hex(mdic)).isEqualTo(hex(Values.parseInt(expected)));
    }

    @When("the driver writes {word} to register MDIC without waiting")
    public void mdicRaw(String value) {
        e1000.driver.write("MDIC", Values.parseInt(value));
    }

    @When("the cable is unplugged")
    public void unplug() {
        e1000.nic.setCablePlugged(false);
    }

    @When("the cable is plugged in")
    public void plug() {
        e1000.nic.setCablePlugged(true);
    }

    // ---- time and counters ----

    @When("the device's counters are noted")
    public void noteCounters() {
        mark = e1000.nic.counters();
    }

    @Then("since then the device has asserted its interrupt {int} time(s)")
    public void interruptsSince(int expected) {
        assertThat(e1000.nic.counters().interrupts() - mark.interrupts()).isEqualTo(expected);
    }

    @Then("the device has asserted its interrupt {int} time(s)")
    public void interrupts(int expected) {
        assertThat(e1000.nic.counters().interrupts()).isEqualTo(expected);
    }

    @Then("the device has processed {int} transmit descriptors")
    public void txDescriptors(int expected) {
        assertThat(e1000.nic.counters().txDescriptors()).isEqualTo(expected);
    }

    @Then("since then the driver made {int} register reads and {int} register writes")
    public void accessesSince(int reads, int writes) {
        E1000Counters now = e1000.nic.counters();
        assertThat(now.mmioReads() + now.ioReads() - mark.mmioReads() - mark.ioReads()).as("reads").isEqualTo(reads);
        assertThat(now.mmioWrites() + now.ioWrites() - mark.mmioWrites() - mark.ioWrites()).as("writes").isEqualTo(writes);
    }

    static String hex(int value) {
        return String.format("0x%08X", value);
    }
}
