package dev.hvspec.vmm.e1000;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access widths and the I/O BAR, as docs/e1000.md states the model's rules: registers are dwords;
 * an 8-byte access is two of them, a narrow read takes bytes of one, a narrow write merges into the
 * register (the command registers get zeros in the other bytes); every access is counted once.
 * Register values are those of the 8254x SDM for MAC address 52:54:00:12:34:56.
 */
class Intel82540EMTest {
    private final E1000TestBench bench = new E1000TestBench(E1000Config.of(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}));

    @Test
    void anEightByteReadReadsTwoRegisters() {
        // RAL0 = 12005452h, RAH0 = 80005634h (AV): §13.5.2-3, loaded from EEPROM at reset.
        assertThat(bench.registers().mmioRead(0x5400, 8)).isEqualTo(0x80005634_12005452L);
    }

    @Test
    void narrowReadsTakeBytesOfTheRegister() {
        // STATUS with the link up at 1000 Mb/s full duplex: 283h.
        assertThat(bench.registers().mmioRead(0x0008, 2)).isEqualTo(0x0283);
        assertThat(bench.registers().mmioRead(0x0009, 1)).isEqualTo(0x02);
    }

    @Test
    void narrowWritesMergeIntoTheRegister() {
        bench.write(0x2808, 0x0000_0080);                  // RDLEN = 80h
        bench.registers().mmioWrite(0x2809, 1, 0x10);      // its byte 1 = 10h
        assertThat(bench.read(0x2808)).isEqualTo(0x1080);
    }

    @Test
    void narrowWritesToCommandRegistersDoNotRepeatTheOtherBytes() {
        bench.read(0x00C0);                                 // clears the LSC of the bench's link-up
        bench.registers().mmioWrite(0x00C8, 1, 0x80);      // ICS byte 0: RXT0
        assertThat(bench.read(0x00C0)).isEqualTo(0x80);     // ICR
        bench.registers().mmioWrite(0x00D0, 4, 0x84);      // IMS = RXT0 | LSC
        bench.registers().mmioWrite(0x00D8, 1, 0x04);      // IMC byte 0: LSC only
        assertThat(bench.read(0x00D0)).isEqualTo(0x80);
    }

    @Test
    void ioaddrAndIodataReachTheRegistersAndTheRestOfTheBarIsReserved() {
        bench.io().ioWrite(E1000TestBench.IO_BAR, 4, 0x3808);          // IOADDR = TDLEN
        assertThat(bench.io().ioRead(E1000TestBench.IO_BAR + 4, 4)).isEqualTo(64 * 16);
        assertThat(bench.io().ioRead(E1000TestBench.IO_BAR + 0x10, 4)).isZero();
        bench.io().ioWrite(E1000TestBench.IO_BAR + 0x10, 4, 0xFFFF_FFFF);
        assertThat(bench.read(0x3808)).isEqualTo(64 * 16);
    }

    @Test
    void everyAccessIsCountedOnce() {
        E1000Counters before = bench.nic.counters();
        bench.registers().mmioRead(0x5400, 8);
        bench.registers().mmioRead(0x0008, 4);
        bench.registers().mmioWrite(0x00D0, 4, 0);
        bench.io().ioWrite(E1000TestBench.IO_BAR, 4, 0x0008);
        bench.io().ioRead(E1000TestBench.IO_BAR + 4, 4);
        E1000Counters after = bench.nic.counters();
        assertThat(after.mmioReads() - before.mmioReads()).isEqualTo(2);
        assertThat(after.mmioWrites() - before.mmioWrites()).isEqualTo(1);
        assertThat(after.ioWrites() - before.ioWrites()).isEqualTo(1);
        assertThat(after.ioReads() - before.ioReads()).isEqualTo(1);
        assertThat(after.registerAccesses() - before.registerAccesses()).isEqualTo(5);
    }

    @Test
    void theSubsystemIdsComeFromTheEeprom() {
        assertThat(bench.nic.configRead(0x2C, 4)).isEqualTo(0x001E_8086);
        assertThat(bench.nic.eepromImage().word(EepromImage.WORD_SUBSYSTEM_ID)).isEqualTo(0x001E);
    }
}
