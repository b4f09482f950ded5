package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Field;
import dev.hvspec.kvm.abi.KvmExitReason;
import dev.hvspec.kvm.abi.KvmRunLayout;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.memory.HostMemory;

import java.nio.ByteBuffer;

/**
 * The memory a vCPU file maps into the VMM (api.rst §5 "The kvm_run structure"): page 0 is
 * struct kvm_run, page 1 the PIO data page (KVM_PIO_PAGE_OFFSET), page 2 the coalesced MMIO ring
 * (KVM_COALESCED_MMIO_PAGE_OFFSET). Kernel and userspace share it byte for byte.
 */
final class KvmRunArea {
    private static final Field EXIT_REASON = KvmRunLayout.KVM_RUN.field("exit_reason");
    private static final Field IO_DIRECTION = KvmRunLayout.KVM_RUN.field("io.direction");
    private static final Field IO_SIZE = KvmRunLayout.KVM_RUN.field("io.size");
    private static final Field IO_PORT = KvmRunLayout.KVM_RUN.field("io.port");
    private static final Field IO_COUNT = KvmRunLayout.KVM_RUN.field("io.count");
    private static final Field IO_DATA_OFFSET = KvmRunLayout.KVM_RUN.field("io.data_offset");
    private static final Field MMIO_PHYS_ADDR = KvmRunLayout.KVM_RUN.field("mmio.phys_addr");
    private static final Field MMIO_LEN = KvmRunLayout.KVM_RUN.field("mmio.len");
    private static final Field MMIO_IS_WRITE = KvmRunLayout.KVM_RUN.field("mmio.is_write");
    private static final long MMIO_DATA_OFFSET = KvmRunLayout.KVM_RUN.field("mmio.data").offset();
    private static final int RING_PAGE = 2 * HostKernel.PAGE_SIZE;
    private static final int RING_HEADER = 8;
    private static final int RING_ENTRY = 24;
    private static final int RING_ENTRIES = (HostKernel.PAGE_SIZE - RING_HEADER) / RING_ENTRY;

    private final HostMemory.Region region;
    private final ByteBuffer bytes;
    final StructView run;

    KvmRunArea(HostMemory.Region region) {
        this.region = region;
        this.bytes = region.buffer();
        this.run = StructView.of(KvmRunLayout.KVM_RUN, bytes.slice(0, (int) KvmRunLayout.KVM_RUN.size())
                .order(java.nio.ByteOrder.LITTLE_ENDIAN));
    }

    long address() {
        return region.base();
    }

    void exitReason(KvmExitReason reason) {
        run.set(EXIT_REASON, reason.value());
    }

    void exitIo(long direction, int size, int port, int dataOffset) {
        exitReason(KvmExitReason.IO);
        run.set(IO_DIRECTION, direction).set(IO_SIZE, size).set(IO_PORT, port).set(IO_COUNT, 1)
                .set(IO_DATA_OFFSET, dataOffset);
    }

    void setPioData(int offset, int size, int value) {
        for (int k = 0; k < size; k++) {
            bytes.put(offset + k, (byte) (value >>> (8 * k)));
        }
    }

    long pioData(int offset, int size) {
        long v = 0;
        for (int k = size - 1; k >= 0; k--) {
            v = (v << 8) | (bytes.get(offset + k) & 0xFF);
        }
        return v;
    }

    void exitMmio(long address, int size, boolean write, long value) {
        exitReason(KvmExitReason.MMIO);
        run.set(MMIO_PHYS_ADDR, address).set(MMIO_LEN, size).set(MMIO_IS_WRITE, write ? 1 : 0);
        for (int k = 0; k < 8; k++) {
            bytes.put((int) MMIO_DATA_OFFSET + k, k < size && write ? (byte) (value >>> (8 * k)) : 0);
        }
    }

    long mmioData(int size) {
        return pioData((int) MMIO_DATA_OFFSET, size);
    }

    /** Appends a write to the coalesced MMIO ring; false when the ring is full (exit instead). */
    boolean appendCoalesced(long address, int size, long value) {
        if (bytes.capacity() < RING_PAGE + HostKernel.PAGE_SIZE) {
            return false;
        }
        int first = bytes.getInt(RING_PAGE);
        int last = bytes.getInt(RING_PAGE + 4);
        if ((last + 1) % RING_ENTRIES == first) {
            return false;
        }
        int entry = RING_PAGE + RING_HEADER + last * RING_ENTRY;
        bytes.putLong(entry, address);
        bytes.putInt(entry + 8, size);
        bytes.putInt(entry + 12, 0);
        bytes.putLong(entry + 16, value);
        bytes.putInt(RING_PAGE + 4, (last + 1) % RING_ENTRIES);
        return true;
    }
}
