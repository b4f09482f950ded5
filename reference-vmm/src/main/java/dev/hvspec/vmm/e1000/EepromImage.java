package dev.hvspec.vmm.e1000;

import java.util.Arrays;

/**
 * The 64 words of the 82540EM's 1 Kbit Microwire EEPROM (8254x SDM §5.6, "EEPROM Address Map").
 *
 * <p>The model fills the words the hardware and the Linux e1000 driver read:
 * <ul>
 *   <li>00h-02h Ethernet address, low byte of each word first (§5.6: word 0 = bytes 1:0);</li>
 *   <li>0Ah Initialization Control Word 1 with Signature = 01b (bits 15:14, "Signature must be
 *       01b", §5.6.35) and the load-ID bits;</li>
 *   <li>0Bh Subsystem ID, 0Ch Subsystem Vendor ID, 0Dh Device ID, 0Eh Vendor ID (loaded into the
 *       PCI header);</li>
 *   <li>0Fh Initialization Control Word 2 = 0 (PAUSE bits 13:12 = 00: no flow control advertised);</li>
 *   <li>24h Initialization Control Word 3 = 0 (APM/wake-up disabled);</li>
 *   <li>3Fh the checksum: "after adding all the words (00h-3Fh), including the Checksum word
 *       itself, the sum should be BABAh", carries ignored (§5.6.35).</li>
 * </ul>
 * Every other word is FFFFh, the value of an erased cell (§5.6 calls FFFFh "not used").
 */
public final class EepromImage {
    public static final int WORDS = 64;
    public static final int CHECKSUM_WORD = 0x3F;
    /** §5.6.35: the 16-bit sum of words 00h-3Fh. */
    public static final int CHECKSUM_TARGET = 0xBABA;

    public static final int WORD_ICW1 = 0x0A;
    public static final int WORD_SUBSYSTEM_ID = 0x0B;
    public static final int WORD_SUBSYSTEM_VENDOR_ID = 0x0C;
    public static final int WORD_DEVICE_ID = 0x0D;
    public static final int WORD_VENDOR_ID = 0x0E;
    public static final int WORD_ICW2 = 0x0F;
    public static final int WORD_ICW3_PORT_A = 0x24;

    /** ICW1: Signature 01b in bits 15:14, Load Subsystem IDs (bit 1), Load Vendor/Device IDs (bit 0). */
    static final int ICW1 = 0x4000 | 0x0002 | 0x0001;

    private final int[] words;

    private EepromImage(int[] words) {
        this.words = words;
    }

    /** The image for a given Ethernet address and PCI identification, with a valid checksum. */
    public static EepromImage of(byte[] mac, int vendorId, int deviceId, int subsystemVendorId, int subsystemId) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("an Ethernet address has 6 bytes");
        }
        int[] w = new int[WORDS];
        Arrays.fill(w, 0xFFFF);
        for (int i = 0; i < 3; i++) {
            w[i] = (mac[2 * i] & 0xFF) | (mac[2 * i + 1] & 0xFF) << 8;
        }
        w[WORD_ICW1] = ICW1;
        w[WORD_SUBSYSTEM_ID] = subsystemId & 0xFFFF;
        w[WORD_SUBSYSTEM_VENDOR_ID] = subsystemVendorId & 0xFFFF;
        w[WORD_DEVICE_ID] = deviceId & 0xFFFF;
        w[WORD_VENDOR_ID] = vendorId & 0xFFFF;
        w[WORD_ICW2] = 0x0000;
        w[WORD_ICW3_PORT_A] = 0x0000;
        w[CHECKSUM_WORD] = 0;
        w[CHECKSUM_WORD] = (CHECKSUM_TARGET - sum(w)) & 0xFFFF;
        return new EepromImage(w);
    }

    /** Word {@code address}; addresses wrap at the 64-word size, as the 6 address bits do. */
    public int word(int address) {
        return words[address & (WORDS - 1)];
    }

    /** The Ethernet address stored in words 00h-02h. */
    public byte[] macAddress() {
        byte[] mac = new byte[6];
        for (int i = 0; i < 3; i++) {
            mac[2 * i] = (byte) words[i];
            mac[2 * i + 1] = (byte) (words[i] >>> 8);
        }
        return mac;
    }

    /** The 16-bit sum of all words, carries ignored. */
    public int checksum() {
        return sum(words);
    }

    private static int sum(int[] w) {
        int s = 0;
        for (int v : w) {
            s = (s + v) & 0xFFFF;
        }
        return s;
    }
}
