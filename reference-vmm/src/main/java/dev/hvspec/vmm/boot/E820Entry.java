package dev.hvspec.vmm.boot;

/** One entry of the BIOS E820 memory map (ACPI "Address Range Descriptor"): type 1 = usable RAM, 2 = reserved. */
public record E820Entry(long base, long length, int type) {
    public static final int RAM = 1;
    public static final int RESERVED = 2;
}
