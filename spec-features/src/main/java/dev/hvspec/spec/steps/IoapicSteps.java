package dev.hvspec.spec.steps;

import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.KvmIoapicState;
import dev.hvspec.machine.chipset.LocalApic;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps for the 82093AA I\\/O APIC, MSI messages and the PIC-to-LINT0 virtual wire. */
public final class IoapicSteps {
    private final ChipsetBench chips;

    public IoapicSteps(ChipsetBench chips) {
        this.chips = chips;
    }

    @Given("an 82093AA I\\/O APIC at 0xFEC00000 on the APIC bus")
    public void ioapic() {
        chips.ioapic = new Ioapic82093AA(chips.apicBus, Ioapic82093AA.Version.I82093AA);
    }

    @Given("an I\\/O APIC of version 0x20 with the EOI register at 0xFEC00000 on the APIC bus")
    public void ioapicWithEoi() {
        chips.ioapic = new Ioapic82093AA(chips.apicBus, Ioapic82093AA.Version.WITH_EOI_REGISTER);
    }

    /** IOREGSEL at 0xFEC00000 = index, then IOWIN at 0xFEC00010 = value (82093AA §3.1). */
    @When("the guest writes {word} to I\\/O APIC register {word}")
    public void writeRegister(String value, String index) {
        chips.ioapic.mmioWrite(Ioapic82093AA.IOREGSEL, 4, Values.parse(index));
        chips.ioapic.mmioWrite(Ioapic82093AA.IOWIN, 4, Values.parse(value));
    }

    @Then("I\\/O APIC register {word} reads {word}")
    public void registerReads(String index, String expected) {
        chips.ioapic.mmioWrite(Ioapic82093AA.IOREGSEL, 4, Values.parse(index));
        long value = chips.ioapic.mmioRead(Ioapic82093AA.IOWIN, 4);
        assertThat(Values.hex(value)).as("I\\/O APIC register %s", index).isEqualTo(Values.hex(Values.parse(expected)));
    }

    /** Programs redirection entry {@code pin}: high dword first, then the low dword (which unmasks). */
    @When("the guest routes I\\/O APIC pin {int} with low {word} and high {word}")
    public void route(int pin, String low, String high) {
        writeRegister(high, Integer.toString(0x11 + 2 * pin));
        writeRegister(low, Integer.toString(0x10 + 2 * pin));
    }

    @When("I\\/O APIC pin {int} is raised")
    public void raise(int pin) {
        chips.ioapic.pin(pin).setLevel(true);
    }

    @When("I\\/O APIC pin {int} is lowered")
    public void lower(int pin) {
        chips.ioapic.pin(pin).setLevel(false);
    }

    @When("I\\/O APIC pin {int} is pulsed")
    public void pulse(int pin) {
        chips.ioapic.pin(pin).pulse();
    }

    @Then("I\\/O APIC pin {int} has Remote IRR {word}")
    public void remoteIrr(int pin, String bit) {
        long entry = chips.ioapic.redirectionEntry(pin);
        assertThat((entry >>> 14) & 1).as("Remote IRR of pin %d", pin).isEqualTo(Values.parse(bit));
    }

    @When("a device writes MSI data {word} to address {word}")
    public void msi(String data, String address) {
        chips.lastDelivered = chips.apicBus.deliverMsi(Values.parse(address), Values.parseInt(data));
    }

    @Then("saving and restoring the I\\/O APIC changes nothing")
    public void saveRestore() {
        KvmIoapicState before = chips.ioapic.save();
        chips.ioapic.restore(before);
        assertThat(chips.ioapic.save()).isEqualTo(before);
        assertThat(KvmIoapicState.fromBytes(before.toBytes(), 0)).isEqualTo(before);
    }

    @Given("the PIC's INTR is wired to LINT0 of every local APIC")
    public void virtualWire() {
        for (LocalApic apic : chips.cpus) {
            apic.attachExternalController(chips.pic());
            chips.pic().addIntrListener(apic.lint0());
        }
    }

    @Given("the PIC's INTR is wired to I\\/O APIC pin 0")
    public void picToIoapic() {
        chips.pic().addIntrListener(chips.ioapic.pin(0));
        for (LocalApic apic : chips.cpus) {
            apic.attachExternalController(chips.pic());
        }
    }
}
