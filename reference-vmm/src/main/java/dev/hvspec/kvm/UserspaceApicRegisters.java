package dev.hvspec.kvm;

import dev.hvspec.machine.chipset.ApicBaseMsr;
import dev.hvspec.machine.chipset.LocalApicConfig;
import dev.hvspec.machine.chipset.TscTimebase;
import dev.hvspec.machine.cpu.CpuException;
import dev.hvspec.machine.cpu.CpuidModel;
import dev.hvspec.machine.cpu.Msr;
import dev.hvspec.machine.cpu.PlatformRegisters;

import java.util.OptionalLong;

/**
 * The APIC MSRs of a vCPU whose local APIC is emulated in userspace (no KVM_CREATE_IRQCHIP). As
 * Linux's KVM does without an in-kernel LAPIC (arch/x86/kvm/x86.c: MSR_IA32_APICBASE through
 * kvm_set_apic_base/kvm_get_apic_base, MSR_IA32_TSC_DEADLINE through the lapic helpers that do
 * nothing without one), the kernel keeps IA32_APIC_BASE itself: a guest WRMSR is checked for
 * reserved bits and invalid mode transitions (SDM 3A §11.4.4, §11.12.5; EXTD is reserved when the
 * vCPU's CPUID has no x2APIC) and then stored; the value goes out in kvm_run.apic_base after every
 * KVM_RUN, where userspace applies it to its APIC (QEMU: kvm_arch_post_run). IA32_TSC_DEADLINE
 * reads 0 and ignores writes; the x2APIC MSRs raise #GP. CR8 is the plain 4-bit register of the
 * processor state (the one KVM_GET_SREGS and kvm_run.cr8 report).
 */
final class UserspaceApicRegisters implements PlatformRegisters {
    private final VcpuFile vcpu;
    private volatile long apicBase;

    UserspaceApicRegisters(VcpuFile vcpu) {
        this.vcpu = vcpu;
        // SDM 3A §11.4.4: enabled at the default base after reset; BSP set on the bootstrap processor.
        this.apicBase = 0xFEE0_0000L | ApicBaseMsr.EN | (vcpu.id == 0 ? ApicBaseMsr.BSP : 0);
    }

    long apicBase() {
        return apicBase;
    }

    /** Host-initiated (KVM_SET_SREGS, KVM_SET_MSRS): stored as given, as KVM does for host writes. */
    void setApicBase(long value) {
        apicBase = value;
    }

    @Override
    public OptionalLong readMsr(int msr) {
        return switch (msr) {
            case Msr.IA32_APIC_BASE -> OptionalLong.of(apicBase);
            case Msr.IA32_TSC_DEADLINE -> OptionalLong.of(0);
            default -> OptionalLong.empty();
        };
    }

    @Override
    public boolean writeMsr(int msr, long value) {
        switch (msr) {
            case Msr.IA32_APIC_BASE -> {
                if (ApicBaseMsr.violation(apicBase, value, limits()) != null) {
                    throw CpuException.gp(0);
                }
                // The BSP flag is read-only (SDM 3A Figure 11-5).
                apicBase = (value & ~ApicBaseMsr.BSP) | (apicBase & ApicBaseMsr.BSP);
                return true;
            }
            case Msr.IA32_TSC_DEADLINE -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** What the vCPU's CPUID allows: EXTD only with CPUID.01H:ECX.x2APIC, base bits below MAXPHYADDR. */
    private LocalApicConfig limits() {
        boolean x2apic = false;
        int maxPhys = 36; // SDM 3A §4.1.4: 36 when CPUID.80000008H is absent
        for (CpuidModel.Entry e : vcpu.cpu.cpuid()) {
            if (e.function() == 1) {
                x2apic = (e.ecx() & CpuidModel.ECX1_X2APIC) != 0;
            } else if (e.function() == 0x8000_0008) {
                maxPhys = e.eax() & 0xFF;
            }
        }
        return new LocalApicConfig(vcpu.id, vcpu.id == 0, 1, Math.clamp(maxPhys, 32, 52), x2apic, false, false,
                TscTimebase.fixedRate(1_000_000_000L));
    }

    @Override
    public long readCr8() {
        return vcpu.cpu.state().cr8;
    }

    @Override
    public void writeCr8(long value) {
        vcpu.cpu.state().cr8 = value & 0xF;
    }
}
