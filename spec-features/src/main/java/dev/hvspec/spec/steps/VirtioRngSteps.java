package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import dev.hvspec.vmm.virtio.rng.VirtioRng;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virtio-rng scenarios (virtio 1.3 §5.4). The entropy source is a counter (bytes 0x00, 0x01 ...)
 * so the scenario can see that the device delivered exactly what its source produced.
 */
public final class VirtioRngSteps {
    private final VirtioBench virtio;
    private int counter;
    private SplitRingDriver.Element buffer;
    private int head;

    public VirtioRngSteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    @Given("a virtio-rng device with a counting entropy source on PCI")
    public void device() {
        virtio.attach(new VirtioRng(bytes -> {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) counter++;
            }
        }), false);
    }

    @When("the driver asks for entropy with a {int}-byte buffer")
    public void ask(int bytes) throws GuestMemoryFault {
        buffer = virtio.element(bytes, true, null);
        head = virtio.submit(0, List.of(buffer));
    }

    @When("the driver offers a {int}-byte device-readable buffer for entropy")
    public void askReadable(int bytes) throws GuestMemoryFault {
        buffer = virtio.element(bytes, false, null);
        head = virtio.submit(0, List.of(buffer));
    }

    @Then("the device returns {int} random bytes, the next ones of its source")
    public void returns(int bytes) throws GuestMemoryFault {
        List<SplitRingDriver.Used> used = virtio.used(0);
        assertThat(used).singleElement().satisfies(u -> {
            assertThat(u.id()).isEqualTo(head);
            assertThat(u.length()).as("used length").isEqualTo(bytes);
        });
        byte[] got = virtio.ram().read(buffer.address(), bytes);
        int first = counter - bytes;
        for (int i = 0; i < bytes; i++) {
            assertThat(got[i] & 0xFF).isEqualTo((first + i) & 0xFF);
        }
    }

    @Then("the device returns the buffer with length {int}")
    public void returnsEmpty(int length) throws GuestMemoryFault {
        assertThat(virtio.used(0)).singleElement().satisfies(u -> assertThat(u.length()).isEqualTo(length));
    }
}
