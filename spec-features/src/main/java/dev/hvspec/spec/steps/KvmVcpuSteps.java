package dev.hvspec.spec.steps;

import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructView;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * vCPU state and old-ABI steps at the syscall level: single registers through
 * KVM_GET/SET_REGS and KVM_GET/SET_SREGS read-modify-write, paging set-ups, guest memory mapped
 * through the VM fd (2.6.22-era KVM_SET_MEMORY_REGION).
 */
public final class KvmVcpuSteps {
    private final KvmProcess p;

    public KvmVcpuSteps(KvmProcess process) {
        this.p = process;
    }

    @When("userspace sets the vCPU register {word} to {word}")
    public void setRegister(String name, String value) {
        StructView regs = p.scratchView(KvmStructs.KVM_REGS);
        assertThat(p.ioctl(p.vcpuFd, KvmIoctl.GET_REGS, p.scratch)).isZero();
        regs.set(name, Values.parse(value));
        p.ioctl(p.vcpuFd, KvmIoctl.SET_REGS, p.scratch);
    }

    @When("userspace sets the vCPU special register {word} to {word}")
    public void setSpecialRegister(String path, String value) {
        StructView sregs = p.scratchView(KvmStructs.KVM_SREGS);
        assertThat(p.ioctl(p.vcpuFd, KvmIoctl.GET_SREGS, p.scratch)).isZero();
        sregs.set(path, Values.parse(value));
        p.ioctl(p.vcpuFd, KvmIoctl.SET_SREGS, p.scratch);
    }

    /** SDM 3A §4.3: CR0.PE|PG, CR4.PSE off, CR3 = page directory. */
    @Given("the vCPU uses 32-bit paging with its page directory at {word}")
    public void paging32(String cr3) {
        paging(cr3, 0);
    }

    /** SDM 3A §4.4: CR0.PE|PG, CR4.PAE, CR3 = page-directory-pointer table. */
    @Given("the vCPU uses PAE paging with its page-directory-pointer table at {word}")
    public void pagingPae(String cr3) {
        paging(cr3, 0x20);
    }

    private void paging(String cr3, long cr4) {
        StructView sregs = p.scratchView(KvmStructs.KVM_SREGS);
        assertThat(p.ioctl(p.vcpuFd, KvmIoctl.GET_SREGS, p.scratch)).isZero();
        sregs.set("cr0", 0x8000_0011L).set("cr4", cr4).set("cr3", Values.parse(cr3));
        assertThat(p.ioctl(p.vcpuFd, KvmIoctl.SET_SREGS, p.scratch)).as("KVM_SET_SREGS").isZero();
    }

    @When("userspace prepares the argument again with room for its {word} entries")
    public void prepareAgain(String countField) {
        int n = (int) p.argument.get(countField);
        var layout = p.argument.layout();
        p.argument = p.zeroed(layout, p.argumentAddress(), layout.sizeWith(n));
        p.argument.set(countField, n);
    }

    @Then("the argument's first {int} {word} include {word}")
    public void arrayIncludes(int count, String array, String value) {
        long wanted = Values.parse(value);
        boolean found = false;
        for (int i = 0; i < count && !found; i++) {
            found = p.argument.get(array + "[" + i + "]") == wanted;
        }
        assertThat(found).as("%s[0..%d) includes %s", array, count, value).isTrue();
    }

    @When("userspace maps {word} bytes of the VM fd at offset {word} as {string}")
    public void mapVm(String length, String offset, String name) {
        long address = p.host.mmap(p.vmFd, Values.parse(length), Values.parse(offset));
        p.result = address;
        if (address > 0) {
            p.memory.put(name, address);
        }
    }

    @When("userspace sets kernel memory region slot {int} with flags {int} at guest {word} size {word}")
    public void setMemoryRegion(int slot, int flags, String gpa, String size) {
        p.scratchView(KvmStructs.KVM_MEMORY_REGION).set("slot", slot).set("flags", flags)
                .set("guest_phys_addr", Values.parse(gpa)).set("memory_size", Values.parse(size));
        p.ioctl(p.vmFd, KvmIoctl.SET_MEMORY_REGION, p.scratch);
    }

    @Then("the mmap fails with {word}")
    public void mmapFails(String errno) {
        assertThat(p.result).isEqualTo(dev.hvspec.kvm.abi.Errno.valueOf(errno).negative());
    }

    @Then("the kernel log mentions {string}")
    public void dmesg(String text) {
        assertThat(String.join("\n", p.host.dmesg())).contains(text);
    }
}
