package dev.hvspec.vmm.boot;

import dev.hvspec.machine.memory.GuestRam;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The 32-bit boot protocol's loader duties (Linux Documentation/arch/x86/boot.rst), checked on a
 * synthetic bzImage whose every field is written here by hand: where the protected-mode code,
 * the zero page, the command line and the initrd go, and which zero-page fields are filled in.
 */
@Tag("linux-boot-32bit")
class LinuxBzImageTest {
    static final int MIB = 1 << 20;

    /** A bzImage of protocol 2.15: 2 setup sectors after the boot sector, then 1000 bytes of "kernel". */
    static byte[] image(int setupSects) {
        int sects = setupSects == 0 ? 4 : setupSects;
        byte[] b = new byte[(sects + 1) * 512 + 1000];
        ByteBuffer h = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        h.put(0x1F1, (byte) setupSects);
        h.put(0x201, (byte) 0x6A);              // header length past 0x202: through 0x26B
        h.putInt(0x202, 0x53726448);            // "HdrS"
        h.putShort(0x206, (short) 0x020F);      // protocol 2.15
        h.put(0x211, (byte) 1);                 // loadflags: LOADED_HIGH
        h.putInt(0x214, 0x100000);              // code32_start
        h.putInt(0x22C, 0x7FFFFFFF);            // initrd_addr_max
        h.putInt(0x238, 2047);                  // cmdline_size
        h.putInt(0x260, 0x30000);               // init_size
        for (int i = (sects + 1) * 512; i < b.length; i++) {
            b[i] = (byte) (i * 13);
        }
        return b;
    }

    static final List<E820Entry> MAP = List.of(new E820Entry(0, 0x9FC00, E820Entry.RAM),
            new E820Entry(0x9FC00, 0x400, E820Entry.RESERVED), new E820Entry(0x100000, 15 * MIB, E820Entry.RAM));

    @Test
    void theZeroPageHoldsTheHeaderAndTheLoadersFields() throws Exception {
        byte[] image = image(2);
        GuestRam ram = GuestRam.ofSize(16 * MIB);
        byte[] initrd = "initrd-bytes".getBytes(StandardCharsets.US_ASCII);
        LinuxBzImage.Entry entry = LinuxBzImage.load(image, "console=ttyS0", initrd, MAP, ram);

        assertThat(entry.eip()).isEqualTo(0x100000);
        assertThat(entry.esi()).isEqualTo(0x10000);
        // boot.rst: the protected-mode code starts at (setup_sects + 1) * 512 of the file.
        byte[] kernel = new byte[1000];
        ram.read(0x100000, kernel, 0, kernel.length);
        assertThat(kernel[0]).isEqualTo((byte) (3 * 512 * 13));
        assertThat(kernel[999]).isEqualTo((byte) ((3 * 512 + 999) * 13));

        byte[] zp = new byte[4096];
        ram.read(0x10000, zp, 0, zp.length);
        ByteBuffer z = ByteBuffer.wrap(zp).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(z.getInt(0x202)).as("header copied").isEqualTo(0x53726448);
        assertThat(z.getShort(0x206)).isEqualTo((short) 0x020F);
        assertThat(z.get(0x1F1)).isEqualTo((byte) 2);
        assertThat(z.get(0x210) & 0xFF).as("type_of_loader: undefined").isEqualTo(0xFF);
        assertThat(z.getInt(0x228)).as("cmd_line_ptr").isEqualTo(0x20000);
        assertThat(z.get(0x1EF)).as("sentinel left 0").isZero();
        // The initrd: page aligned, ending at or below the end of the RAM at 1 MiB (16 MiB here).
        int ramdisk = z.getInt(0x218);
        assertThat(ramdisk).isEqualTo((16 * MIB - initrd.length) & ~0xFFF);
        assertThat(z.getInt(0x21C)).isEqualTo(initrd.length);
        byte[] placed = new byte[initrd.length];
        ram.read(ramdisk, placed, 0, placed.length);
        assertThat(placed).isEqualTo(initrd);
        // zero-page.rst: e820_entries at 0x1E8, struct boot_e820_entry[] (u64 addr, u64 size, u32 type) at 0x2D0.
        assertThat(z.get(0x1E8)).isEqualTo((byte) 3);
        assertThat(z.getLong(0x2D0 + 20 * 2)).isEqualTo(0x100000);
        assertThat(z.getLong(0x2D0 + 20 * 2 + 8)).isEqualTo(15L * MIB);
        assertThat(z.getInt(0x2D0 + 20 + 16)).isEqualTo(E820Entry.RESERVED);
        byte[] cmdline = new byte[14];
        ram.read(0x20000, cmdline, 0, cmdline.length);
        assertThat(new String(cmdline, StandardCharsets.US_ASCII)).isEqualTo("console=ttyS0\0");
        // Past the header's end (0x202 + 0x6A) the zero page stays zero.
        assertThat(z.get(0x26C)).isZero();
    }

    @Test
    void setupSectsZeroMeansFour() throws Exception {
        GuestRam ram = GuestRam.ofSize(16 * MIB);
        LinuxBzImage.load(image(0), "", null, MAP, ram);
        byte[] first = new byte[1];
        ram.read(0x100000, first, 0, 1);
        assertThat(first[0]).isEqualTo((byte) (5 * 512 * 13));
    }

    @Test
    void whatTheProtocolCannotCarryIsRefused() {
        GuestRam ram = GuestRam.ofSize(16 * MIB);
        assertThatThrownBy(() -> LinuxBzImage.load(image(2), "x".repeat(2048), null, MAP, ram))
                .isInstanceOf(BootException.class).hasMessageContaining("cmdline_size");
        byte[] zImage = image(2);
        zImage[0x211] = 0;
        assertThatThrownBy(() -> LinuxBzImage.load(zImage, "", null, MAP, ram))
                .isInstanceOf(BootException.class).hasMessageContaining("zImage");
        assertThatThrownBy(() -> LinuxBzImage.load(image(2), "", new byte[15 * MIB], MAP, ram))
                .isInstanceOf(BootException.class).hasMessageContaining("initrd");
        assertThat(LinuxBzImage.isBzImage(new byte[4096])).isFalse();
    }
}
