package dev.hvspec.kvm.mmu;

import dev.hvspec.bench.GuestKit;
import dev.hvspec.kvm.KvmParameters;
import dev.hvspec.kvm.KvmStats;
import org.junit.jupiter.api.Test;

import static dev.hvspec.machine.cpu.isa.Asm.dword;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The board maps RAM the way QEMU does (one allocation per guest GiB, each slot at its
 * guest-physical offset), so guest and host addresses are 2-MByte aligned together and KVM may
 * back guest RAM with 2-MByte EPT/NPT leaves (SDM 3C §29.3.2, Table 29-4: a PDE with bit 7 set maps
 * 2 MBytes). Under 4-KByte-only backing, touching one byte in each of three 2-MByte ranges would
 * map exactly three 4-KByte pages there.
 */
class LargePageBackingTest {
    /** Writes one dword in each of the 2-MByte ranges at 4, 6 and 8 MiB (inside the slot at 768 KiB), then exits. */
    private static byte[] toucher() {
        GuestKit k = new GuestKit();
        k.a.mov(dword(0x40_0100), 1).mov(dword(0x60_0200), 2).mov(dword(0x80_0300), 3);
        k.exit(0);
        return k.image();
    }

    @Test
    void eptBacksAlignedGuestRangesWithTwoMegabyteLeaves() {
        GuestRun run = GuestRun.run(toucher(), KvmParameters.Mmu.EPT);
        assertThat(run.exitStatus()).isEqualTo(1);
        // [0, 2 MiB) spans the 640 KiB-768 KiB hole, so it stays in 4-KByte pages (code, stack, IDT);
        // the three touched ranges (and the kernel image's) lie wholly inside the second slot.
        assertThat(run.stats().get(KvmStats.PAGES_2M)).isGreaterThanOrEqualTo(3);
        assertThat(run.stats().get(KvmStats.PAGES_4K)).isPositive();
        assertThat(run.stats().get(KvmStats.PAGES_1G)).isZero(); // 32 MiB of RAM: no slot covers a GiB
    }

    @Test
    void nptBacksThemTooButShadowPagingKeepsNoSuchGauges() {
        assertThat(GuestRun.run(toucher(), KvmParameters.Mmu.NPT).stats().get(KvmStats.PAGES_2M)).isGreaterThanOrEqualTo(3);
        assertThat(GuestRun.run(toucher(), KvmParameters.Mmu.SHADOW).stats()).doesNotContainKey(KvmStats.PAGES_2M);
    }
}
