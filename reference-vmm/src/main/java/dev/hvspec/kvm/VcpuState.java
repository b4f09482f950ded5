package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.ControlBits;
import dev.hvspec.machine.cpu.CpuException;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.cpu.CpuidModel;
import dev.hvspec.machine.cpu.Msr;
import dev.hvspec.machine.mmu.Access;
import dev.hvspec.machine.mmu.PageWalker;
import dev.hvspec.machine.mmu.SlotPhysicalMemory;
import dev.hvspec.machine.mmu.Translation;

import java.util.List;
import java.util.OptionalLong;

/**
 * The vCPU state ioctls: registers (api.rst §4.11-4.14, §4.131-4.132), MSRs (§4.18-4.19), CPUID
 * (§4.20, §4.46), FPU (§4.22-4.23), MP state (§4.38-4.39), vCPU events (§4.31-4.32), debug
 * registers (§4.33-4.34), XSAVE/XCRs (§4.42-4.45), address translation (§4.15), guest debug
 * (§4.87) and the TSC frequency (§4.55-4.56, {@link TscScaling}).
 */
final class VcpuState {
    // KVM_MP_STATE_* (linux/kvm.h, api.rst §4.38).
    static final int MP_RUNNABLE = 0;
    static final int MP_UNINITIALIZED = 1;
    static final int MP_INIT_RECEIVED = 2;
    static final int MP_HALTED = 3;
    static final int MP_SIPI_RECEIVED = 4;
    // kvm_vcpu_events.flags and interrupt.shadow (linux/kvm.h)
    static final int VALID_NMI_PENDING = 1;
    static final int VALID_SIPI_VECTOR = 2;
    static final int VALID_SHADOW = 4;
    static final int SHADOW_INT_MOV_SS = 1;
    static final int SHADOW_INT_STI = 2;
    // kvm_guest_debug.control
    static final int GUESTDBG_ENABLE = 1;
    static final int GUESTDBG_SINGLESTEP = 2;
    /** The most MSRs one KVM_GET/SET_MSRS may name (arch/x86/kvm/x86.c MAX_IO_MSRS). */
    static final int MAX_IO_MSRS = 256;

    private final VcpuFile vcpu;
    /** Guest memory as KVM's own code reads it (kvm_read_guest): through the slots. */
    private final SlotPhysicalMemory guestMemory;
    int guestDebug;

    VcpuState(VcpuFile vcpu) {
        this.vcpu = vcpu;
        this.guestMemory = new SlotPhysicalMemory(vcpu.vm.slots);
        // A new vCPU's x87/SSE state is FNINIT's with MXCSR 1F80H, as Linux initialises it.
        vcpu.cpu.state().x87.init();
        vcpu.cpu.state().sse.mxcsr = dev.hvspec.machine.cpu.SseRegisters.MXCSR_RESET;
    }

    long apicBase() {
        return vcpu.apic != null ? vcpu.apic.lapic().apicBase() : vcpu.userspaceApic.apicBase();
    }

    /** Sets IA32_APIC_BASE as the host does (KVM_SET_SREGS/KVM_SET_MSRS); false if the APIC rejects it. */
    private boolean setApicBase(long value) {
        if (vcpu.apic == null) {
            vcpu.userspaceApic.setApicBase(value);
            return true;
        }
        return !vcpu.apic.lapic().writeMsr(Msr.IA32_APIC_BASE, value).isFault();
    }

    private CpuState s() {
        return vcpu.cpu.state();
    }

    private StructView view(StructLayout layout, long arg) {
        return vcpu.view(layout, arg);
    }

    long ioctl(KvmIoctl ioctl, long arg) {
        return switch (ioctl) {
            case GET_REGS -> {
                StateMapping.regsOut(s(), view(KvmStructs.KVM_REGS, arg));
                yield 0;
            }
            case SET_REGS -> {
                StateMapping.regsIn(s(), view(KvmStructs.KVM_REGS, arg));
                // General registers, RIP and RFLAGS do not take part in address translation: the TLB
                // stays valid (as in KVM, which does not flush on KVM_SET_REGS); only re-examine events.
                vcpu.cpu.poke();
                yield 0;
            }
            case GET_SREGS -> getSregs(view(KvmStructs.KVM_SREGS, arg), false);
            case SET_SREGS -> setSregs(view(KvmStructs.KVM_SREGS, arg), false);
            case GET_SREGS2 -> getSregs(view(KvmStructs.KVM_SREGS2, arg), true);
            case SET_SREGS2 -> setSregs(view(KvmStructs.KVM_SREGS2, arg), true);
            case GET_MSRS -> msrs(arg, false);
            case SET_MSRS -> msrs(arg, true);
            case SET_CPUID -> setCpuid(arg);
            case SET_CPUID2 -> setCpuid2(arg);
            case GET_CPUID2 -> getCpuid2(arg);
            case GET_FPU -> {
                FpuStateMapping.fpuOut(s(), view(KvmStructs.KVM_FPU, arg));
                yield 0;
            }
            case SET_FPU -> {
                FpuStateMapping.fpuIn(s(), view(KvmStructs.KVM_FPU, arg));
                yield 0;
            }
            case GET_XSAVE -> {
                FpuStateMapping.xsaveOut(s(), vcpu.vm.kernel.user(arg, KvmStructs.KVM_XSAVE.size()));
                yield 0;
            }
            case SET_XSAVE -> {
                if (!FpuStateMapping.xsaveIn(s(), vcpu.vm.kernel.user(arg, KvmStructs.KVM_XSAVE.size()))) {
                    throw KvmError.of(Errno.EINVAL, "kvm_xsave: reserved MXCSR bits");
                }
                yield 0;
            }
            case GET_XCRS -> getXcrs(view(KvmStructs.KVM_XCRS, arg));
            case SET_XCRS -> setXcrs(view(KvmStructs.KVM_XCRS, arg));
            case GET_MP_STATE -> {
                int state = vcpu.mpState == MP_RUNNABLE && s().halted ? MP_HALTED : vcpu.mpState;
                view(KvmStructs.KVM_MP_STATE, arg).set("mp_state", state);
                yield 0;
            }
            case SET_MP_STATE -> setMpState((int) view(KvmStructs.KVM_MP_STATE, arg).get("mp_state"));
            case GET_LAPIC -> {
                if (vcpu.apic == null) {
                    throw KvmError.of(Errno.ENXIO, "no in-kernel local APIC");
                }
                vcpu.vm.kernel.user(arg, KvmStructs.KVM_LAPIC_STATE.size())
                        .put(0, vcpu.apic.lapic().save().registers().regs());
                yield 0;
            }
            case SET_LAPIC -> {
                if (vcpu.apic == null) {
                    throw KvmError.of(Errno.ENXIO, "no in-kernel local APIC");
                }
                byte[] regs = new byte[(int) KvmStructs.KVM_LAPIC_STATE.size()];
                vcpu.vm.kernel.user(arg, regs.length).get(0, regs);
                var now = vcpu.apic.lapic().save();
                vcpu.apic.lapic().restore(dev.hvspec.machine.chipset.LocalApicState.fromKvm(
                        new dev.hvspec.machine.chipset.KvmLapicState(regs), now.apicBase(), now.tscDeadline()));
                vcpu.cpu.poke();
                yield 0;
            }
            case GET_VCPU_EVENTS -> getEvents(view(KvmStructs.KVM_VCPU_EVENTS, arg));
            case SET_VCPU_EVENTS -> setEvents(view(KvmStructs.KVM_VCPU_EVENTS, arg));
            case GET_DEBUGREGS -> getDebugRegs(view(KvmStructs.KVM_DEBUGREGS, arg));
            case SET_DEBUGREGS -> setDebugRegs(view(KvmStructs.KVM_DEBUGREGS, arg));
            case TRANSLATE -> translate(view(KvmStructs.KVM_TRANSLATION, arg));
            case SET_GUEST_DEBUG -> {
                guestDebug = (int) view(KvmStructs.KVM_GUEST_DEBUG, arg).get("control");
                yield 0;
            }
            case ENABLE_CAP -> VmFile.enableCap(vcpu.vm.kernel, view(KvmStructs.KVM_ENABLE_CAP, arg));
            case SET_TSC_KHZ -> TscScaling.set(vcpu, arg);
            case GET_TSC_KHZ -> TscScaling.get(vcpu);
            default -> throw KvmError.of(Errno.ENOTTY, ioctl + " is not implemented on a vcpu fd");
        };
    }

    /** api.rst §4.39: with an in-kernel local APIC every state is valid; without one only RUNNABLE. */
    private long setMpState(int state) {
        if (vcpu.apic == null) {
            if (state != MP_RUNNABLE) {
                throw KvmError.of(Errno.EINVAL, "without an in-kernel local APIC only RUNNABLE is valid");
            }
            return 0;
        }
        switch (state) {
            case MP_RUNNABLE, MP_UNINITIALIZED, MP_INIT_RECEIVED, MP_SIPI_RECEIVED -> {
                s().halted = false;
                vcpu.mpState = state == MP_SIPI_RECEIVED ? MP_RUNNABLE : state;
            }
            case MP_HALTED -> {
                vcpu.mpState = MP_RUNNABLE;
                s().halted = true;
            }
            default -> throw KvmError.of(Errno.EINVAL, "unknown mp_state " + state);
        }
        vcpu.wake();
        return 0;
    }

    private long getSregs(StructView sregs, boolean two) {
        sregs.clear();
        StateMapping.sregsOut(s(), vcpu.apic != null ? vcpu.apic.readCr8() : s().cr8, apicBase(), sregs);
        if (two) {
            // api.rst §4.131: the PDPTRs are valid (and reported) only with PAE paging.
            if (paePaging(s().cr0, s().cr4, s().efer)) {
                for (int i = 0; i < 4; i++) {
                    sregs.set("pdptrs[" + i + "]", s().pdpte[i]);
                }
                sregs.set("flags", SREGS2_FLAGS_PDPTRS_VALID);
            }
        } else if (!validatesSregs()) {
            // 2.6.2x: interrupt_bitmap is the set of interrupts KVM_INTERRUPT queued (irq_pending).
            // 6.1 reports only an injection in progress, and KVM_INTERRUPT's vector is not one
            // until the next entry (pending_external_vector), so it shows nothing here.
            int queued = vcpu.injection.queuedVector();
            if (queued >= 0) {
                sregs.set("interrupt_bitmap[" + (queued / 64) + "]", 1L << (queued % 64));
            }
        }
        return 0;
    }

    private long setSregs(StructView sregs, boolean two) {
        if (validatesSregs() && !validSregs(sregs)) {
            throw KvmError.of(Errno.EINVAL, "inconsistent kvm_sregs (kvm_is_valid_sregs)");
        }
        boolean pdptrsGiven = false;
        if (two) {
            // api.rst §4.132: the only flag is KVM_SREGS2_FLAGS_PDPTRS_VALID, valid only with PAE paging.
            long flags = sregs.get("flags");
            pdptrsGiven = (flags & SREGS2_FLAGS_PDPTRS_VALID) != 0;
            if ((flags & ~(long) SREGS2_FLAGS_PDPTRS_VALID) != 0
                    || (pdptrsGiven && !paePaging(sregs.get("cr0"), sregs.get("cr4"), sregs.get("efer")))) {
                throw KvmError.of(Errno.EINVAL, "bad kvm_sregs2 flags");
            }
        }
        StateMapping.sregsIn(s(), sregs);
        if (vcpu.apic != null) {
            vcpu.apic.writeCr8(sregs.get("cr8") & 0xF);
        } else {
            s().cr8 = sregs.get("cr8") & 0xF;
        }
        if (!setApicBase(sregs.get("apic_base"))) {
            throw KvmError.of(Errno.EINVAL, "invalid apic_base");
        }
        if (two) {
            if (pdptrsGiven) {
                for (int i = 0; i < 4; i++) {
                    s().pdpte[i] = sregs.get("pdptrs[" + i + "]");
                }
            } else {
                loadPdptesIfPae();
            }
        } else {
            vcpu.injection.clear();
            for (int word = 0; word < 4; word++) {
                long bits = sregs.get("interrupt_bitmap[" + word + "]");
                if (bits != 0) {
                    vcpu.injection.queue(word * 64 + Long.numberOfTrailingZeros(bits));
                }
            }
            loadPdptesIfPae();
        }
        vcpu.cpu.stateChanged();
        return 0;
    }

    static final int SREGS2_FLAGS_PDPTRS_VALID = 1;

    /** PAE paging: CR0.PG, CR4.PAE and not IA-32e mode (SDM 3A §4.1.1). */
    private static boolean paePaging(long cr0, long cr4, long efer) {
        return (cr0 & ControlBits.CR0_PG) != 0 && (cr4 & ControlBits.CR4_PAE) != 0
                && (efer & ControlBits.EFER_LMA) == 0;
    }

    /**
     * Whether this release checks kvm_sregs before loading it. The 2.6.2x releases copied the
     * registers as given (an inconsistent state then failed at VM entry, KVM_EXIT_FAIL_ENTRY);
     * 6.1 rejects it with -EINVAL (arch/x86/kvm/x86.c, kvm_is_valid_sregs).
     */
    private boolean validatesSregs() {
        return !vcpu.vm.kernel.profile().release().startsWith("2.6.");
    }

    /**
     * 6.1's kvm_is_valid_sregs: with EFER.LME and CR0.PG the processor is in IA-32e mode, so
     * CR4.PAE and EFER.LMA must be set; otherwise EFER.LMA and CS.L must be clear. CR4 must have no
     * reserved bits. (CR0 is not checked here in 6.1: CR0.PG without CR0.PE reaches VM entry.)
     */
    private static boolean validSregs(StructView sregs) {
        long efer = sregs.get("efer");
        long cr0 = sregs.get("cr0");
        long cr4 = sregs.get("cr4");
        if ((efer & ControlBits.EFER_LME) != 0 && (cr0 & ControlBits.CR0_PG) != 0) {
            if ((cr4 & ControlBits.CR4_PAE) == 0 || (efer & ControlBits.EFER_LMA) == 0) {
                return false;
            }
        } else if ((efer & ControlBits.EFER_LMA) != 0 || sregs.get("cs.l") != 0) {
            return false;
        }
        return (cr4 & ~VmEntryChecks.CR4_DEFINED) == 0;
    }

    /** KVM reloads the PDPTE registers from guest memory when userspace sets PAE paging state. */
    private void loadPdptesIfPae() {
        CpuState s = s();
        if (paePaging(s.cr0, s.cr4, s.efer)) {
            long base = s.cr3 & 0xFFFF_FFE0L;
            for (int i = 0; i < 4; i++) {
                s.pdpte[i] = guestMemory.readEntry(base + 8L * i, 8); // kvm_read_guest
            }
        }
    }

    /**
     * api.rst §4.18/4.19: processes entries in order and returns how many succeeded; the first
     * MSR the processor does not have stops the list.
     */
    private long msrs(long arg, boolean write) {
        StructView header = view(KvmStructs.KVM_MSRS, arg);
        long n = header.get("nmsrs");
        if (n >= MAX_IO_MSRS) {
            // arch/x86/kvm/x86.c msr_io: nmsrs >= MAX_IO_MSRS (256) is -E2BIG.
            throw KvmError.of(Errno.E2BIG, "too many MSRs");
        }
        StructView msrs = StructView.of(KvmStructs.KVM_MSRS,
                vcpu.vm.kernel.user(arg, KvmStructs.KVM_MSRS.sizeWith((int) n)));
        for (int i = 0; i < n; i++) {
            int index = (int) msrs.get("entries[" + i + "].index");
            if (write) {
                long value = msrs.get("entries[" + i + "].data");
                if (index == Msr.IA32_APIC_BASE && vcpu.apic == null) {
                    vcpu.userspaceApic.setApicBase(value);
                } else if (!vcpu.cpu.writeMsr(index, value)) {
                    return i;
                }
            } else {
                OptionalLong value = index == Msr.IA32_APIC_BASE && vcpu.apic == null ? OptionalLong.of(apicBase())
                        : vcpu.cpu.readMsr(index);
                if (value.isEmpty()) {
                    return i;
                }
                msrs.set("entries[" + i + "].data", value.getAsLong());
            }
        }
        vcpu.cpu.stateChanged();
        return n;
    }

    /**
     * api.rst §4.20 KVM_SET_CPUID, the original form: kvm_cpuid_entry has no subleaf index, so
     * every leaf is taken as subleaf 0 without KVM_CPUID_FLAG_SIGNIFCANT_INDEX.
     */
    private long setCpuid(long arg) {
        StructView header = view(KvmStructs.KVM_CPUID, arg);
        int n = (int) header.get("nent");
        if (n < 0 || n > 256) {
            throw KvmError.of(Errno.E2BIG, "too many CPUID entries");
        }
        StructView all = StructView.of(KvmStructs.KVM_CPUID, vcpu.vm.kernel.user(arg, KvmStructs.KVM_CPUID.sizeWith(n)));
        List<CpuidModel.Entry> table = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            String p = "entries[" + i + "].";
            table.add(new CpuidModel.Entry((int) all.get(p + "function"), 0, false, (int) all.get(p + "eax"),
                    (int) all.get(p + "ebx"), (int) all.get(p + "ecx"), (int) all.get(p + "edx")));
        }
        vcpu.cpu.setCpuid(table);
        return 0;
    }

    private long setCpuid2(long arg) {
        StructView header = view(KvmStructs.KVM_CPUID2, arg);
        int n = (int) header.get("nent");
        if (n < 0 || n > 256) {
            throw KvmError.of(Errno.E2BIG, "too many CPUID entries");
        }
        StructView all = StructView.of(KvmStructs.KVM_CPUID2, vcpu.vm.kernel.user(arg, KvmStructs.KVM_CPUID2.sizeWith(n)));
        vcpu.cpu.setCpuid(CpuidTable.read(all, n));
        return 0;
    }

    /**
     * KVM_GET_CPUID2: the vCPU's table, nent set to its size; -E2BIG, with nothing copied back, when
     * the caller's array is too small (6.1 kvm_vcpu_ioctl_get_cpuid2).
     */
    private long getCpuid2(long arg) {
        List<CpuidModel.Entry> table = vcpu.cpu.cpuid();
        StructView header = view(KvmStructs.KVM_CPUID2, arg);
        if (header.get("nent") < table.size()) {
            throw KvmError.of(Errno.E2BIG, "kvm_cpuid2 too small");
        }
        CpuidTable.write(StructView.of(KvmStructs.KVM_CPUID2,
                vcpu.vm.kernel.user(arg, KvmStructs.KVM_CPUID2.sizeWith(table.size()))), table);
        return 0;
    }

    private long getXcrs(StructView xcrs) {
        xcrs.clear().set("nr_xcrs", 1).set("xcrs[0].xcr", 0).set("xcrs[0].value", s().xcr0);
        return 0;
    }

    /** Only XCR0 exists, and only its x87 bit (no XSAVE features are advertised). */
    private long setXcrs(StructView xcrs) {
        long n = xcrs.get("nr_xcrs");
        if (n > 16 || xcrs.get("flags") != 0) {
            throw KvmError.of(Errno.EINVAL, "bad kvm_xcrs");
        }
        for (int i = 0; i < n; i++) {
            if (xcrs.get("xcrs[" + i + "].xcr") != 0 || xcrs.get("xcrs[" + i + "].value") != 1) {
                throw KvmError.of(Errno.EINVAL, "unsupported XCR value");
            }
        }
        return 0;
    }

    private long getEvents(StructView e) {
        e.clear();
        int queued = vcpu.injection.queuedVector();
        boolean nmi = vcpu.apic != null ? vcpu.apic.nmiQueued() : vcpu.injection.nmiPending();
        e.set("interrupt.injected", queued >= 0 ? 1 : 0).set("interrupt.nr", Math.max(queued, 0))
                .set("interrupt.shadow", (s().movSsShadow ? SHADOW_INT_MOV_SS : 0) | (s().stiShadow ? SHADOW_INT_STI : 0))
                .set("nmi.pending", nmi ? 1 : 0)
                .set("nmi.masked", s().nmiBlocked ? 1 : 0)
                .set("flags", VALID_NMI_PENDING | VALID_SHADOW);
        return 0;
    }

    private long setEvents(StructView e) {
        long flags = e.get("flags");
        if ((flags & ~(long) (VALID_NMI_PENDING | VALID_SIPI_VECTOR | VALID_SHADOW)) != 0) {
            throw KvmError.of(Errno.EINVAL, "unsupported kvm_vcpu_events flags");
        }
        vcpu.injection.clear();
        if (e.get("interrupt.injected") != 0) {
            vcpu.injection.queue((int) e.get("interrupt.nr"));
        }
        if ((flags & VALID_SHADOW) != 0) {
            long shadow = e.get("interrupt.shadow");
            s().movSsShadow = (shadow & SHADOW_INT_MOV_SS) != 0;
            s().stiShadow = (shadow & SHADOW_INT_STI) != 0;
        }
        if ((flags & VALID_NMI_PENDING) != 0) {
            if (vcpu.apic != null) {
                vcpu.apic.setNmiQueued(e.get("nmi.pending") != 0);
            } else {
                vcpu.injection.setNmiPending(e.get("nmi.pending") != 0);
            }
        }
        s().nmiBlocked = e.get("nmi.masked") != 0;
        vcpu.cpu.stateChanged();
        return 0;
    }

    private long getDebugRegs(StructView d) {
        d.clear();
        for (int i = 0; i < 4; i++) {
            d.set("db[" + i + "]", s().dr[i]);
        }
        d.set("dr6", s().dr[6]).set("dr7", s().dr[7]);
        return 0;
    }

    private long setDebugRegs(StructView d) {
        if (d.get("flags") != 0 || (d.get("dr6") >>> 32) != 0 || (d.get("dr7") >>> 32) != 0) {
            throw KvmError.of(Errno.EINVAL, "bad kvm_debugregs");
        }
        for (int i = 0; i < 4; i++) {
            s().dr[i] = d.get("db[" + i + "]");
        }
        s().dr[6] = d.get("dr6");
        s().dr[7] = d.get("dr7");
        return 0;
    }

    /** api.rst §4.15: translate a linear address with the vCPU's current paging state. */
    private long translate(StructView t) {
        long linear = t.get("linear_address");
        // 6.1 kvm_arch_vcpu_ioctl_translate: a supervisor read walk; an untranslatable address gives
        // INVALID_GPA (all ones) and valid = 0; writeable and usermode are always reported as 1 and 0.
        try {
            // KVM's software walker over guest memory (kvm_mmu_gva_to_gpa_system), not the hardware's,
            // whose frames are host-physical under shadow paging and whose walks could exit under EPT.
            Translation tr = new PageWalker(guestMemory).translate(linear, Access.SUPERVISOR_READ,
                    vcpu.cpu.mmu().guestContext());
            t.set("physical_address", tr.physicalFrame() | (linear & 0xFFF)).set("valid", 1);
        } catch (CpuException e) {
            t.set("physical_address", -1L).set("valid", 0);
        }
        t.set("writeable", 1).set("usermode", 0);
        return 0;
    }
}
