package dev.hvspec.kvm;

import dev.hvspec.machine.memory.MemorySlot;

/**
 * A VM's memory virtualisation (KVM's x86 MMU): how guest-physical memory reaches host memory for
 * its vCPUs. {@link TdpMmu} builds EPT or NPT tables lazily from the memory slots; {@link
 * ShadowMmu} builds shadow page tables from the guest's. Both serialise on themselves (KVM's
 * {@code mmu_lock}).
 */
interface KvmMmu {
    /** The MMU strategy of a new VM on {@code kernel}, as its module parameters say. */
    static KvmMmu create(VmFile vm) {
        KvmParameters p = vm.kernel.parameters();
        return switch (p.mmu()) {
            case EPT -> new TdpMmu(vm, TdpMmu.Format.EPT);
            case NPT -> new TdpMmu(vm, TdpMmu.Format.NPT);
            case SHADOW -> new ShadowMmu(vm, p.shadowPages());
        };
    }

    /** Sets up a new vCPU's processor for guest mode under this MMU. */
    VcpuMmu attach(VcpuFile vcpu);

    /** KVM_SET_USER_MEMORY_REGION changed the slots: drop every mapping (kvm_mmu_zap_all_fast). */
    void slotsChanged();

    /** KVM_GET_DIRTY_LOG harvested {@code slot}: write-protect its pages so the next writes are logged. */
    void writeProtectSlot(MemorySlot slot);

    /** Pages of kernel memory the MMU holds (tables and shadow pages). */
    int pagesInUse();
}
