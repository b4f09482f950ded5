package dev.hvspec.vmm.pci;

/**
 * The host bridge's own configuration header at 00:00.0: class 06h/00h "host bridge" (PCI 3.0
 * Appendix D). It has no BARs and no interrupt. The default identity is QEMU's generic PCIe host
 * bridge (vendor 1B36h, device 0008h), which makes no claim to be a chipset with further
 * registers; a board can choose another identity.
 */
public final class PciHostBridgeFunction extends PciFunction {
    public static final int CLASS_HOST_BRIDGE = 0x060000;

    public PciHostBridgeFunction(int vendorId, int deviceId) {
        this(vendorId, deviceId, 0);
    }

    public PciHostBridgeFunction(int vendorId, int deviceId, int revision) {
        super(new PciConfigSpace(vendorId, deviceId, CLASS_HOST_BRIDGE, revision));
        finishLayout();
    }

    public PciHostBridgeFunction() {
        this(0x1B36, 0x0008);
    }

    @Override
    protected void resetDevice() {
    }
}
