package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.FdKind;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.kvm.abi.KvmConstants;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.CpuidModel;
import dev.hvspec.machine.cpu.Msr;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * An open {@code /dev/kvm} (api.rst §4, "system ioctls"): API version, VM creation, capability
 * checks, the size of the vCPU mmap area, supported CPUID and the MSR index list.
 */
final class SystemFile implements KernelFile {
    /** The MSRs KVM_GET_MSR_INDEX_LIST reports: the ones KVM_GET/SET_MSRS save and restore. */
    static final List<Integer> SAVED_MSRS = List.of(Msr.IA32_TSC, Msr.IA32_SYSENTER_CS, Msr.IA32_SYSENTER_ESP,
            Msr.IA32_SYSENTER_EIP, Msr.IA32_PAT, Msr.IA32_MISC_ENABLE, Msr.IA32_EFER, Msr.IA32_STAR, Msr.IA32_LSTAR,
            Msr.IA32_CSTAR, Msr.IA32_FMASK, Msr.IA32_FS_BASE, Msr.IA32_GS_BASE, Msr.IA32_KERNEL_GS_BASE,
            Msr.IA32_TSC_AUX, Msr.IA32_APIC_BASE, Msr.IA32_TSC_DEADLINE, Msr.IA32_MTRR_DEF_TYPE);
    /** Maximum vCPUs per VM. */
    static final int MAX_VCPUS = 255;
    /** Memory slots per VM (KVM_CAP_NR_MEMSLOTS). */
    static final int MEMSLOTS = 32;

    /**
     * The capabilities this kernel layer implements. KVM_CHECK_EXTENSION reports a capability
     * only when the host's release has it <em>and</em> it is implemented here, so userspace never
     * negotiates a feature that would then fail.
     */
    static final Set<KvmCap> IMPLEMENTED = EnumSet.of(KvmCap.HLT, KvmCap.USER_MEMORY, KvmCap.SET_TSS_ADDR,
            KvmCap.EXT_CPUID, KvmCap.NR_VCPUS, KvmCap.NR_MEMSLOTS, KvmCap.MP_STATE, KvmCap.COALESCED_MMIO,
            KvmCap.SYNC_MMU, KvmCap.USER_NMI, KvmCap.SET_GUEST_DEBUG, KvmCap.DESTROY_MEMORY_REGION_WORKS,
            KvmCap.JOIN_MEMORY_REGIONS_WORKS, KvmCap.IOEVENTFD, KvmCap.SET_IDENTITY_MAP_ADDR, KvmCap.ADJUST_CLOCK,
            KvmCap.VCPU_EVENTS, KvmCap.DEBUGREGS, KvmCap.XSAVE, KvmCap.XCRS, KvmCap.MAX_VCPUS, KvmCap.READONLY_MEM,
            KvmCap.CHECK_EXTENSION_VM, KvmCap.IMMEDIATE_EXIT, KvmCap.SREGS2, KvmCap.IRQCHIP, KvmCap.IRQ_ROUTING,
            KvmCap.IRQ_INJECT_STATUS, KvmCap.PIT, KvmCap.PIT2, KvmCap.PIT_STATE2, KvmCap.IRQFD, KvmCap.IRQFD_RESAMPLE, KvmCap.SIGNAL_MSI,
            KvmCap.TSC_DEADLINE_TIMER, KvmCap.TSC_CONTROL, KvmCap.GET_TSC_KHZ);

    private final HostKernel kernel;

    SystemFile(HostKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public long ioctl(long request, long arg) {
        KvmIoctl ioctl = kernel.profile().decode(FdKind.SYSTEM, request)
                .orElseThrow(() -> KvmError.of(Errno.ENOTTY, "unknown system ioctl"));
        return switch (ioctl) {
            case GET_API_VERSION -> KvmConstants.API_VERSION;
            case CREATE_VM -> createVm(arg);
            case CHECK_EXTENSION -> checkExtension(kernel, arg);
            case GET_VCPU_MMAP_SIZE -> vcpuMmapSize(kernel);
            case GET_SUPPORTED_CPUID -> supportedCpuid(arg);
            case GET_MSR_INDEX_LIST -> msrIndexList(arg);
            default -> throw KvmError.of(Errno.ENOTTY, ioctl + " is not implemented on /dev/kvm");
        };
    }

    /** api.rst §4.2: the argument is the machine type, 0 on x86. */
    private long createVm(long machineType) {
        if (machineType != 0) {
            throw KvmError.of(Errno.EINVAL, "machine type must be 0 on x86");
        }
        VmFile vm = new VmFile(kernel);
        kernel.vmCreated(vm);
        return kernel.install(vm);
    }

    /** api.rst §4.4: 0 for absent capabilities, 1 or a capability-specific value otherwise. */
    static long checkExtension(HostKernel kernel, long number) {
        KvmCap cap = KvmCap.ofNumber(number).orElse(null);
        if (cap == null || !kernel.profile().has(cap) || !IMPLEMENTED.contains(cap)) {
            return 0;
        }
        return switch (cap) {
            case NR_VCPUS -> 4;
            case MAX_VCPUS -> MAX_VCPUS;
            case NR_MEMSLOTS -> MEMSLOTS;
            case COALESCED_MMIO -> KvmConstants.General.KVM_COALESCED_MMIO_PAGE_OFFSET.value();
            default -> 1;
        };
    }

    /** api.rst §4.5: the kvm_run page, the PIO data page and (with coalesced MMIO) the ring page. */
    static long vcpuMmapSize(HostKernel kernel) {
        return (long) HostKernel.PAGE_SIZE * (kernel.profile().has(KvmCap.COALESCED_MMIO) ? 3 : 2);
    }

    /**
     * api.rst §4.46: fills kvm_cpuid2.entries and sets nent to the number of valid entries; -E2BIG
     * when the array is too small. On -E2BIG nothing is copied back (6.1 x86.c copies the header
     * only on success), so userspace retries with a larger array, as QEMU and libvirt do.
     */
    private long supportedCpuid(long arg) {
        List<CpuidModel.Entry> table = CpuidModel.supported();
        StructView header = StructView.of(KvmStructs.KVM_CPUID2, kernel.user(arg, KvmStructs.KVM_CPUID2.size()));
        long capacity = header.get("nent");
        if (capacity < table.size()) {
            throw KvmError.of(Errno.E2BIG, "kvm_cpuid2 too small");
        }
        StructView view = StructView.of(KvmStructs.KVM_CPUID2,
                kernel.user(arg, KvmStructs.KVM_CPUID2.sizeWith(table.size())));
        CpuidTable.write(view, table);
        return 0;
    }

    /** api.rst §4.3: -E2BIG with nmsrs set when the array is too small. */
    private long msrIndexList(long arg) {
        StructView header = StructView.of(KvmStructs.KVM_MSR_LIST, kernel.user(arg, KvmStructs.KVM_MSR_LIST.size()));
        int capacity = (int) header.get("nmsrs");
        header.set("nmsrs", SAVED_MSRS.size());
        if (capacity < SAVED_MSRS.size()) {
            throw KvmError.of(Errno.E2BIG, "kvm_msr_list too small");
        }
        StructView view = StructView.of(KvmStructs.KVM_MSR_LIST,
                kernel.user(arg, KvmStructs.KVM_MSR_LIST.sizeWith(SAVED_MSRS.size())));
        for (int i = 0; i < SAVED_MSRS.size(); i++) {
            view.set("indices[" + i + "]", Integer.toUnsignedLong(SAVED_MSRS.get(i)));
        }
        return 0;
    }
}
