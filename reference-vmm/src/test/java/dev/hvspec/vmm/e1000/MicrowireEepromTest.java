package dev.hvspec.vmm.e1000;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Microwire READ cycle of a 93C46 (64 x 16) as the 8254x SDM §5.2 uses it, clocked bit by bit:
 * leading zeros before the start bit are ignored, DO shows a dummy 0 after the last address bit,
 * then the 16 data bits, most significant first, one per rising edge of SK.
 */
class MicrowireEepromTest {
    private static final int SK = 1;
    private static final int CS = 2;
    private static final int DI = 4;
    private static final int DO = 8;
    private static final int REQ = 0x40;

    private final EepromImage image = EepromImage.of(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}, 0x8086, 0x100E, 0x8086, 0x001E);
    private final MicrowireEeprom eeprom = new MicrowireEeprom(image);

    @Test
    void theImageSumsToBaba() {
        assertThat(image.checksum()).isEqualTo(0xBABA);
        assertThat(image.macAddress()).containsExactly(0x52, 0x54, 0, 0x12, 0x34, 0x56);
    }

    @Test
    void readCycleWithLeadingZerosAndTheDummyBit() {
        eeprom.writeEecd(REQ);
        eeprom.writeEecd(REQ | CS);
        clock(0);
        clock(0);                       // leading zeros are ignored
        clock(1);                       // start bit
        clock(1);
        clock(0);                       // READ = 10b
        for (int bit = 5; bit >= 0; bit--) {
            clock((0x0D >>> bit) & 1);  // address 0Dh: the device ID
        }
        assertThat(eeprom.readEecd() & DO).as("dummy zero").isZero();
        int word = 0;
        for (int i = 0; i < 16; i++) {
            clock(0);
            word = word << 1 | ((eeprom.readEecd() & DO) != 0 ? 1 : 0);
        }
        assertThat(word).isEqualTo(0x100E);
    }

    @Test
    void withoutEeReqThePinsDoNotReachTheEeprom() {
        eeprom.writeEecd(CS);
        for (int i = 0; i < 9; i++) {
            eeprom.writeEecd(CS | DI);
            eeprom.writeEecd(CS | DI | SK);
        }
        assertThat(eeprom.readEecd() & (DO | 0x80)).as("DO floats high, no grant").isEqualTo(DO);
    }

    @Test
    void eerdReadsAWordAtOnce() {
        int eerd = eeprom.eerdRead(0x0E << 8 | 1);
        assertThat(eerd >>> 16).isEqualTo(0x8086);
        assertThat(eerd & 0x10).as("DONE").isEqualTo(0x10);
    }

    private void clock(int di) {
        int base = REQ | CS | (di != 0 ? DI : 0);
        eeprom.writeEecd(base);
        eeprom.writeEecd(base | SK);
        eeprom.writeEecd(base & ~SK);
    }
}
