package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.console.VirtioConsole;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThat;

/** virtio-console scenarios (virtio 1.3 §5.3); each port's output is recorded as text. */
public final class VirtioConsoleSteps {
    static final String[] EVENTS = {"DEVICE_READY", "DEVICE_ADD", "DEVICE_REMOVE", "PORT_READY", "CONSOLE_PORT",
        "RESIZE", "PORT_OPEN", "PORT_NAME"};

    private final VirtioBench virtio;
    private VirtioConsole console;
    private final Map<Integer, ByteArrayOutputStream> outputs = new HashMap<>();
    private final StringBuilder emergency = new StringBuilder();
    private final Map<Integer, Map<Integer, SplitRingDriver.Element>> buffers = new HashMap<>();

    public VirtioConsoleSteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    private ByteArrayOutputStream out(int port) {
        return outputs.computeIfAbsent(port, p -> new ByteArrayOutputStream());
    }

    @Given("a virtio-console device with {int} ports on PCI")
    public void device(int ports) {
        console = new VirtioConsole(ports, bytes -> out(0).writeBytes(bytes), c -> emergency.append((char) c));
        virtio.attach(console, false);
    }

    @Then("the emergency output is {string}")
    public void emergencyOutput(String text) {
        assertThat(emergency.toString()).isEqualTo(text);
    }

    @When("the driver transmits {string} on console port {int}")
    public void transmit(String text, int port) throws GuestMemoryFault {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        virtio.submit(port == 0 ? 1 : 3 + 2 * port, List.of(virtio.element(b.length, false, b)));
    }

    @Then("console port {int} has output {string}")
    public void output(int port, String text) {
        assertThat(out(port).toString(StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @When("the driver adds {int} receive buffers of {int} bytes to console queue {int}")
    public void receiveBuffers(int count, int bytes, int queue) throws GuestMemoryFault {
        for (int i = 0; i < count; i++) {
            SplitRingDriver.Element e = virtio.element(bytes, true, null);
            int head = virtio.submit(queue, List.of(e));
            buffers.computeIfAbsent(queue, q -> new HashMap<>()).put(head, e);
        }
    }

    @When("the driver adds a device-readable buffer of {int} bytes to console queue {int}")
    public void readableBuffer(int bytes, int queue) throws GuestMemoryFault {
        SplitRingDriver.Element e = virtio.element(bytes, false, null);
        int head = virtio.submit(queue, List.of(e));
        buffers.computeIfAbsent(queue, q -> new HashMap<>()).put(head, e);
    }

    @When("the host sends {string} to console port {int}")
    public void send(String text, int port) {
        console.send(port, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The used buffers of a console queue as "len:text" entries. */
    @Then("console queue {int} returned {string}")
    public void returned(int queue, String expected) throws GuestMemoryFault {
        List<String> got = new ArrayList<>();
        for (SplitRingDriver.Used u : virtio.used(queue)) {
            SplitRingDriver.Element e = buffers.get(queue).get(u.id());
            got.add(u.length() + ":" + new String(virtio.ram().read(e.address(), (int) u.length()), StandardCharsets.UTF_8));
        }
        assertThat(String.join(" ", got)).isEqualTo(expected);
    }

    @When("the driver sends the console control message port {int} event {word} value {int}")
    public void control(int port, String event, int value) throws GuestMemoryFault {
        ByteBuffer m = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        m.putInt(port).putShort((short) List.of(EVENTS).indexOf(event)).putShort((short) value);
        virtio.submit(VirtioConsole.CONTROL_TRANSMITQ, List.of(virtio.element(8, false, m.array())));
    }

    @Then("the device sent the control messages {string}")
    public void controlMessages(String expected) throws GuestMemoryFault {
        List<String> got = new ArrayList<>();
        for (SplitRingDriver.Used u : virtio.used(VirtioConsole.CONTROL_RECEIVEQ)) {
            SplitRingDriver.Element e = buffers.get(VirtioConsole.CONTROL_RECEIVEQ).get(u.id());
            ByteBuffer m = ByteBuffer.wrap(virtio.ram().read(e.address(), (int) u.length())).order(ByteOrder.LITTLE_ENDIAN);
            String s = m.getInt(0) + ":" + EVENTS[m.getShort(4)] + ":" + m.getShort(6);
            if (u.length() > 8) {
                byte[] extra = new byte[(int) u.length() - 8];
                m.get(8, extra);
                s += ":" + new String(extra, StandardCharsets.UTF_8);
            }
            got.add(s);
        }
        assertThat(String.join(" ", got)).isEqualTo(expected);
    }

    @When("the host adds console port {int} named {string}")
    public void addPort(int port, String name) {
        console.addPort(port, name, false, bytes -> out(port).writeBytes(bytes));
    }

    @Then("the host cannot add console port {int}")
    public void cannotAdd(int port) {
        assertThatThrownBy(() -> console.addPort(port, "x", false, b -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Then("the host cannot remove console port {int}")
    public void cannotRemove(int port) {
        assertThatThrownBy(() -> console.removePort(port)).isInstanceOf(IllegalArgumentException.class);
    }

    @When("the host removes console port {int}")
    public void remove(int port) {
        console.removePort(port);
    }

    @Then("the guest has console port {int} {word}")
    public void guestOpen(int port, String state) {
        assertThat(console.guestOpened(port)).isEqualTo(state.equals("open"));
    }

    @When("the host resizes the console to {int} rows and {int} columns")
    public void resize(int rows, int cols) {
        console.resize(rows, cols);
    }
}
