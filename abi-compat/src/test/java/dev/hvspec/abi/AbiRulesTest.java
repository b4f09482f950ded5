package dev.hvspec.abi;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stable-ABI rules (api.rst §3) over the per-release golden facts, 2.6.22 … 2.6.26 and 6.1
 * (the API 12 golden file). The history does break the rules in a few places; those breaks are
 * listed below with the reason, and the test fails both on a new violation and on a listed one
 * that no longer happens.
 */
class AbiRulesTest {
    /** Known breaks, keyed by "OLD->NEW rule where". */
    static final Map<String, String> KNOWN = new TreeMap<>(Map.of(
            "2.6.23->2.6.24 moved kvm_run.hypercall.args", HYPERCALL_NR(),
            "2.6.23->2.6.24 moved kvm_run.hypercall.ret", HYPERCALL_NR(),
            "2.6.23->2.6.24 moved kvm_run.hypercall.longmode", HYPERCALL_NR(),
            "2.6.23->2.6.24 new-field kvm_run.hypercall.nr", HYPERCALL_NR(),
            "2.6.26->6.1 moved kvm_run.s390_sieic", S390(),
            "2.6.26->6.1 moved kvm_run.s390_sieic.ipa", S390(),
            "2.6.26->6.1 moved kvm_run.s390_sieic.ipb", S390(),
            "2.6.26->6.1 new-field kvm_irq_level.status",
            "status shares the word of irq in an anonymous union (2.6.29); only KVM_IRQ_LINE_STATUS, a new "
                    + "ioctl code, writes it back, so KVM_IRQ_LINE users see the same bytes"));

    private static String HYPERCALL_NR() {
        return "2.6.24 put the hypercall number in front of the arguments of the KVM_EXIT_HYPERCALL payload: "
                + "a real break inside API 12, visible only to userspace that handled that exit";
    }

    private static String S390() {
        return "the s390 PSW left the SIEIC payload for kvm_run.psw_mask/psw_addr (s390 only, under "
                + "__KVM_S390); no x86 userspace reads s390_sieic";
    }

    private static AbiFacts facts(String release) {
        return AbiFacts.parse(Golden.read("6.1".equals(release) ? GoldenDumpTest.FILE : "history/" + release + ".txt"));
    }

    @Test
    void consecutiveReleasesBreakNoRuleExceptTheKnownBreaks() {
        List<String> releases = new ArrayList<>(AbiHistory.RELEASES);
        releases.add("6.1");
        List<String> found = new ArrayList<>();
        for (int i = 1; i < releases.size(); i++) {
            String older = releases.get(i - 1);
            String newer = releases.get(i);
            for (AbiRules.Violation v : AbiRules.check(facts(older), facts(newer))) {
                found.add(older + "->" + newer + " " + v.rule() + " " + v.where() + " (" + v.detail() + ")");
            }
        }
        List<String> unexplained = found.stream()
                .filter(f -> KNOWN.keySet().stream().noneMatch(k -> f.startsWith(k + " "))).toList();
        List<String> stale = KNOWN.keySet().stream()
                .filter(k -> found.stream().noneMatch(f -> f.startsWith(k + " "))).toList();
        assertThat(unexplained).as("ABI rule violations between releases").isEmpty();
        assertThat(stale).as("listed breaks that the facts no longer show").isEmpty();
    }

    @Test
    void everyOldReleaseIsComparedWithTheNextOnItsStructsAndCodes() {
        AbiFacts v24 = facts("2.6.24");
        AbiFacts v26 = facts("2.6.26");
        assertThat(v24.members()).containsKey("kvm_irqchip").containsKey("kvm_run");
        assertThat(v26.constants()).containsKeys("KVM_CREATE_PIT", "KVM_SET_IRQCHIP");
        assertThat(facts("6.1").constants()).containsEntry("KVM_SET_IRQCHIP", v26.constants().get("KVM_SET_IRQCHIP"));
    }

    // ---- the rules themselves, on small made-up facts ----

    private static List<AbiRules.Violation> check(List<String> older, List<String> newer) {
        return AbiRules.check(AbiFacts.parse(older), AbiFacts.parse(newer));
    }

    @Test
    void aMovedOffsetIsAViolation() {
        assertThat(check(List.of("size s 8", "offset s.a 0 4", "offset s.b 4 4"),
                List.of("size s 8", "offset s.b 0 4", "offset s.a 4 4")))
                .extracting(AbiRules.Violation::rule).containsExactly("moved", "moved");
    }

    @Test
    void aNewFieldCarvedFromPaddingIsFine() {
        assertThat(check(List.of("size s 8", "offset s.a 0 4", "offset s.pad 4 4"),
                List.of("size s 8", "offset s.a 0 4", "offset s.b 4 2", "offset s.pad 6 2"))).isEmpty();
    }

    @Test
    void aNewFieldOverUsedBytesIsAViolation() {
        assertThat(check(List.of("size s 8", "offset s.a 0 8"),
                List.of("size s 8", "offset s.a 0 8", "offset s.b 4 4")))
                .extracting(AbiRules.Violation::rule).containsExactly("new-field");
    }

    @Test
    void onlyKvmRunMayGrowAtTheEnd() {
        assertThat(check(List.of("size s 4", "offset s.a 0 4"),
                List.of("size s 8", "offset s.a 0 4", "offset s.b 4 4")))
                .extracting(AbiRules.Violation::rule).containsExactly("new-field");
        assertThat(check(List.of("size kvm_run 4", "offset kvm_run.a 0 4"),
                List.of("size kvm_run 8", "offset kvm_run.a 0 4", "offset kvm_run.b 4 4"))).isEmpty();
    }

    @Test
    void aNewUnionAlternativeInsideTheSizingPaddingIsFine() {
        assertThat(check(List.of("size u 16", "offset u.io 0 8", "offset u.padding 0 16"),
                List.of("size u 16", "offset u.io 0 8", "offset u.mmio 0 12", "offset u.padding 0 16"))).isEmpty();
    }

    @Test
    void aChangedRequestCodeIsAViolation() {
        assertThat(check(List.of("const KVM_X 1074048513"), List.of("const KVM_X 1074310657")))
                .extracting(AbiRules.Violation::rule).containsExactly("code");
    }
}
