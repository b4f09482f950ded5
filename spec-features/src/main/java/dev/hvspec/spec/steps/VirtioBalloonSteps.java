package dev.hvspec.spec.steps;

import dev.hvspec.machine.memory.GuestMemoryFault;
import dev.hvspec.vmm.virtio.balloon.VirtioBalloon;
import dev.hvspec.vmm.virtio.driver.SplitRingDriver;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * virtio-balloon scenarios (virtio 1.3 §5.5). Pages are named by page frame number (4096-byte
 * pages); before a scenario inflates a page the guest fills it with 0x5A.
 */
public final class VirtioBalloonSteps {
    private final VirtioBench virtio;
    private VirtioBalloon balloon;

    public VirtioBalloonSteps(VirtioBench virtio) {
        this.virtio = virtio;
    }

    @Given("a virtio-balloon device on PCI")
    public void device() {
        balloon = new VirtioBalloon();
        virtio.attach(balloon, false);
    }

    VirtioBalloon balloon() {
        return balloon;
    }

    @When("the host asks for {int} pages in the balloon")
    public void target(int pages) {
        balloon.setTarget(pages);
    }

    private static List<Long> pfns(String text) {
        List<Long> out = new ArrayList<>();
        for (String t : text.trim().split("\\s+")) {
            if (!t.isEmpty()) {
                out.add(Values.parse(t));
            }
        }
        return out;
    }

    private void pages(int queue, String pfnList) throws GuestMemoryFault {
        List<Long> pfns = pfns(pfnList);
        ByteBuffer b = ByteBuffer.allocate(4 * pfns.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (long pfn : pfns) {
            b.putInt((int) pfn);
            if (queue == VirtioBalloon.INFLATEQ && virtio.ram().isRam(pfn * 4096, 4096)) {
                byte[] page = new byte[4096];
                Arrays.fill(page, (byte) 0x5A);
                virtio.ram().write(pfn * 4096, page);
            }
        }
        virtio.submit(queue, List.of(virtio.element(b.capacity(), false, b.array())));
    }

    @When("the driver inflates the balloon with pages {string}")
    public void inflate(String pfnList) throws GuestMemoryFault {
        pages(VirtioBalloon.INFLATEQ, pfnList);
    }

    @When("the driver deflates the balloon with pages {string}")
    public void deflate(String pfnList) throws GuestMemoryFault {
        pages(VirtioBalloon.DEFLATEQ, pfnList);
    }

    @Then("the balloon holds the pages {string}")
    public void holds(String pfnList) {
        List<Long> expected = pfns(pfnList).stream().map(p -> p * 4096).sorted().toList();
        assertThat(balloon.pagesInBalloon().stream().sorted().toList()).isEqualTo(expected);
    }

    @Then("page {word} reads as bytes of {word}")
    public void pageReads(String pfn, String value) throws GuestMemoryFault {
        byte[] page = virtio.ram().read(Values.parse(pfn) * 4096, 4096);
        for (byte b : page) {
            assertThat(b & 0xFF).isEqualTo(Values.parseInt(value) & 0xFF);
        }
    }

    @Then("page {word} reads as the 32-bit pattern {word}")
    public void pagePattern(String pfn, String value) throws GuestMemoryFault {
        ByteBuffer page = ByteBuffer.wrap(virtio.ram().read(Values.parse(pfn) * 4096, 4096)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 4096; i += 4) {
            assertThat(Values.hex(page.getInt(i) & 0xFFFF_FFFFL)).isEqualTo(Values.hex(Values.parse(value)));
        }
    }

    @Then("the device ignored {int} page numbers")
    public void ignoredPages(long count) {
        assertThat(balloon.ignoredPages()).isEqualTo(count);
    }

    @When("the driver sets actual to {int}")
    public void actual(int pages) {
        virtio.driver.writeDeviceConfig(VirtioBalloon.CFG_ACTUAL, 4, pages);
    }

    @Then("the host sees actual {int}")
    public void hostActual(int pages) {
        assertThat(balloon.actual()).isEqualTo(pages);
    }

    @When("the driver offers the statistics {string}")
    public void offerStats(String text) throws GuestMemoryFault {
        String[] entries = text.trim().split("\\s+");
        ByteBuffer b = ByteBuffer.allocate(10 * entries.length).order(ByteOrder.LITTLE_ENDIAN);
        for (String e : entries) {
            String[] kv = e.split("=");
            b.putShort((short) Integer.parseInt(kv[0])).putLong(Long.parseLong(kv[1]));
        }
        virtio.submit(VirtioBalloon.STATSQ, List.of(virtio.element(b.capacity(), false, b.array())));
    }

    @Then("the host sees the statistics {string}")
    public void hostStats(String expected) {
        Map<Integer, Long> sorted = new TreeMap<>(balloon.statistics());
        List<String> got = new ArrayList<>();
        sorted.forEach((k, v) -> got.add(k + "=" + v));
        assertThat(String.join(" ", got)).isEqualTo(expected);
    }

    @When("the host requests statistics")
    public void request() {
        balloon.requestStatistics();
    }

    @Then("the device holds {int} statistics buffer")
    public void holdsStats(int count) {
        assertThat(balloon.holdingStatisticsBuffer() ? 1 : 0).isEqualTo(count);
    }

    @Then("queue {int} of the balloon used {int} buffers")
    public void used(int queue, int count) throws GuestMemoryFault {
        List<SplitRingDriver.Used> used = virtio.used(queue);
        assertThat(used).hasSize(count);
    }
}
