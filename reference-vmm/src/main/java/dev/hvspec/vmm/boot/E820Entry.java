package dev.hvspec.vmm.boot;

/** One entry of the BIOS E820 memory map (ACPI "Address Range Descriptor"): type 1 = usable RAM, 2 = reserved. */
public record E820Entry(long base, long length, int type) {
    public static final int RAM = 1;
    public static final int RESERVED = 2;

    /**
     * The end of the RAM that runs without a hole from {@code start} (in any entry order), below
     * 4 GiB: multiboot's mem_upper and the top of the RAM where a Linux loader puts the initrd.
     */
    public static long contiguousRamEnd(java.util.List<E820Entry> map, long start) {
        long end = start;
        boolean grown = true;
        while (grown) {
            grown = false;
            for (E820Entry e : map) {
                if (e.type() == RAM && e.base() <= end && end < e.base() + e.length()
                        && e.base() + e.length() <= 0x1_0000_0000L) {
                    end = e.base() + e.length();
                    grown = true;
                }
            }
        }
        return end;
    }
}
