package dev.hvspec.kvm.abi;

import static dev.hvspec.kvm.abi.KvmIoctl.*;

import java.util.List;

/**
 * The KVM releases of the seed's journey (2.6.22 … 2.6.26) and a modern one (6.1), as data.
 * Sources, per release:
 * <ul>
 *   <li>2.6.23: {@code include/linux/kvm.h} of Linux v2.6.23 (API 12, no KVM_CAP_* defined yet).</li>
 *   <li>2.6.22: not read directly. api.rst §3 says the ABI is stable "as of Linux 2.6.22"; we
 *       assume 2.6.22 had the same ioctls as 2.6.23 (both API 12, no capabilities). Unsure whether
 *       KVM_SET_MEMORY_ALIAS was already in 2.6.22.</li>
 *   <li>2.6.24: {@code include/linux/kvm.h} of v2.6.24 (in-kernel irqchip: KVM_CREATE_IRQCHIP,
 *       KVM_IRQ_LINE, KVM_GET/SET_IRQCHIP, KVM_GET/SET_LAPIC; KVM_CAP_IRQCHIP and KVM_CAP_HLT).</li>
 *   <li>2.6.25: not read directly; inferred as the difference between the 2.6.24 and 2.6.26
 *       headers that predates the PIT and MP-state work (user memory, TSS address, CPUID2,
 *       vAPIC/TPR, MMU page count). Unsure: whether KVM_CAP_CLOCKSOURCE (kvmclock) is 2.6.25 or
 *       2.6.26; we put it in 2.6.25.</li>
 *   <li>2.6.26: {@code include/linux/kvm.h} of v2.6.26 (KVM_CAP_* 0-14, in-kernel PIT,
 *       KVM_GET/SET_MP_STATE).</li>
 *   <li>6.1: {@code include/uapi/linux/kvm.h} of 6.1 (the header gcc checks in abi-compat) and
 *       {@code Documentation/virt/kvm/api.rst} of 6.1, which records the removals (§4.6, §4.9,
 *       §4.17). The capability set is the issue-4 subset described in {@link KernelProfile}.
 *       KVM_CAP_PV_MMU: 6.1's x86 answers 0 ("obsolete"); we record it as removed without
 *       knowing the exact release.</li>
 * </ul>
 * "Has a capability" is read as "the release's header defines it and x86 KVM implements it";
 * where that depends on host hardware (KVM_CAP_VAPIC), the reference host is assumed to have it.
 */
final class KernelProfiles {
    private KernelProfiles() {
    }

    static final KernelProfile V2_6_22 = KernelProfile.first("2.6.22")
            .ioctls(GET_API_VERSION, CREATE_VM, GET_MSR_INDEX_LIST, CHECK_EXTENSION, GET_VCPU_MMAP_SIZE,
                    SET_MEMORY_REGION, CREATE_VCPU, GET_DIRTY_LOG, SET_MEMORY_ALIAS,
                    RUN, GET_REGS, SET_REGS, GET_SREGS, SET_SREGS, TRANSLATE, INTERRUPT, DEBUG_GUEST,
                    GET_MSRS, SET_MSRS, SET_CPUID, SET_SIGNAL_MASK, GET_FPU, SET_FPU)
            .build("assumed equal to the v2.6.23 linux/kvm.h (API 12); api.rst §3: stable since 2.6.22");

    static final KernelProfile V2_6_23 = KernelProfile.extending(V2_6_22, "2.6.23")
            .build("v2.6.23 include/linux/kvm.h");

    static final KernelProfile V2_6_24 = KernelProfile.extending(V2_6_23, "2.6.24")
            .ioctls(CREATE_IRQCHIP, IRQ_LINE, GET_IRQCHIP, SET_IRQCHIP, GET_LAPIC, SET_LAPIC)
            .caps(KvmCap.IRQCHIP, KvmCap.HLT)
            .build("v2.6.24 include/linux/kvm.h");

    static final KernelProfile V2_6_25 = KernelProfile.extending(V2_6_24, "2.6.25")
            .ioctls(SET_USER_MEMORY_REGION, SET_TSS_ADDR, SET_NR_MMU_PAGES, GET_NR_MMU_PAGES,
                    GET_SUPPORTED_CPUID, SET_CPUID2, GET_CPUID2, TPR_ACCESS_REPORTING, SET_VAPIC_ADDR)
            .caps(KvmCap.MMU_SHADOW_CACHE_CONTROL, KvmCap.USER_MEMORY, KvmCap.SET_TSS_ADDR, KvmCap.VAPIC,
                    KvmCap.EXT_CPUID, KvmCap.CLOCKSOURCE)
            .build("inferred between the v2.6.24 and v2.6.26 headers (not read directly)");

    static final KernelProfile V2_6_26 = KernelProfile.extending(V2_6_25, "2.6.26")
            .ioctls(CREATE_PIT, GET_PIT, SET_PIT, GET_MP_STATE, SET_MP_STATE)
            .caps(KvmCap.NR_VCPUS, KvmCap.NR_MEMSLOTS, KvmCap.PIT, KvmCap.NOP_IO_DELAY, KvmCap.PV_MMU,
                    KvmCap.MP_STATE)
            .build("v2.6.26 include/linux/kvm.h");

    static final KernelProfile V6_1 = KernelProfile.extending(V2_6_26, "6.1")
            .ioctls(GET_EMULATED_CPUID, GET_MSR_FEATURE_INDEX_LIST, SET_IDENTITY_MAP_ADDR, IRQ_LINE_STATUS,
                    REGISTER_COALESCED_MMIO, UNREGISTER_COALESCED_MMIO, SET_GSI_ROUTING, REINJECT_CONTROL,
                    IRQFD, CREATE_PIT2, SET_BOOT_CPU_ID, IOEVENTFD, SET_CLOCK, GET_CLOCK, GET_PIT2, SET_PIT2,
                    SIGNAL_MSI, ENABLE_CAP, NMI, SET_GUEST_DEBUG, X86_SETUP_MCE, GET_VCPU_EVENTS,
                    SET_VCPU_EVENTS, GET_DEBUGREGS, SET_DEBUGREGS, SET_TSC_KHZ, GET_TSC_KHZ, GET_XSAVE,
                    SET_XSAVE, GET_XCRS, SET_XCRS, KVMCLOCK_CTRL, SMI, GET_SREGS2, SET_SREGS2, GET_XSAVE2)
            .caps(KvmCap.COALESCED_MMIO, KvmCap.SYNC_MMU, KvmCap.USER_NMI, KvmCap.SET_GUEST_DEBUG,
                    KvmCap.REINJECT_CONTROL, KvmCap.IRQ_ROUTING, KvmCap.IRQ_INJECT_STATUS,
                    KvmCap.DESTROY_MEMORY_REGION_WORKS, KvmCap.JOIN_MEMORY_REGIONS_WORKS, KvmCap.MCE,
                    KvmCap.IRQFD, KvmCap.PIT2, KvmCap.SET_BOOT_CPU_ID, KvmCap.PIT_STATE2, KvmCap.IOEVENTFD,
                    KvmCap.SET_IDENTITY_MAP_ADDR, KvmCap.ADJUST_CLOCK, KvmCap.INTERNAL_ERROR_DATA,
                    KvmCap.VCPU_EVENTS, KvmCap.DEBUGREGS, KvmCap.ENABLE_CAP, KvmCap.XSAVE, KvmCap.XCRS,
                    KvmCap.TSC_CONTROL, KvmCap.GET_TSC_KHZ, KvmCap.MAX_VCPUS, KvmCap.KVMCLOCK_CTRL,
                    KvmCap.SIGNAL_MSI, KvmCap.READONLY_MEM, KvmCap.IRQFD_RESAMPLE, KvmCap.EXT_EMUL_CPUID, KvmCap.CHECK_EXTENSION_VM,
                    KvmCap.ENABLE_CAP_VM, KvmCap.MAX_VCPU_ID, KvmCap.IMMEDIATE_EXIT, KvmCap.GET_MSR_FEATURES,
                    KvmCap.X86_SMM, KvmCap.SREGS2, KvmCap.XSAVE2, KvmCap.SYSTEM_EVENT_DATA)
            .removed("api.rst §4.6: obsolete and removed (KVM_SET_USER_MEMORY_REGION replaces it)",
                    SET_MEMORY_REGION)
            .removed("api.rst §4.9: obsolete and removed (memory aliases went away)", SET_MEMORY_ALIAS)
            .removed("api.rst §4.17: removed, use KVM_SET_GUEST_DEBUG (the 2.6.29 header says so)",
                    DEBUG_GUEST)
            .removed("6.1 arch/x86/kvm/x86.c answers 0 for KVM_CAP_PV_MMU (obsolete); release unknown",
                    KvmCap.PV_MMU)
            .build("6.1 include/uapi/linux/kvm.h and Documentation/virt/kvm/api.rst");

    static final List<KernelProfile> ALL = List.of(V2_6_22, V2_6_23, V2_6_24, V2_6_25, V2_6_26, V6_1);
}
