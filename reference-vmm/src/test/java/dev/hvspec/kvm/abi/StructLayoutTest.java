package dev.hvspec.kvm.abi;

import org.junit.jupiter.api.Test;

import static dev.hvspec.kvm.abi.StructLayout.struct;
import static dev.hvspec.kvm.abi.StructLayout.union;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The C layout rules (System V x86-64 psABI §3.1.2) on small declarations whose layout is worked
 * out by hand in the comments; the real KVM structs are checked against gcc in abi-compat.
 */
class StructLayoutTest {
    @Test
    void membersAreAlignedToTheirSizeAndTheStructToItsLargestMember() {
        // struct { __u8 a; __u32 b; __u16 c; }: a@0, pad 3, b@4, c@8, size 10 -> rounded to 12
        StructLayout s = struct("t").u8("a").u32("b").u16("c").build();
        assertThat(s.field("a").offset()).isZero();
        assertThat(s.field("b").offset()).isEqualTo(4);
        assertThat(s.field("c").offset()).isEqualTo(8);
        assertThat(s.size()).isEqualTo(12);
        assertThat(s.alignment()).isEqualTo(4);
    }

    @Test
    void unionMembersShareOffsetZeroAndTheUnionIsItsLargestMember() {
        // union { __u8 a[5]; __u32 b; }: size 5 rounded to alignment 4 -> 8
        StructLayout u = union("u").u8("a", 5).u32("b").build();
        assertThat(u.field("b").offset()).isZero();
        assertThat(u.size()).isEqualTo(8);
    }

    @Test
    void anonymousMembersAreReachedThroughTheEnclosingStruct() {
        // struct { __u32 x; union { __u64 p; __u8 q; }; }: x@0, union@8 (aligned 8), size 16
        StructLayout s = struct("t").u32("x").anonymous(union(null).u64("p").u8("q").build()).build();
        assertThat(s.field("p").offset()).isEqualTo(8);
        assertThat(s.field("q").offset()).isEqualTo(8);
        assertThat(s.size()).isEqualTo(16);
        assertThat(s.facts()).extracting(StructLayout.Fact::path).containsExactly("x", "p", "q");
    }

    @Test
    void aFlexibleArrayIsAlignedButAddsNoSize() {
        // struct { __u32 n; __u64 e[]; }: e@8, size 8
        StructLayout s = struct("t").u32("n").flex("e", CType.Scalar.U64).build();
        assertThat(s.field("e").offset()).isEqualTo(8);
        assertThat(s.size()).isEqualTo(8);
        assertThat(s.sizeWith(3)).isEqualTo(32);
        assertThat(s.field("e[5]").offset()).isEqualTo(48);
    }

    @Test
    void bitFieldsPackIntoTheirDeclaredTypeUnits() {
        // struct { __u8 v; __u8 a:3, b:5; __u8 c:4, d:5; }: v byte 0; a,b fill byte 1;
        // c bits 0-3 of byte 2; d would cross into byte 3 -> starts byte 3; size 4
        StructLayout s = struct("t").u8("v")
                .bits("a", CType.Scalar.U8, 3).bits("b", CType.Scalar.U8, 5)
                .bits("c", CType.Scalar.U8, 4).bits("d", CType.Scalar.U8, 5).build();
        assertThat(s.field("a").offset()).isEqualTo(1);
        assertThat(s.field("a").bitOffset()).isZero();
        assertThat(s.field("b").bitOffset()).isEqualTo(3);
        assertThat(s.field("c").offset()).isEqualTo(2);
        assertThat(s.field("d").offset()).isEqualTo(3);
        assertThat(s.field("d").bitOffset()).isZero();
        assertThat(s.size()).isEqualTo(4);
        assertThat(s.facts()).extracting(StructLayout.Fact::path).containsExactly("v");
    }

    @Test
    void multiDimensionalArraysIndexRowMajor() {
        // kvm_fpu.fpr is __u8 fpr[8][16]: fpr[2][3] is byte 2*16+3
        assertThat(KvmStructs.KVM_FPU.field("fpr[2][3]").offset()).isEqualTo(35);
        assertThat(KvmStructs.KVM_FPU.field("fpr[2]").size()).isEqualTo(16);
        assertThat(KvmStructs.KVM_FPU.field("fcw").offset()).isEqualTo(128);
    }

    @Test
    void nestedPathsAddUp() {
        // kvm_run: 32 bytes of header, then the exit union; io.port is at 32 + 2
        assertThat(KvmRunLayout.KVM_RUN.field("io.port").offset()).isEqualTo(34);
        // s starts at 304 (after kvm_valid_regs@288, kvm_dirty_regs@296); regs.regs.rip = 304 + 16*8
        assertThat(KvmRunLayout.KVM_RUN.field("s.regs.regs.rip").offset()).isEqualTo(304 + 128);
        assertThat(KvmIrqStructs.KVM_IOAPIC_STATE.field("redirtbl[23].fields.dest_id").offset())
                .isEqualTo(24 + 23 * 8 + 7);
    }

    @Test
    void unknownPathsAndBadIndicesAreRejected() {
        assertThatThrownBy(() -> KvmRunLayout.KVM_RUN.field("io.nope")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> KvmStructs.KVM_REGS.field("rax[0]")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KvmStructs.KVM_SREGS.field("interrupt_bitmap[4]"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(KvmStructs.KVM_SREGS.has("interrupt_bitmap[3]")).isTrue();
    }

    @Test
    void duplicateNamesAreRejectedEvenThroughAnonymousMembers() {
        // the 2.6.24 header named both kvm_dirty_log pads "padding", which C rejects
        assertThatThrownBy(() -> struct("kvm_dirty_log").u32("slot").u32("padding")
                .anonymous(union(null).u64("dirty_bitmap").u64("padding").build()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("padding");
    }
}
