package dev.hvspec.spec.steps;

import dev.hvspec.kvm.KvmParameters;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps for memory virtualisation (features/mmu): a 64-bit guest on the reference KVM under one
 * MMU strategy ({@link MmuGuestBench}), one access at a time, with the KVM statistics each access
 * changed.
 */
public final class MmuSteps implements AutoCloseable {
    private KvmParameters.Mmu mmu = KvmParameters.Mmu.EPT;
    private int shadowPages = KvmParameters.DEFAULT.shadowPages();
    private boolean dirtyLog;
    private MmuGuestBench bench;
    private MmuGuestBench.Outcome last;
    private long[] dirtyBitmap;
    private int spread;
    private long spreadBase;

    private MmuGuestBench bench() {
        if (bench == null) {
            bench = new MmuGuestBench(new KvmParameters(mmu, shadowPages), dirtyLog);
        }
        return bench;
    }

    private static long parse(String s) {
        return Long.decode(s.replace("_", ""));
    }

    @Given("a host whose KVM memory virtualisation is {word}")
    public void strategy(String name) {
        mmu = KvmParameters.Mmu.parse(name);
    }

    @Given("its shadow-page cache holds {int} pages")
    public void cache(int pages) {
        shadowPages = pages;
    }

    @Given("guest RAM is a memory slot that logs dirty pages")
    public void logging() {
        dirtyLog = true;
    }

    @Given("the guest's page table maps linear {word} to guest-physical {word} with flags {word}")
    public void map(String linear, String gpa, String flags) {
        long index = (parse(linear) - MmuGuestBench.USER) >>> 12;
        bench().mapUser((int) index, parse(gpa), parse(flags));
    }

    @Given("the guest's page table maps {int} pages from linear {word} to guest-physical {word} onwards")
    public void mapMany(int pages, String linear, String gpa) {
        long first = (parse(linear) - MmuGuestBench.USER) >>> 12;
        for (int i = 0; i < pages; i++) {
            bench().mapUser((int) (first + i), parse(gpa) + 0x1000L * i, 0x7);
        }
    }

    @Given("guest-physical {word} holds {word}")
    public void holds(String gpa, String value) {
        bench().ram().putLong((int) parse(gpa), parse(value));
    }

    @Given("a read-only memory slot at guest-physical {word} holds {word}")
    public void readOnlySlot(String gpa, String value) {
        long address = bench().vm.allocateMemory(0x1_0000);
        bench.vm.hostMemory(address, 8).putLong(0, parse(value));
        bench.vm.setUserMemoryRegion(1, dev.hvspec.vmm.kvm.Vm.KVM_MEM_READONLY, parse(gpa), 0x1_0000, address);
    }

    @Given("the guest's CR0.WP is clear")
    public void writeProtectOff() {
        bench().setCr0(bench.cr0 & ~(1L << 16));
    }

    @Given("the guest's page tables map one page in each of {int} page tables from linear {word}")
    public void manyTables(int tables, String linear) {
        bench().mapAcrossTables(tables, parse(linear));
        spread = tables;
        spreadBase = parse(linear);
    }

    @When("the guest reads the first quadword of each of those {int} pages twice")
    public void readSpread(int pages) {
        bench().mark();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < pages; i++) {
                last = bench.read(spreadBase + (2L << 20) * i);
                assertThat(last).isEqualTo(new MmuGuestBench.Value(0x5000_0000L + i));
            }
        }
    }

    @Given("the guest is running")
    public void running() {
        last = bench().read(MmuGuestBench.CODE); // fetches, stack and the identity map are now in place
        assertThat(last).isInstanceOf(MmuGuestBench.Value.class);
    }

    // ---- guest actions ----

    @When("the guest reads linear {word}")
    public void read(String linear) {
        bench().mark();
        last = bench.read(parse(linear));
    }

    @When("the guest reads one quadword in each of {int} pages from linear {word}")
    public void readMany(int pages, String linear) {
        bench().mark();
        for (int i = 0; i < pages; i++) {
            last = bench.read(parse(linear) + 0x1000L * i);
            assertThat(last).isInstanceOf(MmuGuestBench.Value.class);
        }
    }

    @When("the guest writes {word} to linear {word}")
    public void write(String value, String linear) {
        bench().mark();
        last = bench.write(parse(linear), parse(value));
    }

    @When("the guest writes {word} into its page-table entry for linear {word}")
    public void writeEntry(String value, String linear) {
        long index = (parse(linear) - MmuGuestBench.USER) >>> 12;
        bench().mark();
        last = bench.write(MmuGuestBench.PT + 8 * index, parse(value)); // through the identity map
    }

    @When("the guest executes INVLPG for linear {word}")
    public void invlpg(String linear) {
        bench().mark();
        last = bench.invlpg(parse(linear));
    }

    @When("the guest loads CR3 with {word}")
    public void movToCr3(String value) {
        bench().mark();
        last = bench.movToCr3(parse(value));
    }

    @When("the guest builds a second address space mapping linear {word} to guest-physical {word}")
    public void secondSpace(String linear, String gpa) {
        long index = (parse(linear) - MmuGuestBench.USER) >>> 12;
        bench().write(MmuGuestBench.PML4_B, MmuGuestBench.PDPT_ID | 0x27);
        bench.write(MmuGuestBench.PML4_B + 8, MmuGuestBench.PDPT_B | 7);
        bench.write(MmuGuestBench.PDPT_B, MmuGuestBench.PD_B | 7);
        bench.write(MmuGuestBench.PD_B, MmuGuestBench.PT_B | 7);
        bench.write(MmuGuestBench.PT_B + 8 * index, parse(gpa) | 7);
    }

    @When("the VMM takes the dirty log")
    public void takeDirtyLog() {
        bench().mark();
        dirtyBitmap = bench.vm.dirtyLog(0, MmuGuestBench.RAM);
    }

    @When("an MMIO read is answered with {word}")
    public void answer(String value) {
        bench().mmioAnswer = parse(value);
    }

    // ---- outcomes ----

    @Then("the guest read {word}")
    public void readValue(String value) {
        assertThat(last).isEqualTo(new MmuGuestBench.Value(parse(value)));
    }

    @Then("the guest took a page fault with error code {word} and CR2 {word}")
    public void pageFault(String error, String cr2) {
        assertThat(last).isEqualTo(new MmuGuestBench.PageFault(parse(error), parse(cr2)));
    }

    @Then("the access exited to userspace as an MMIO read of {word}")
    public void mmioRead(String address) {
        assertThat(last).isInstanceOf(MmuGuestBench.Mmio.class);
        MmuGuestBench.Mmio m = (MmuGuestBench.Mmio) last;
        assertThat(m.address()).isEqualTo(parse(address));
        assertThat(m.write()).isFalse();
    }

    @Then("the access exited to userspace as an MMIO write of {word} to {word}")
    public void mmioWrite(String value, String address) {
        assertThat(last).isEqualTo(new MmuGuestBench.Mmio(parse(address), true, parse(value)));
    }

    @Then("the {word} counter went up by {int}")
    public void counter(String name, int n) {
        assertThat(bench.delta(name)).as(name + " " + bench.host.vmStatistics().get(0)).isEqualTo(n);
    }

    @Then("the {word} counter went up")
    public void counterUp(String name) {
        assertThat(bench.delta(name)).as(name + " " + bench.host.vmStatistics().get(0)).isPositive();
    }

    @Then("the {word} counter did not move")
    public void counterStill(String name) {
        counter(name, 0);
    }

    @Then("the {word} counter is positive")
    public void counterPositive(String name) {
        assertThat(bench.counter(name)).as(name).isPositive();
    }

    @Then("the guest's page-table entry for linear {word} has its accessed flag set")
    public void accessed(String linear) {
        assertThat(entry(linear) & 0x20).isEqualTo(0x20);
    }

    @Then("the guest's page-table entry for linear {word} has its dirty flag set")
    public void dirty(String linear) {
        assertThat(entry(linear) & 0x40).isEqualTo(0x40);
    }

    @Then("the guest's page-table entry for linear {word} has its dirty flag clear")
    public void clean(String linear) {
        assertThat(entry(linear) & 0x40).isZero();
    }

    private long entry(String linear) {
        long index = (parse(linear) - MmuGuestBench.USER) >>> 12;
        return bench.ram().getLong((int) (MmuGuestBench.PT + 8 * index));
    }

    @Then("guest-physical {word} holds {word} in guest RAM")
    public void ramHolds(String gpa, String value) {
        assertThat(bench.ram().getLong((int) parse(gpa))).isEqualTo(parse(value));
    }

    @Then("guest-physical page {word} is in the dirty log")
    public void inLog(String gpa) {
        assertThat(logged(gpa)).isTrue();
    }

    @Then("guest-physical page {word} is not in the dirty log")
    public void notInLog(String gpa) {
        assertThat(logged(gpa)).isFalse();
    }

    private boolean logged(String gpa) {
        long page = parse(gpa) >>> 12;
        return (dirtyBitmap[(int) (page >>> 6)] >>> (page & 63) & 1) != 0;
    }

    @Override
    public void close() {
        if (bench != null) {
            bench.close();
        }
    }
}
