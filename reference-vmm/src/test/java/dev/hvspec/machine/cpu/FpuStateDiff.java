package dev.hvspec.machine.cpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The differences between two outcomes of an {@link FpuCase}, field by field: the exception
 * vector, FCW, FSW, the abridged tag word, ST(0)-ST(7), MXCSR, XMM0-15, the general registers,
 * the status flags and the memory area. FOP, FIP and FDP are not compared (the host's addresses
 * differ from the reference's, and recent Intel processors deprecate FCS/FDS and FOP), nor the
 * bytes FXSAVE leaves unwritten (416-511).
 */
final class FpuStateDiff {
    private FpuStateDiff() {
    }

    static List<String> differences(FpuCase host, FpuCase ours) {
        List<String> d = new ArrayList<>();
        if (host.trap() != ours.trap()) {
            d.add("trap host " + vector(host.trap()) + " ours " + vector(ours.trap()));
        }
        ByteBuffer h = ByteBuffer.wrap(host.fx()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer o = ByteBuffer.wrap(ours.fx()).order(ByteOrder.LITTLE_ENDIAN);
        field(d, "FCW", h.getShort(0) & 0xFFFF, o.getShort(0) & 0xFFFF);
        field(d, "FSW", h.getShort(2) & 0xFFFF, o.getShort(2) & 0xFFFF);
        field(d, "FTW", h.get(4) & 0xFF, o.get(4) & 0xFF);
        field(d, "MXCSR", h.getInt(24), o.getInt(24));
        field(d, "MXCSR_MASK", h.getInt(28), o.getInt(28));
        for (int i = 0; i < 8; i++) {
            bytes(d, "ST" + i, host.fx(), ours.fx(), 32 + 16 * i, 16);
        }
        for (int i = 0; i < 16; i++) {
            bytes(d, "XMM" + i, host.fx(), ours.fx(), 160 + 16 * i, 16);
        }
        String[] names = {"RAX", "RCX", "RDX", "RSI"};
        for (int k = 0; k < 4; k++) {
            if (host.gpr()[k] != ours.gpr()[k]) {
                d.add(String.format("%s host %x ours %x", names[k], host.gpr()[k], ours.gpr()[k]));
            }
        }
        field(d, "RFLAGS.status", (int) (host.rflags() & Rflags.STATUS), (int) (ours.rflags() & Rflags.STATUS));
        for (int at = 0; at < FpuCase.MEM_SIZE; at += 16) {
            bytes(d, "mem+" + at, host.mem(), ours.mem(), at, 16);
        }
        return d;
    }

    private static String vector(int trap) {
        return trap < 0 ? "none" : Vector.name(trap);
    }

    private static void field(List<String> d, String name, int host, int ours) {
        if (host != ours) {
            d.add(String.format("%s host %x ours %x", name, host, ours));
        }
    }

    private static void bytes(List<String> d, String name, byte[] host, byte[] ours, int at, int n) {
        if (!java.util.Arrays.equals(host, at, at + n, ours, at, at + n)) {
            d.add(name + " host " + reversed(host, at, n) + " ours " + reversed(ours, at, n));
        }
    }

    /** Bytes as one little-endian number, most significant first. */
    static String reversed(byte[] b, int at, int n) {
        byte[] r = new byte[n];
        for (int k = 0; k < n; k++) {
            r[k] = b[at + n - 1 - k];
        }
        return HexFormat.of().formatHex(r);
    }
}
