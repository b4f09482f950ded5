package dev.hvspec.vmm.pci;

/** Bus, device and function number of a PCI function (PCI 3.0 §3.2.2.3.2): "bb:dd.f". */
public record PciAddress(int bus, int device, int function) {
    public PciAddress {
        if (bus < 0 || bus > 255 || device < 0 || device > 31 || function < 0 || function > 7) {
            throw new IllegalArgumentException("bad PCI address " + bus + ":" + device + "." + function);
        }
    }

    @Override
    public String toString() {
        return String.format("%02x:%02x.%x", bus, device, function);
    }
}
