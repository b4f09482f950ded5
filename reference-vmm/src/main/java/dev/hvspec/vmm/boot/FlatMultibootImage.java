package dev.hvspec.vmm.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A multiboot image without ELF: a header whose address fields (flag 16, Multiboot 0.6.96
 * §3.1.3) say "load this file at {@code loadAddress} and enter at {@code entry}", followed by the
 * code. Both QEMU and the reference load it; the benchmarks use it for their small guests.
 */
public final class FlatMultibootImage {
    /** Size of the header; the code follows it, so the code's address is {@code loadAddress + HEADER_SIZE}. */
    public static final int HEADER_SIZE = 32;

    private FlatMultibootImage() {
    }

    /** An image whose code (assembled for address {@code loadAddress + HEADER_SIZE}) starts right after the header. */
    public static byte[] of(long loadAddress, byte[] code) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE + code.length).order(ByteOrder.LITTLE_ENDIAN);
        int flags = MultibootLoader.HEADER_HAS_ADDRESS;
        b.putInt(MultibootLoader.HEADER_MAGIC).putInt(flags).putInt(-(MultibootLoader.HEADER_MAGIC + flags));
        b.putInt((int) loadAddress);        // header_addr: the header is the first thing loaded
        b.putInt((int) loadAddress);        // load_addr
        b.putInt(0);                        // load_end_addr: 0 = the whole file
        b.putInt(0);                        // bss_end_addr: no bss
        b.putInt((int) (loadAddress + HEADER_SIZE)); // entry_addr
        b.put(code);
        return b.array();
    }
}
