package dev.hvspec.vmm;

import dev.hvspec.machine.chipset.GsiRouter;
import dev.hvspec.vmm.firmware.PcMpTable;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The facts the board's MP table states, checked against the board's two routings. */
class BoardFirmwareTest {
    @Test
    void isaIrqsAreWhereBothIrqchipModesRouteThem() {
        // The userspace chipset's table (GsiRouter) is independent of the in-kernel one the firmware reads.
        List<PcMpTable.IsaIrq> fromUserspaceRouting = new ArrayList<>();
        for (int irq = 0; irq < 16; irq++) {
            for (GsiRouter.Route r : GsiRouter.pcRoutesWithIrq0Override().get(irq)) {
                if (r instanceof GsiRouter.Route.IoapicPin(int pin) && irq != 10 && irq != 11) {
                    fromUserspaceRouting.add(new PcMpTable.IsaIrq(irq, pin));
                }
            }
        }
        assertThat(BoardFirmware.isaIrqs()).isEqualTo(fromUserspaceRouting);
        // SeaBIOS's rule with the IRQ 0 override: IRQ 0 on pin 2, IRQ 2 absent, the rest identity.
        assertThat(BoardFirmware.isaIrqs()).first().isEqualTo(new PcMpTable.IsaIrq(0, 2));
        assertThat(BoardFirmware.isaIrqs()).extracting(PcMpTable.IsaIrq::irq)
                .containsExactly(0, 1, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15);
    }

    @Test
    void pciIntxReachesThePinOfItsPirqIrq() {
        // QEMU's i440FX swizzle (bias -1): device 2 INTA# is PIRQB, device 3 INTA# PIRQC, device 4 INTA# PIRQD.
        assertThat(PciFirmware.pirqIrq(2, 1)).isEqualTo(PciFirmware.PIRQ_IRQS[1]);
        assertThat(PciFirmware.pirqIrq(3, 1)).isEqualTo(PciFirmware.PIRQ_IRQS[2]);
        assertThat(PciFirmware.pirqIrq(4, 2)).isEqualTo(PciFirmware.PIRQ_IRQS[0]);
        assertThat(BoardFirmware.ioApicPin(PciFirmware.PIRQ_IRQS[1])).isEqualTo(PciFirmware.PIRQ_IRQS[1]);
    }
}
