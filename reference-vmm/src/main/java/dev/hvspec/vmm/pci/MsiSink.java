package dev.hvspec.vmm.pci;

/**
 * Where message-signalled interrupts go: a DWORD memory write of {@code data} to {@code address}
 * (PCI Local Bus 3.0 §6.8: "MSI ... a DWORD memory write transaction"). On a PC the board
 * connects this to the local APIC bus: addresses 0xFEEx_xxxx carry the destination APIC ID in
 * bits 19:12 and the data the vector and delivery mode (SDM 3A §11.11 "Message Signalled
 * Interrupts"). Implementations must accept any address and data from an untrusted guest.
 */
@FunctionalInterface
public interface MsiSink {
    void deliver(long address, int data);

    /** A sink that drops every message. */
    MsiSink NONE = (address, data) -> { };
}
