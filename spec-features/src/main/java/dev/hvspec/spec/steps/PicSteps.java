package dev.hvspec.spec.steps;

import dev.hvspec.machine.chipset.Pic8259Pair;
import dev.hvspec.machine.chipset.Pic8259Pair.Chip;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps for the cascaded 8259A PICs of the PC ({@link Pic8259Pair}). */
public final class PicSteps {
    private final ChipsetBench chips;

    public PicSteps(ChipsetBench chips) {
        this.chips = chips;
    }

    @Given("the PC's cascaded 8259A interrupt controllers")
    public void thePics() {
        chips.pic();
    }

    /**
     * The standard PC initialisation, written out: ICW1 = 0x11 (edge, cascade, IC4), ICW2 = the
     * vector base, ICW3 = 0x04 on the master (slave on IR2) and 0x02 on the slave (its ID), and
     * ICW4 = 0x01 (8086 mode, normal EOI), or 0x03 with automatic EOI.
     */
    @Given("the PICs are initialised with vector bases {word} and {word}")
    public void initialised(String masterBase, String slaveBase) {
        initialise(Values.parseInt(masterBase), Values.parseInt(slaveBase), 0x01);
    }

    @Given("the PICs are initialised with vector bases {word} and {word} in automatic EOI mode")
    public void initialisedAeoi(String masterBase, String slaveBase) {
        initialise(Values.parseInt(masterBase), Values.parseInt(slaveBase), 0x03);
    }

    private void initialise(int masterBase, int slaveBase, int icw4) {
        var ports = chips.bench.ports;
        chips.pic();
        ports.write(0x20, 1, 0x11);
        ports.write(0x21, 1, masterBase);
        ports.write(0x21, 1, 0x04);
        ports.write(0x21, 1, icw4);
        ports.write(0xA0, 1, 0x11);
        ports.write(0xA1, 1, slaveBase);
        ports.write(0xA1, 1, 0x02);
        ports.write(0xA1, 1, icw4);
    }

    @When("the device raises IRQ {int}")
    public void raise(int irq) {
        chips.pic().setIrq(irq, true);
    }

    @When("the device lowers IRQ {int}")
    public void lower(int irq) {
        chips.pic().setIrq(irq, false);
    }

    @When("the device pulses IRQ {int}")
    public void pulse(int irq) {
        chips.pic().irq(irq).pulse();
    }

    @Then("the PIC asserts INTR")
    public void intrAsserted() {
        assertThat(chips.pic().intrAsserted()).as("INTR").isTrue();
        assertThat(chips.intr.level).as("INTR seen by the listener").isTrue();
    }

    @Then("the PIC does not assert INTR")
    public void intrNotAsserted() {
        assertThat(chips.pic().intrAsserted()).as("INTR").isFalse();
        assertThat(chips.intr.level).as("INTR seen by the listener").isFalse();
    }

    @Then("the CPU acknowledges the interrupt and gets vector {word}")
    public void acknowledge(String vector) {
        int got = chips.pic().acknowledge();
        assertThat(Values.hex(got)).as("INTA vector").isEqualTo(Values.hex(Values.parse(vector)));
    }

    @Then("the {word} PIC's {word} is {word}")
    public void register(String chip, String register, String expected) {
        Pic8259Pair pic = chips.pic();
        Chip which = switch (chip) {
            case "master" -> Chip.MASTER;
            case "slave" -> Chip.SLAVE;
            default -> throw new IllegalArgumentException("master or slave, not " + chip);
        };
        int value = switch (register) {
            case "IRR" -> pic.irr(which);
            case "ISR" -> pic.isr(which);
            case "IMR" -> pic.imr(which);
            default -> throw new IllegalArgumentException("IRR, ISR or IMR, not " + register);
        };
        assertThat(Values.hex(value)).as("%s %s", chip, register).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("saving and restoring both PICs changes nothing")
    public void saveRestoreIdentity() {
        Pic8259Pair pic = chips.pic();
        for (Chip which : Chip.values()) {
            var before = pic.save(which);
            pic.restore(which, before);
            assertThat(pic.save(which)).as("%s after restore", which).isEqualTo(before);
        }
    }
}
