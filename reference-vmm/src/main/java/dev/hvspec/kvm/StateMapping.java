package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.cpu.DescriptorTable;
import dev.hvspec.machine.cpu.Rflags;
import dev.hvspec.machine.cpu.SegmentRegister;

/**
 * Copies processor state to and from the KVM structs: kvm_regs (api.rst §4.11), kvm_sregs
 * (§4.13), kvm_sregs2 (§4.131) and kvm_segment / kvm_dtable.
 */
final class StateMapping {
    /** kvm_regs field order: rax rbx rcx rdx rsi rdi rsp rbp r8 … r15 (not the encoding order). */
    private static final String[] REG_NAMES = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
    /** kvm_sregs segment fields and the segment registers they hold. */
    private static final String[] SEGMENT_FIELDS = {"es", "cs", "ss", "ds", "fs", "gs"};

    private StateMapping() {
    }

    static void regsOut(CpuState s, StructView regs) {
        for (int i = 0; i < 16; i++) {
            regs.set(REG_NAMES[i], s.gpr[i]);
        }
        regs.set("rip", s.rip).set("rflags", s.rflags);
    }

    static void regsIn(CpuState s, StructView regs) {
        for (int i = 0; i < 16; i++) {
            s.gpr[i] = regs.get(REG_NAMES[i]);
        }
        s.rip = regs.get("rip");
        s.rflags = (regs.get("rflags") & Rflags.DEFINED) | Rflags.FIXED1;
    }

    static void segmentOut(SegmentRegister r, StructView seg) {
        int a = r.attributes;
        seg.set("base", r.base)
                .set("limit", r.limit & 0xFFFF_FFFFL)
                .set("selector", r.selector)
                .set("type", a & 0xF)
                .set("s", (a >>> 4) & 1)
                .set("dpl", (a >>> 5) & 3)
                .set("present", (a >>> 7) & 1)
                .set("avl", (a >>> 12) & 1)
                .set("l", (a >>> 13) & 1)
                .set("db", (a >>> 14) & 1)
                .set("g", (a >>> 15) & 1)
                .set("unusable", r.unusable() ? 1 : 0);
    }

    static void segmentIn(SegmentRegister r, StructView seg) {
        int a = (int) (seg.get("type") & 0xF)
                | (int) (seg.get("s") & 1) << 4
                | (int) (seg.get("dpl") & 3) << 5
                | (int) (seg.get("present") & 1) << 7
                | (int) (seg.get("avl") & 1) << 12
                | (int) (seg.get("l") & 1) << 13
                | (int) (seg.get("db") & 1) << 14
                | (int) (seg.get("g") & 1) << 15;
        if (seg.get("unusable") != 0) {
            a |= SegmentRegister.UNUSABLE;
        }
        r.load((int) seg.get("selector"), seg.get("base"), seg.get("limit"), a);
    }

    private static void tableOut(DescriptorTable t, StructView dt) {
        dt.set("base", t.base).set("limit", t.limit);
    }

    private static void tableIn(DescriptorTable t, StructView dt) {
        t.load(dt.get("base"), (int) dt.get("limit"));
    }

    /** Fills the fields kvm_sregs and kvm_sregs2 share. */
    static void sregsOut(CpuState s, long cr8, long apicBase, StructView sregs) {
        for (int i = 0; i < 6; i++) {
            segmentOut(s.seg[i], sregs.view(SEGMENT_FIELDS[i]));
        }
        segmentOut(s.tr, sregs.view("tr"));
        segmentOut(s.ldtr, sregs.view("ldt"));
        tableOut(s.gdtr, sregs.view("gdt"));
        tableOut(s.idtr, sregs.view("idt"));
        sregs.set("cr0", s.cr0).set("cr2", s.cr2).set("cr3", s.cr3).set("cr4", s.cr4).set("cr8", cr8)
                .set("efer", s.efer).set("apic_base", apicBase);
    }

    static void sregsIn(CpuState s, StructView sregs) {
        for (int i = 0; i < 6; i++) {
            segmentIn(s.seg[i], sregs.view(SEGMENT_FIELDS[i]));
        }
        segmentIn(s.tr, sregs.view("tr"));
        segmentIn(s.ldtr, sregs.view("ldt"));
        tableIn(s.gdtr, sregs.view("gdt"));
        tableIn(s.idtr, sregs.view("idt"));
        s.cr0 = sregs.get("cr0");
        s.cr2 = sregs.get("cr2");
        s.cr3 = sregs.get("cr3");
        s.cr4 = sregs.get("cr4");
        s.efer = sregs.get("efer");
    }
}
