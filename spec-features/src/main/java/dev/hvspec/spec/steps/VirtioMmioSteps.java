package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.driver.VirtioMmioDriver;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Steps for virtio over MMIO (virtio 1.3 §4.2), registers named as in the spec's table. */
public final class VirtioMmioSteps {
    static final Map<String, Integer> REGISTERS = Map.ofEntries(
            Map.entry("MagicValue", 0x000), Map.entry("Version", 0x004), Map.entry("DeviceID", 0x008),
            Map.entry("VendorID", 0x00C), Map.entry("DeviceFeatures", 0x010), Map.entry("DeviceFeaturesSel", 0x014),
            Map.entry("DriverFeatures", 0x020), Map.entry("DriverFeaturesSel", 0x024),
            Map.entry("GuestPageSize", 0x028), Map.entry("QueueSel", 0x030), Map.entry("QueueNumMax", 0x034),
            Map.entry("QueueNum", 0x038), Map.entry("QueueAlign", 0x03C), Map.entry("QueuePFN", 0x040),
            Map.entry("QueueReady", 0x044), Map.entry("QueueNotify", 0x050), Map.entry("InterruptStatus", 0x060),
            Map.entry("InterruptACK", 0x064), Map.entry("Status", 0x070), Map.entry("QueueDescLow", 0x080),
            Map.entry("QueueDescHigh", 0x084), Map.entry("QueueDriverLow", 0x090), Map.entry("QueueDriverHigh", 0x094),
            Map.entry("QueueDeviceLow", 0x0A0), Map.entry("QueueDeviceHigh", 0x0A4), Map.entry("SHMSel", 0x0AC),
            Map.entry("SHMLenLow", 0x0B0), Map.entry("SHMLenHigh", 0x0B4), Map.entry("SHMBaseLow", 0x0B8),
            Map.entry("SHMBaseHigh", 0x0BC), Map.entry("QueueReset", 0x0C0), Map.entry("ConfigGeneration", 0x0FC));

    private final VirtioBench virtio;
    private int acknowledged;

    public VirtioMmioSteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    private VirtioMmioDriver driver() {
        return virtio.mmioDriver;
    }

    @Then("the virtio-mmio register {word} reads {word}")
    public void reads(String name, String expected) {
        long v = Integer.toUnsignedLong(driver().read(REGISTERS.get(name)));
        assertThat(Values.hex(v)).as(name).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("the driver writes {word} to the virtio-mmio register {word}")
    public void writes(String value, String name) {
        driver().write(REGISTERS.get(name), (int) Values.parse(value));
    }

    @Then("a {int}-byte read of the virtio-mmio register {word} gives {word}")
    public void narrowRead(int size, String name, String expected) {
        long v = virtio.pci.readMemory(baseOf() + REGISTERS.get(name), size);
        assertThat(Values.hex(v)).isEqualTo(Values.hex(Values.parse(expected)));
    }

    private long baseOf() {
        return 0xD000_0000L;
    }

    @Then("the virtio-mmio device is found by the driver")
    public void probe() {
        assertThat(driver().probe()).isTrue();
    }

    @When("the virtio-mmio driver initializes the device with features {string}")
    public void initialize(String names) throws GuestMemoryFault {
        long features = VirtioBench.parseFeatures(names, VirtioDeviceFeatures.bits(virtio.device));
        assertThat(driver().negotiate(features)).as("FEATURES_OK kept").isTrue();
        driver().setUpQueue(0, 0, virtio.rings);
        driver().driverOk();
    }

    @When("the virtio-mmio driver accepts the features {string} and sets FEATURES_OK")
    public void negotiateOnly(String names) {
        driver().negotiate(VirtioBench.parseFeatures(names, VirtioDeviceFeatures.bits(virtio.device)));
    }

    @When("the virtio-mmio driver sets up queue {int} again with {int} entries")
    public void setUpAgain(int queue, int size) throws GuestMemoryFault {
        driver().setUpQueue(queue, size, virtio.rings);
    }

    @When("the driver handles the virtio-mmio interrupt")
    public void handle() {
        acknowledged = driver().acknowledgeInterrupt();
    }

    @Then("the interrupt handler saw InterruptStatus {word}")
    public void sawStatus(String expected) {
        assertThat(Values.hex(acknowledged)).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("the virtio-mmio device's interrupt line is asserted")
    public void asserted() {
        assertThat(virtio.mmio.interruptAsserted()).isTrue();
    }

    @Then("the virtio-mmio device's interrupt line is not asserted")
    public void notAsserted() {
        assertThat(virtio.mmio.interruptAsserted()).isFalse();
    }

    @Then("the virtio-mmio device ignored {int} notifications")
    public void ignored(long count) {
        assertThat(virtio.mmio.core().ignoredNotifications()).isEqualTo(count);
    }

    @Then("the {int}-byte virtio-mmio configuration at {word} reads {word}")
    public void config(int size, String offset, String expected) {
        assertThat(Values.hex(driver().config(Values.parseInt(offset), size))).isEqualTo(Values.hex(Values.parse(expected)));
    }
}
