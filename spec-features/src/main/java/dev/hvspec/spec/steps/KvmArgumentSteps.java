package dev.hvspec.spec.steps;

import dev.hvspec.kvm.abi.KvmAbi;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmRunLayout;
import dev.hvspec.kvm.abi.StructLayout;
import io.cucumber.datatable.DataTable;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generic ioctl-argument steps: the scenario builds one struct of linux/kvm.h ("the argument") in
 * process memory field by field, passes its address to an ioctl and reads fields back, exactly as
 * a C program would with a stack variable. Also eventfds and VM ioctls without an argument.
 */
public final class KvmArgumentSteps {
    private final KvmProcess p;

    public KvmArgumentSteps(KvmProcess process) {
        this.p = process;
    }

    private static StructLayout layout(String tag) {
        if (tag.equals("kvm_run")) {
            return KvmRunLayout.KVM_RUN;
        }
        return KvmAbi.layout(tag).orElseThrow(() -> new IllegalArgumentException("no struct " + tag));
    }

    @When("userspace prepares a {word} argument")
    public void prepare(String tag) {
        StructLayout layout = layout(tag);
        p.argument = p.zeroed(layout, p.argumentAddress(), layout.size());
    }

    @When("userspace prepares a {word} argument with room for {int} entries")
    public void prepareWithEntries(String tag, int entries) {
        StructLayout layout = layout(tag);
        p.argument = p.zeroed(layout, p.argumentAddress(), layout.sizeWith(entries));
    }

    @When("userspace sets the argument's {word} to {word}")
    public void setField(String path, String value) {
        p.argument.set(path, Values.parse(value));
    }

    @When("the argument holds:")
    public void holds(DataTable table) {
        for (List<String> row : table.asLists()) {
            p.argument.set(row.get(0).strip(), Values.parse(row.get(1)));
        }
    }

    @When("userspace sets the argument's {word} to the eventfd {string}")
    public void setEventfd(String path, String name) {
        p.argument.set(path, p.eventfds.get(name));
    }

    @When("^userspace calls (\\w+) on (/dev/kvm|the VM|the vCPU) with the argument$")
    public void callWithArgument(String ioctl, String file) {
        p.ioctl(p.fd(file), KvmIoctl.valueOf(ioctl), p.argumentAddress());
    }

    @When("userspace calls {word} on the VM")
    public void vmIoctl(String ioctl) {
        p.ioctl(p.vmFd, KvmIoctl.valueOf(ioctl), 0);
    }

    @When("^userspace checks the extension (\\w+) on the VM$")
    public void checkExtensionOnVm(String cap) {
        p.ioctl(p.vmFd, KvmIoctl.CHECK_EXTENSION, dev.hvspec.kvm.abi.KvmCap.valueOf(cap).value());
    }

    @Then("the argument's {word} is {word}")
    public void fieldIs(String path, String expected) {
        assertThat(p.argument.get(path)).as(path).isEqualTo(Values.parse(expected));
    }

    @Then("the argument's {word} is not {word}")
    public void fieldIsNot(String path, String unexpected) {
        assertThat(p.argument.get(path)).as(path).isNotEqualTo(Values.parse(unexpected));
    }

    @Then("the argument's {word} is at least {word}")
    public void fieldAtLeast(String path, String bound) {
        assertThat(p.argument.get(path)).as(path).isGreaterThanOrEqualTo(Values.parse(bound));
    }

    @Given("an eventfd called {string}")
    public void eventfd(String name) {
        int fd = p.host.eventfd();
        assertThat(fd).isPositive();
        p.eventfds.put(name, fd);
    }

    @When("userspace writes {long} to the eventfd {string}")
    public void writeEventfd(long value, String name) {
        assertThat(p.host.eventfdWrite(p.eventfds.get(name), value)).isEqualTo(8);
    }

    @Then("reading the eventfd {string} gives {long}")
    public void readEventfd(String name, long expected) {
        assertThat(p.host.eventfdRead(p.eventfds.get(name))).isEqualTo(expected);
    }

    @Then("the ioctl returns a positive value")
    public void positive() {
        assertThat(p.result).as("ioctl result").isPositive();
    }
}
