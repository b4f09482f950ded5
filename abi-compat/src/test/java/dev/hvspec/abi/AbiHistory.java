package dev.hvspec.abi;

import dev.hvspec.kvm.abi.AbiDump;
import dev.hvspec.kvm.abi.IoctlEncoding;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmIrqStructs;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructLayout;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.hvspec.kvm.abi.StructLayout.struct;
import static dev.hvspec.kvm.abi.StructLayout.union;

/**
 * The ABI of the older KVM releases, transcribed from their headers into our layout model
 * (sources as in {@code KernelProfiles}: v2.6.23, v2.6.24 and v2.6.26 {@code include/linux/kvm.h};
 * 2.6.22 and 2.6.25 inferred). Only the structs that changed get their own declaration here;
 * the others are the current ones, unchanged since. The facts are kept as golden files
 * ({@code golden/history/RELEASE.txt}) that the ABI rule check reads; 6.1 is the API 12 golden
 * file itself, checked against gcc.
 *
 * <p>Not machine-checked: no compiler sees these old declarations (we have no old headers on
 * the machine). A transcription error would show up as a rule violation or go unnoticed.
 */
final class AbiHistory {
    private AbiHistory() {
    }

    /** The releases with a history file, oldest first; 6.1 is the API 12 golden file. */
    static final List<String> RELEASES = List.of("2.6.22", "2.6.23", "2.6.24", "2.6.25", "2.6.26");

    private static StructLayout.Builder kvmRunHeader() {
        // v2.6.23 .. v2.6.26: padding1[7] after request_interrupt_window, padding2[2] after if_flag
        return struct("kvm_run")
                .u8("request_interrupt_window").u8("padding1", 7)
                .u32("exit_reason").u8("ready_for_interrupt_injection").u8("if_flag").u8("padding2", 2)
                .u64("cr8").u64("apic_base");
    }

    private static StructLayout.Builder exitsUpTo2624(boolean hypercallNr) {
        StructLayout.Builder hypercall = struct(null);
        if (hypercallNr) {
            hypercall.u64("nr");
        }
        return union(null)
                .field("hw", struct(null).u64("hardware_exit_reason").build())
                .field("fail_entry", struct(null).u64("hardware_entry_failure_reason").build())
                .field("ex", struct(null).u32("exception").u32("error_code").build())
                .field("io", struct(null).u8("direction").u8("size").u16("port").u32("count").u64("data_offset").build())
                .field("debug", struct(null).build())
                .field("mmio", struct(null).u64("phys_addr").u8("data", 8).u32("len").u8("is_write").build())
                .field("hypercall", hypercall.u64("args", 6).u64("ret").u32("longmode").u32("pad").build());
    }

    /** 2.6.22/2.6.23: no size-fixing padding in the exit union, hypercall without nr. */
    static final StructLayout KVM_RUN_2_6_23 = kvmRunHeader().anonymous(exitsUpTo2624(false).build()).build();

    /** 2.6.24: hypercall gains nr in front of args; the union is fixed at 256 bytes. */
    static final StructLayout KVM_RUN_2_6_24 = kvmRunHeader()
            .anonymous(exitsUpTo2624(true).chars("padding", 256).build()).build();

    /** 2.6.25 (inferred): + KVM_EXIT_TPR_ACCESS's payload, with the vAPIC work. */
    static final StructLayout KVM_RUN_2_6_25 = kvmRunHeader()
            .anonymous(exitsUpTo2624(true)
                    .field("tpr_access", struct(null).u64("rip").u32("is_write").u32("pad").build())
                    .chars("padding", 256).build()).build();

    /** 2.6.26: + the s390 and PowerPC DCR payloads; s390_sieic still carries the PSW. */
    static final StructLayout KVM_RUN_2_6_26 = kvmRunHeader()
            .anonymous(exitsUpTo2624(true)
                    .field("tpr_access", struct(null).u64("rip").u32("is_write").u32("pad").build())
                    .field("s390_sieic", struct(null)
                            .u8("icptcode").u64("mask").u64("addr").u16("ipa").u32("ipb").build())
                    .u64("s390_reset_flags")
                    .field("dcr", struct(null).u32("dcrn").u32("data").u8("is_write").build())
                    .chars("padding", 256).build()).build();

    /** Before the status union (2.6.29, for KVM_IRQ_LINE_STATUS). */
    static final StructLayout KVM_IRQ_LEVEL_OLD = struct("kvm_irq_level").u32("irq").u32("level").build();

    private static List<StructLayout> structs(String release) {
        List<StructLayout> base = new ArrayList<>(List.of(
                KvmStructs.KVM_MEMORY_REGION, KvmStructs.KVM_MEMORY_ALIAS,
                // 2.6.24 named both pads of kvm_dirty_log "padding" (a duplicate member); same offsets
                KvmStructs.KVM_DIRTY_LOG, KvmStructs.KVM_REGS, KvmStructs.KVM_SEGMENT, KvmStructs.KVM_DTABLE,
                KvmStructs.KVM_SREGS, KvmStructs.KVM_FPU, KvmStructs.KVM_MSR_ENTRY, KvmStructs.KVM_MSRS,
                KvmStructs.KVM_MSR_LIST, KvmStructs.KVM_CPUID_ENTRY, KvmStructs.KVM_CPUID, KvmStructs.KVM_TRANSLATION,
                KvmStructs.KVM_INTERRUPT, KvmStructs.KVM_SIGNAL_MASK, KvmStructs.KVM_BREAKPOINT,
                KvmStructs.KVM_DEBUG_GUEST));
        int minor = Integer.parseInt(release.substring("2.6.".length()));
        if (minor >= 24) {
            base.addAll(List.of(KVM_IRQ_LEVEL_OLD, KvmIrqStructs.KVM_PIC_STATE, KvmIrqStructs.KVM_IOAPIC_STATE,
                    KvmIrqStructs.KVM_IRQCHIP, KvmStructs.KVM_LAPIC_STATE));
        }
        if (minor >= 25) {
            base.addAll(List.of(KvmStructs.KVM_USERSPACE_MEMORY_REGION, KvmStructs.KVM_CPUID_ENTRY2,
                    KvmStructs.KVM_CPUID2, KvmStructs.KVM_TPR_ACCESS_CTL, KvmStructs.KVM_VAPIC_ADDR));
        }
        if (minor >= 26) {
            // the 2.6.26 asm-x86/kvm.h was not available to us; we assume the PIT structs were as today
            base.addAll(List.of(KvmIrqStructs.KVM_PIT_CHANNEL_STATE, KvmIrqStructs.KVM_PIT_STATE,
                    KvmStructs.KVM_MP_STATE));
        }
        base.add(Map.of(22, KVM_RUN_2_6_23, 23, KVM_RUN_2_6_23, 24, KVM_RUN_2_6_24, 25, KVM_RUN_2_6_25,
                26, KVM_RUN_2_6_26).get(minor));
        return base;
    }

    /** The facts of one old release: its structs, then the request codes of its ioctls. */
    static List<String> facts(String release) {
        KernelProfile profile = KernelProfile.of(release).orElseThrow();
        List<StructLayout> structs = structs(release);
        List<String> out = new ArrayList<>();
        for (StructLayout s : structs) {
            out.addAll(AbiDump.structLines(s));
        }
        out.add("const KVM_API_VERSION 12");
        for (KvmIoctl ioctl : KvmIoctl.values()) {
            if (!profile.has(ioctl)) {
                continue;
            }
            long size = ioctl.argument().structLayout()
                    .map(now -> structs.stream().filter(s -> s.tag().equals(now.tag())).findFirst()
                            .orElseThrow(() -> new IllegalStateException(release + " lacks " + now.cName()))
                            .size())
                    .orElse(ioctl.argument().size());
            out.add("const " + ioctl.cName() + " "
                    + IoctlEncoding.encode(ioctl.direction(), IoctlEncoding.KVMIO, ioctl.nr(), size));
        }
        return out;
    }
}
