package dev.hvspec.machine.chipset;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The byte images of the chip states against the real {@code linux/kvm.h}: gcc compiles a program
 * that prints {@code offsetof}/{@code sizeof} of every field of {@code kvm_pic_state},
 * {@code kvm_ioapic_state}, {@code kvm_pit_channel_state} and {@code kvm_pit_state2}, and the bits of
 * a redirection entry filled through the header's bit-fields; each Java codec must put each field
 * there. The sizes are also checked against values worked out by hand from the header.
 */
class KvmChipStateAbiTest {
    private static final String[] PIC_FIELDS = {"last_irr", "irr", "imr", "isr", "priority_add", "irq_base",
            "read_reg_select", "poll", "special_mask", "init_state", "auto_eoi", "rotate_on_auto_eoi",
            "special_fully_nested_mode", "init4", "elcr", "elcr_mask"};
    private static final String[] PIT_FIELDS = {"count", "latched_count", "count_latched", "status_latched",
            "status", "read_state", "write_state", "write_latch", "rw_mode", "mode", "bcd", "gate", "count_load_time"};

    @Test
    void sizesAreTheHeadersByHand() {
        assertThat(KvmPicState.SIZE).isEqualTo(16);                  // 16 x __u8
        assertThat(KvmIoapicState.SIZE).isEqualTo(8 + 4 * 4 + 24 * 8); // u64, 4 x u32, 24 x u64 = 216
        assertThat(KvmPitChannelState.SIZE).isEqualTo(4 + 2 + 10 + 8); // u32, u16, 10 x u8, s64 = 24
        assertThat(KvmPitState2.SIZE).isEqualTo(3 * 24 + 4 + 9 * 4);   // 112
        assertThat(LocalApicRegisters.PAGE_SIZE).isEqualTo(0x400);     // KVM_APIC_REG_SIZE
    }

    @Test
    void layoutsMatchTheLinuxHeader(@TempDir Path dir) throws Exception {
        Path gcc = Path.of("/usr/bin/gcc");
        Assumptions.assumeTrue(Files.isExecutable(gcc), "gcc is needed to read linux/kvm.h");
        Assumptions.assumeTrue(Files.exists(Path.of("/usr/include/linux/kvm.h")), "linux/kvm.h (linux-libc-dev) is needed");
        Map<String, Long> abi = compileAndRun(gcc, dir);

        // kvm_pic_state: field i carries a marker, nothing else.
        assertThat(abi.get("sizeof.kvm_pic_state")).isEqualTo(KvmPicState.SIZE);
        for (int i = 0; i < PIC_FIELDS.length; i++) {
            int[] fields = new int[16];
            fields[i] = 0xA5;
            KvmPicState state = new KvmPicState(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5],
                    fields[6], fields[7], fields[8], fields[9], fields[10], fields[11], fields[12], fields[13],
                    fields[14], fields[15]);
            byte[] bytes = state.toBytes();
            int offset = Math.toIntExact(abi.get("pic." + PIC_FIELDS[i]));
            assertThat(bytes[offset] & 0xFF).as("kvm_pic_state.%s at %d", PIC_FIELDS[i], offset).isEqualTo(0xA5);
            assertThat(KvmPicState.fromBytes(bytes, 0)).isEqualTo(state);
        }

        // kvm_ioapic_state
        assertThat(abi.get("sizeof.kvm_ioapic_state")).isEqualTo(KvmIoapicState.SIZE);
        List<Long> table = new ArrayList<>();
        for (int pin = 0; pin < 24; pin++) {
            table.add(0x0100_0000_0000_0000L * pin + pin);
        }
        KvmIoapicState ioapic = new KvmIoapicState(0x1122_3344_5566_7788L, 0x2A, 0x5, 0x00AB_CDEF, table);
        ByteBuffer image = ByteBuffer.wrap(ioapic.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(image.getLong(Math.toIntExact(abi.get("ioapic.base_address")))).isEqualTo(0x1122_3344_5566_7788L);
        assertThat(image.getInt(Math.toIntExact(abi.get("ioapic.ioregsel")))).isEqualTo(0x2A);
        assertThat(image.getInt(Math.toIntExact(abi.get("ioapic.id")))).isEqualTo(0x5);
        assertThat(image.getInt(Math.toIntExact(abi.get("ioapic.irr")))).isEqualTo(0x00AB_CDEF);
        int tableOffset = Math.toIntExact(abi.get("ioapic.redirtbl"));
        for (int pin = 0; pin < 24; pin++) {
            assertThat(image.getLong(tableOffset + 8 * pin)).as("redirtbl[%d]", pin).isEqualTo(table.get(pin));
        }
        assertThat(KvmIoapicState.fromBytes(ioapic.toBytes(), 0)).isEqualTo(ioapic);

        // A redirection entry the header fills through its bit-fields equals the entry the I/O APIC
        // builds from the same register writes (82093AA §3.2.4 layout).
        Ioapic82093AA chip = new Ioapic82093AA(new ApicBus(), Ioapic82093AA.Version.I82093AA);
        chip.mmioWrite(Ioapic82093AA.IOREGSEL, 4, 0x11 + 2 * 5);
        chip.mmioWrite(Ioapic82093AA.IOWIN, 4, 0x0E00_0000L);
        chip.mmioWrite(Ioapic82093AA.IOREGSEL, 4, 0x10 + 2 * 5);
        chip.mmioWrite(Ioapic82093AA.IOWIN, 4, 0x0001_A931L); // mask, level, polarity low, logical, lowest, 0x31
        assertThat(chip.redirectionEntry(5)).isEqualTo(abi.get("redirtbl.example"));

        // kvm_pit_channel_state and kvm_pit_state2
        assertThat(abi.get("sizeof.kvm_pit_channel_state")).isEqualTo(KvmPitChannelState.SIZE);
        assertThat(abi.get("sizeof.kvm_pit_state2")).isEqualTo(KvmPitState2.SIZE);
        KvmPitChannelState channel = new KvmPitChannelState(0x10000, 0xBEEF, 3, 1, 0xB4, 4, 3, 0x12, 3, 2, 1, 1,
                0x0102_0304_0506_0708L);
        KvmPitChannelState zero = new KvmPitChannelState(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        KvmPitState2 pit = new KvmPitState2(List.of(zero, channel, zero), KvmPitState2.FLAGS_SPEAKER_DATA_ON);
        ByteBuffer pitImage = ByteBuffer.wrap(pit.toBytes()).order(ByteOrder.LITTLE_ENDIAN);
        int base = Math.toIntExact(abi.get("pit2.channels")) + KvmPitChannelState.SIZE;
        long[] values = {0x10000, 0xBEEF, 3, 1, 0xB4, 4, 3, 0x12, 3, 2, 1, 1, 0x0102_0304_0506_0708L};
        for (int i = 0; i < PIT_FIELDS.length; i++) {
            int offset = base + Math.toIntExact(abi.get("pitch." + PIT_FIELDS[i]));
            long size = abi.get("pitch." + PIT_FIELDS[i] + ".size");
            long read = switch ((int) size) {
                case 1 -> pitImage.get(offset) & 0xFF;
                case 2 -> pitImage.getShort(offset) & 0xFFFF;
                case 4 -> pitImage.getInt(offset) & 0xFFFF_FFFFL;
                default -> pitImage.getLong(offset);
            };
            assertThat(read).as("kvm_pit_channel_state.%s", PIT_FIELDS[i]).isEqualTo(values[i]);
        }
        assertThat(pitImage.getInt(Math.toIntExact(abi.get("pit2.flags")))).isEqualTo(KvmPitState2.FLAGS_SPEAKER_DATA_ON);
        assertThat(KvmPitState2.fromBytes(pit.toBytes(), 0)).isEqualTo(pit);
    }

    private static Map<String, Long> compileAndRun(Path gcc, Path dir) throws IOException, InterruptedException {
        StringBuilder c = new StringBuilder("""
                #include <stdio.h>
                #include <stddef.h>
                #include <string.h>
                #include <linux/kvm.h>
                #define F(tag, type, field) printf("%s.%s %zu\\n", tag, #field, offsetof(struct type, field))
                #define FS(tag, type, field) printf("%s.%s.size %zu\\n", tag, #field, sizeof(((struct type *)0)->field))
                int main(void) {
                  printf("sizeof.kvm_pic_state %zu\\n", sizeof(struct kvm_pic_state));
                  printf("sizeof.kvm_ioapic_state %zu\\n", sizeof(struct kvm_ioapic_state));
                  printf("sizeof.kvm_pit_channel_state %zu\\n", sizeof(struct kvm_pit_channel_state));
                  printf("sizeof.kvm_pit_state2 %zu\\n", sizeof(struct kvm_pit_state2));
                  F("ioapic", kvm_ioapic_state, base_address);
                  F("ioapic", kvm_ioapic_state, ioregsel);
                  F("ioapic", kvm_ioapic_state, id);
                  F("ioapic", kvm_ioapic_state, irr);
                  F("ioapic", kvm_ioapic_state, redirtbl);
                  F("pit2", kvm_pit_state2, channels);
                  F("pit2", kvm_pit_state2, flags);
                  struct kvm_ioapic_state s;
                  memset(&s, 0, sizeof s);
                  s.redirtbl[0].fields.vector = 0x31;
                  s.redirtbl[0].fields.delivery_mode = 1;
                  s.redirtbl[0].fields.dest_mode = 1;
                  s.redirtbl[0].fields.polarity = 1;
                  s.redirtbl[0].fields.trig_mode = 1;
                  s.redirtbl[0].fields.mask = 1;
                  s.redirtbl[0].fields.dest_id = 0x0E;
                  printf("redirtbl.example %llu\\n", (unsigned long long) s.redirtbl[0].bits);
                """);
        for (String field : PIC_FIELDS) {
            c.append("  F(\"pic\", kvm_pic_state, ").append(field).append(");\n");
        }
        for (String field : PIT_FIELDS) {
            c.append("  F(\"pitch\", kvm_pit_channel_state, ").append(field).append(");\n");
            c.append("  FS(\"pitch\", kvm_pit_channel_state, ").append(field).append(");\n");
        }
        c.append("  return 0;\n}\n");
        Path source = dir.resolve("abi.c");
        Path binary = dir.resolve("abi");
        Files.writeString(source, c);
        run(List.of(gcc.toString(), "-o", binary.toString(), source.toString()));
        Map<String, Long> values = new HashMap<>();
        for (String line : run(List.of(binary.toString())).split("\n")) {
            String[] parts = line.trim().split(" ");
            values.put(parts[0], Long.parseUnsignedLong(parts[1]));
        }
        return values;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        assertThat(process.exitValue()).as("%s: %s", command, output).isZero();
        return output;
    }
}
