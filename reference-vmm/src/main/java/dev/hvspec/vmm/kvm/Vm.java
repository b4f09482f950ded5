package dev.hvspec.vmm.kvm;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmIrqStructs;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructView;

import java.nio.ByteBuffer;

/** A VM file descriptor: memory regions, vCPUs, interrupt lines, clock, ioeventfds. */
public final class Vm implements AutoCloseable {
    public static final int KVM_MEM_LOG_DIRTY_PAGES = 1;
    public static final int KVM_MEM_READONLY = 2;

    private final Kvm kvm;
    private final int fd;
    private final Scratch scratch;

    Vm(Kvm kvm, int fd) {
        this.kvm = kvm;
        this.fd = fd;
        this.scratch = new Scratch(kvm.kernel());
    }

    public Kvm kvm() {
        return kvm;
    }

    public int fd() {
        return fd;
    }

    HostKernel kernel() {
        return kvm.kernel();
    }

    private long call(KvmIoctl ioctl, long arg) {
        return Kvm.call(kernel(), fd, ioctl, arg);
    }

    /** Anonymous process memory for guest RAM; returns its host (userspace) address. */
    public long allocateMemory(long bytes) {
        long address = kernel().mmapAnonymous(bytes);
        if (address < 0) {
            throw new KvmException("mmap", address);
        }
        return address;
    }

    /** The process memory at a host address, for the VMM's own accesses to guest RAM. */
    public ByteBuffer hostMemory(long address, long length) {
        var region = kernel().memory().regionAt(address, length);
        if (region == null) {
            throw new IllegalArgumentException("not process memory: 0x" + Long.toHexString(address));
        }
        return region.buffer().slice((int) (address - region.base()), (int) length)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** KVM_SET_USER_MEMORY_REGION (api.rst §4.35); size 0 deletes the slot. */
    public synchronized void setUserMemoryRegion(int slot, int flags, long guestPhysical, long size, long userAddress) {
        scratch.view(KvmStructs.KVM_USERSPACE_MEMORY_REGION)
                .set("slot", slot).set("flags", flags).set("guest_phys_addr", guestPhysical)
                .set("memory_size", size).set("userspace_addr", userAddress);
        call(KvmIoctl.SET_USER_MEMORY_REGION, scratch.address());
    }

    /** KVM_GET_DIRTY_LOG (api.rst §4.8): one bit per page of the slot, bit n = page n. */
    public synchronized long[] dirtyLog(int slot, long slotBytes) {
        int words = (int) ((slotBytes / HostKernel.PAGE_SIZE + 63) / 64);
        long bitmap = scratch.address() + 4096;
        scratch.view(KvmStructs.KVM_DIRTY_LOG).set("slot", slot).set("dirty_bitmap", bitmap);
        call(KvmIoctl.GET_DIRTY_LOG, scratch.address());
        ByteBuffer bits = hostMemory(bitmap, words * 8L);
        long[] out = new long[words];
        for (int i = 0; i < words; i++) {
            out[i] = bits.getLong(i * 8);
        }
        return out;
    }

    /** KVM_CREATE_VCPU (api.rst §4.7) and mmap of its kvm_run area. */
    public Vcpu createVcpu(int id) {
        int vcpuFd = (int) call(KvmIoctl.CREATE_VCPU, id);
        long size = kvm.vcpuMmapSize();
        long address = kernel().mmap(vcpuFd, size, 0);
        if (address < 0) {
            throw new KvmException("mmap(vcpu)", address);
        }
        return new Vcpu(this, vcpuFd, id, address, size);
    }

    /** KVM_IOEVENTFD (api.rst §4.59). */
    public synchronized void ioeventfd(int eventFd, long address, int length, boolean pio, Long datamatch,
                                       boolean deassign) {
        int flags = (datamatch != null ? 1 : 0) | (pio ? 2 : 0) | (deassign ? 4 : 0);
        scratch.view(KvmIrqStructs.KVM_IOEVENTFD).set("datamatch", datamatch == null ? 0 : datamatch)
                .set("addr", address).set("len", length).set("fd", eventFd).set("flags", flags);
        call(KvmIoctl.IOEVENTFD, scratch.address());
    }

    /** KVM_GET_CLOCK: the VM's virtual nanoseconds. */
    public synchronized long clock() {
        StructView data = scratch.view(KvmStructs.KVM_CLOCK_DATA);
        call(KvmIoctl.GET_CLOCK, scratch.address());
        return data.get("clock");
    }

    @Override
    public void close() {
        kernel().close(fd);
    }
}
