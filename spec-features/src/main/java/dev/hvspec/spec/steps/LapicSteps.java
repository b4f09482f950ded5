package dev.hvspec.spec.steps;

import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.LocalApicConfig;
import dev.hvspec.machine.chipset.LocalApicState;
import dev.hvspec.machine.chipset.MsrResult;
import dev.hvspec.machine.chipset.TscTimebase;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps for the local APICs ({@link LocalApic}) on an APIC bus. CPU n has APIC ID n; CPU 0 is the
 * bootstrap processor. The TSC runs at 1 GHz (one tick per nanosecond of virtual time) and the
 * APIC timer's input clock at 1 GHz, so with divide-by-1 one timer tick is one nanosecond.
 */
public final class LapicSteps {
    private final ChipsetBench chips;

    public LapicSteps(ChipsetBench chips) {
        this.chips = chips;
    }

    @Given("a machine with {int} CPUs and local APICs")
    public void machine(int count) {
        for (int id = 0; id < count; id++) {
            LocalApicConfig config = LocalApicConfig.of(id, id == 0).withTsc(TscTimebase.fixedRate(1_000_000_000L));
            chips.cpus.add(new LocalApic(config, chips.apicBus, chips.bench.timers));
        }
    }

    @Given("a machine with {int} CPUs whose local APICs support EOI-broadcast suppression")
    public void machineWithSuppression(int count) {
        for (int id = 0; id < count; id++) {
            LocalApicConfig config = LocalApicConfig.of(id, id == 0).withEoiBroadcastSuppression(true);
            chips.cpus.add(new LocalApic(config, chips.apicBus, chips.bench.timers));
        }
    }

    @Given("every local APIC is software-enabled with spurious vector {word}")
    public void allEnabled(String vector) {
        for (LocalApic apic : chips.cpus) {
            apic.mmioWrite(0xF0, 4, 0x100 | Values.parse(vector));
        }
    }

    // ------------------------------------------------------------------ xAPIC page

    @When("CPU {int} writes {word} to local APIC register {word}")
    public void writeRegister(int cpu, String value, String offset) {
        chips.cpu(cpu).mmioWrite(Values.parse(offset), 4, Values.parse(value));
    }

    @Then("local APIC {int} register {word} reads {word}")
    public void registerReads(int cpu, String offset, String expected) {
        long value = chips.cpu(cpu).mmioRead(Values.parse(offset), 4);
        assertThat(Values.hex(value)).as("APIC %d register %s", cpu, offset)
                .isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("CPU {int} writes {word} to physical address {word}")
    public void writePhysical(int cpu, String value, String address) {
        chips.physicalWrite(cpu, Values.parse(address), 4, Values.parse(value));
    }

    @Then("CPU {int} reading physical address {word} gives {word}")
    public void readPhysical(int cpu, String address, String expected) {
        long value = chips.physicalRead(cpu, Values.parse(address), 4);
        assertThat(Values.hex(value)).as("CPU %d reads %s", cpu, address).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("CPU {int} reading {int} byte(s) at physical address {word} gives {word}")
    public void readPhysicalSized(int cpu, int size, String address, String expected) {
        long value = chips.physicalRead(cpu, Values.parse(address), size);
        assertThat(Values.hex(value)).as("CPU %d reads %s", cpu, address).isEqualTo(Values.hex(Values.parse(expected)));
    }

    // ------------------------------------------------------------------ MSRs

    @When("CPU {int} writes {word} to MSR {word}")
    public void writeMsr(int cpu, String value, String msr) {
        MsrResult result = chips.cpu(cpu).writeMsr(Values.parseInt(msr), Values.parse(value));
        assertThat(result).as("WRMSR %s <- %s", msr, value).isInstanceOf(MsrResult.Ok.class);
    }

    @Then("CPU {int} writing {word} to MSR {word} raises #GP")
    public void writeMsrFaults(int cpu, String value, String msr) {
        MsrResult result = chips.cpu(cpu).writeMsr(Values.parseInt(msr), Values.parse(value));
        assertThat(result).as("WRMSR %s <- %s", msr, value).isInstanceOf(MsrResult.GeneralProtection.class);
    }

    @Then("CPU {int} reading MSR {word} gives {word}")
    public void readMsr(int cpu, String msr, String expected) {
        MsrResult result = chips.cpu(cpu).readMsr(Values.parseInt(msr));
        assertThat(result).as("RDMSR %s", msr).isInstanceOf(MsrResult.Ok.class);
        assertThat(Values.hex(((MsrResult.Ok) result).value())).as("RDMSR %s", msr)
                .isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("CPU {int} reading MSR {word} raises #GP")
    public void readMsrFaults(int cpu, String msr) {
        assertThat(chips.cpu(cpu).readMsr(Values.parseInt(msr))).as("RDMSR %s", msr)
                .isInstanceOf(MsrResult.GeneralProtection.class);
    }

    // ------------------------------------------------------------------ CPU side

    @Then("CPU {int} takes the interrupt with vector {word}")
    public void takesInterrupt(int cpu, String vector) {
        LocalApic apic = chips.cpu(cpu);
        assertThat(apic.hasInterrupt()).as("CPU %d has an interrupt", cpu).isTrue();
        assertThat(Values.hex(apic.acknowledgeInterrupt())).as("CPU %d INTA", cpu)
                .isEqualTo(Values.hex(Values.parse(vector)));
    }

    @Then("CPU {int} has no interrupt to take")
    public void noInterrupt(int cpu) {
        assertThat(chips.cpu(cpu).hasInterrupt()).as("CPU %d has an interrupt", cpu).isFalse();
    }

    @Then("CPU {int} acknowledging anyway gets vector {word}")
    public void acknowledgeAnyway(int cpu, String vector) {
        assertThat(Values.hex(chips.cpu(cpu).acknowledgeInterrupt())).as("CPU %d INTA", cpu)
                .isEqualTo(Values.hex(Values.parse(vector)));
    }

    @Then("CPU {int} has a pending NMI")
    public void nmi(int cpu) {
        assertThat(chips.cpu(cpu).takeNmi()).as("CPU %d NMI", cpu).isTrue();
    }

    @Then("CPU {int} has no pending NMI")
    public void noNmi(int cpu) {
        assertThat(chips.cpu(cpu).takeNmi()).as("CPU %d NMI", cpu).isFalse();
    }

    @Then("CPU {int} has a pending INIT")
    public void init(int cpu) {
        assertThat(chips.cpu(cpu).takeInit()).as("CPU %d INIT", cpu).isTrue();
    }

    @Then("CPU {int} has no pending INIT")
    public void noInit(int cpu) {
        assertThat(chips.cpu(cpu).takeInit()).as("CPU %d INIT", cpu).isFalse();
    }

    @Then("CPU {int} has a pending SMI")
    public void smi(int cpu) {
        assertThat(chips.cpu(cpu).takeSmi()).as("CPU %d SMI", cpu).isTrue();
    }

    @Then("CPU {int} has a pending start-up IPI with vector {word}")
    public void startup(int cpu, String vector) {
        assertThat(Values.hex(chips.cpu(cpu).takeStartup())).as("CPU %d SIPI", cpu)
                .isEqualTo(Values.hex(Values.parse(vector)));
    }

    @Then("CPU {int} has no pending start-up IPI")
    public void noStartup(int cpu) {
        assertThat(chips.cpu(cpu).takeStartup()).as("CPU %d SIPI", cpu).isEqualTo(-1);
    }

    @When("CPU {int} performs INIT")
    public void performInit(int cpu) {
        chips.cpu(cpu).initReset();
    }

    @When("CPU {int}'s LINT{int} pin is driven {word}")
    public void lint(int cpu, int pin, String level) {
        boolean high = switch (level) {
            case "high" -> true;
            case "low" -> false;
            default -> throw new IllegalArgumentException("high or low, not " + level);
        };
        LocalApic apic = chips.cpu(cpu);
        (pin == 0 ? apic.lint0() : apic.lint1()).setLevel(high);
    }

    @Then("saving and restoring local APIC {int} changes nothing")
    public void saveRestore(int cpu) {
        LocalApic apic = chips.cpu(cpu);
        LocalApicState before = apic.save();
        apic.restore(before);
        assertThat(apic.save()).isEqualTo(before);
    }

    /** KVM_GET_LAPIC, time passes, KVM_SET_LAPIC: only the register page, APIC base and TSC deadline travel. */
    @When("local APIC {int} is saved, {long} nanoseconds pass, and it is restored through KVM_SET_LAPIC")
    public void saveWaitRestore(int cpu, long nanos) {
        LocalApic apic = chips.cpu(cpu);
        LocalApicState saved = apic.save();
        chips.bench.advance(nanos);
        apic.restore(LocalApicState.fromKvm(saved.registers(), saved.apicBase(), saved.tscDeadline()));
    }

    @Then("the APIC bus delivers a message to {int} local APIC(s)")
    public void busCount(int count) {
        assertThat(chips.lastDelivered).isEqualTo(count);
    }
}
