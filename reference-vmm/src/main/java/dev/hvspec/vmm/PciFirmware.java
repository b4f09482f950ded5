package dev.hvspec.vmm;

import dev.hvspec.vmm.pci.PciConfigSpace;
import dev.hvspec.vmm.pci.IntxRouter;
import dev.hvspec.vmm.pci.PciHostBridge;

/**
 * What the firmware does to PCI before the OS starts, done by the VMM because the reference boots
 * kernels directly (QEMU's {@code -kernel} runs SeaBIOS first, which does the same): size and
 * assign every BAR (I/O upward from 0xC000, 32-bit memory downward from below the I/O APIC),
 * enable I/O and memory decoding, and write the Interrupt Line register with the ISA IRQ the
 * function's INTx pin reaches through the PIRQ lines (PCI 3.0 §6.2.4: "the value in this register
 * tells which input of the system interrupt controller(s) the device's interrupt pin is connected
 * to"; the register is for software, the hardware routing is the board's).
 */
final class PciFirmware {
    static final int IO_START = 0xC000;
    static final long MEMORY_TOP = 0xFEC0_0000L;
    /** The ISA IRQ of PIRQA..PIRQD, as SeaBIOS programs the PIIX3 routing registers. */
    static final int[] PIRQ_IRQS = {10, 10, 11, 11};
    /** QEMU i440FX: device 1 INTA# is PIRQA (IntxRouter bias -1). */
    static final int SWIZZLE_BIAS = -1;

    private int nextIo = IO_START;
    private long nextMemory = MEMORY_TOP;

    /** Configures every function found on bus 0. */
    void configure(PciHostBridge bridge) {
        for (int device = 0; device < 32; device++) {
            for (int function = 0; function < 8; function++) {
                if (bridge.function(device, function) != null && device != 0) {
                    configure(bridge, device, function);
                }
            }
        }
    }

    private void configure(PciHostBridge bridge, int device, int function) {
        int command = 0;
        for (int index = 0; index < 6; index++) {
            int offset = PciConfigSpace.BAR0 + 4 * index;
            int original = bridge.configRead(0, device, function, offset, 4);
            bridge.configWrite(0, device, function, offset, 4, 0xFFFF_FFFF);
            int sized = bridge.configRead(0, device, function, offset, 4);
            if (sized == 0) {
                bridge.configWrite(0, device, function, offset, 4, original);
                continue;
            }
            boolean io = (sized & 1) != 0;
            if (io) {
                long size = (~(sized & ~0x3L) + 1) & 0xFFFF;
                long base = align(nextIo, size);
                nextIo = (int) (base + size);
                bridge.configWrite(0, device, function, offset, 4, (int) base);
                command |= PciConfigSpace.COMMAND_IO_SPACE;
            } else {
                boolean is64 = ((sized >>> 1) & 3) == 2;
                long mask = sized & ~0xFL;
                if (is64) {
                    bridge.configWrite(0, device, function, offset + 4, 4, 0xFFFF_FFFF);
                    mask |= (long) bridge.configRead(0, device, function, offset + 4, 4) << 32;
                } else {
                    mask |= 0xFFFF_FFFF_0000_0000L;
                }
                long size = ~mask + 1;
                long base = (nextMemory - size) & -size;
                nextMemory = base;
                bridge.configWrite(0, device, function, offset, 4, (int) base);
                if (is64) {
                    bridge.configWrite(0, device, function, offset + 4, 4, 0);
                    index++;
                }
                command |= 1 << 1; // Memory Space
            }
        }
        int pin = bridge.configRead(0, device, function, PciConfigSpace.INTERRUPT_PIN, 1);
        if (pin >= 1 && pin <= 4) {
            bridge.configWrite(0, device, function, PciConfigSpace.INTERRUPT_LINE, 1, pirqIrq(device, pin));
        }
        int current = bridge.configRead(0, device, function, PciConfigSpace.COMMAND, 2);
        bridge.configWrite(0, device, function, PciConfigSpace.COMMAND, 2, current | command);
    }

    /** The ISA IRQ pin {@code pin} (1 = INTA#) of {@code device} reaches: its PIRQ line's ({@link IntxRouter#swizzled}). */
    static int pirqIrq(int device, int pin) {
        return PIRQ_IRQS[Math.floorMod(device + pin - 1 + SWIZZLE_BIAS, 4)];
    }

    private static long align(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
