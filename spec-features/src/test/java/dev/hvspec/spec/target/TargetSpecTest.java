package dev.hvspec.spec.target;

import dev.hvspec.cli.UsageException;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.vmm.PcBoard;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How {@code --target} names a hypervisor, including the reference's host setups. */
class TargetSpecTest {
    @Test
    void plainReferenceIsTheDefaultHost() {
        assertThat(TargetSpec.parse("reference")).isEqualTo(new TargetSpec.Reference(KvmParameters.Mmu.EPT,
                PcBoard.IrqchipMode.KERNEL));
        assertThat(TargetSpec.parse(null).name()).isEqualTo("reference");
    }

    @Test
    void referenceOptionsChooseTheMmuStrategyAndWhereTheIrqchipLives() {
        TargetSpec spec = TargetSpec.parse("reference:mmu=shadow, irqchip=user");
        assertThat(spec).isEqualTo(new TargetSpec.Reference(KvmParameters.Mmu.SHADOW, PcBoard.IrqchipMode.USER));
        assertThat(spec.name()).isEqualTo("reference-mmu-shadow-irqchip-user");
        assertThat(spec.isReference()).isTrue();
        assertThat(TargetSpec.parse("reference:mmu=npt").name()).isEqualTo("reference-mmu-npt");
        assertThat(Targets.open(spec).name()).as("expectations are shared by every host setup").isEqualTo("reference");
    }

    @Test
    void badReferenceOptionsAreUsageErrors() {
        assertThatThrownBy(() -> TargetSpec.parse("reference:mmu=paging")).isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown MMU strategy 'paging'");
        assertThatThrownBy(() -> TargetSpec.parse("reference:irqchip=split")).isInstanceOf(UsageException.class)
                .hasMessageContaining("irqchip must be kernel or user");
        assertThatThrownBy(() -> TargetSpec.parse("reference:cpus=4")).isInstanceOf(UsageException.class)
                .hasMessageContaining("unknown option 'cpus=4'");
    }
}
