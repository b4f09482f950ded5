package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.balloon.VirtioBalloon;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virtio-balloon free page hinting and free page reporting scenarios (virtio 1.3 §5.5.6.5,
 * §5.5.6.7). Page ranges are written {@code 0x600-0x603} (page frame numbers, inclusive); the
 * guest fills a range with a byte before hinting or reporting it, and each range goes to the
 * device as one device-writable buffer, the way Linux hands over a free block.
 */
public final class VirtioBalloonFreePageSteps {
    private final VirtioBench virtio;
    private final VirtioBalloonSteps balloonSteps;
    private long startedCmdId;

    public VirtioBalloonFreePageSteps(VirtioBench virtio, VirtioBalloonSteps balloonSteps) {
        this.virtio = virtio;
        this.balloonSteps = balloonSteps;
    }

    private VirtioBalloon balloon() {
        return balloonSteps.balloon();
    }

    private static long[] range(String text) {
        String[] ends = text.trim().split("-");
        long first = Values.parse(ends[0]);
        long last = ends.length > 1 ? Values.parse(ends[1]) : first;
        return new long[] {first, last};
    }

    @Then("the balloon's {word} is virtqueue {int}")
    public void queueIndex(String name, int index) {
        int feature = switch (name) {
            case "statsq" -> VirtioBalloon.F_STATS_VQ;
            case "free_page_vq" -> VirtioBalloon.F_FREE_PAGE_HINT;
            case "reporting_vq" -> VirtioBalloon.F_PAGE_REPORTING;
            default -> throw new IllegalArgumentException(name);
        };
        assertThat(balloon().queueIndexFor(feature)).isEqualTo(index);
    }

    @When("the guest fills the pages {word} with {word}")
    public void fill(String pages, String value) throws GuestMemoryFault {
        long[] r = range(pages);
        byte[] bytes = new byte[(int) ((r[1] - r[0] + 1) * 4096)];
        Arrays.fill(bytes, (byte) Values.parseInt(value));
        virtio.ram().write(r[0] * 4096, bytes);
    }

    /** One device-writable buffer per range: the scatter-gather list of free pages. */
    private void pagesAsBuffers(int queue, String ranges) throws GuestMemoryFault {
        List<SplitRingDriver.Element> elements = new ArrayList<>();
        for (String t : ranges.trim().split("\\s+")) {
            long[] r = range(t);
            elements.add(new SplitRingDriver.Element(r[0] * 4096, (int) ((r[1] - r[0] + 1) * 4096), true));
        }
        virtio.submit(queue, elements);
    }

    @When("the driver reports the free pages {string} on virtqueue {int}")
    public void report(String ranges, int queue) throws GuestMemoryFault {
        pagesAsBuffers(queue, ranges);
    }

    @When("the driver hints the free pages {string} on virtqueue {int}")
    public void hint(String ranges, int queue) throws GuestMemoryFault {
        pagesAsBuffers(queue, ranges);
    }

    @When("the driver sends the free page hint command id {word} on virtqueue {int}")
    public void commandId(String id, int queue) throws GuestMemoryFault {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) Values.parse(id)).array();
        virtio.submit(queue, List.of(virtio.element(4, false, b)));
    }

    @When("the driver echoes the current free page hint command id on virtqueue {int}")
    public void echo(int queue) throws GuestMemoryFault {
        commandId(Long.toString(virtio.driver.deviceConfig(VirtioBalloon.CFG_FREE_PAGE_HINT_CMD_ID, 4)), queue);
    }

    @When("the host starts a round of free page hinting")
    public void start() {
        startedCmdId = balloon().startFreePageHinting();
    }

    @Then("the host could not start free page hinting")
    public void notStarted() {
        assertThat(startedCmdId).isEqualTo(-1);
    }

    @When("the host stops free page hinting")
    public void stop() {
        balloon().stopFreePageHinting();
    }

    @When("the host is done with the hinted pages")
    public void done() {
        balloon().finishFreePageHinting();
    }

    @Then("the host sees the hinted pages {string}")
    public void hinted(String ranges) {
        List<Long> expected = new ArrayList<>();
        if (!ranges.equals("none")) {
            for (String t : ranges.trim().split("\\s+")) {
                long[] r = range(t);
                for (long p = r[0]; p <= r[1]; p++) {
                    expected.add(p * 4096);
                }
            }
        }
        assertThat(balloon().hintedPages().stream().sorted().toList()).isEqualTo(expected);
    }

    @Then("the device ignored {int} free page hint buffers")
    public void ignoredHints(long count) {
        assertThat(balloon().ignoredHints()).isEqualTo(count);
    }

    @Then("virtqueue {int} of the balloon returned {int} buffers with used length 0")
    public void usedZero(int queue, int count) throws GuestMemoryFault {
        List<SplitRingDriver.Used> used = virtio.used(queue);
        assertThat(used).hasSize(count);
        assertThat(used).allSatisfy(u -> assertThat(u.length()).isZero());
    }

    @Then("the pages {word} read as bytes of {word}")
    public void pagesRead(String pages, String value) throws GuestMemoryFault {
        long[] r = range(pages);
        byte[] got = virtio.ram().read(r[0] * 4096, (int) ((r[1] - r[0] + 1) * 4096));
        for (int i = 0; i < got.length; i++) {
            assertThat(got[i] & 0xFF).as("byte %d", i).isEqualTo(Values.parseInt(value) & 0xFF);
        }
    }

    @Then("the pages {word} read as the 32-bit pattern {word}")
    public void pagesPattern(String pages, String value) throws GuestMemoryFault {
        long[] r = range(pages);
        ByteBuffer got = ByteBuffer.wrap(virtio.ram().read(r[0] * 4096, (int) ((r[1] - r[0] + 1) * 4096)))
                .order(ByteOrder.LITTLE_ENDIAN);
        while (got.hasRemaining()) {
            assertThat(Values.hex(got.getInt() & 0xFFFF_FFFFL)).isEqualTo(Values.hex(Values.parse(value)));
        }
    }
}
