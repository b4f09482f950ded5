package dev.hvspec.vmm;

import dev.hvspec.kvm.HostKernel;
import dev.hvspec.machine.chipset.GsiRouter;
import dev.hvspec.vmm.firmware.MpTable;
import dev.hvspec.vmm.firmware.PcMpTable;
import dev.hvspec.vmm.pci.PciConfigSpace;
import dev.hvspec.vmm.pci.PciFunction;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
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

    /** A function whose INTx# the test drives. */
    static final class IntxFunction extends PciFunction {
        IntxFunction(int pin) {
            super(new PciConfigSpace(0x1B36, 0x0005, 0x00FF00, 1));
            setInterruptPin(pin);
            finishLayout();
        }

        void drive(boolean asserted) {
            setInterruptState(asserted);
        }

        @Override
        protected void resetDevice() {
        }
    }

    @Test
    void everyPciEntryNamesTheIoApicPinTheFunctionsInterruptReaches() throws Exception {
        try (PcBoard board = new PcBoard(HostKernel.modern(), 16 << 20, 2, OutputStream.nullOutputStream(),
                PcBoard.IrqchipMode.USER)) {
            List<IntxFunction> functions = new ArrayList<>();
            List<Integer> slots = new ArrayList<>();
            for (int pin : new int[] {1, 2, 3, 4, 1}) {
                IntxFunction f = new IntxFunction(pin);
                functions.add(f);
                slots.add(board.attachPci(f));
            }
            board.firmwareSetup();
            PcMpTable table = BoardFirmware.mpTable(board);
            assertThat(table.cpus()).isEqualTo(2);
            assertThat(table.pciIntx()).extracting(PcMpTable.PciIntx::device).containsExactlyElementsOf(slots);
            for (PcMpTable.PciIntx entry : table.pciIntx()) {
                IntxFunction f = functions.get(slots.indexOf(entry.device()));
                assertThat(entry.pin()).isEqualTo(f.configRead(PciConfigSpace.INTERRUPT_PIN, 1));
                int before = board.chipset.chips.ioapic().save().irr();
                f.drive(true);
                int raised = board.chipset.chips.ioapic().save().irr() & ~before;
                f.drive(false);
                assertThat(raised).as("I/O APIC pins raised by device %d INT%c#", entry.device(),
                        (char) ('A' + entry.pin() - 1)).isEqualTo(1 << entry.ioApicPin());
            }
            // The firmware step left the tables where an OS scans for them.
            byte[] pointer = board.ram().read(PcMpTable.FLOATING_POINTER_ADDRESS, 16);
            assertThat(new String(pointer, 0, 4, StandardCharsets.US_ASCII)).isEqualTo(MpTable.FLOATING_SIGNATURE);
            byte[] expected = table.configurationTable();
            assertThat(board.ram().read(PcMpTable.CONFIGURATION_TABLE_ADDRESS, expected.length)).containsExactly(expected);
        }
    }
}
