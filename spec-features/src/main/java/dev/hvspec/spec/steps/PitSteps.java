package dev.hvspec.spec.steps;

import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.chipset.Intel8254State;
import dev.hvspec.machine.chipset.KvmPitState2;
import dev.hvspec.machine.chipset.NmiStatusControlPort;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps for the 8254 PIT and port 0x61 ({@link Intel8254}, {@link NmiStatusControlPort}). */
public final class PitSteps {
    private final ChipsetBench chips;
    private Intel8254 pit;

    public PitSteps(ChipsetBench chips) {
        this.chips = chips;
    }

    @Given("an 8254 PIT at ports 0x40-0x43 with OUT0 wired to IRQ 0, and port 0x61")
    public void pit() {
        ModelBench bench = chips.bench;
        pit = new Intel8254(bench.timers, bench.irq(0));
        bench.ports.register(Intel8254.COUNTER0, 4, pit);
        bench.ports.register(NmiStatusControlPort.PORT, 1, new NmiStatusControlPort(pit, bench.clock));
    }

    @Given("an 8254 PIT at ports 0x40-0x43 with OUT0 wired to the PIC's IRQ 0, and port 0x61")
    public void pitOnPic() {
        ModelBench bench = chips.bench;
        pit = new Intel8254(bench.timers, chips.pic().irq(0));
        bench.ports.register(Intel8254.COUNTER0, 4, pit);
        bench.ports.register(NmiStatusControlPort.PORT, 1, new NmiStatusControlPort(pit, bench.clock));
    }

    /** Advances virtual time to the {@code n}-th CLK edge (1.193182 MHz) after the current time. */
    @When("{long} PIT clock pulse(s) pass(es)")
    public void pulses(long n) {
        long now = chips.bench.clock.nanos();
        long target = Intel8254.timeOfClockEdge(Intel8254.clockEdgesAt(now) + n);
        chips.bench.advance(target - now);
    }

    /** Counter latch command for counter {@code n}, then LSB and MSB reads (read/write mode 3). */
    @Then("counter {int} latched reads {word}")
    public void latchedReads(int n, String expected) {
        var ports = chips.bench.ports;
        ports.write(Intel8254.CONTROL_WORD, 1, n << 6);
        int lsb = ports.read(Intel8254.COUNTER0 + n, 1);
        int msb = ports.read(Intel8254.COUNTER0 + n, 1);
        assertThat(Values.hex(msb << 8 | lsb)).as("counter %d", n).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("OUT{int} is {word}")
    public void out(int n, String level) {
        assertThat(pit.output(n) ? "high" : "low").as("OUT%d", n).isEqualTo(level);
    }

    @Then("IRQ {int} has risen {int} time(s)")
    public void risen(int irq, int times) {
        var changes = chips.bench.irq(irq).changes;
        int rises = 0;
        boolean level = false;
        for (boolean change : changes) {
            if (change && !level) {
                rises++;
            }
            level = change;
        }
        assertThat(rises).as("rising edges of IRQ %d", irq).isEqualTo(times);
    }

    @Then("the speaker is {word}")
    public void speaker(String state) {
        assertThat(pit.speakerOutput() ? "on" : "off").isEqualTo(state);
    }

    @Then("saving and restoring the PIT changes nothing")
    public void saveRestore() {
        Intel8254State before = pit.save();
        pit.restore(before);
        assertThat(pit.save()).isEqualTo(before);
        assertThat(KvmPitState2.fromBytes(before.kvm().toBytes(), 0)).isEqualTo(before.kvm());
    }
}
