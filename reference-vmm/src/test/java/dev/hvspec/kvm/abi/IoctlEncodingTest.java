package dev.hvspec.kvm.abi;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Request codes against values worked out by hand from {@code <asm-generic/ioctl.h>}
 * (nr bits 0-7, type 8-15, size 16-29, dir 30-31; _IOC_WRITE = 1, _IOC_READ = 2) and the struct
 * sizes of {@code <linux/kvm.h>}. The abi-compat gcc probe checks every code against the real
 * macros; these tests pin the arithmetic and the quirks with numbers a reader can verify.
 */
class IoctlEncodingTest {
    @Test
    void ioCodesAreTypeAndNumberOnly() {
        // _IO(0xAE, 0x80) = 0xAE80
        assertThat(KvmIoctl.RUN.code()).isEqualTo(0xAE80L).isEqualTo(44672L);
        // _IO(0xAE, 0x01) = 0xAE01
        assertThat(KvmIoctl.CREATE_VM.code()).isEqualTo(0xAE01L);
        assertThat(KvmIoctl.GET_API_VERSION.code()).isEqualTo(0xAE00L);
    }

    @Test
    void sizedCodesCarryDirectionAndSizeof() {
        // _IOR(0xAE, 0x81, struct kvm_regs): 2<<30 | 144<<16 | 0xAE<<8 | 0x81
        assertThat(KvmIoctl.GET_REGS.code()).isEqualTo(0x8090AE81L);
        // _IOW(0xAE, 0x46, struct kvm_userspace_memory_region): 1<<30 | 32<<16 | 0xAE46
        assertThat(KvmIoctl.SET_USER_MEMORY_REGION.code()).isEqualTo(0x4020AE46L);
        // _IOWR(0xAE, 0x62, struct kvm_irqchip): 3<<30 | 520<<16 | 0xAE62
        assertThat(KvmIoctl.GET_IRQCHIP.code()).isEqualTo(0xC208AE62L);
    }

    @Test
    void setIrqchipIsDeclaredReadAlthoughUserspaceWritesIt() {
        assertThat(KvmIoctl.SET_IRQCHIP.direction()).isEqualTo(IoctlDirection.READ);
        assertThat(KvmIoctl.SET_IRQCHIP.code()).isEqualTo(0x8208AE63L);
        assertThat(KvmIoctl.SET_PIT.direction()).isEqualTo(IoctlDirection.READ);
    }

    @Test
    void number0x9fMeansDifferentIoctlsOnVmAndVcpuFds() {
        // _IOR(0xAE, 0x9F, struct kvm_pit_state2 = 112 bytes) vs _IOR(…, struct kvm_vcpu_events = 64)
        assertThat(KvmIoctl.GET_PIT2.code()).isEqualTo(0x8070AE9FL);
        assertThat(KvmIoctl.GET_VCPU_EVENTS.code()).isEqualTo(0x8040AE9FL);
        assertThat(KvmIoctl.decode(FdKind.VM, 0x8070AE9FL)).contains(KvmIoctl.GET_PIT2);
        assertThat(KvmIoctl.decode(FdKind.VCPU, 0x8070AE9FL)).isEmpty();
        assertThat(KvmIoctl.decode(FdKind.VCPU, 0x8040AE9FL)).contains(KvmIoctl.GET_VCPU_EVENTS);
    }

    @Test
    void number0x67IsTwoIoctlsOnTheSameVmFd() {
        // _IOWR(0xAE, 0x67, struct kvm_irq_level = 8) and _IOW(0xAE, 0x67, struct kvm_coalesced_mmio_zone = 16)
        assertThat(KvmIoctl.IRQ_LINE_STATUS.code()).isEqualTo(0xC008AE67L);
        assertThat(KvmIoctl.REGISTER_COALESCED_MMIO.code()).isEqualTo(0x4010AE67L);
        assertThat(KvmIoctl.decode(FdKind.VM, 0xC008AE67L)).contains(KvmIoctl.IRQ_LINE_STATUS);
        assertThat(KvmIoctl.decode(FdKind.VM, 0x4010AE67L)).contains(KvmIoctl.REGISTER_COALESCED_MMIO);
    }

    @Test
    void theFullCodeIsUniqueWithinEachFdKindButTheNumberIsNot() {
        for (FdKind kind : FdKind.values()) {
            Map<Long, KvmIoctl> byCode = new HashMap<>();
            for (KvmIoctl ioctl : KvmIoctl.values()) {
                if (ioctl.acceptedOn(kind)) {
                    KvmIoctl clash = byCode.put(ioctl.code(), ioctl);
                    assertThat(clash).as("%s and %s on a %s fd", ioctl, clash, kind).isNull();
                }
            }
        }
        assertThat(KvmIoctl.SET_DEBUGREGS.nr()).isEqualTo(KvmIoctl.SET_TSC_KHZ.nr()).isEqualTo(0xa2);
        assertThat(KvmIoctl.SET_DEBUGREGS.code()).isNotEqualTo(KvmIoctl.SET_TSC_KHZ.code());
    }

    @Test
    void checkExtensionIsOneCodeOnTwoFdKinds() {
        assertThat(KvmIoctl.decode(FdKind.SYSTEM, 0xAE03L)).contains(KvmIoctl.CHECK_EXTENSION);
        assertThat(KvmIoctl.decode(FdKind.VM, 0xAE03L)).contains(KvmIoctl.CHECK_EXTENSION);
        assertThat(KvmIoctl.decode(FdKind.VCPU, 0xAE03L)).isEmpty();
    }

    @Test
    void decodingSplitsTheFields() {
        long code = KvmIoctl.GET_SREGS.code();
        assertThat(IoctlEncoding.direction(code)).isEqualTo(IoctlDirection.READ);
        assertThat(IoctlEncoding.type(code)).isEqualTo(0xAE);
        assertThat(IoctlEncoding.nr(code)).isEqualTo(0x83);
        assertThat(IoctlEncoding.size(code)).isEqualTo(312);
        for (KvmIoctl ioctl : KvmIoctl.values()) {
            long c = ioctl.code();
            assertThat(IoctlEncoding.encode(IoctlEncoding.direction(c), IoctlEncoding.type(c),
                    IoctlEncoding.nr(c), IoctlEncoding.size(c))).isEqualTo(c);
            assertThat(IoctlEncoding.size(c)).isEqualTo(ioctl.argument().size());
        }
    }

    @Test
    void fieldsThatDoNotFitAreRejected() {
        assertThatThrownBy(() -> IoctlEncoding.iow(0xAE, 0x100, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IoctlEncoding.iow(0xAE, 0x10, 1 << 14)).isInstanceOf(IllegalArgumentException.class);
        assertThat(IoctlEncoding.iow(0xAE, 0x10, (1 << 14) - 1)).isEqualTo(0x7FFFAE10L);
    }
}
