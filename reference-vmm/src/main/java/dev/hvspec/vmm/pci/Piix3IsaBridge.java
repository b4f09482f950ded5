package dev.hvspec.vmm.pci;

/**
 * The PCI-to-ISA bridge function of the Intel 82371SB (PIIX3) at 00:01.0, as the PC board of QEMU
 * has it: vendor 8086h, device 7000h, class 06h/01h (PCI 3.0 Appendix D, "ISA bridge"). Only the
 * PIRQ route control registers PIRQRC[A:D] (82371SB datasheet §2.2.10, offsets 60h-63h) are
 * modelled, holding the ISA IRQs the board wires PIRQA-D to (the firmware's choice, written at
 * reset); the ISA devices themselves (PIC, PIT, RTC …) are ordinary port devices of the board.
 */
public final class Piix3IsaBridge extends PciFunction {
    public static final int VENDOR_INTEL = 0x8086;
    public static final int DEVICE_PIIX3_ISA = 0x7000;
    public static final int CLASS_ISA_BRIDGE = 0x060100;
    public static final int PIRQRC = 0x60;

    private final int[] pirqIrqs;

    /** @param pirqIrqs the ISA IRQ of PIRQA..PIRQD */
    public Piix3IsaBridge(int[] pirqIrqs) {
        super(new PciConfigSpace(VENDOR_INTEL, DEVICE_PIIX3_ISA, CLASS_ISA_BRIDGE, 0));
        this.pirqIrqs = pirqIrqs.clone();
        config.setMultiFunction(true);
        config.setWritable(PIRQRC, 4, 0x8F8F_8F8F); // §2.2.10: bit 7 disables routing, bits 3:0 select the IRQ
        finishLayout();
        resetDevice();
    }

    @Override
    protected void resetDevice() {
        for (int i = 0; i < 4; i++) {
            config.setValue(PIRQRC + i, 1, pirqIrqs[i]);
        }
    }
}
