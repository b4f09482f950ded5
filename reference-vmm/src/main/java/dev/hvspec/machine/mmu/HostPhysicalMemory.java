package dev.hvspec.machine.mmu;

import dev.hvspec.machine.memory.HostMemory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Host-physical memory: every address is a {@link HostMemory} region address (see HostMemory on
 * why host addresses double as host-physical ones). What the processor reads when it walks EPT or
 * NPT tables and shadow page tables; addresses outside every region read as all-ones and ignore
 * writes (a hypervisor bug, never a guest action).
 */
public final class HostPhysicalMemory implements PhysicalMemory {
    private static final VarHandle U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final HostMemory memory;

    public HostPhysicalMemory(HostMemory memory) {
        this.memory = memory;
    }

    public HostMemory memory() {
        return memory;
    }

    @Override
    public long readEntry(long hpa, int size) {
        HostMemory.Region r = memory.regionAt(hpa, size);
        if (r == null) {
            return size == 8 ? -1L : 0xFFFF_FFFFL;
        }
        int at = (int) (hpa - r.base());
        return size == 8 ? (long) U64.getVolatile(r.buffer(), at)
                : Integer.toUnsignedLong((int) U32.getVolatile(r.buffer(), at));
    }

    @Override
    public boolean compareAndSetEntry(long hpa, int size, long expected, long update) {
        HostMemory.Region r = memory.regionAt(hpa, size);
        if (r == null) {
            return true;
        }
        int at = (int) (hpa - r.base());
        boolean done = size == 8 ? U64.compareAndSet(r.buffer(), at, expected, update)
                : U32.compareAndSet(r.buffer(), at, (int) expected, (int) update);
        if (done && r.holdsCode(at >>> 12)) {
            r.codeWritten(at >>> 12);
        }
        return done;
    }

    /** Writes an entry (the hypervisor building tables). */
    public void writeEntry(long hpa, long value) {
        HostMemory.Region r = memory.regionAt(hpa, 8);
        if (r != null) {
            U64.setVolatile(r.buffer(), (int) (hpa - r.base()), value);
        }
    }

    @Override
    public PageTarget resolve(long hpa, int type, long linear) {
        HostMemory.Region r = memory.regionAt(hpa & ~0xFFFL, 4096);
        if (r == null) {
            return new PageTarget.Emulated(hpa);
        }
        return new PageTarget.Ram(new HostPage(r, (int) ((hpa & ~0xFFFL) - r.base())), PageTarget.ALL);
    }
}
