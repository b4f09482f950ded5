package dev.hvspec.abi;

import dev.hvspec.cli.AbiProfilesCommand;
import dev.hvspec.kvm.abi.AbiConstant;
import dev.hvspec.kvm.abi.KernelProfile;
import dev.hvspec.kvm.abi.KvmCap;
import dev.hvspec.kvm.abi.KvmIoctl;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel capability profiles: pinned by a golden file, and checked against the stable-ABI
 * promise (api.rst §3): every release offers what the previous one did, except for the removals
 * that 6.1's api.rst records (§4.6, §4.9, §4.17) and that the profile lists with their reason.
 */
class KernelProfileRulesTest {
    static final String FILE = "profiles.txt";

    @Test
    void theProfilesEqualTheGoldenFile() {
        List<String> lines = AbiProfilesCommand.lines(KernelProfile.all());
        if (Golden.updating()) {
            Golden.write(FILE, lines);
        }
        assertThat(lines).as("profiles differ from golden/%s; %s", FILE, Golden.howToRegenerate(FILE))
                .isEqualTo(Golden.read(FILE));
    }

    @Test
    void theReleasesAreTheJourneyAndAModernOneInOrder() {
        assertThat(KernelProfile.all()).extracting(KernelProfile::release)
                .containsExactly("2.6.22", "2.6.23", "2.6.24", "2.6.25", "2.6.26", "6.1");
    }

    @Test
    void everyProfileKeepsWhatThePreviousOneHadUnlessItRecordsTheRemoval() {
        List<String> problems = new ArrayList<>();
        List<KernelProfile> all = KernelProfile.all();
        for (int i = 1; i < all.size(); i++) {
            KernelProfile older = all.get(i - 1);
            KernelProfile newer = all.get(i);
            Set<AbiConstant> lost = new HashSet<>();
            older.ioctls().stream().filter(x -> !newer.has(x)).forEach(lost::add);
            older.capabilities().stream().filter(x -> !newer.has(x)).forEach(lost::add);
            for (AbiConstant c : lost) {
                if (!newer.removed().containsKey(c)) {
                    problems.add(newer.release() + " lost " + c.cName() + " without a recorded reason");
                }
            }
            for (var r : newer.removed().entrySet()) {
                if (!lost.contains(r.getKey())) {
                    problems.add(newer.release() + " records removing " + r.getKey().cName() + " it did not lose");
                }
                if (r.getValue().isBlank()) {
                    problems.add(newer.release() + " gives no reason for removing " + r.getKey().cName());
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void onlyTheIoctlsApiRstCallsRemovedAreRemovedAndOnlyIn61() {
        KernelProfile v61 = KernelProfile.of("6.1").orElseThrow();
        assertThat(v61.removed().keySet()).containsExactlyInAnyOrder(KvmIoctl.SET_MEMORY_REGION,
                KvmIoctl.SET_MEMORY_ALIAS, KvmIoctl.DEBUG_GUEST, KvmCap.PV_MMU);
        for (KernelProfile p : KernelProfile.all()) {
            if (p != v61) {
                assertThat(p.removed()).as(p.release()).isEmpty();
            }
        }
    }

    @Test
    void everyIoctlIsAnnouncedByACapabilityTheProfileReports() {
        // api.rst §3: a capability, when present, makes its set of ioctls available
        List<String> unannounced = new ArrayList<>();
        for (KernelProfile p : KernelProfile.all()) {
            for (KvmIoctl ioctl : p.ioctls()) {
                ioctl.capability().filter(cap -> !p.has(cap))
                        .ifPresent(cap -> unannounced.add(p.release() + " " + ioctl.cName() + " needs " + cap.cName()));
            }
        }
        assertThat(unannounced).isEmpty();
    }

    @Test
    void theJourneyAddsTheInKernelIrqchipIn2624AndUserMemoryIn2625() {
        KernelProfile v23 = KernelProfile.of("2.6.23").orElseThrow();
        KernelProfile v24 = KernelProfile.of("2.6.24").orElseThrow();
        KernelProfile v25 = KernelProfile.of("2.6.25").orElseThrow();
        assertThat(v23.capabilities()).isEmpty();
        assertThat(v23.has(KvmIoctl.CREATE_IRQCHIP)).isFalse();
        assertThat(v24.has(KvmIoctl.CREATE_IRQCHIP)).isTrue();
        assertThat(v24.has(KvmCap.IRQCHIP)).isTrue();
        assertThat(v24.has(KvmIoctl.SET_USER_MEMORY_REGION)).isFalse();
        assertThat(v25.has(KvmIoctl.SET_USER_MEMORY_REGION)).isTrue();
        assertThat(KernelProfile.of("6.1").orElseThrow().has(KvmCap.PIT2)).isTrue();
        assertThat(KernelProfile.of("2.6.26").orElseThrow().has(KvmCap.PIT2)).isFalse();
    }

    @Test
    void a61KernelAnswersEveryIoctlOfIssue4() {
        Set<KvmIoctl> issue4 = EnumSet.of(KvmIoctl.GET_API_VERSION, KvmIoctl.CREATE_VM, KvmIoctl.CHECK_EXTENSION,
                KvmIoctl.GET_VCPU_MMAP_SIZE, KvmIoctl.GET_SUPPORTED_CPUID, KvmIoctl.GET_MSR_INDEX_LIST,
                KvmIoctl.CREATE_VCPU, KvmIoctl.SET_USER_MEMORY_REGION, KvmIoctl.GET_DIRTY_LOG,
                KvmIoctl.CREATE_IRQCHIP, KvmIoctl.IRQ_LINE, KvmIoctl.IRQ_LINE_STATUS, KvmIoctl.GET_IRQCHIP,
                KvmIoctl.SET_IRQCHIP, KvmIoctl.CREATE_PIT2, KvmIoctl.GET_PIT2, KvmIoctl.SET_PIT2,
                KvmIoctl.SET_GSI_ROUTING, KvmIoctl.SIGNAL_MSI, KvmIoctl.IRQFD, KvmIoctl.IOEVENTFD,
                KvmIoctl.GET_CLOCK, KvmIoctl.SET_CLOCK, KvmIoctl.ENABLE_CAP, KvmIoctl.RUN, KvmIoctl.GET_REGS,
                KvmIoctl.SET_REGS, KvmIoctl.GET_SREGS, KvmIoctl.SET_SREGS, KvmIoctl.GET_SREGS2, KvmIoctl.SET_SREGS2,
                KvmIoctl.GET_FPU, KvmIoctl.SET_FPU, KvmIoctl.GET_MSRS, KvmIoctl.SET_MSRS, KvmIoctl.SET_CPUID2,
                KvmIoctl.GET_CPUID2, KvmIoctl.GET_LAPIC, KvmIoctl.SET_LAPIC, KvmIoctl.GET_VCPU_EVENTS,
                KvmIoctl.SET_VCPU_EVENTS, KvmIoctl.GET_MP_STATE, KvmIoctl.SET_MP_STATE, KvmIoctl.GET_XSAVE,
                KvmIoctl.SET_XSAVE, KvmIoctl.GET_XCRS, KvmIoctl.SET_XCRS, KvmIoctl.GET_DEBUGREGS,
                KvmIoctl.SET_DEBUGREGS, KvmIoctl.INTERRUPT, KvmIoctl.NMI, KvmIoctl.TRANSLATE,
                KvmIoctl.SET_GUEST_DEBUG);
        assertThat(KernelProfile.of("6.1").orElseThrow().ioctls()).containsAll(issue4);
    }
}
