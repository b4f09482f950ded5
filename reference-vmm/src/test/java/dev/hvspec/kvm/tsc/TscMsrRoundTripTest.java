package dev.hvspec.kvm.tsc;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.machine.cpu.Msr;
import dev.hvspec.vmm.kvm.Kvm;
import dev.hvspec.vmm.kvm.Vcpu;
import dev.hvspec.vmm.kvm.Vm;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IA32_TSC through KVM_GET_MSRS / KVM_SET_MSRS (api.rst §4.18-4.19) with a scaled TSC (§4.55):
 * a saved value restores as itself, and the TSC then advances at the vCPU's rate on the VM clock.
 */
class TscMsrRoundTripTest {
    @Test
    void aSavedTscRestoresAndAdvancesAtTheScaledRate() {
        try (Kvm kvm = Kvm.open(HostKernel.modern()); Vm vm = kvm.createVm(); Vcpu vcpu = vm.createVcpu(0)) {
            vcpu.setTscKhz(2_000_000);
            assertThat(vcpu.tscKhz()).isEqualTo(2_000_000);
            vm.setClock(1_000);
            assertThat(vcpu.msr(Msr.IA32_TSC)).hasValue(2_000);     // 1000 ns × 2 ticks/ns, offset 0
            long saved = 0x1234_5678_9ABCL;
            assertThat(vcpu.setMsr(Msr.IA32_TSC, saved)).isTrue();
            assertThat(vcpu.msr(Msr.IA32_TSC)).hasValue(saved);     // no virtual time passed
            vm.setClock(1_500);
            assertThat(vcpu.msr(Msr.IA32_TSC)).hasValue(saved + 1_000); // 500 ns later: 1000 ticks
            vcpu.setTscKhz(0);                                        // back to the host's 1 GHz
            assertThat(vcpu.tscKhz()).isEqualTo(1_000_000);
            assertThat(vcpu.setMsr(Msr.IA32_TSC, saved)).isTrue();
            vm.setClock(2_000);
            assertThat(vcpu.msr(Msr.IA32_TSC)).hasValue(saved + 500);
        }
    }
}
