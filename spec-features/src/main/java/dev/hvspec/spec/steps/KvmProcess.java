package dev.hvspec.spec.steps;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmRunLayout;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The userspace process of a @kvm-api scenario, shared by the KVM step classes: the host it runs
 * on, its open file descriptors (/dev/kvm, the VM, the vCPU, eventfds), its named memory, the
 * scratch buffer for ioctl arguments and the result of the last system call.
 */
public final class KvmProcess {
    /** Scratch layout: [0, 32 KiB) for steps' own structs, [32 KiB, 64 KiB) for "the argument". */
    static final int SCRATCH_SIZE = 64 * 1024;
    static final int ARGUMENT_OFFSET = 32 * 1024;

    HostKernel host;
    int kvmFd = -1;
    int vmFd = -1;
    int vcpuFd = -1;
    long runArea;
    long scratch;
    long result;
    final Map<String, Long> memory = new HashMap<>();
    final Map<String, Integer> eventfds = new HashMap<>();
    /** The struct the scenario is building for an ioctl ("the argument"), or null. */
    StructView argument;

    public KvmProcess() {
    }

    void boot(HostKernel kernel) {
        host = kernel;
        scratch = host.mmapAnonymous(SCRATCH_SIZE);
    }

    ByteBuffer user(long address, long length) {
        var region = host.memory().regionAt(address, length);
        assertThat(region).as("process memory at 0x%x", address).isNotNull();
        return region.buffer().slice((int) (address - region.base()), (int) length).order(ByteOrder.LITTLE_ENDIAN);
    }

    StructView scratchView(StructLayout layout) {
        return zeroed(layout, scratch, layout.size());
    }

    StructView zeroed(StructLayout layout, long address, long size) {
        ByteBuffer b = user(address, size);
        for (int i = 0; i < size; i++) {
            b.put(i, (byte) 0);
        }
        return StructView.of(layout, b);
    }

    long argumentAddress() {
        return scratch + ARGUMENT_OFFSET;
    }

    StructView run() {
        return StructView.of(KvmRunLayout.KVM_RUN, user(runArea, KvmRunLayout.KVM_RUN.size()));
    }

    long ioctl(int fd, KvmIoctl ioctl, long arg) {
        result = host.ioctl(fd, ioctl.code(), arg);
        return result;
    }

    int fd(String file) {
        return switch (file) {
            case "/dev/kvm" -> kvmFd;
            case "the VM" -> vmFd;
            case "the vCPU" -> vcpuFd;
            default -> throw new IllegalArgumentException("no file called " + file);
        };
    }
}
