package dev.hvspec.vmm.kvm;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.memory.HostMemory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A buffer in the VMM process's own memory for ioctl arguments: userspace writes a struct here and
 * passes its address, as C code passes a pointer to a stack variable.
 */
final class Scratch {
    static final int SIZE = 64 * 1024;

    private final HostMemory.Region region;

    Scratch(HostKernel kernel) {
        long address = kernel.mmapAnonymous(SIZE);
        if (address < 0) {
            throw new KvmException("mmap", address);
        }
        this.region = kernel.memory().regionAt(address, SIZE);
    }

    long address() {
        return region.base();
    }

    /** A zeroed view of {@code layout} (with {@code n} flexible-array elements) at the scratch address. */
    StructView view(StructLayout layout, int n) {
        int size = (int) (n > 0 ? layout.sizeWith(n) : layout.size());
        if (size > SIZE) {
            throw new IllegalArgumentException("argument too large for the scratch buffer: " + size);
        }
        ByteBuffer bytes = region.buffer().slice(0, size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < size; i++) {
            bytes.put(i, (byte) 0);
        }
        return StructView.of(layout, bytes);
    }

    StructView view(StructLayout layout) {
        return view(layout, 0);
    }
}
