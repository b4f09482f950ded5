package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.KvmConstants;
import dev.hvspec.kvm.abi.KvmExitReason;
import dev.hvspec.machine.bus.PortIoDevice;
import dev.hvspec.machine.cpu.CpuBus;
import dev.hvspec.machine.cpu.VmExit;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a vCPU's I/O instructions and non-RAM accesses go: first the in-kernel devices, then
 * ioeventfds and coalesced MMIO zones, and otherwise userspace through an exit written into
 * kvm_run (api.rst §5, KVM_EXIT_IO and KVM_EXIT_MMIO).
 *
 * <p>A read userspace must answer unwinds the instruction ({@link VmExit}); when userspace calls
 * KVM_RUN again the data it left in kvm_run becomes a completion, and the re-executed instruction
 * reads it. Completions are replayed in order if the instruction is re-executed again, and
 * dropped once it (or a string-instruction iteration) commits.
 */
final class VcpuBus implements CpuBus {
    private static final int PIO_DATA_OFFSET = (int) KvmConstants.General.KVM_PIO_PAGE_OFFSET.value() * HostKernel.PAGE_SIZE;

    /** The {@link VmExit} reason of an instruction fetch from outside guest RAM (KVM_EXIT_INTERNAL_ERROR). */
    static final String EMULATION_FAILURE = "instruction fetch from MMIO";

    private final VcpuFile vcpu;
    private final List<Long> completions = new ArrayList<>();
    private int replayed;
    private boolean exitRequested;
    /** What the pending userspace read was, so KVM_RUN knows what to complete. */
    private PendingRead pendingRead;

    record PendingRead(boolean pio, int size) {
    }

    VcpuBus(VcpuFile vcpu) {
        this.vcpu = vcpu;
    }

    /** Called at KVM_RUN entry: the data userspace left for the last read becomes a completion. */
    boolean completePendingRead(KvmRunArea run) {
        if (pendingRead == null) {
            return false;
        }
        long data = pendingRead.pio() ? run.pioData(PIO_DATA_OFFSET, pendingRead.size()) : run.mmioData(pendingRead.size());
        completions.add(data);
        replayed = 0; // the instruction is executed again from its start
        pendingRead = null;
        return true;
    }

    boolean hasPendingRead() {
        return pendingRead != null;
    }

    void clearExitRequest() {
        exitRequested = false;
    }

    private Long nextCompletion() {
        if (replayed < completions.size()) {
            return completions.get(replayed++);
        }
        return null;
    }

    @Override
    public void instructionBoundary() {
        completions.clear();
        replayed = 0;
    }

    @Override
    public int ioRead(int port, int size) {
        Long completed = nextCompletion();
        if (completed != null) {
            return (int) (long) completed;
        }
        PortIoDevice device = vcpu.vm.devices.port(port);
        if (device != null) {
            vcpu.stats.count(KvmStats.IO_EXITS_IN_KERNEL);
            return device.ioRead(port, size);
        }
        vcpu.run().exitIo(KvmConstants.IoDirection.KVM_EXIT_IO_IN.value(), size, port, PIO_DATA_OFFSET);
        pendingRead = new PendingRead(true, size);
        vcpu.stats.count(KvmStats.IO_EXITS);
        throw new VmExit(KvmExitReason.IO);
    }

    @Override
    public void ioWrite(int port, int size, int value) {
        PortIoDevice device = vcpu.vm.devices.port(port);
        if (device != null) {
            vcpu.stats.count(KvmStats.IO_EXITS_IN_KERNEL);
            device.ioWrite(port, size, value);
            return;
        }
        VmFile.IoEventFd eventfd = vcpu.vm.findIoEventFd(true, port, size, Integer.toUnsignedLong(value));
        if (eventfd != null) {
            vcpu.stats.count(KvmStats.IOEVENTFD_SIGNALS);
            eventfd.eventfd().signal(1);
            return;
        }
        KvmRunArea run = vcpu.run();
        run.exitIo(KvmConstants.IoDirection.KVM_EXIT_IO_OUT.value(), size, port, PIO_DATA_OFFSET);
        run.setPioData(PIO_DATA_OFFSET, size, value);
        vcpu.stats.count(KvmStats.IO_EXITS);
        exitRequested = true;
    }

    @Override
    public long mmioRead(long address, int size) {
        Long completed = nextCompletion();
        if (completed != null) {
            return completed;
        }
        if (localApicAt(address)) {
            vcpu.stats.count(KvmStats.MMIO_EXITS_IN_KERNEL);
            return vcpu.apic.lapic().mmioRead(address - vcpu.apic.lapic().mmioBase(), size);
        }
        KernelDevices.Mmio device = vcpu.vm.devices.mmio(address, size);
        if (device != null) {
            vcpu.stats.count(KvmStats.MMIO_EXITS_IN_KERNEL);
            return device.device().mmioRead(address - device.base(), size);
        }
        if (vcpu.fetchesFrom(address)) {
            // KVM emulates accesses to guest-physical addresses without a memory slot; its emulator
            // cannot fetch instructions from MMIO, so the vCPU stops with an emulation failure.
            vcpu.stats.count(KvmStats.INTERNAL_ERROR_EXITS);
            throw new VmExit(EMULATION_FAILURE);
        }
        vcpu.run().exitMmio(address, size, false, 0);
        pendingRead = new PendingRead(false, size);
        vcpu.stats.count(KvmStats.MMIO_EXITS);
        throw new VmExit(KvmExitReason.MMIO);
    }

    @Override
    public void mmioWrite(long address, int size, long value) {
        if (localApicAt(address)) {
            vcpu.stats.count(KvmStats.MMIO_EXITS_IN_KERNEL);
            vcpu.apic.lapic().mmioWrite(address - vcpu.apic.lapic().mmioBase(), size, value);
            return;
        }
        KernelDevices.Mmio device = vcpu.vm.devices.mmio(address, size);
        if (device != null) {
            vcpu.stats.count(KvmStats.MMIO_EXITS_IN_KERNEL);
            device.device().mmioWrite(address - device.base(), size, value);
            return;
        }
        VmFile.IoEventFd eventfd = vcpu.vm.findIoEventFd(false, address, size, value);
        if (eventfd != null) {
            vcpu.stats.count(KvmStats.IOEVENTFD_SIGNALS);
            eventfd.eventfd().signal(1);
            return;
        }
        if (vcpu.vm.coalescedAt(address, size) && vcpu.run().appendCoalesced(address, size, value)) {
            return;
        }
        vcpu.run().exitMmio(address, size, true, value);
        vcpu.stats.count(KvmStats.MMIO_EXITS);
        exitRequested = true;
    }

    /** Each vCPU sees its own local APIC's 4 KiB page at its APIC base (SDM 3A §11.4.1). */
    private boolean localApicAt(long address) {
        if (vcpu.apic == null || !vcpu.apic.lapic().mmioEnabled()) {
            return false;
        }
        long base = vcpu.apic.lapic().mmioBase();
        return address >= base && address < base + 4096;
    }

    @Override
    public boolean exitRequested() {
        return exitRequested;
    }
}
