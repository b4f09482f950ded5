package dev.hvspec.properties.mmu;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.vmm.kvm.Exit;
import dev.hvspec.vmm.kvm.Kvm;
import dev.hvspec.vmm.kvm.Regs;
import dev.hvspec.vmm.kvm.Sregs;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.kvm.Vm;

import java.nio.ByteBuffer;

/** The reference hypervisor through its KVM ABI, on a host whose KVM uses one MMU strategy. */
final class KvmMmuTarget implements MmuTarget {
    private final KvmParameters parameters;

    KvmMmuTarget(KvmParameters parameters) {
        this.parameters = parameters;
    }

    /** The reference under each strategy. */
    static java.util.List<MmuTarget> strategies() {
        return java.util.List.of(new KvmMmuTarget(KvmParameters.of(KvmParameters.Mmu.EPT)),
                new KvmMmuTarget(KvmParameters.of(KvmParameters.Mmu.NPT)),
                new KvmMmuTarget(KvmParameters.of(KvmParameters.Mmu.SHADOW)));
    }

    /** The strategies plus shadow paging with the smallest shadow-page cache (constant eviction). */
    static java.util.List<MmuTarget> all() {
        java.util.List<MmuTarget> all = new java.util.ArrayList<>(strategies());
        all.add(new KvmMmuTarget(new KvmParameters(KvmParameters.Mmu.SHADOW, 64)));
        return all;
    }

    @Override
    public String name() {
        return "kvm-" + parameters.mmu().name().toLowerCase()
                + (parameters.mmu() == KvmParameters.Mmu.SHADOW ? "-" + parameters.shadowPages() : "");
    }

    @Override
    public Machine create(long ramBytes) {
        Kvm kvm = Kvm.open(HostKernel.modern(parameters));
        Vm vm = kvm.createVm();
        long address = vm.allocateMemory(ramBytes);
        vm.setUserMemoryRegion(0, Vm.KVM_MEM_LOG_DIRTY_PAGES, 0, ramBytes, address);
        Vcpu vcpu = vm.createVcpu(0);
        ByteBuffer ram = vm.hostMemory(address, ramBytes);
        return new Machine() {
            @Override
            public ByteBuffer ram() {
                return ram;
            }

            @Override
            public void setSregs(Sregs sregs) {
                vcpu.setSregs(sregs);
            }

            @Override
            public Sregs sregs() {
                return vcpu.sregs();
            }

            @Override
            public void setRegs(Regs regs) {
                vcpu.setRegs(regs);
            }

            @Override
            public Regs regs() {
                return vcpu.regs();
            }

            @Override
            public Exit run() {
                return vcpu.run();
            }

            @Override
            public long[] takeDirtyLog() {
                return vm.dirtyLog(0, ramBytes);
            }

            @Override
            public void close() {
                vcpu.close();
                vm.close();
                kvm.close();
            }
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
