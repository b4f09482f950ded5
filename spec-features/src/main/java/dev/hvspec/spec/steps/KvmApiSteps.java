package dev.hvspec.spec.steps;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.kvm.abi.KvmExitReason;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmRunLayout;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;
import io.cucumber.java.en.Given;
import io.cucumber.java.en.Then;
import io.cucumber.java.en.When;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Steps that speak to the reference kernel layer the way a C program speaks to /dev/kvm: system
 * calls with request codes and struct bytes in the process's own memory. Nothing here goes
 * through the typed facade, so the scenarios check the ABI itself.
 */
public final class KvmApiSteps {
    private final KvmProcess p;

    public KvmApiSteps(KvmProcess process) {
        this.p = process;
    }

    private ByteBuffer user(long address, long length) {
        return p.user(address, length);
    }

    private StructView scratchView(StructLayout layout) {
        return p.scratchView(layout);
    }

    private StructView run() {
        return p.run();
    }

    private long ioctl(int fd, KvmIoctl ioctl, long arg) {
        return p.ioctl(fd, ioctl, arg);
    }

    @Given("a host running KVM from Linux {word}")
    public void aHost(String release) {
        p.boot(new HostKernel(KernelProfile.of(release).orElseThrow(() -> new IllegalArgumentException(release))));
    }

    @Given("a host running KVM from Linux {word} on an AMD processor with nested paging")
    public void anAmdHost(String release) {
        // kvm_amd npt=1: SVM's TSC ratio, not VMX's multiplier, bounds KVM_SET_TSC_KHZ.
        p.boot(new HostKernel(KernelProfile.of(release).orElseThrow(() -> new IllegalArgumentException(release)),
                KvmParameters.of(KvmParameters.Mmu.NPT)));
    }

    @Given("\\/dev\\/kvm is open")
    public void devKvmOpen() {
        p.kvmFd = p.host.open(HostKernel.DEV_KVM);
        assertThat(p.kvmFd).isPositive();
    }

    @Given("a VM")
    public void aVm() {
        devKvmOpen();
        p.vmFd = (int) ioctl(p.kvmFd, KvmIoctl.CREATE_VM, 0);
        assertThat(p.vmFd).isPositive();
    }

    @Given("{int} KiB of process memory called {string}")
    public void processMemory(int kib, String name) {
        long address = p.host.mmapAnonymous(kib * 1024L);
        assertThat(address).isPositive();
        p.memory.put(name, address);
    }

    @Given("a vCPU with id {int} and its kvm_run area mapped")
    public void aVcpu(int id) {
        p.vcpuFd = (int) ioctl(p.vmFd, KvmIoctl.CREATE_VCPU, id);
        assertThat(p.vcpuFd).as("KVM_CREATE_VCPU").isPositive();
        long size = p.host.ioctl(p.kvmFd, KvmIoctl.GET_VCPU_MMAP_SIZE.code(), 0);
        p.runArea = p.host.mmap(p.vcpuFd, size, 0);
        assertThat(p.runArea).as("mmap of the vcpu fd").isPositive();
    }

    @When("userspace calls {word} on \\/dev\\/kvm")
    public void systemIoctl(String name) {
        ioctl(p.kvmFd, KvmIoctl.valueOf(name), 0);
    }

    @When("userspace calls {word} on \\/dev\\/kvm with argument {long}")
    public void systemIoctlWith(String name, long arg) {
        ioctl(p.kvmFd, KvmIoctl.valueOf(name), arg);
    }

    @When("userspace calls {word} on the VM with argument {long}")
    public void vmIoctlWith(String name, long arg) {
        ioctl(p.vmFd, KvmIoctl.valueOf(name), arg);
    }

    @When("userspace calls {word} on the vCPU")
    public void vcpuIoctl(String name) {
        ioctl(p.vcpuFd, KvmIoctl.valueOf(name), 0);
    }

    @When("userspace calls {word} on the vCPU with argument {long}")
    public void vcpuIoctlWith(String name, long arg) {
        ioctl(p.vcpuFd, KvmIoctl.valueOf(name), arg);
    }

    @When("userspace checks the extension {word}")
    public void checkExtension(String cap) {
        ioctl(p.kvmFd, KvmIoctl.CHECK_EXTENSION, KvmCap.valueOf(cap).value());
    }

    @When("userspace issues the request code {word} on \\/dev\\/kvm")
    public void rawRequest(String code) {
        p.result = p.host.ioctl(p.kvmFd, Values.parse(code), 0);
    }

    @When("userspace sets memory region slot {int} with flags {int} at guest {word} size {word} from {string} plus {word}")
    public void setMemoryRegion(int slot, int flags, String gpa, String size, String name, String offset) {
        setMemoryRegionAt(slot, flags, gpa, size, p.memory.get(name) + Values.parse(offset));
    }

    @When("userspace sets memory region slot {int} with flags {int} at guest {word} size {word} from user address {word}")
    public void setMemoryRegionRaw(int slot, int flags, String gpa, String size, String address) {
        setMemoryRegionAt(slot, flags, gpa, size, Values.parse(address));
    }

    private void setMemoryRegionAt(int slot, int flags, String gpa, String size, long userAddress) {
        scratchView(KvmStructs.KVM_USERSPACE_MEMORY_REGION).set("slot", slot).set("flags", flags)
                .set("guest_phys_addr", Values.parse(gpa)).set("memory_size", Values.parse(size))
                .set("userspace_addr", userAddress);
        ioctl(p.vmFd, KvmIoctl.SET_USER_MEMORY_REGION, p.scratch);
    }

    @Given("{string} holds the guest code {string} at offset {word}")
    public void guestCode(String name, String hex, String offset) {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        user(p.memory.get(name) + Values.parse(offset), code.length).put(0, code);
    }

    @Given("the vCPU is in real mode at {word}:{word}")
    public void realMode(String cs, String ip) {
        StructView sregs = scratchView(KvmStructs.KVM_SREGS);
        ioctl(p.vcpuFd, KvmIoctl.GET_SREGS, p.scratch);
        long selector = Values.parse(cs);
        sregs.set("cs.selector", selector).set("cs.base", selector << 4);
        ioctl(p.vcpuFd, KvmIoctl.SET_SREGS, p.scratch);
        assertThat(p.result).isZero();
        StructView regs = scratchView(KvmStructs.KVM_REGS);
        ioctl(p.vcpuFd, KvmIoctl.GET_REGS, p.scratch);
        regs.set("rip", Values.parse(ip)).set("rflags", 2);
        ioctl(p.vcpuFd, KvmIoctl.SET_REGS, p.scratch);
        assertThat(p.result).isZero();
    }

    @When("userspace runs the vCPU")
    public void runVcpu() {
        ioctl(p.vcpuFd, KvmIoctl.RUN, 0);
    }

    @When("userspace sets kvm_run.{word} to {long}")
    public void setRunField(String field, long value) {
        run().set(field, value);
    }

    @When("userspace writes {word} at the I\\/O data offset")
    public void writeIoData(String value) {
        long offset = run().get("io.data_offset");
        user(p.runArea + offset, 1).put(0, (byte) Values.parse(value));
    }

    @When("userspace writes {word} into kvm_run.mmio.data")
    public void writeMmioData(String value) {
        long v = Values.parse(value);
        byte[] data = new byte[8];
        for (int i = 0; i < 8; i++) {
            data[i] = (byte) (v >>> (8 * i));
        }
        run().setBytes("mmio.data", data);
    }

    @Then("the ioctl returns {long}")
    public void returns(long expected) {
        assertThat(p.result).as("ioctl result").isEqualTo(expected);
    }

    @Then("the ioctl returns a file descriptor")
    public void returnsFd() {
        assertThat(p.result).as("ioctl result").isGreaterThanOrEqualTo(0);
    }

    @Then("the ioctl fails with {word}")
    public void failsWith(String errno) {
        assertThat(p.result).as("ioctl result").isEqualTo(Errno.valueOf(errno).negative());
    }

    @Then("the exit reason is {word}")
    public void exitReason(String reason) {
        long actual = run().get("exit_reason");
        assertThat(KvmExitReason.of(actual).map(Enum::name).orElse("unknown " + actual)).isEqualTo(reason);
    }

    @Then("kvm_run.{word} is {word}")
    public void runField(String field, String expected) {
        assertThat(run().get(field)).as("kvm_run." + field).isEqualTo(Values.parse(expected));
    }

    @Then("the byte at the I\\/O data offset is {word}")
    public void ioDataByte(String expected) {
        long offset = run().get("io.data_offset");
        assertThat(user(p.runArea + offset, 1).get(0) & 0xFFL).isEqualTo(Values.parse(expected));
    }

    @Then("kvm_run.mmio.data starts with {word}")
    public void mmioData(String expected) {
        long v = 0;
        byte[] data = run().bytes("mmio.data");
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (data[i] & 0xFF);
        }
        assertThat(v & 0xFFFF_FFFFL).isEqualTo(Values.parse(expected));
    }

    @Then("the byte of {string} at offset {word} is {word}")
    public void memoryByte(String name, String offset, String expected) {
        assertThat(user(p.memory.get(name) + Values.parse(offset), 1).get(0) & 0xFFL).isEqualTo(Values.parse(expected));
    }

    @Then("the vCPU register {word} is {word}")
    public void register(String name, String expected) {
        StructView regs = scratchView(KvmStructs.KVM_REGS);
        ioctl(p.vcpuFd, KvmIoctl.GET_REGS, p.scratch);
        assertThat(regs.get(name)).as(name).isEqualTo(Values.parse(expected));
    }

    @Then("the vCPU special register {word} is {word}")
    public void specialRegister(String path, String expected) {
        StructView sregs = scratchView(KvmStructs.KVM_SREGS);
        ioctl(p.vcpuFd, KvmIoctl.GET_SREGS, p.scratch);
        assertThat(sregs.get(path)).as(path).isEqualTo(Values.parse(expected));
    }

    @When("userspace reads the dirty log of slot {int}")
    public void dirtyLog(int slot) {
        scratchView(KvmStructs.KVM_DIRTY_LOG).set("slot", slot).set("dirty_bitmap", p.scratch + 4096);
        ioctl(p.vmFd, KvmIoctl.GET_DIRTY_LOG, p.scratch);
    }

    @Then("the first dirty-log word is {word}")
    public void dirtyWord(String expected) {
        assertThat(user(p.scratch + 4096, 8).getLong(0)).isEqualTo(Values.parse(expected));
    }
}
