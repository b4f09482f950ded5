package dev.hvspec.spec.steps;

import dev.hvspec.machine.chipset.Mc146818Rtc;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps for the MC146818A RTC/CMOS ({@link Mc146818Rtc}). */
public final class RtcSteps {
    private final ChipsetBench chips;
    private Mc146818Rtc rtc;

    public RtcSteps(ChipsetBench chips) {
        this.chips = chips;
    }

    @Given("an MC146818 RTC at ports 0x70-0x71 on IRQ 8 showing {string}")
    public void rtc(String start) {
        ModelBench bench = chips.bench;
        rtc = new Mc146818Rtc(bench.timers, bench.irq(8), LocalDateTime.parse(start));
        bench.ports.register(Mc146818Rtc.INDEX_PORT, 2, rtc);
    }

    /** Selects the register through port 0x70 (NMI enabled), then writes port 0x71. */
    @When("the guest writes {word} to CMOS register {word}")
    public void write(String value, String register) {
        chips.bench.ports.write(Mc146818Rtc.INDEX_PORT, 1, Values.parseInt(register));
        chips.bench.ports.write(Mc146818Rtc.DATA_PORT, 1, Values.parseInt(value));
    }

    @Then("CMOS register {word} reads {word}")
    public void reads(String register, String expected) {
        chips.bench.ports.write(Mc146818Rtc.INDEX_PORT, 1, Values.parseInt(register));
        int value = chips.bench.ports.read(Mc146818Rtc.DATA_PORT, 1);
        assertThat(Values.hex(value)).as("CMOS register %s", register).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("{long} milliseconds of virtual time pass")
    public void millis(long ms) {
        chips.bench.advance(ms * 1_000_000);
    }

    @Then("NMI is {word} by the RTC index port")
    public void nmi(String state) {
        assertThat(rtc.nmiDisabled() ? "disabled" : "enabled").isEqualTo(state);
    }

    @Then("saving and restoring the RTC changes nothing")
    public void saveRestore() {
        Mc146818Rtc.State before = rtc.save();
        rtc.restore(before);
        assertThat(rtc.save()).isEqualTo(before);
    }
}
