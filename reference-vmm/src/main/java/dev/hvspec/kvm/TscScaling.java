package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.Errno;
import dev.hvspec.machine.time.TscFrequency;

/**
 * KVM_SET_TSC_KHZ and KVM_GET_TSC_KHZ (api.rst §4.55, §4.56) on a vCPU: the guest TSC's rate, in
 * kHz, applied through the processor's TSC multiplier (SDM 3C §26.6.5). As Linux 6.1 does it
 * (arch/x86/kvm/x86.c, kvm_arch_vcpu_ioctl and kvm_set_tsc_khz):
 * <ul>
 *   <li>the argument is the frequency by value, truncated to 32 bits (a u32);</li>
 *   <li>0 stands for the host's TSC frequency ({@link #HOST_TSC_KHZ});</li>
 *   <li>a frequency at or above the largest the multiplier can express (kvm_caps.max_guest_tsc_khz)
 *       is refused with EINVAL;</li>
 *   <li>KVM_GET_TSC_KHZ returns the vCPU's frequency (virtual_tsc_khz) as the ioctl's value.</li>
 * </ul>
 * A difference kept on purpose: Linux leaves a rate within tsc_tolerance_ppm (250 ppm) of the host's
 * unscaled while still reporting it; here every rate is applied exactly, so what the guest's TSC
 * counts is always what KVM_GET_TSC_KHZ says.
 */
final class TscScaling {
    /** The host's TSC frequency: 1 GHz, one tick per nanosecond of {@link VmClock}. */
    static final long HOST_TSC_KHZ = 1_000_000L;

    private TscScaling() {
    }

    /**
     * kvm_caps.max_guest_tsc_khz: min(0x7fffffff, the host rate scaled by the largest multiplier),
     * the kernel keeping it within a signed int. VMX's multiplier (kvm_intel) is 64 bits with 48
     * fractional bits, at most 2^64 − 1; SVM's (kvm_amd) has 32 fractional bits, at most 2^40 − 1.
     */
    static long maxGuestTscKhz(KvmParameters.Mmu mmu) {
        long scaled = mmu == KvmParameters.Mmu.NPT
                ? scale(HOST_TSC_KHZ, 0xFF_FFFF_FFFFL, 32)
                : scale(HOST_TSC_KHZ, -1L, 48);
        return Math.min(0x7FFF_FFFFL, scaled);
    }

    /** (tsc × ratio) >> fracBits over 128 bits, ratio unsigned (Linux's __scale_tsc); the result fits 64 bits here. */
    private static long scale(long tsc, long ratio, int fracBits) {
        long high = Math.unsignedMultiplyHigh(tsc, ratio);
        long low = tsc * ratio;
        return high << (64 - fracBits) | low >>> fracBits;
    }

    /** api.rst §4.55 KVM_SET_TSC_KHZ. */
    static long set(VcpuFile vcpu, long arg) {
        long khz = arg & 0xFFFF_FFFFL; // u32 user_tsc_khz = (u32)arg
        if (khz >= maxGuestTscKhz(vcpu.vm.kernel.parameters().mmu())) {
            throw KvmError.of(Errno.EINVAL, "TSC frequency " + khz + " kHz is beyond what TSC scaling can express");
        }
        if (khz == 0) {
            khz = HOST_TSC_KHZ;
        }
        vcpu.cpu.setTscFrequency(new TscFrequency(khz));
        return 0;
    }

    /** api.rst §4.56 KVM_GET_TSC_KHZ. */
    static long get(VcpuFile vcpu) {
        return vcpu.cpu.tscFrequency().khz();
    }
}
