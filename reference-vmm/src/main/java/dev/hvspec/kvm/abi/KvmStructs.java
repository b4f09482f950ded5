package dev.hvspec.kvm.abi;

import static dev.hvspec.kvm.abi.CType.Scalar.POINTER;
import static dev.hvspec.kvm.abi.CType.Scalar.U32;
import static dev.hvspec.kvm.abi.CType.Scalar.U64;
import static dev.hvspec.kvm.abi.StructLayout.struct;
import static dev.hvspec.kvm.abi.StructLayout.union;

/**
 * Memory, register, CPUID, MSR and vCPU-state structs of the KVM ABI for x86-64, declared member
 * by member in the order of Linux {@code include/uapi/linux/kvm.h} and
 * {@code arch/x86/include/uapi/asm/kvm.h} (6.1). Offsets and sizes are computed by
 * {@link StructLayout}; abi-compat checks them against gcc on the real header. The interrupt
 * controller and timer structs are in {@link KvmIrqStructs}, {@code struct kvm_run} in
 * {@link KvmRunLayout}.
 */
public final class KvmStructs {
    private KvmStructs() {
    }

    /** KVM_SET_MEMORY_REGION (api.rst §4.6, the pre-2.6.25 memory interface). */
    public static final StructLayout KVM_MEMORY_REGION = struct("kvm_memory_region")
            .u32("slot").u32("flags").u64("guest_phys_addr").u64("memory_size")
            .build();

    /** KVM_SET_USER_MEMORY_REGION (api.rst §4.35). */
    public static final StructLayout KVM_USERSPACE_MEMORY_REGION = struct("kvm_userspace_memory_region")
            .u32("slot").u32("flags").u64("guest_phys_addr").u64("memory_size").u64("userspace_addr")
            .build();

    /** KVM_SET_MEMORY_ALIAS (api.rst §4.9, gone since 2.6.38 but still declared for x86). */
    public static final StructLayout KVM_MEMORY_ALIAS = struct("kvm_memory_alias")
            .u32("slot").u32("flags").u64("guest_phys_addr").u64("memory_size").u64("target_phys_addr")
            .build();

    /** KVM_GET_REGS / KVM_SET_REGS (api.rst §4.11). */
    public static final StructLayout KVM_REGS = struct("kvm_regs")
            .each(U64, "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp")
            .each(U64, "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15")
            .each(U64, "rip", "rflags")
            .build();

    /** A segment register with its hidden part (api.rst §4.13). */
    public static final StructLayout KVM_SEGMENT = struct("kvm_segment")
            .u64("base").u32("limit").u16("selector").u8("type")
            .u8("present").u8("dpl").u8("db").u8("s").u8("l").u8("g").u8("avl")
            .u8("unusable").u8("padding")
            .build();

    /** GDTR / IDTR. */
    public static final StructLayout KVM_DTABLE = struct("kvm_dtable")
            .u64("base").u16("limit").u16("padding", 3)
            .build();

    /** {@code KVM_NR_INTERRUPTS} in asm/kvm.h: the architectural interrupt vector count. */
    public static final int KVM_NR_INTERRUPTS = 256;

    /** KVM_GET_SREGS / KVM_SET_SREGS (api.rst §4.13). */
    public static final StructLayout KVM_SREGS = struct("kvm_sregs")
            .each(KVM_SEGMENT, "cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt")
            .each(KVM_DTABLE, "gdt", "idt")
            .each(U64, "cr0", "cr2", "cr3", "cr4", "cr8", "efer", "apic_base")
            .u64("interrupt_bitmap", (KVM_NR_INTERRUPTS + 63) / 64)
            .build();

    /** KVM_GET_SREGS2 / KVM_SET_SREGS2 (api.rst §4.131, KVM_CAP_SREGS2). */
    public static final StructLayout KVM_SREGS2 = struct("kvm_sregs2")
            .each(KVM_SEGMENT, "cs", "ds", "es", "fs", "gs", "ss", "tr", "ldt")
            .each(KVM_DTABLE, "gdt", "idt")
            .each(U64, "cr0", "cr2", "cr3", "cr4", "cr8", "efer", "apic_base", "flags")
            .u64("pdptrs", 4)
            .build();

    /** KVM_GET_FPU / KVM_SET_FPU (api.rst §4.22): the FXSAVE image, unpacked. */
    public static final StructLayout KVM_FPU = struct("kvm_fpu")
            .u8("fpr", 8, 16).u16("fcw").u16("fsw").u8("ftwx").u8("pad1").u16("last_opcode")
            .u64("last_ip").u64("last_dp").u8("xmm", 16, 16).u32("mxcsr").u32("pad2")
            .build();

    public static final StructLayout KVM_MSR_ENTRY = struct("kvm_msr_entry")
            .u32("index").u32("reserved").u64("data")
            .build();

    /** KVM_GET_MSRS / KVM_SET_MSRS (api.rst §4.18): a header and {@code nmsrs} entries. */
    public static final StructLayout KVM_MSRS = struct("kvm_msrs")
            .u32("nmsrs").u32("pad").flex("entries", KVM_MSR_ENTRY)
            .build();

    /** KVM_GET_MSR_INDEX_LIST (api.rst §4.3). */
    public static final StructLayout KVM_MSR_LIST = struct("kvm_msr_list")
            .u32("nmsrs").flex("indices", U32)
            .build();

    /** The original KVM_SET_CPUID entry (api.rst §4.20). */
    public static final StructLayout KVM_CPUID_ENTRY = struct("kvm_cpuid_entry")
            .u32("function").u32("eax").u32("ebx").u32("ecx").u32("edx").u32("padding")
            .build();

    public static final StructLayout KVM_CPUID = struct("kvm_cpuid")
            .u32("nent").u32("padding").flex("entries", KVM_CPUID_ENTRY)
            .build();

    /** A CPUID leaf with subleaf index (api.rst §4.46). */
    public static final StructLayout KVM_CPUID_ENTRY2 = struct("kvm_cpuid_entry2")
            .u32("function").u32("index").u32("flags")
            .u32("eax").u32("ebx").u32("ecx").u32("edx").u32("padding", 3)
            .build();

    /** KVM_SET_CPUID2, KVM_GET_CPUID2, KVM_GET_SUPPORTED_CPUID (api.rst §4.46). */
    public static final StructLayout KVM_CPUID2 = struct("kvm_cpuid2")
            .u32("nent").u32("padding").flex("entries", KVM_CPUID_ENTRY2)
            .build();

    /** {@code KVM_APIC_REG_SIZE}: the 4 KiB APIC page's first 1 KiB. */
    public static final int KVM_APIC_REG_SIZE = 0x400;

    /** KVM_GET_LAPIC / KVM_SET_LAPIC (api.rst §4.57). */
    public static final StructLayout KVM_LAPIC_STATE = struct("kvm_lapic_state")
            .chars("regs", KVM_APIC_REG_SIZE)
            .build();

    /** KVM_TRANSLATE (api.rst §4.15). */
    public static final StructLayout KVM_TRANSLATION = struct("kvm_translation")
            .u64("linear_address").u64("physical_address")
            .u8("valid").u8("writeable").u8("usermode").u8("pad", 5)
            .build();

    /** KVM_INTERRUPT (api.rst §4.16). */
    public static final StructLayout KVM_INTERRUPT = struct("kvm_interrupt")
            .u32("irq")
            .build();

    /** KVM_GET_DIRTY_LOG (api.rst §4.8): the bitmap pointer sits in a union padded to 64 bits. */
    public static final StructLayout KVM_DIRTY_LOG = struct("kvm_dirty_log")
            .u32("slot").u32("padding1")
            .anonymous(union(null).field("dirty_bitmap", POINTER).u64("padding2").build())
            .build();

    /** KVM_SET_SIGNAL_MASK (api.rst §4.21). */
    public static final StructLayout KVM_SIGNAL_MASK = struct("kvm_signal_mask")
            .u32("len").flex("sigset", CType.Scalar.U8)
            .build();

    /** KVM_GET_MP_STATE / KVM_SET_MP_STATE (api.rst §4.38). */
    public static final StructLayout KVM_MP_STATE = struct("kvm_mp_state")
            .u32("mp_state")
            .build();

    /** KVM_GET_VCPU_EVENTS / KVM_SET_VCPU_EVENTS (api.rst §4.31). */
    public static final StructLayout KVM_VCPU_EVENTS = struct("kvm_vcpu_events")
            .field("exception", struct(null)
                    .u8("injected").u8("nr").u8("has_error_code").u8("pending").u32("error_code").build())
            .field("interrupt", struct(null).u8("injected").u8("nr").u8("soft").u8("shadow").build())
            .field("nmi", struct(null).u8("injected").u8("pending").u8("masked").u8("pad").build())
            .u32("sipi_vector").u32("flags")
            .field("smi", struct(null).u8("smm").u8("pending").u8("smm_inside_nmi").u8("latched_init").build())
            .field("triple_fault", struct(null).u8("pending").build())
            .u8("reserved", 26).u8("exception_has_payload").u64("exception_payload")
            .build();

    /** KVM_GET_DEBUGREGS / KVM_SET_DEBUGREGS (api.rst §4.33). */
    public static final StructLayout KVM_DEBUGREGS = struct("kvm_debugregs")
            .u64("db", 4).u64("dr6").u64("dr7").u64("flags").u64("reserved", 9)
            .build();

    /** KVM_GET_XSAVE / KVM_SET_XSAVE (api.rst §4.42): a 4 KiB XSAVE image (more with XSAVE2). */
    public static final StructLayout KVM_XSAVE = struct("kvm_xsave")
            .u32("region", 1024).flex("extra", U32)
            .build();

    /** {@code KVM_MAX_XCRS}. */
    public static final int KVM_MAX_XCRS = 16;

    public static final StructLayout KVM_XCR = struct("kvm_xcr")
            .u32("xcr").u32("reserved").u64("value")
            .build();

    /** KVM_GET_XCRS / KVM_SET_XCRS (api.rst §4.44). */
    public static final StructLayout KVM_XCRS = struct("kvm_xcrs")
            .u32("nr_xcrs").u32("flags").field("xcrs", KVM_XCR, KVM_MAX_XCRS).u64("padding", 16)
            .build();

    /** KVM_GET_CLOCK / KVM_SET_CLOCK (api.rst §4.29). */
    public static final StructLayout KVM_CLOCK_DATA = struct("kvm_clock_data")
            .u64("clock").u32("flags").u32("pad0").u64("realtime").u64("host_tsc").u32("pad", 4)
            .build();

    /** KVM_ENABLE_CAP (api.rst §4.37). */
    public static final StructLayout KVM_ENABLE_CAP = struct("kvm_enable_cap")
            .u32("cap").u32("flags").u64("args", 4).u8("pad", 64)
            .build();

    /** The x86 part of KVM_SET_GUEST_DEBUG: DR0-DR7 (api.rst §4.87). */
    public static final StructLayout KVM_GUEST_DEBUG_ARCH = struct("kvm_guest_debug_arch")
            .u64("debugreg", 8)
            .build();

    /** KVM_SET_GUEST_DEBUG (api.rst §4.87). */
    public static final StructLayout KVM_GUEST_DEBUG = struct("kvm_guest_debug")
            .u32("control").u32("pad").field("arch", KVM_GUEST_DEBUG_ARCH)
            .build();

    /** The x86 payload of KVM_EXIT_DEBUG (api.rst §5). */
    public static final StructLayout KVM_DEBUG_EXIT_ARCH = struct("kvm_debug_exit_arch")
            .u32("exception").u32("pad").u64("pc").u64("dr6").u64("dr7")
            .build();

    public static final StructLayout KVM_BREAKPOINT = struct("kvm_breakpoint")
            .u32("enabled").u32("padding").u64("address")
            .build();

    /** The deprecated KVM_DEBUG_GUEST (api.rst §4.17; replaced by KVM_SET_GUEST_DEBUG in 2.6.29). */
    public static final StructLayout KVM_DEBUG_GUEST = struct("kvm_debug_guest")
            .u32("enabled").u32("pad").field("breakpoints", KVM_BREAKPOINT, 4).u32("singlestep")
            .build();

    /** KVM_TPR_ACCESS_REPORTING (KVM_CAP_VAPIC). */
    public static final StructLayout KVM_TPR_ACCESS_CTL = struct("kvm_tpr_access_ctl")
            .u32("enabled").u32("flags").u32("reserved", 8)
            .build();

    /** KVM_SET_VAPIC_ADDR (KVM_CAP_VAPIC). */
    public static final StructLayout KVM_VAPIC_ADDR = struct("kvm_vapic_addr")
            .u64("vapic_addr")
            .build();

    /** The registers shared through {@code kvm_run.s.regs} with KVM_CAP_SYNC_REGS (api.rst §6.74). */
    public static final StructLayout KVM_SYNC_REGS = struct("kvm_sync_regs")
            .field("regs", KVM_REGS).field("sregs", KVM_SREGS).field("events", KVM_VCPU_EVENTS)
            .build();
}
