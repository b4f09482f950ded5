package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.kvm.abi.KvmIoctl;
import dev.hvspec.kvm.abi.KvmStructs;
import dev.hvspec.kvm.abi.StructLayout;
import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.CpuException;
import dev.hvspec.machine.cpu.CpuState;
import dev.hvspec.machine.cpu.CpuidModel;
import dev.hvspec.machine.cpu.Msr;
import dev.hvspec.machine.mmu.Access;
import dev.hvspec.machine.mmu.Translation;

import java.util.List;
import java.util.OptionalLong;

/**
 * The vCPU state ioctls: registers (api.rst §4.11-4.14, §4.131-4.132), MSRs (§4.18-4.19), CPUID
 * (§4.20, §4.46), FPU (§4.22-4.23), MP state (§4.38-4.39), vCPU events (§4.31-4.32), debug
 * registers (§4.33-4.34), XSAVE/XCRs (§4.42-4.45), address translation (§4.15) and guest debug
 * (§4.87).
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

    private final VcpuFile vcpu;
    private long apicBase = 0xFEE0_0000L | 0x800 | 0x100; // enabled, BSP (SDM 3A §11.4.4)
    int guestDebug;

    VcpuState(VcpuFile vcpu) {
        this.vcpu = vcpu;
        if (vcpu.id != 0) {
            apicBase &= ~0x100L;
        }
        // A new vCPU's x87/SSE state is FNINIT's with MXCSR 1F80H, as Linux initialises it.
        vcpu.cpu.state().x87.init();
        vcpu.cpu.state().sse.mxcsr = dev.hvspec.machine.cpu.SseRegisters.MXCSR_RESET;
    }

    long apicBase() {
        return vcpu.apic != null ? vcpu.apic.lapic().apicBase() : apicBase;
    }

    /** Sets IA32_APIC_BASE as the host does (KVM_SET_SREGS/KVM_SET_MSRS); false if the APIC rejects it. */
    private boolean setApicBase(long value) {
        if (vcpu.apic == null) {
            apicBase = value;
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
                vcpu.cpu.stateChanged();
                yield 0;
            }
            case GET_SREGS -> getSregs(view(KvmStructs.KVM_SREGS, arg), false);
            case SET_SREGS -> setSregs(view(KvmStructs.KVM_SREGS, arg), false);
            case GET_SREGS2 -> getSregs(view(KvmStructs.KVM_SREGS2, arg), true);
            case SET_SREGS2 -> setSregs(view(KvmStructs.KVM_SREGS2, arg), true);
            case GET_MSRS -> msrs(arg, false);
            case SET_MSRS -> msrs(arg, true);
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
                vcpu.apic.lapic().restore(new dev.hvspec.machine.chipset.LocalApicState(
                        new dev.hvspec.machine.chipset.KvmLapicState(regs), now.apicBase(), now.tscDeadline(),
                        now.pendingErrors(), now.lint0Level(), now.lint1Level(), now.nmiPending(), now.smiPending(),
                        now.initPending(), now.startupVector(), now.extIntPending()));
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
            for (int i = 0; i < 4; i++) {
                sregs.set("pdptrs[" + i + "]", s().pdpte[i]);
            }
            sregs.set("flags", 1); // KVM_SREGS2_FLAGS_PDPTRS_VALID
        } else {
            int queued = vcpu.injection.queuedVector();
            if (queued >= 0) {
                sregs.set("interrupt_bitmap[" + (queued / 64) + "]", 1L << (queued % 64));
            }
        }
        return 0;
    }

    private long setSregs(StructView sregs, boolean two) {
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
            if ((sregs.get("flags") & ~1L) != 0) {
                throw KvmError.of(Errno.EINVAL, "unknown kvm_sregs2 flags");
            }
            if ((sregs.get("flags") & 1) != 0) {
                for (int i = 0; i < 4; i++) {
                    s().pdpte[i] = sregs.get("pdptrs[" + i + "]");
                }
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

    /** KVM reloads the PDPTE registers from guest memory when userspace sets PAE paging state. */
    private void loadPdptesIfPae() {
        CpuState s = s();
        boolean pae = (s.cr0 & (1L << 31)) != 0 && (s.cr4 & (1L << 5)) != 0 && (s.efer & (1L << 10)) == 0;
        if (pae) {
            long base = s.cr3 & 0xFFFF_FFE0L;
            for (int i = 0; i < 4; i++) {
                s.pdpte[i] = vcpu.cpu.mmu().physical().readEntry(base + 8L * i, 8);
            }
        }
    }

    /**
     * api.rst §4.18/4.19: processes entries in order and returns how many succeeded; the first
     * MSR the processor does not have stops the list.
     */
    private long msrs(long arg, boolean write) {
        StructView header = view(KvmStructs.KVM_MSRS, arg);
        int n = (int) header.get("nmsrs");
        if (n > 1024) {
            throw KvmError.of(Errno.E2BIG, "too many MSRs");
        }
        StructView msrs = StructView.of(KvmStructs.KVM_MSRS, vcpu.vm.kernel.user(arg, KvmStructs.KVM_MSRS.sizeWith(n)));
        for (int i = 0; i < n; i++) {
            int index = (int) msrs.get("entries[" + i + "].index");
            if (write) {
                long value = msrs.get("entries[" + i + "].data");
                if (index == Msr.IA32_APIC_BASE && vcpu.apic == null) {
                    apicBase = value;
                } else if (!vcpu.cpu.writeMsr(index, value)) {
                    return i;
                }
            } else {
                OptionalLong value = index == Msr.IA32_APIC_BASE && vcpu.apic == null ? OptionalLong.of(apicBase)
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

    private long setCpuid2(long arg) {
        StructView header = view(KvmStructs.KVM_CPUID2, arg);
        int n = (int) header.get("nent");
        if (n > 256) {
            throw KvmError.of(Errno.E2BIG, "too many CPUID entries");
        }
        StructView all = StructView.of(KvmStructs.KVM_CPUID2, vcpu.vm.kernel.user(arg, KvmStructs.KVM_CPUID2.sizeWith(n)));
        vcpu.cpu.setCpuid(CpuidTable.read(all, n));
        return 0;
    }

    /** api.rst §4.20: -E2BIG with nent set when the caller's array is too small. */
    private long getCpuid2(long arg) {
        List<CpuidModel.Entry> table = vcpu.cpu.cpuid();
        StructView header = view(KvmStructs.KVM_CPUID2, arg);
        if (header.get("nent") < table.size()) {
            header.set("nent", table.size());
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
        try {
            Translation tr = vcpu.cpu.mmu().translate(linear, Access.SUPERVISOR_READ);
            t.set("physical_address", tr.physicalFrame() | (linear & 0xFFF)).set("valid", 1)
                    .set("writeable", tr.writable() ? 1 : 0).set("usermode", tr.user() ? 1 : 0);
        } catch (CpuException e) {
            t.set("physical_address", 0).set("valid", 0).set("writeable", 0).set("usermode", 0);
        }
        return 0;
    }
}
