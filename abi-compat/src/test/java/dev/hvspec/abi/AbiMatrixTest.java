package dev.hvspec.abi;

import dev.hvspec.vmm.compat.AbiMatrix;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The old/new matrix in verify: the stable-ABI promise of api.rst §3 ("As of Linux 2.6.22, the KVM
 * ABI has been stabilized: no backward incompatible change are allowed"), checked by running the
 * same guest for every userspace × kernel release.
 *
 * <p>Expected results, written down from the release history rather than computed from the
 * profiles the code uses: capabilities appeared in 2.6.24 (KVM_CAP_IRQCHIP; the 2.6.22 and 2.6.23
 * headers define no KVM_CAP_* at all), 2.6.25 (KVM_CAP_USER_MEMORY, KVM_CAP_EXT_CPUID), 2.6.26
 * (KVM_CAP_PIT) and later (KVM_CAP_PIT2, KVM_CAP_IRQ_ROUTING, KVM_CAP_ADJUST_CLOCK, here 6.1). A
 * path is used when both sides have it. The one deliberate break: 6.1 removed
 * KVM_SET_MEMORY_REGION (api.rst §4.6), which userspace older than KVM_CAP_USER_MEMORY (2.6.22 …
 * 2.6.24 headers) needs.
 */
@Tag("kvm-api-3")
class AbiMatrixTest {
    private static final List<String> RELEASES = List.of("2.6.22", "2.6.23", "2.6.24", "2.6.25", "2.6.26", "6.1");
    private static List<AbiMatrix.Cell> cells;

    @BeforeAll
    static void runMatrix() {
        cells = AbiMatrix.runAll();
    }

    private static int age(String release) {
        return RELEASES.indexOf(release);
    }

    /** Both sides at least {@code since}. */
    private static boolean both(AbiMatrix.Cell c, String since) {
        return age(c.userspace()) >= age(since) && age(c.kernel()) >= age(since);
    }

    private static boolean documentedBreak(AbiMatrix.Cell c) {
        return c.kernel().equals("6.1") && age(c.userspace()) < age("2.6.25");
    }

    @Test
    void everyPairOfReleasesIsRun() {
        assertThat(cells).hasSize(RELEASES.size() * RELEASES.size());
    }

    @Test
    void everyCellPassesExceptTheDocumentedRemoval() {
        for (AbiMatrix.Cell c : cells) {
            if (documentedBreak(c)) {
                assertThat(c.passed()).as("%s on %s", c.userspace(), c.kernel()).isFalse();
                assertThat(c.detail()).as("%s on %s", c.userspace(), c.kernel())
                        .contains("KVM_SET_MEMORY_REGION").contains("ENOTTY");
                assertThat(c.knownBreak()).contains("4.6");
            } else {
                assertThat(c.passed()).as("%s on %s: %s", c.userspace(), c.kernel(), c.detail()).isTrue();
            }
        }
        assertThat(AbiMatrix.stable(cells)).isTrue();
    }

    @Test
    void negotiatedPathsFollowTheReleaseHistory() {
        for (AbiMatrix.Cell c : cells) {
            if (documentedBreak(c)) {
                continue;
            }
            boolean irqchip = both(c, "2.6.24");
            String pit = both(c, "6.1") ? "pit2" : irqchip && both(c, "2.6.26") ? "pit" : "user-pit";
            String expected = String.join(",",
                    both(c, "2.6.25") ? "user-mem" : "kernel-mem",
                    both(c, "2.6.25") ? "cpuid2" : "cpuid",
                    irqchip ? "irqchip" : "user-irqchip",
                    pit,
                    both(c, "6.1") ? "gsi-routing" : "default-routing",
                    both(c, "6.1") ? "kvmclock" : "tsc-clock")
                    + (age(c.userspace()) < age("2.6.24") ? ",no-caps" : "");
            assertThat(c.paths()).as("%s on %s", c.userspace(), c.kernel()).isEqualTo(expected);
        }
    }
}
