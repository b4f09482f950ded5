package dev.hvspec.vmm.e1000;

import java.util.Arrays;

/**
 * How a board builds its 82540EM.
 *
 * @param macAddress     the Ethernet address stored in the EEPROM (6 bytes)
 * @param mitigation     whether ITR, RDTR/RADV and TIDV/TADV are applied (on for a real part; off
 *                       for the benchmark's comparison: every cause then interrupts at once)
 * @param linkDelayNanos virtual time the PHY takes to bring the link up after a reset or a
 *                       restart of auto-negotiation (real PHYs take about 2 s)
 */
public record E1000Config(byte[] macAddress, boolean mitigation, long linkDelayNanos) {
    public static final long DEFAULT_LINK_DELAY_NANOS = 1_000_000;

    public E1000Config {
        if (macAddress.length != 6) {
            throw new IllegalArgumentException("an Ethernet address has 6 bytes");
        }
        if ((macAddress[0] & 1) != 0) {
            throw new IllegalArgumentException("a station address must not be a group address");
        }
        if (linkDelayNanos < 0) {
            throw new IllegalArgumentException("negative link delay");
        }
        macAddress = macAddress.clone();
    }

    /** QEMU's default address for its first NIC, 52:54:00:12:34:56 (a locally administered address). */
    public static byte[] qemuDefaultMac() {
        return new byte[] {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    }

    /** Mitigation on, link up 1 ms after reset. */
    public static E1000Config of(byte[] macAddress) {
        return new E1000Config(macAddress, true, DEFAULT_LINK_DELAY_NANOS);
    }

    public E1000Config withMitigation(boolean on) {
        return new E1000Config(macAddress, on, linkDelayNanos);
    }

    @Override
    public byte[] macAddress() {
        return macAddress.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof E1000Config c && Arrays.equals(macAddress, c.macAddress)
                && mitigation == c.mitigation && linkDelayNanos == c.linkDelayNanos;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(macAddress) * 31 + Boolean.hashCode(mitigation) * 7 + Long.hashCode(linkDelayNanos);
    }

    @Override
    public String toString() {
        StringBuilder mac = new StringBuilder();
        for (byte b : macAddress) {
            mac.append(mac.isEmpty() ? "" : ":").append(String.format("%02x", b));
        }
        return "E1000Config[mac=" + mac + ", mitigation=" + mitigation + ", linkDelayNanos=" + linkDelayNanos + "]";
    }
}
