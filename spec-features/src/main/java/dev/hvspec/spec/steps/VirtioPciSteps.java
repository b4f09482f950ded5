package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.DeviceStatus;
import dev.hvspec.vmm.virtio.driver.VirtioPciDriver;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps for the virtio-pci transport (virtio 1.3 §4.1) and the generic device facilities it
 * carries (§2, §3), driven through the reference driver. The device is set up by a device step
 * ("Given a virtio-blk device ...").
 */
public final class VirtioPciSteps {
    static final Map<String, int[]> COMMON_FIELDS = Map.ofEntries(
            Map.entry("device_feature_select", new int[] {0x00, 4}), Map.entry("device_feature", new int[] {0x04, 4}),
            Map.entry("driver_feature_select", new int[] {0x08, 4}), Map.entry("driver_feature", new int[] {0x0C, 4}),
            Map.entry("config_msix_vector", new int[] {0x10, 2}), Map.entry("num_queues", new int[] {0x12, 2}),
            Map.entry("device_status", new int[] {0x14, 1}), Map.entry("config_generation", new int[] {0x15, 1}),
            Map.entry("queue_select", new int[] {0x16, 2}), Map.entry("queue_size", new int[] {0x18, 2}),
            Map.entry("queue_msix_vector", new int[] {0x1A, 2}), Map.entry("queue_enable", new int[] {0x1C, 2}),
            Map.entry("queue_notify_off", new int[] {0x1E, 2}), Map.entry("queue_desc", new int[] {0x20, 8}),
            Map.entry("queue_driver", new int[] {0x28, 8}), Map.entry("queue_device", new int[] {0x30, 8}),
            Map.entry("queue_notify_data", new int[] {0x38, 2}), Map.entry("queue_reset", new int[] {0x3A, 2}),
            Map.entry("queue_desc_lo", new int[] {0x20, 4}), Map.entry("queue_desc_hi", new int[] {0x24, 4}));

    static final String[] STATUS_NAMES = {"ACKNOWLEDGE", "DRIVER", "DRIVER_OK", "FEATURES_OK", "", "", "DEVICE_NEEDS_RESET", "FAILED"};

    private final VirtioBench virtio;
    private int rememberedGeneration;

    public VirtioPciSteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    private VirtioPciDriver driver() {
        return virtio.driver;
    }

    @Then("the virtio PCI function has vendor {word} device {word} revision {word} and subsystem {word}:{word}")
    public void identity(String vendor, String device, String revision, String subVendor, String subId) {
        VirtioPciDriver d = driver();
        assertThat(Values.hex(d.vendorId())).isEqualTo(Values.hex(Values.parse(vendor)));
        assertThat(Values.hex(d.deviceId())).isEqualTo(Values.hex(Values.parse(device)));
        var p = virtio.platform(virtio.slot);
        assertThat(Values.hex(p.configRead(0x08, 1))).as("revision").isEqualTo(Values.hex(Values.parse(revision)));
        assertThat(Values.hex(p.configRead(0x2C, 2))).as("subsystem vendor").isEqualTo(Values.hex(Values.parse(subVendor)));
        assertThat(Values.hex(p.configRead(0x2E, 2))).as("subsystem ID").isEqualTo(Values.hex(Values.parse(subId)));
    }

    @Then("the virtio PCI function has class code {word}")
    public void classCode(String code) {
        var p = virtio.platform(virtio.slot);
        assertThat(Values.hex(p.configRead(0x08, 4) >>> 8)).isEqualTo(Values.hex(Values.parse(code)));
    }

    /** Every vendor capability as "type:bar+offset/length", in list order (cap_len checked). */
    @Then("the virtio structure capabilities are {string}")
    public void structureCaps(String expected) {
        var p = virtio.platform(virtio.slot);
        List<String> caps = new ArrayList<>();
        int at = p.configRead(0x34, 1) & 0xFC;
        for (int guard = 0; at != 0 && guard < 48; guard++) {
            if (p.configRead(at, 1) == 0x09) {
                int len = p.configRead(at + 2, 1);
                int type = p.configRead(at + 3, 1);
                caps.add(String.format("%d:%d+0x%X/0x%X/%d", type, p.configRead(at + 4, 1), p.configRead(at + 8, 4),
                        p.configRead(at + 12, 4), len));
            }
            at = p.configRead(at + 1, 1) & 0xFC;
        }
        assertThat(String.join(" ", caps)).isEqualTo(expected);
    }

    @Then("the notify_off_multiplier is {int}")
    public void multiplier(int expected) {
        assertThat(driver().notifyMultiplier()).isEqualTo(expected);
    }

    @Then("the common configuration structure offset is 4-byte aligned and the notify offset 2-byte aligned")
    public void alignment() {
        assertThat(driver().structure(1).offset() % 4).isZero();
        assertThat(driver().structure(2).offset() % 2).isZero();
        assertThat(driver().structure(4).offset() % 4).isZero();
    }

    @When("the driver writes {word} to the common field {word}")
    public void writeCommon(String value, String field) {
        int[] f = COMMON_FIELDS.get(field);
        driver().setCommon(f[0], f[1], Values.parse(value));
    }

    @When("the driver writes {word} to the common field {word} with a {int}-byte access")
    public void writeCommonSized(String value, String field, int size) {
        int[] f = COMMON_FIELDS.get(field);
        driver().setCommon(f[0], size, Values.parse(value));
    }

    @Then("the common field {word} reads {word}")
    public void readCommon(String field, String expected) {
        int[] f = COMMON_FIELDS.get(field);
        assertThat(Values.hex(driver().common(f[0], f[1]))).as(field).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("the driver resets the device")
    public void reset() {
        assertThat(driver().reset()).as("status reads 0 after reset").isTrue();
    }

    @When("the driver sets the device status to {string}")
    public void setStatus(String names) {
        driver().writeStatus(parseStatus(names));
    }

    @Then("the device status is {string}")
    public void statusIs(String names) {
        assertThat(statusNames(driver().status())).isEqualTo(statusNames(parseStatus(names)));
    }

    static int parseStatus(String names) {
        int s = 0;
        for (String n : names.trim().split("[\\s|]+")) {
            if (n.isEmpty() || n.equals("0")) {
                continue;
            }
            s |= switch (n) {
                case "ACKNOWLEDGE" -> DeviceStatus.ACKNOWLEDGE;
                case "DRIVER" -> DeviceStatus.DRIVER;
                case "FEATURES_OK" -> DeviceStatus.FEATURES_OK;
                case "DRIVER_OK" -> DeviceStatus.DRIVER_OK;
                case "DEVICE_NEEDS_RESET" -> DeviceStatus.DEVICE_NEEDS_RESET;
                case "FAILED" -> DeviceStatus.FAILED;
                default -> throw new IllegalArgumentException("status bit " + n);
            };
        }
        return s;
    }

    static String statusNames(int status) {
        List<String> names = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            if ((status & (1 << b)) != 0) {
                names.add(STATUS_NAMES[b].isEmpty() ? "bit" + b : STATUS_NAMES[b]);
            }
        }
        return names.isEmpty() ? "0" : String.join("|", names);
    }

    @When("the driver accepts the features {string} and sets FEATURES_OK")
    public void acceptFeatures(String names) {
        long f = VirtioBench.parseFeatures(names, VirtioDeviceFeatures.bits(virtio.device));
        VirtioPciDriver d = driver();
        d.reset();
        d.writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        d.deviceFeatures();
        d.writeDriverFeatures(f);
        d.writeStatus(DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
    }

    @Then("the device keeps FEATURES_OK")
    public void featuresKept() {
        assertThat(driver().status() & DeviceStatus.FEATURES_OK).as("FEATURES_OK after re-read").isNotZero();
    }

    @Then("the device refuses FEATURES_OK")
    public void featuresRefused() {
        assertThat(driver().status() & DeviceStatus.FEATURES_OK).as("FEATURES_OK after re-read").isZero();
    }

    @Then("the device offers {string}")
    public void offers(String names) {
        long f = VirtioBench.parseFeatures(names, VirtioDeviceFeatures.bits(virtio.device));
        assertThat(Long.toHexString(driver().deviceFeatures() & f)).isEqualTo(Long.toHexString(f));
    }

    @Then("the device does not offer {string}")
    public void doesNotOffer(String names) {
        long f = VirtioBench.parseFeatures(names, VirtioDeviceFeatures.bits(virtio.device));
        assertThat(Long.toHexString(driver().deviceFeatures() & f)).isEqualTo("0");
    }

    @Then("the device offers no feature bits beyond {int} except {string}")
    public void noFeaturesBeyond(int bit, String allowed) {
        long f = VirtioBench.parseFeatures(allowed, VirtioDeviceFeatures.bits(virtio.device));
        long beyond = driver().deviceFeatures() & ~((1L << bit) - 1) & ~f;
        assertThat(Long.toHexString(beyond)).isEqualTo("0");
    }

    @When("the driver initializes the device with features {string}")
    public void initialize(String names) throws GuestMemoryFault {
        virtio.initialize(VirtioBench.parseFeatures(names, VirtioDeviceFeatures.bits(virtio.device)), 0, false);
    }

    @When("the driver initializes the device with features {string} and queues of {int} entries")
    public void initializeSized(String names, int size) throws GuestMemoryFault {
        virtio.initialize(VirtioBench.parseFeatures(names, VirtioDeviceFeatures.bits(virtio.device)), size, false);
    }

    @When("the driver initializes the device with features {string} using MSI-X")
    public void initializeMsix(String names) throws GuestMemoryFault {
        virtio.initialize(VirtioBench.parseFeatures(names, VirtioDeviceFeatures.bits(virtio.device)), 0, true);
    }

    @When("the driver sets up queue {int} again with {int} entries")
    public void setUpAgain(int queue, int size) throws GuestMemoryFault {
        driver().setUpQueue(queue, size, virtio.rings, -1);
    }

    @When("the driver notifies queue {int}")
    public void notifyRaw(int queue) {
        driver().notifyRaw(queue);
    }

    @When("the driver sets up the queues and sets DRIVER_OK")
    public void queuesAndDriverOk() throws GuestMemoryFault {
        int queues = (int) driver().common(VirtioPciDriver.NUM_QUEUES, 2);
        for (int q = 0; q < queues; q++) {
            driver().setUpQueue(q, 0, virtio.rings, -1);
        }
        driver().driverOk();
    }

    @When("the driver sets DRIVER_OK")
    public void driverOk() {
        driver().driverOk();
    }

    @Then("the device received {int} available buffer notifications and sent {int} used buffer notifications")
    public void counters(long received, long sent) {
        assertThat(virtio.function.core().notifications()).as("available buffer notifications").isEqualTo(received);
        assertThat(virtio.function.core().usedNotifications()).as("used buffer notifications").isEqualTo(sent);
    }

    @Then("the device ignored {int} notifications")
    public void ignored(long count) {
        assertThat(virtio.function.core().ignoredNotifications()).isEqualTo(count);
    }

    @Then("the ISR status reads {word}")
    public void isr(String expected) {
        assertThat(Values.hex(driver().readIsr())).isEqualTo(Values.hex(Values.parse(expected)));
    }

    @Then("the device's interrupt line is asserted")
    public void intxAsserted() {
        assertThat(virtio.function.intxAsserted()).isTrue();
    }

    @Then("the device's interrupt line is not asserted")
    public void intxNotAsserted() {
        assertThat(virtio.function.intxAsserted()).isFalse();
    }

    @Then("the PCI Status register shows the interrupt {word}")
    public void pciStatusInterrupt(String state) {
        int status = virtio.platform(virtio.slot).configRead(0x06, 2);
        assertThat((status & 0x08) != 0).isEqualTo(state.equals("pending"));
    }

    @When("the driver reads the configuration generation")
    public void rememberGeneration() {
        rememberedGeneration = driver().configGeneration();
    }

    @Then("the configuration generation has changed")
    public void generationChanged() {
        assertThat(driver().configGeneration()).isNotEqualTo(rememberedGeneration);
    }

    @Then("the configuration generation is unchanged")
    public void generationUnchanged() {
        assertThat(driver().configGeneration()).isEqualTo(rememberedGeneration);
    }

    @Then("the {int}-byte device configuration field at {word} reads {word}")
    public void deviceConfig(int size, String offset, String expected) {
        assertThat(Values.hex(driver().deviceConfig(Values.parseInt(offset), size)))
                .isEqualTo(Values.hex(Values.parse(expected)));
    }

    @When("the driver writes {word} to the {int}-byte device configuration field at {word}")
    public void writeDeviceConfig(String value, int size, String offset) {
        driver().writeDeviceConfig(Values.parseInt(offset), size, Values.parse(value));
    }

    @When("through the PCI configuration access capability the driver reads {int} bytes at offset {word} of BAR {int}")
    public void pciCfgRead(int length, String offset, int bar) {
        int cap = pciCfgCap();
        var p = virtio.platform(virtio.slot);
        p.configWrite(cap + 4, 1, bar);
        p.configWrite(cap + 12, 4, length);
        p.configWrite(cap + 8, 4, Values.parseInt(offset));
        pciCfgData = p.configRead(cap + 16, length);
    }

    @When("through the PCI configuration access capability the driver writes {word} as {int} bytes at offset {word} of BAR {int}")
    public void pciCfgWrite(String value, int length, String offset, int bar) {
        int cap = pciCfgCap();
        var p = virtio.platform(virtio.slot);
        p.configWrite(cap + 4, 1, bar);
        p.configWrite(cap + 12, 4, length);
        p.configWrite(cap + 8, 4, Values.parseInt(offset));
        p.configWrite(cap + 16, length, Values.parseInt(value));
    }

    private int pciCfgData;

    @Then("the PCI configuration access data reads {word}")
    public void pciCfgData(String expected) {
        assertThat(Values.hex(pciCfgData & 0xFFFF_FFFFL)).isEqualTo(Values.hex(Values.parse(expected)));
    }

    private int pciCfgCap() {
        var p = virtio.platform(virtio.slot);
        int at = p.configRead(0x34, 1) & 0xFC;
        for (int guard = 0; at != 0 && guard < 48; guard++) {
            if (p.configRead(at, 1) == 0x09 && p.configRead(at + 3, 1) == 5) {
                return at;
            }
            at = p.configRead(at + 1, 1) & 0xFC;
        }
        throw new AssertionError("no VIRTIO_PCI_CAP_PCI_CFG capability");
    }

    @Then("the device reported the driver error {word}")
    public void driverError(String violation) {
        assertThat(virtio.function.core().lastViolation()).isNotNull();
        assertThat(virtio.function.core().lastViolation().name()).isEqualTo(violation);
    }

    // ---- raw ring manipulation through the device's queues (malicious-driver scenarios) ----

    @When("the driver writes descriptor {int} of queue {int} as {string}")
    public void rawDescriptor(int index, int queue, String text) throws GuestMemoryFault {
        long[] d = SplitRingSteps.parseDescriptor(text);
        virtio.splitQueue(queue).writeDescriptor(index, d[0], d[1], (int) d[2], (int) d[3]);
    }

    @When("the driver writes entry {int} of the table at {word} for queue {int} as {string}")
    public void rawTableEntry(int index, String table, int queue, String text) throws GuestMemoryFault {
        long[] d = SplitRingSteps.parseDescriptor(text);
        virtio.splitQueue(queue).writeTableEntry(Values.parse(table), index, d[0], d[1], (int) d[2], (int) d[3]);
    }

    @When("the driver exposes descriptor {int} on queue {int} and notifies")
    public void rawExpose(int head, int queue) throws GuestMemoryFault {
        var ring = virtio.splitQueue(queue);
        ring.setAvailEntry(ring.availIdx() % ring.layout().size(), head);
        ring.setAvailIdx(ring.availIdx() + 1);
        virtio.transport.notifyQueue(queue);
    }

    @When("the driver sets avail idx of queue {int} to {int} and notifies")
    public void rawAvailIdx(int queue, int idx) throws GuestMemoryFault {
        virtio.splitQueue(queue).setAvailIdx(idx);
        virtio.transport.notifyQueue(queue);
    }

    @Then("the used ring of queue {int} is empty")
    public void usedEmpty(int queue) throws GuestMemoryFault {
        assertThat(virtio.splitQueue(queue).usedIdx()).isZero();
    }

    @When("the driver clears Bus Master in the PCI Command register")
    public void clearBusMaster() {
        var p = virtio.platform(virtio.slot);
        p.configWrite(0x04, 2, p.configRead(0x04, 2) & ~0x4);
    }

    @Then("the device reported no driver error")
    public void noDriverError() {
        assertThat(virtio.function.core().lastViolation()).isNull();
    }
}
