package dev.hvspec.spec.steps;

import dev.hvspec.bench.MmuBench;
import dev.hvspec.bench.MmuWorkloads;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuBus;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.memory.HostMemory;
import dev.hvspec.machine.memory.MemorySlots;
import dev.hvspec.machine.mmu.Access;
import dev.hvspec.machine.mmu.HostPhysicalMemory;
import dev.hvspec.machine.mmu.Mmu;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;
import dev.hvspec.machine.vmx.EptViolation;
import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.GuestExits;
import dev.hvspec.machine.vmx.NestedPageFault;
import dev.hvspec.machine.vmx.VmExecutionControls;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps for the processor's two-dimensional walk on its own (hand-built EPT and guest tables,
 * no hypervisor: every exit fails the scenario), and for whole workloads under each strategy.
 */
public final class NestedWalkSteps implements GuestExits {
    private static final long VA = 0x40_2000_0000L;
    private final HostMemory host = new HostMemory();
    private final HostMemory.Region ram = host.mmap(4 << 20, "guest ram");
    private final HostMemory.Region tables = host.mmap(64 * 4096, "ept");
    private final HostPhysicalMemory hpm = new HostPhysicalMemory(host);
    private final CpuState state = new CpuState();
    private Mmu mmu;
    private int nextTable = 1;
    private Map<String, Long> workload;

    public NestedWalkSteps() {
    }

    @Given("a processor in guest mode under EPT whose tables map the first {int} KiB of guest-physical memory with 4-KByte pages")
    public void eptProcessor(int kib) {
        VmExecutionControls controls = new VmExecutionControls(this);
        controls.enableEpt(tables.base() | 6 | 3 << 3 | 1 << 6);
        mmu = new Mmu(state, new SlotPhysicalMemory(new MemorySlots()), new NoBus());
        mmu.configure(controls, host);
        for (long gpa = 0; gpa < kib * 1024L; gpa += 0x1000) {
            map(gpa);
        }
    }

    private void map(long gpa) {
        long table = tables.base();
        for (int level = 4; level > 1; level--) {
            long at = table + 8L * (gpa >>> 12 + 9 * (level - 1) & 0x1FF);
            long e = hpm.readEntry(at, 8);
            if ((e & 7) == 0) {
                e = tables.base() + 4096L * nextTable++ | 7;
                hpm.writeEntry(at, e);
            }
            table = e & 0xFF_FFFF_F000L;
        }
        hpm.writeEntry(table + 8L * (gpa >>> 12 & 0x1FF), ram.base() + gpa | 7 | 6 << 3);
    }

    @Given("the guest runs 4-level paging with its PML4, PDPT, PD and page table at guest-physical 0x1000 to 0x4000")
    public void guestTables() {
        var b = ram.buffer();
        b.putLong(0x1000 + 8 * (int) (VA >>> 39 & 0x1FF), 0x2023);
        b.putLong(0x2000 + 8 * (int) (VA >>> 30 & 0x1FF), 0x3023);
        b.putLong(0x3000 + 8 * (int) (VA >>> 21 & 0x1FF), 0x4023);
        b.putLong(0x4000 + 8 * (int) (VA >>> 12 & 0x1FF), 0x5063);
        b.putLong(0x4000 + 8 * (int) ((VA >>> 12) + 1 & 0x1FF), 0x6063);
        state.cr0 = ControlBits.CR0_PE | ControlBits.CR0_PG | ControlBits.CR0_ET;
        state.cr4 = ControlBits.CR4_PAE;
        state.efer = ControlBits.EFER_LME | ControlBits.EFER_LMA;
        state.cr3 = 0x1000;
        mmu.flushAll();
    }

    @Given("the processor has no paging-structure caches")
    public void noCaches() {
        mmu.setPagingStructureCaches(false);
    }

    @When("the guest reads linear address {word}")
    public void read(String linear) {
        mmu.counters().reset();
        mmu.read(Long.decode(linear), 8, Access.SUPERVISOR_READ);
    }

    @Then("the walk read {int} guest paging-structure entries and {int} EPT entries: {int} references")
    public void references(int guest, int nested, int total) {
        assertThat(mmu.counters().guestEntryReads()).isEqualTo(guest);
        assertThat(mmu.counters().nestedEntryReads()).isEqualTo(nested);
        assertThat(mmu.counters().references()).isEqualTo(total);
    }

    @When("the {word} workload with size {int} runs under {word}")
    public void workload(String name, int size, String strategy) {
        var w = MmuBench.workloads(name.equals("touch-pages") ? size : 4, name.equals("address-spaces") ? size : 2, 2,
                name.equals("remap") ? size : 4).stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        workload = MmuBench.run(w, KvmParameters.of(KvmParameters.Mmu.parse(strategy)));
    }

    @Then("the workload counted {int} {word}")
    public void workloadCounted(int n, String counter) {
        assertThat(workload.getOrDefault(counter, 0L)).as(counter).isEqualTo(n);
    }

    // A hand-built EPT must not exit.
    @Override
    public ExitResolution pageFault(long linear, int errorCode, int kind) {
        throw new AssertionError("unexpected #PF exit");
    }

    @Override
    public ExitResolution eptViolation(EptViolation violation) {
        throw new AssertionError("unexpected " + violation);
    }

    @Override
    public ExitResolution eptMisconfiguration(long gpa) {
        throw new AssertionError("unexpected EPT misconfiguration");
    }

    @Override
    public ExitResolution nestedPageFault(NestedPageFault fault) {
        throw new AssertionError("unexpected " + fault);
    }

    @Override
    public void movToCr3(long value) {
        throw new AssertionError();
    }

    @Override
    public void invlpg(long linear) {
        throw new AssertionError();
    }

    @Override
    public void pagingControlsChanged() {
    }

    @Override
    public long emulatedRead(long gpa, int size) {
        throw new AssertionError();
    }

    @Override
    public void emulatedWrite(long gpa, int size, long value) {
        throw new AssertionError();
    }

    private static final class NoBus implements CpuBus {
        @Override
        public int ioRead(int port, int size) {
            return -1;
        }

        @Override
        public void ioWrite(int port, int size, int value) {
        }

        @Override
        public long mmioRead(long address, int size) {
            return -1;
        }

        @Override
        public void mmioWrite(long address, int size, long value) {
        }

        @Override
        public boolean exitRequested() {
            return false;
        }
    }
}
