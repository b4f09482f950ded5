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
        kvm.requireKnown(ioctl);
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

    /**
     * KVM_SET_MEMORY_REGION (api.rst §4.6, before KVM_CAP_USER_MEMORY): the kernel allocates the
     * slot's memory; {@link #mapGuestMemory} makes it visible to this process.
     */
    public synchronized void setMemoryRegion(int slot, int flags, long guestPhysical, long size) {
        scratch.view(KvmStructs.KVM_MEMORY_REGION).set("slot", slot).set("flags", flags)
                .set("guest_phys_addr", guestPhysical).set("memory_size", size);
        call(KvmIoctl.SET_MEMORY_REGION, scratch.address());
    }

    /** mmap of the VM fd at offset = guest physical address (how 2.6.22-era userspace reached guest RAM). */
    public long mapGuestMemory(long guestPhysical, long size) {
        long address = kernel().mmap(fd, size, guestPhysical);
        if (address < 0) {
            throw new KvmException("mmap(vm fd)", address);
        }
        return address;
    }

    /** KVM_CREATE_PIT (2.6.26, KVM_CAP_PIT): the in-kernel 8254 before KVM_CREATE_PIT2. */
    public void createPit() {
        call(KvmIoctl.CREATE_PIT, 0);
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

    /** KVM_CREATE_IRQCHIP (api.rst §4.24): in-kernel 8259A pair, I/O APIC and local APICs. */
    public void createIrqchip() {
        call(KvmIoctl.CREATE_IRQCHIP, 0);
    }

    /** KVM_CREATE_PIT2 (api.rst §4.71); flags: KVM_PIT_SPEAKER_DUMMY = 1. */
    public synchronized void createPit2(int flags) {
        scratch.view(KvmIrqStructs.KVM_PIT_CONFIG).set("flags", flags);
        call(KvmIoctl.CREATE_PIT2, scratch.address());
    }

    /** KVM_IRQ_LINE (api.rst §4.25): drive a GSI of the in-kernel irqchip. */
    public synchronized void irqLine(int gsi, boolean level) {
        scratch.view(KvmIrqStructs.KVM_IRQ_LEVEL).set("irq", gsi).set("level", level ? 1 : 0);
        call(KvmIoctl.IRQ_LINE, scratch.address());
    }

    /** One entry of KVM_SET_GSI_ROUTING (struct kvm_irq_routing_entry). */
    public sealed interface GsiRoute permits IrqchipRoute, MsiRoute {
        int gsi();
    }

    /** KVM_IRQ_ROUTING_IRQCHIP: an irqchip pin (irqchip 0/1 = PIC master/slave, 2 = I/O APIC). */
    public record IrqchipRoute(int gsi, int irqchip, int pin) implements GsiRoute {
    }

    /** KVM_IRQ_ROUTING_MSI: the GSI sends this message (address_lo/address_hi, data). */
    public record MsiRoute(int gsi, long address, int data) implements GsiRoute {
    }

    /** KVM_SET_GSI_ROUTING (api.rst §4.52): replaces the whole routing table with {@code routes}. */
    public synchronized void setGsiRouting(java.util.List<? extends GsiRoute> routes) {
        StructView table = scratch.view(KvmIrqStructs.KVM_IRQ_ROUTING, routes.size()).set("nr", routes.size());
        for (int i = 0; i < routes.size(); i++) {
            String p = "entries[" + i + "].";
            switch (routes.get(i)) {
                case IrqchipRoute r -> table.set(p + "gsi", r.gsi()).set(p + "type", 1)
                        .set(p + "u.irqchip.irqchip", r.irqchip()).set(p + "u.irqchip.pin", r.pin());
                case MsiRoute r -> table.set(p + "gsi", r.gsi()).set(p + "type", 2)
                        .set(p + "u.msi.address_lo", r.address() & 0xFFFF_FFFFL)
                        .set(p + "u.msi.address_hi", r.address() >>> 32).set(p + "u.msi.data", r.data() & 0xFFFF_FFFFL);
            }
        }
        call(KvmIoctl.SET_GSI_ROUTING, scratch.address());
    }

    /**
     * KVM_IRQFD (api.rst §4.75): from now on a write to {@code eventFd} injects {@code gsi} in the
     * kernel, without the VMM; with {@code deassign} (KVM_IRQFD_FLAG_DEASSIGN) the pairing ends.
     */
    public synchronized void irqfd(int eventFd, int gsi, boolean deassign) {
        scratch.view(KvmIrqStructs.KVM_IRQFD).set("fd", eventFd).set("gsi", gsi).set("flags", deassign ? 1 : 0);
        call(KvmIoctl.IRQFD, scratch.address());
    }

    /**
     * KVM_IRQFD with KVM_IRQFD_FLAG_RESAMPLE (api.rst §4.75, KVM_CAP_IRQFD_RESAMPLE): a write to
     * {@code eventFd} asserts {@code gsi} until the irqchip acknowledges it; then the kernel
     * de-asserts it and signals {@code resampleFd}. Deassign with {@link #irqfd(int, int, boolean)}.
     */
    public synchronized void resamplingIrqfd(int eventFd, int gsi, int resampleFd) {
        scratch.view(KvmIrqStructs.KVM_IRQFD).set("fd", eventFd).set("gsi", gsi)
                .set("flags", dev.hvspec.kvm.abi.KvmConstants.IrqFlag.KVM_IRQFD_FLAG_RESAMPLE.value()).set("resamplefd", resampleFd);
        call(KvmIoctl.IRQFD, scratch.address());
    }

    /**
     * Sets bits of the in-kernel 8259A's ELCR with KVM_GET_IRQCHIP / KVM_SET_IRQCHIP (api.rst
     * §4.26-4.27): {@code chip} 0 = master, 1 = slave; kvm_pic_state.elcr is byte 14.
     */
    public synchronized void setPicElcr(int chip, int bits) {
        StructView irqchip = scratch.view(KvmIrqStructs.KVM_IRQCHIP).set("chip_id", chip);
        call(KvmIoctl.GET_IRQCHIP, scratch.address());
        long elcr = irqchip.get("chip.pic.elcr");
        irqchip.set("chip.pic.elcr", elcr | bits);
        call(KvmIoctl.SET_IRQCHIP, scratch.address());
    }

    /** KVM_SIGNAL_MSI (api.rst §4.71): returns > 0 if delivered. */
    public synchronized long signalMsi(long address, int data) {
        scratch.view(KvmIrqStructs.KVM_MSI).set("address_lo", address & 0xFFFF_FFFFL).set("address_hi", address >>> 32)
                .set("data", data);
        return call(KvmIoctl.SIGNAL_MSI, scratch.address());
    }

    /** KVM_GET_CLOCK: the VM's virtual nanoseconds. */
    public synchronized long clock() {
        StructView data = scratch.view(KvmStructs.KVM_CLOCK_DATA);
        call(KvmIoctl.GET_CLOCK, scratch.address());
        return data.get("clock");
    }

    /** KVM_SET_CLOCK (api.rst §4.30): sets the VM's virtual nanoseconds. */
    public synchronized void setClock(long nanos) {
        scratch.view(KvmStructs.KVM_CLOCK_DATA).set("clock", nanos);
        call(KvmIoctl.SET_CLOCK, scratch.address());
    }

    @Override
    public void close() {
        kernel().close(fd);
    }
}
