package dev.hvspec.machine.cpu;

/** GDTR or IDTR: a linear base address and a 16-bit limit (SDM 3A §2.4.1, §2.4.3). */
public final class DescriptorTable {
    public long base;
    public int limit;

    public void load(long base, int limit) {
        this.base = base;
        this.limit = limit & 0xFFFF;
    }
}
