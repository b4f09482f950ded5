package dev.hvspec.vmm.e1000;

import static dev.hvspec.vmm.e1000.E1000Registers.*;

/**
 * The 82540EM's EEPROM port: the EECD register (8254x SDM §13.4.3) and, behind its pins, a
 * 1 Kbit Microwire serial EEPROM organised as 64 x 16 bits (a 93C46, §5.2 "EEPROM interface").
 *
 * <h2>EECD</h2>
 * Software bit-bangs the EEPROM through SK (clock), CS (chip select) and DI (data in) and reads DO
 * (data out). It must first set EE_REQ and wait for EE_GNT (§13.4.3); this model grants at once,
 * and the pins reach the EEPROM only while EE_REQ is set. EE_PRES reads 1 (an EEPROM is fitted)
 * and EE_SIZE reads 0 (64 words, 6 address bits), which is how the Linux driver sizes it.
 *
 * <h2>Microwire READ</h2>
 * With CS high, the EEPROM samples DI on each rising edge of SK: leading zeros are ignored, then
 * a start bit (1), a two-bit opcode and six address bits. For READ (opcode 10b) DO then shows a
 * dummy 0, and each further rising edge shifts out the next data bit, most significant first;
 * after bit 0 of a word the address advances and the next word follows (sequential read). CS low
 * ends the command. The image is read-only: EWEN, WRITE, ERASE and the other opcodes are
 * accepted and have no effect. While the EEPROM is not driving DO (CS low, or no read under way),
 * DO reads 1: the line is pulled up.
 */
final class MicrowireEeprom {
    private static final int OPCODE_READ = 0b10;
    private static final int COMMAND_BITS = 2 + 6; // opcode + address after the start bit

    private enum State { WAIT_START, COMMAND, READ, IGNORE }

    private final EepromImage image;
    private int eecd; // the software-written bits: SK, CS, DI, FWE, EE_REQ
    private State state = State.WAIT_START;
    private int shift;
    private int bitsIn;
    private int address;
    private int bitOut; // -1 = the dummy zero, 0..15 = data bit (15 - bitOut) of the word
    private boolean dataOut = true;

    MicrowireEeprom(EepromImage image) {
        this.image = image;
    }

    EepromImage image() {
        return image;
    }

    void reset() {
        eecd = 0;
        state = State.WAIT_START;
        dataOut = true;
    }

    /** EECD as software reads it. */
    int readEecd() {
        int v = eecd;
        if ((eecd & EECD_REQ) != 0) {
            v |= EECD_GNT;
        }
        if (dataOut) {
            v |= EECD_DO;
        }
        return v | EECD_PRES; // EE_SIZE = 0: 64 words
    }

    /** A software write to EECD: the pins change, and the EEPROM sees the edges. */
    void writeEecd(int value) {
        boolean oldCs = pin(eecd, EECD_CS);
        boolean oldSk = pin(eecd, EECD_SK);
        eecd = value & (EECD_SK | EECD_CS | EECD_DI | EECD_FWE_MASK | EECD_REQ);
        boolean cs = pin(eecd, EECD_CS);
        boolean sk = pin(eecd, EECD_SK);
        if (!cs) {
            state = State.WAIT_START; // CS low ends any command; DO floats high
            dataOut = true;
            return;
        }
        if (!oldCs) {
            state = State.WAIT_START; // CS rising: a new command begins
            dataOut = true;
        }
        if (sk && !oldSk) {
            risingEdge(pin(eecd, EECD_DI));
        }
    }

    /** EERD (§13.4.4): a write with START reads one word at once and reports DONE with the data. */
    int eerdRead(int written) {
        if ((written & EERD_START) == 0) {
            return written & ~(EERD_DONE | 0xFFFF_0000);
        }
        int addr = (written >>> EERD_ADDR_SHIFT) & 0xFF;
        return (addr << EERD_ADDR_SHIFT) | EERD_DONE | image.word(addr) << EERD_DATA_SHIFT;
    }

    private boolean pin(int value, int bit) {
        return (value & EECD_REQ) != 0 && (value & bit) != 0;
    }

    private void risingEdge(boolean di) {
        switch (state) {
            case WAIT_START -> {
                if (di) {
                    state = State.COMMAND;
                    shift = 0;
                    bitsIn = 0;
                }
            }
            case COMMAND -> {
                shift = shift << 1 | (di ? 1 : 0);
                if (++bitsIn == COMMAND_BITS) {
                    address = shift & 0x3F;
                    if ((shift >>> 6) == OPCODE_READ) {
                        state = State.READ;
                        bitOut = -1;
                        dataOut = false; // the dummy zero
                    } else {
                        state = State.IGNORE;
                    }
                }
            }
            case READ -> {
                if (++bitOut == 16) {
                    bitOut = 0;
                    address = (address + 1) & (EepromImage.WORDS - 1);
                }
                dataOut = ((image.word(address) >>> (15 - bitOut)) & 1) != 0;
            }
            case IGNORE -> {
            }
        }
    }
}
