package dev.hvspec.kvm.abi;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Byte-level access: little-endian (x86-64), at the offsets of the layout, nothing else touched. */
class StructViewTest {
    @Test
    void writesLandLittleEndianAtTheFieldOffset() {
        byte[] page = new byte[(int) KvmRunLayout.KVM_RUN.size()];
        StructView run = StructView.of(KvmRunLayout.KVM_RUN, page);
        run.set("exit_reason", KvmExitReason.IO.value());
        run.set("io.port", 0x3F8);
        run.set("io.data_offset", 4096);

        assertThat(page[8]).isEqualTo((byte) 2);            // exit_reason @8 = KVM_EXIT_IO
        assertThat(page[34]).isEqualTo((byte) 0xF8);        // io.port @34, low byte first
        assertThat(page[35]).isEqualTo((byte) 0x03);
        assertThat(page[41]).isEqualTo((byte) 0x10);        // 4096 = 0x1000 in the u64 @40
        assertThat(run.get("io.port")).isEqualTo(0x3F8);
    }

    @Test
    void unsignedReadsZeroExtendAndSignedReadsSignExtend() {
        StructView level = StructView.allocate(KvmIrqStructs.KVM_IRQ_LEVEL);
        level.set("status", -1);
        assertThat(level.get("status")).isEqualTo(-1);
        assertThat(level.get("irq")).isEqualTo(0xFFFF_FFFFL);
        StructView regs = StructView.allocate(KvmStructs.KVM_REGS);
        regs.set("rip", -2L);
        assertThat(regs.get("rip")).isEqualTo(0xFFFF_FFFF_FFFF_FFFEL);
    }

    @Test
    void valuesThatDoNotFitAreRejected() {
        StructView run = StructView.allocate(KvmRunLayout.KVM_RUN);
        assertThatThrownBy(() -> run.set("io.port", 0x10000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> run.set("io", 1)).isInstanceOf(IllegalArgumentException.class);
        run.set("io.size", 255);
        run.set("io.size", -128);
        assertThat(run.get("io.size")).isEqualTo(0x80);
    }

    @Test
    void bitFieldsReadAndWriteOnlyTheirBits() {
        StructView ioapic = StructView.allocate(KvmIrqStructs.KVM_IOAPIC_STATE);
        ioapic.set("redirtbl[1].bits", 0);
        ioapic.set("redirtbl[1].fields.mask", 1);             // bit 16 of the entry
        ioapic.set("redirtbl[1].fields.delivery_mode", 0b101); // bits 8-10
        assertThat(ioapic.get("redirtbl[1].bits")).isEqualTo((1L << 16) | (0b101L << 8));
        assertThat(ioapic.get("redirtbl[1].fields.trig_mode")).isZero();
        assertThatThrownBy(() -> ioapic.set("redirtbl[1].fields.mask", 2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nestedViewsAndSlicesShareTheBytes() {
        StructView run = StructView.allocate(KvmRunLayout.KVM_RUN);
        StructView regs = run.view("s.regs.regs");
        regs.set("rax", 0x1122334455667788L);
        assertThat(run.get("s.regs.regs.rax")).isEqualTo(0x1122334455667788L);
        assertThat(run.bytes("mmio.data")).hasSize(8);
        run.setBytes("mmio.data", new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        assertThat(run.get("mmio.data[7]")).isEqualTo(8);
    }

    @Test
    void flexibleArraysReachAsFarAsTheBuffer() {
        StructView cpuid = StructView.allocate(KvmStructs.KVM_CPUID2, 2);
        assertThat(cpuid.toByteArray()).hasSize(8 + 2 * 40);
        cpuid.set("nent", 2);
        cpuid.set("entries[1].function", 0x8000_0001L);
        assertThat(cpuid.view("entries[1]").get("function")).isEqualTo(0x8000_0001L);
        assertThatThrownBy(() -> cpuid.get("entries[2].function")).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void directBuffersWorkAndTheirStateIsIgnored() {
        ByteBuffer direct = ByteBuffer.allocateDirect(4096);
        direct.position(100).limit(200);
        StructView view = StructView.of(KvmStructs.KVM_USERSPACE_MEMORY_REGION, direct);
        view.set("memory_size", 1L << 30);
        assertThat(direct.get(16 + 3)).isEqualTo((byte) 0x40);
        assertThat(direct.position()).isEqualTo(100);
    }

    @Test
    void aBufferShorterThanTheStructIsRefused() {
        assertThatThrownBy(() -> StructView.of(KvmStructs.KVM_REGS, new byte[143]))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("144");
    }
}
