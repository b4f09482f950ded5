package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.driver.LegacyVirtioPciDriver;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The legacy interface of transitional virtio PCI devices (virtio 1.3 §4.1.4.10): the reference
 * legacy driver works through I/O BAR0, whose registers are named as in the spec's table.
 */
public final class VirtioLegacySteps {
    static final Map<String, int[]> REGISTERS = Map.of(
            "host_features", new int[] {0x00, 4}, "guest_features", new int[] {0x04, 4},
            "queue_address", new int[] {0x08, 4}, "queue_size", new int[] {0x0C, 2},
            "queue_select", new int[] {0x0E, 2}, "queue_notify", new int[] {0x10, 2},
            "device_status", new int[] {0x12, 1}, "isr_status", new int[] {0x13, 1},
            "config_msix_vector", new int[] {0x14, 2}, "queue_msix_vector", new int[] {0x16, 2});

    private final VirtioBench virtio;
    private LegacyVirtioPciDriver legacy;

    public VirtioLegacySteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    private LegacyVirtioPciDriver legacy() {
        if (legacy == null) {
            legacy = new LegacyVirtioPciDriver(virtio.platform(virtio.slot), (int) virtio.driver.barAddress(0));
            virtio.transport = legacy;
        }
        return legacy;
    }

    @Then("BAR0 is an I\\/O BAR of {int} bytes")
    public void ioBar(int size) {
        var p = virtio.platform(virtio.slot);
        int saved = p.configRead(0x10, 4);
        p.configWrite(0x10, 4, 0xFFFF_FFFF);
        int sized = p.configRead(0x10, 4);
        p.configWrite(0x10, 4, saved);
        assertThat(sized & 1).as("I/O space indicator").isEqualTo(1);
        assertThat(~(sized & ~3) + 1).as("size").isEqualTo(size);
    }

    @When("the legacy driver initializes the device accepting {word}")
    public void initialize(String features) throws GuestMemoryFault {
        setUp(features);
        legacy().driverOk();
    }

    @When("the legacy driver sets up the device accepting {word} without DRIVER_OK")
    public void setUp(String features) throws GuestMemoryFault {
        int accepted = legacy().negotiate(Values.parseInt(features));
        boolean eventIdx = (accepted & (1 << 29)) != 0;
        legacy().setUpQueue(0, virtio.rings, eventIdx);
    }

    @Then("the legacy register {word} reads {word}")
    public void register(String name, String expected) {
        int[] r = REGISTERS.get(name);
        long v = Integer.toUnsignedLong(legacy().read(r[0], r[1]));
        assertThat(Values.hex(v)).as(name).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("the legacy driver writes {word} to the legacy register {word}")
    public void writeRegister(String value, String name) {
        int[] r = REGISTERS.get(name);
        legacy().write(r[0], r[1], Values.parseInt(value));
    }

    @Then("the {int}-byte legacy device configuration at {word} reads {word}")
    public void config(int size, String offset, String expected) {
        long v = Integer.toUnsignedLong(legacy().read(Values.parseInt(offset), size));
        assertThat(Values.hex(v)).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("the legacy queue address is the queue's page frame number")
    public void pfn() {
        long desc = legacy().queue(0).layout().descriptorTable();
        assertThat(Integer.toUnsignedLong(legacy().read(LegacyVirtioPciDriver.QUEUE_PFN, 4))).isEqualTo(desc / 4096);
    }

    @When("the legacy driver enables MSI-X")
    public void msix() {
        virtio.driver.enableMsix(2, VirtioBench.MSI_ADDRESS, VirtioBench.MSI_DATA_BASE);
    }
}
