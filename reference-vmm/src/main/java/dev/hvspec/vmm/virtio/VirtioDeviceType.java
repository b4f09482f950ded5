package dev.hvspec.vmm.virtio;

/**
 * Virtio device types with their Device ID (virtio 1.3 §5), their Transitional PCI Device ID
 * (§4.1.2.1) and the PCI class code the reference presents (the same as QEMU's).
 */
public enum VirtioDeviceType {
    NET(1, 0x1000, 0x020000),
    BLOCK(2, 0x1001, 0x010000),
    CONSOLE(3, 0x1003, 0x078000),
    ENTROPY(4, 0x1005, 0xFF0000),
    BALLOON(5, 0x1002, 0xFF0000);

    private final int id;
    private final int transitionalPciDeviceId;
    private final int pciClassCode;

    VirtioDeviceType(int id, int transitionalPciDeviceId, int pciClassCode) {
        this.id = id;
        this.transitionalPciDeviceId = transitionalPciDeviceId;
        this.pciClassCode = pciClassCode;
    }

    public int id() {
        return id;
    }

    /** §4.1.2: "The PCI Device ID is calculated by adding 0x1040 to the Virtio Device ID". */
    public int modernPciDeviceId() {
        return 0x1040 + id;
    }

    public int transitionalPciDeviceId() {
        return transitionalPciDeviceId;
    }

    public int pciClassCode() {
        return pciClassCode;
    }
}
