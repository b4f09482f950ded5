package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.NotificationData;
import dev.hvspec.vmm.virtio.VirtioCore;
import dev.hvspec.vmm.virtio.VirtioDeviceOptions;
import dev.hvspec.vmm.virtio.pci.VirtioPciFunction;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Device-independent features offered on request (virtio 1.3 §6): VIRTIO_F_ACCESS_PLATFORM and
 * VIRTIO_F_NOTIFICATION_DATA (§2.9 driver notifications, §4.1.5.2 virtio-pci, §4.2.3.3
 * virtio-mmio), on whichever transport the scenario put the device.
 */
public final class VirtioDeviceOptionSteps {
    private final VirtioBench virtio;

    public VirtioDeviceOptionSteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    /** "ACCESS_PLATFORM NOTIFICATION_DATA", either, or "none". */
    static VirtioDeviceOptions options(String names) {
        List<String> n = List.of(names.trim().split("[\\s,]+"));
        for (String name : n) {
            if (!List.of("ACCESS_PLATFORM", "NOTIFICATION_DATA", "none").contains(name)) {
                throw new IllegalArgumentException("device option " + name);
            }
        }
        return new VirtioDeviceOptions(n.contains("ACCESS_PLATFORM"), n.contains("NOTIFICATION_DATA"));
    }

    private VirtioCore core() {
        return virtio.mmio != null ? virtio.mmio.core() : virtio.function.core();
    }

    @When("the driver writes the 32-bit notification value {word} for queue {int} at its notify address")
    public void notifyWithData(String value, int queue) {
        virtio.driver.notifyWithData(queue, (int) Values.parse(value));
    }

    @Then("the device kept the notification data of queue {int} as vqn {int} and next_idx {int}")
    public void splitData(int queue, int vqn, int nextIdx) {
        NotificationData d = core().lastNotificationData(queue);
        assertThat(d).as("notification data kept").isNotNull();
        assertThat(d.vqn()).isEqualTo(vqn);
        assertThat(d.nextIdx()).isEqualTo(nextIdx);
    }

    @Then("the device kept the notification data of queue {int} as next_off {int} and next_wrap {int}")
    public void packedData(int queue, int nextOff, int nextWrap) {
        NotificationData d = core().lastNotificationData(queue);
        assertThat(d).as("notification data kept").isNotNull();
        assertThat(d.nextOff()).isEqualTo(nextOff);
        assertThat(d.nextWrap() ? 1 : 0).isEqualTo(nextWrap);
    }

    @Then("the device kept no notification data for queue {int}")
    public void noData(int queue) {
        assertThat(core().lastNotificationData(queue)).isNull();
    }

    @Then("the used idx of split queue {int} is {int}")
    public void usedIdx(int queue, int idx) throws GuestMemoryFault {
        assertThat(virtio.splitQueue(queue).usedIdx()).isEqualTo(idx);
    }

    @Then("the ioeventfd route of queue {int} takes {int}-byte writes at BAR4 + {word} without a datamatch")
    public void route(int queue, int width, String offset) {
        List<VirtioPciFunction.NotifyRoute> routes = virtio.function.notifyRoutes().stream()
                .filter(r -> r.queue() == queue && !r.address().pio()).toList();
        assertThat(routes).hasSize(1);
        VirtioPciFunction.NotifyAddress a = routes.get(0).address();
        assertThat(a.address()).isEqualTo(virtio.driver.barAddress(4) + Values.parse(offset));
        assertThat(a.length()).isEqualTo(width);
        assertThat(a.datamatch()).isNull();
    }
}
