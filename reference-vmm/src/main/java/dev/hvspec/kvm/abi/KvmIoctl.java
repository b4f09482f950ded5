package dev.hvspec.kvm.abi;

import static dev.hvspec.kvm.abi.FdKind.SYSTEM;
import static dev.hvspec.kvm.abi.FdKind.VCPU;
import static dev.hvspec.kvm.abi.FdKind.VM;
import static dev.hvspec.kvm.abi.IoctlArgument.none;
import static dev.hvspec.kvm.abi.IoctlArgument.scalar;
import static dev.hvspec.kvm.abi.IoctlArgument.struct;
import static dev.hvspec.kvm.abi.IoctlArgument.byValue;
import static dev.hvspec.kvm.abi.IoctlDirection.NONE;
import static dev.hvspec.kvm.abi.IoctlDirection.READ;
import static dev.hvspec.kvm.abi.IoctlDirection.READ_WRITE;
import static dev.hvspec.kvm.abi.IoctlDirection.WRITE;
import static dev.hvspec.kvm.abi.KvmIrqStructs.KVM_IRQCHIP;
import static dev.hvspec.kvm.abi.KvmIrqStructs.KVM_IRQ_LEVEL;
import static dev.hvspec.kvm.abi.KvmIrqStructs.KVM_PIT_STATE;
import static dev.hvspec.kvm.abi.KvmIrqStructs.KVM_PIT_STATE2;
import static dev.hvspec.kvm.abi.KvmStructs.KVM_CPUID2;
import static dev.hvspec.kvm.abi.KvmStructs.KVM_MSR_LIST;

import java.util.List;
import java.util.Optional;

/**
 * The KVM ioctls as data: for each, the kinds of fd it is issued on, its direction, number and
 * argument as declared in Linux 6.1 {@code include/uapi/linux/kvm.h}, the api.rst section that
 * documents it (6.1 numbering; null where api.rst has no section) and the capability that
 * announces it (null for "basic", api.rst §4's "Capability:" line). The request code is
 * computed ({@link #code()}); the gcc probe in abi-compat checks each against the real macro.
 *
 * <p>Quirks kept as in the header, because the codes depend on them:
 * <ul>
 *   <li>KVM_SET_IRQCHIP and KVM_SET_PIT are {@code _IOR} although userspace supplies the data;</li>
 *   <li>KVM_IRQ_LINE_STATUS and KVM_REGISTER_COALESCED_MMIO share nr 0x67 on the VM fd (their
 *       codes differ only by direction and size);</li>
 *   <li>numbers repeat across fd kinds: 0x9F is KVM_GET_PIT2 (VM) and KVM_GET_VCPU_EVENTS (vCPU),
 *       0xA0 SET_PIT2/SET_VCPU_EVENTS, 0xA5 SIGNAL_MSI/SET_XSAVE, 0xA2/0xA3 SET_TSC_KHZ/GET_TSC_KHZ
 *       (vCPU, {@code _IO}) next to SET_DEBUGREGS/ENABLE_CAP;</li>
 *   <li>KVM_CHECK_EXTENSION and KVM_ENABLE_CAP are the same code on two fd kinds;</li>
 *   <li>api.rst §4.33/4.34 call KVM_GET/SET_DEBUGREGS "vm ioctl"; they are vCPU ioctls.</li>
 * </ul>
 */
public enum KvmIoctl implements AbiConstant {
    // System ioctls (api.rst §4.1-§4.5, §4.46)
    GET_API_VERSION(List.of(SYSTEM), NONE, 0x00, none(), "4.1", null),
    CREATE_VM(List.of(SYSTEM), NONE, 0x01, byValue("machine type"), "4.2", null),
    GET_MSR_INDEX_LIST(List.of(SYSTEM), READ_WRITE, 0x02, struct(KVM_MSR_LIST), "4.3", null),
    CHECK_EXTENSION(List.of(SYSTEM, VM), NONE, 0x03, byValue("capability number"), "4.4", null),
    GET_VCPU_MMAP_SIZE(List.of(SYSTEM), NONE, 0x04, none(), "4.5", null),
    GET_SUPPORTED_CPUID(List.of(SYSTEM), READ_WRITE, 0x05, struct(KVM_CPUID2), "4.46", KvmCap.EXT_CPUID),
    GET_EMULATED_CPUID(List.of(SYSTEM), READ_WRITE, 0x09, struct(KVM_CPUID2), "4.88", KvmCap.EXT_EMUL_CPUID),
    GET_MSR_FEATURE_INDEX_LIST(List.of(SYSTEM), READ_WRITE, 0x0a, struct(KVM_MSR_LIST), "4.3",
            KvmCap.GET_MSR_FEATURES),

    // VM ioctls
    SET_MEMORY_REGION(List.of(VM), WRITE, 0x40, struct(KvmStructs.KVM_MEMORY_REGION), "4.6", null),
    CREATE_VCPU(List.of(VM), NONE, 0x41, byValue("vcpu id"), "4.7", null),
    GET_DIRTY_LOG(List.of(VM), WRITE, 0x42, struct(KvmStructs.KVM_DIRTY_LOG), "4.8", null),
    SET_MEMORY_ALIAS(List.of(VM), WRITE, 0x43, struct(KvmStructs.KVM_MEMORY_ALIAS), "4.9", null),
    SET_NR_MMU_PAGES(List.of(VM), NONE, 0x44, byValue("page count"), null, KvmCap.MMU_SHADOW_CACHE_CONTROL),
    GET_NR_MMU_PAGES(List.of(VM), NONE, 0x45, none(), null, KvmCap.MMU_SHADOW_CACHE_CONTROL),
    SET_USER_MEMORY_REGION(List.of(VM), WRITE, 0x46, struct(KvmStructs.KVM_USERSPACE_MEMORY_REGION), "4.35",
            KvmCap.USER_MEMORY),
    SET_TSS_ADDR(List.of(VM), NONE, 0x47, byValue("guest physical address"), "4.36", KvmCap.SET_TSS_ADDR),
    SET_IDENTITY_MAP_ADDR(List.of(VM), WRITE, 0x48, scalar(CType.Scalar.U64), "4.40",
            KvmCap.SET_IDENTITY_MAP_ADDR),
    CREATE_IRQCHIP(List.of(VM), NONE, 0x60, none(), "4.24", KvmCap.IRQCHIP),
    IRQ_LINE(List.of(VM), WRITE, 0x61, struct(KVM_IRQ_LEVEL), "4.25", KvmCap.IRQCHIP),
    GET_IRQCHIP(List.of(VM), READ_WRITE, 0x62, struct(KVM_IRQCHIP), "4.26", KvmCap.IRQCHIP),
    /** Declared {@code _IOR} although the kernel reads the struct. */
    SET_IRQCHIP(List.of(VM), READ, 0x63, struct(KVM_IRQCHIP), "4.27", KvmCap.IRQCHIP),
    CREATE_PIT(List.of(VM), NONE, 0x64, none(), null, KvmCap.PIT),
    GET_PIT(List.of(VM), READ_WRITE, 0x65, struct(KVM_PIT_STATE), null, KvmCap.PIT),
    /** Declared {@code _IOR} although the kernel reads the struct. */
    SET_PIT(List.of(VM), READ, 0x66, struct(KVM_PIT_STATE), null, KvmCap.PIT),
    /** Same nr as KVM_REGISTER_COALESCED_MMIO; documented with KVM_IRQ_LINE. */
    IRQ_LINE_STATUS(List.of(VM), READ_WRITE, 0x67, struct(KVM_IRQ_LEVEL), "4.25", KvmCap.IRQ_INJECT_STATUS),
    REGISTER_COALESCED_MMIO(List.of(VM), WRITE, 0x67, struct(KvmIrqStructs.KVM_COALESCED_MMIO_ZONE), "4.116",
            KvmCap.COALESCED_MMIO),
    UNREGISTER_COALESCED_MMIO(List.of(VM), WRITE, 0x68, struct(KvmIrqStructs.KVM_COALESCED_MMIO_ZONE), "4.116",
            KvmCap.COALESCED_MMIO),
    SET_GSI_ROUTING(List.of(VM), WRITE, 0x6a, struct(KvmIrqStructs.KVM_IRQ_ROUTING), "4.52", KvmCap.IRQ_ROUTING),
    REINJECT_CONTROL(List.of(VM), NONE, 0x71, none(), "4.99", KvmCap.REINJECT_CONTROL),
    IRQFD(List.of(VM), WRITE, 0x76, struct(KvmIrqStructs.KVM_IRQFD), "4.75", KvmCap.IRQFD),
    CREATE_PIT2(List.of(VM), WRITE, 0x77, struct(KvmIrqStructs.KVM_PIT_CONFIG), "4.71", KvmCap.PIT2),
    SET_BOOT_CPU_ID(List.of(VM), NONE, 0x78, byValue("vcpu id"), "4.41", KvmCap.SET_BOOT_CPU_ID),
    IOEVENTFD(List.of(VM), WRITE, 0x79, struct(KvmIrqStructs.KVM_IOEVENTFD), "4.59", KvmCap.IOEVENTFD),
    SET_CLOCK(List.of(VM), WRITE, 0x7b, struct(KvmStructs.KVM_CLOCK_DATA), "4.30", KvmCap.ADJUST_CLOCK),
    GET_CLOCK(List.of(VM), READ, 0x7c, struct(KvmStructs.KVM_CLOCK_DATA), "4.29", KvmCap.ADJUST_CLOCK),
    /** nr 0x9F, like KVM_GET_VCPU_EVENTS on a vCPU fd. */
    GET_PIT2(List.of(VM), READ, 0x9f, struct(KVM_PIT_STATE2), "4.72", KvmCap.PIT_STATE2),
    /** nr 0xA0, like KVM_SET_VCPU_EVENTS on a vCPU fd. */
    SET_PIT2(List.of(VM), WRITE, 0xa0, struct(KVM_PIT_STATE2), "4.73", KvmCap.PIT_STATE2),
    /** nr 0xA5, like KVM_SET_XSAVE on a vCPU fd. */
    SIGNAL_MSI(List.of(VM), WRITE, 0xa5, struct(KvmIrqStructs.KVM_MSI), "4.71", KvmCap.SIGNAL_MSI),
    /** On a vCPU fd with KVM_CAP_ENABLE_CAP, on a VM fd with KVM_CAP_ENABLE_CAP_VM. */
    ENABLE_CAP(List.of(VM, VCPU), WRITE, 0xa3, struct(KvmStructs.KVM_ENABLE_CAP), "4.37", KvmCap.ENABLE_CAP),

    // vCPU ioctls
    RUN(List.of(VCPU), NONE, 0x80, none(), "4.10", null),
    GET_REGS(List.of(VCPU), READ, 0x81, struct(KvmStructs.KVM_REGS), "4.11", null),
    SET_REGS(List.of(VCPU), WRITE, 0x82, struct(KvmStructs.KVM_REGS), "4.12", null),
    GET_SREGS(List.of(VCPU), READ, 0x83, struct(KvmStructs.KVM_SREGS), "4.13", null),
    SET_SREGS(List.of(VCPU), WRITE, 0x84, struct(KvmStructs.KVM_SREGS), "4.14", null),
    TRANSLATE(List.of(VCPU), READ_WRITE, 0x85, struct(KvmStructs.KVM_TRANSLATION), "4.15", null),
    INTERRUPT(List.of(VCPU), WRITE, 0x86, struct(KvmStructs.KVM_INTERRUPT), "4.16", null),
    /** Deprecated since 2.6.29 (KVM_SET_GUEST_DEBUG replaces it); still declared. */
    DEBUG_GUEST(List.of(VCPU), WRITE, 0x87, struct(KvmStructs.KVM_DEBUG_GUEST), "4.17", null),
    GET_MSRS(List.of(VCPU), READ_WRITE, 0x88, struct(KvmStructs.KVM_MSRS), "4.18", null),
    SET_MSRS(List.of(VCPU), WRITE, 0x89, struct(KvmStructs.KVM_MSRS), "4.19", null),
    SET_CPUID(List.of(VCPU), WRITE, 0x8a, struct(KvmStructs.KVM_CPUID), "4.20", null),
    SET_SIGNAL_MASK(List.of(VCPU), WRITE, 0x8b, struct(KvmStructs.KVM_SIGNAL_MASK), "4.21", null),
    GET_FPU(List.of(VCPU), READ, 0x8c, struct(KvmStructs.KVM_FPU), "4.22", null),
    SET_FPU(List.of(VCPU), WRITE, 0x8d, struct(KvmStructs.KVM_FPU), "4.23", null),
    GET_LAPIC(List.of(VCPU), READ, 0x8e, struct(KvmStructs.KVM_LAPIC_STATE), "4.57", KvmCap.IRQCHIP),
    SET_LAPIC(List.of(VCPU), WRITE, 0x8f, struct(KvmStructs.KVM_LAPIC_STATE), "4.58", KvmCap.IRQCHIP),
    /** Documented together with KVM_SET_CPUID (api.rst §4.20 names it as the replacement). */
    SET_CPUID2(List.of(VCPU), WRITE, 0x90, struct(KVM_CPUID2), "4.20", KvmCap.EXT_CPUID),
    GET_CPUID2(List.of(VCPU), READ_WRITE, 0x91, struct(KVM_CPUID2), "4.20", KvmCap.EXT_CPUID),
    TPR_ACCESS_REPORTING(List.of(VCPU), READ_WRITE, 0x92, struct(KvmStructs.KVM_TPR_ACCESS_CTL), null,
            KvmCap.VAPIC),
    SET_VAPIC_ADDR(List.of(VCPU), WRITE, 0x93, struct(KvmStructs.KVM_VAPIC_ADDR), null, KvmCap.VAPIC),
    GET_MP_STATE(List.of(VCPU), READ, 0x98, struct(KvmStructs.KVM_MP_STATE), "4.38", KvmCap.MP_STATE),
    SET_MP_STATE(List.of(VCPU), WRITE, 0x99, struct(KvmStructs.KVM_MP_STATE), "4.39", KvmCap.MP_STATE),
    NMI(List.of(VCPU), NONE, 0x9a, none(), "4.64", KvmCap.USER_NMI),
    SET_GUEST_DEBUG(List.of(VCPU), WRITE, 0x9b, struct(KvmStructs.KVM_GUEST_DEBUG), "4.87", KvmCap.SET_GUEST_DEBUG),
    X86_SETUP_MCE(List.of(VCPU), WRITE, 0x9c, scalar(CType.Scalar.U64), "4.105", KvmCap.MCE),
    /** nr 0x9F, like KVM_GET_PIT2 on a VM fd. */
    GET_VCPU_EVENTS(List.of(VCPU), READ, 0x9f, struct(KvmStructs.KVM_VCPU_EVENTS), "4.31", KvmCap.VCPU_EVENTS),
    SET_VCPU_EVENTS(List.of(VCPU), WRITE, 0xa0, struct(KvmStructs.KVM_VCPU_EVENTS), "4.32", KvmCap.VCPU_EVENTS),
    GET_DEBUGREGS(List.of(VCPU), READ, 0xa1, struct(KvmStructs.KVM_DEBUGREGS), "4.33", KvmCap.DEBUGREGS),
    SET_DEBUGREGS(List.of(VCPU), WRITE, 0xa2, struct(KvmStructs.KVM_DEBUGREGS), "4.34", KvmCap.DEBUGREGS),
    /** {@code _IO} nr 0xA2: differs from KVM_SET_DEBUGREGS only in direction and size. */
    SET_TSC_KHZ(List.of(VCPU), NONE, 0xa2, byValue("frequency in kHz"), "4.55", KvmCap.TSC_CONTROL),
    GET_TSC_KHZ(List.of(VCPU), NONE, 0xa3, none(), "4.56", KvmCap.GET_TSC_KHZ),
    GET_XSAVE(List.of(VCPU), READ, 0xa4, struct(KvmStructs.KVM_XSAVE), "4.42", KvmCap.XSAVE),
    SET_XSAVE(List.of(VCPU), WRITE, 0xa5, struct(KvmStructs.KVM_XSAVE), "4.43", KvmCap.XSAVE),
    GET_XCRS(List.of(VCPU), READ, 0xa6, struct(KvmStructs.KVM_XCRS), "4.44", KvmCap.XCRS),
    SET_XCRS(List.of(VCPU), WRITE, 0xa7, struct(KvmStructs.KVM_XCRS), "4.45", KvmCap.XCRS),
    KVMCLOCK_CTRL(List.of(VCPU), NONE, 0xad, none(), "4.70", KvmCap.KVMCLOCK_CTRL),
    SMI(List.of(VCPU), NONE, 0xb7, none(), "4.96", KvmCap.X86_SMM),
    GET_SREGS2(List.of(VCPU), READ, 0xcc, struct(KvmStructs.KVM_SREGS2), "4.131", KvmCap.SREGS2),
    SET_SREGS2(List.of(VCPU), WRITE, 0xcd, struct(KvmStructs.KVM_SREGS2), "4.132", KvmCap.SREGS2),
    GET_XSAVE2(List.of(VCPU), READ, 0xcf, struct(KvmStructs.KVM_XSAVE), "4.134", KvmCap.XSAVE2);

    private final List<FdKind> fds;
    private final IoctlDirection direction;
    private final int nr;
    private final IoctlArgument argument;
    private final String apiSection;
    private final KvmCap capability;

    KvmIoctl(List<FdKind> fds, IoctlDirection direction, int nr, IoctlArgument argument, String apiSection,
             KvmCap capability) {
        this.fds = List.copyOf(fds);
        this.direction = direction;
        this.nr = nr;
        this.argument = argument;
        this.apiSection = apiSection;
        this.capability = capability;
        if ((direction == NONE) != (argument.size() == 0)) {
            throw new IllegalStateException(name() + ": _IO ioctls and only they have no sized argument");
        }
    }

    /** The fd kinds that accept this request. */
    public List<FdKind> fds() {
        return fds;
    }

    public boolean acceptedOn(FdKind kind) {
        return fds.contains(kind);
    }

    public IoctlDirection direction() {
        return direction;
    }

    public int nr() {
        return nr;
    }

    public IoctlArgument argument() {
        return argument;
    }

    /** The api.rst (6.1) section, e.g. {@code "4.10"}, if api.rst has one. */
    public Optional<String> apiSection() {
        return Optional.ofNullable(apiSection);
    }

    /** The capability that announces the ioctl; empty for "basic" ioctls. */
    public Optional<KvmCap> capability() {
        return Optional.ofNullable(capability);
    }

    /** The 32-bit request code: {@code _IOC(direction, KVMIO, nr, sizeof(argument))}. */
    public long code() {
        return IoctlEncoding.encode(direction, IoctlEncoding.KVMIO, nr, argument.size());
    }

    @Override
    public long value() {
        return code();
    }

    @Override
    public String cName() {
        return "KVM_" + name();
    }

    /** The ioctl a request code means on a given kind of fd, if any. */
    public static Optional<KvmIoctl> decode(FdKind kind, long code) {
        for (KvmIoctl ioctl : values()) {
            if (ioctl.code() == code && ioctl.acceptedOn(kind)) {
                return Optional.of(ioctl);
            }
        }
        return Optional.empty();
    }
}
