package dev.hvspec.kvm.abi;

import static dev.hvspec.kvm.abi.CType.Scalar.ULONG;
import static dev.hvspec.kvm.abi.CType.Scalar.U64;
import static dev.hvspec.kvm.abi.StructLayout.struct;
import static dev.hvspec.kvm.abi.StructLayout.union;

/**
 * {@code struct kvm_run} (api.rst §5), the page shared between the kernel and the VMM through
 * {@code mmap(vcpu_fd, 0)}: the request fields, the exit reason, the exit payload union (fixed at
 * 256 bytes by its {@code padding} member) and the synchronised register area.
 * The x86-64 layout of Linux 6.1, including the payloads of other architectures that are part
 * of the same union (they fix nothing on x86 but are declared in the header).
 */
public final class KvmRunLayout {
    private KvmRunLayout() {
    }

    /** {@code SYNC_REGS_SIZE_BYTES}: the size reserved for {@code kvm_run.s}. */
    public static final int SYNC_REGS_SIZE_BYTES = 2048;

    /** The payload of KVM_EXIT_HYPERV. */
    public static final StructLayout KVM_HYPERV_EXIT = struct("kvm_hyperv_exit")
            .u32("type").u32("pad1")
            .field("u", union(null)
                    .field("synic", struct(null)
                            .u32("msr").u32("pad2").u64("control").u64("evt_page").u64("msg_page").build())
                    .field("hcall", struct(null).u64("input").u64("result").u64("params", 2).build())
                    .field("syndbg", struct(null)
                            .u32("msr").u32("pad2").u64("control").u64("status").u64("send_page")
                            .u64("recv_page").u64("pending_page").build())
                    .build())
            .build();

    /** The payload of KVM_EXIT_XEN. */
    public static final StructLayout KVM_XEN_EXIT = struct("kvm_xen_exit")
            .u32("type")
            .field("u", union(null)
                    .field("hcall", struct(null)
                            .u32("longmode").u32("cpl").u64("input").u64("result").u64("params", 6).build())
                    .build())
            .build();

    /** The exit payload union: one member per exit reason (api.rst §5, "union { … }"). */
    private static final StructLayout EXIT_UNION = union(null)
            // KVM_EXIT_UNKNOWN
            .field("hw", struct(null).u64("hardware_exit_reason").build())
            // KVM_EXIT_FAIL_ENTRY
            .field("fail_entry", struct(null).u64("hardware_entry_failure_reason").u32("cpu").build())
            // KVM_EXIT_EXCEPTION
            .field("ex", struct(null).u32("exception").u32("error_code").build())
            // KVM_EXIT_IO: data_offset is relative to the start of kvm_run
            .field("io", struct(null).u8("direction").u8("size").u16("port").u32("count").u64("data_offset").build())
            // KVM_EXIT_DEBUG
            .field("debug", struct(null).field("arch", KvmStructs.KVM_DEBUG_EXIT_ARCH).build())
            // KVM_EXIT_MMIO
            .field("mmio", struct(null).u64("phys_addr").u8("data", 8).u32("len").u8("is_write").build())
            // KVM_EXIT_HYPERCALL
            .field("hypercall", struct(null).u64("nr").u64("args", 6).u64("ret").u32("longmode").u32("pad").build())
            // KVM_EXIT_TPR_ACCESS
            .field("tpr_access", struct(null).u64("rip").u32("is_write").u32("pad").build())
            // KVM_EXIT_S390_SIEIC
            .field("s390_sieic", struct(null).u8("icptcode").u16("ipa").u32("ipb").build())
            // KVM_EXIT_S390_RESET
            .u64("s390_reset_flags")
            // KVM_EXIT_S390_UCONTROL
            .field("s390_ucontrol", struct(null).u64("trans_exc_code").u32("pgm_code").build())
            // KVM_EXIT_DCR (deprecated)
            .field("dcr", struct(null).u32("dcrn").u32("data").u8("is_write").build())
            // KVM_EXIT_INTERNAL_ERROR: data[] valid with KVM_CAP_INTERNAL_ERROR_DATA
            .field("internal", struct(null).u32("suberror").u32("ndata").u64("data", 16).build())
            // KVM_INTERNAL_ERROR_EMULATION: an ABI overlay of "internal"
            .field("emulation_failure", struct(null)
                    .u32("suberror").u32("ndata").u64("flags")
                    .anonymous(union(null)
                            .anonymous(struct(null).u8("insn_size").u8("insn_bytes", 15).build())
                            .build())
                    .build())
            // KVM_EXIT_OSI
            .field("osi", struct(null).u64("gprs", 32).build())
            // KVM_EXIT_PAPR_HCALL
            .field("papr_hcall", struct(null).u64("nr").u64("ret").u64("args", 9).build())
            // KVM_EXIT_S390_TSCH
            .field("s390_tsch", struct(null)
                    .u16("subchannel_id").u16("subchannel_nr").u32("io_int_parm").u32("io_int_word")
                    .u32("ipb").u8("dequeued").build())
            // KVM_EXIT_EPR
            .field("epr", struct(null).u32("epr").build())
            // KVM_EXIT_SYSTEM_EVENT: data[] valid with KVM_CAP_SYSTEM_EVENT_DATA
            .field("system_event", struct(null)
                    .u32("type").u32("ndata")
                    .anonymous(union(null).u64("flags").u64("data", 16).build())
                    .build())
            // KVM_EXIT_S390_STSI
            .field("s390_stsi", struct(null)
                    .u64("addr").u8("ar").u8("reserved").u8("fc").u8("sel1").u16("sel2").build())
            // KVM_EXIT_IOAPIC_EOI
            .field("eoi", struct(null).u8("vector").build())
            // KVM_EXIT_HYPERV
            .field("hyperv", KVM_HYPERV_EXIT)
            // KVM_EXIT_ARM_NISV
            .field("arm_nisv", struct(null).u64("esr_iss").u64("fault_ipa").build())
            // KVM_EXIT_X86_RDMSR / KVM_EXIT_X86_WRMSR
            .field("msr", struct(null).u8("error").u8("pad", 7).u32("reason").u32("index").u64("data").build())
            // KVM_EXIT_XEN
            .field("xen", KVM_XEN_EXIT)
            // KVM_EXIT_RISCV_SBI
            .field("riscv_sbi", struct(null)
                    .field("extension_id", ULONG).field("function_id", ULONG)
                    .field("args", ULONG, 6).field("ret", ULONG, 2).build())
            // KVM_EXIT_RISCV_CSR
            .field("riscv_csr", struct(null)
                    .field("csr_num", ULONG).field("new_value", ULONG)
                    .field("write_mask", ULONG).field("ret_value", ULONG).build())
            // KVM_EXIT_NOTIFY
            .field("notify", struct(null).u32("flags").build())
            // fixes the size of the union
            .chars("padding", 256)
            .build();

    /** {@code struct kvm_run}: 2352 bytes on x86-64. */
    public static final StructLayout KVM_RUN = struct("kvm_run")
            // in
            .u8("request_interrupt_window").u8("immediate_exit").u8("padding1", 6)
            // out
            .u32("exit_reason").u8("ready_for_interrupt_injection").u8("if_flag").u16("flags")
            // in (before KVM_RUN), out (after)
            .each(U64, "cr8", "apic_base")
            .anonymous(EXIT_UNION)
            .u64("kvm_valid_regs").u64("kvm_dirty_regs")
            .field("s", union(null)
                    .field("regs", KvmStructs.KVM_SYNC_REGS).chars("padding", SYNC_REGS_SIZE_BYTES).build())
            .build();

    /** Where the exit payload union starts in {@code kvm_run} (api.rst §5). */
    public static long exitUnionOffset() {
        return KVM_RUN.field("hw").offset();
    }
}
