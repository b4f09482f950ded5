package dev.hvspec.properties.mmu;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Issue 6's properties, over random page-table forests and access sequences, for every
 * {@link MmuTarget} (the reference hypervisor under EPT, NPT, shadow paging, and shadow paging
 * with a 64-page cache) against the independent {@link SdmOracle}:
 * <ol>
 *   <li>every access has the outcome the SDM walk gives — the same bytes of the same host page,
 *       or the same #PF error code and CR2 — and the same accessed/dirty updates;</li>
 *   <li>after any guest PTE writes followed by the flushes the SDM requires and nothing more
 *       (INVLPG of exactly the affected pages), no stale translation is ever used;</li>
 *   <li>the dirty log covers every page written (data, entries, accessed/dirty flags).</li>
 * </ol>
 */
class MmuStrategiesProperties {
    private static Arbitrary<Scenario> scenarios(Scenario.Flush flush) {
        return Combinators.combine(Arbitraries.of(Mode.class), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.of(true, false), Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.longs(), Arbitraries.integers().between(6, 30))
                .as((mode, wp, smep, smap, nxe, pse, seed, length) -> new Scenario(mode, wp, smep, smap, nxe, pse, seed,
                        length, flush));
    }

    @Provide
    Arbitrary<Scenario> reloading() {
        return scenarios(Scenario.Flush.MOV_CR3);
    }

    @Provide
    Arbitrary<Scenario> minimal() {
        return scenarios(Scenario.Flush.MINIMAL);
    }

    @Property(tries = 1000)
    @Label("every strategy gives every access the SDM's outcome and accessed/dirty updates")
    @Tag("sdm-3A-4.5") @Tag("sdm-3A-4.6") @Tag("sdm-3A-4.7") @Tag("sdm-3A-4.8") @Tag("sdm-3C-29.3")
    void strategiesAgreeWithTheSdm(@ForAll("reloading") Scenario s) {
        MmuChecker.check(s, KvmMmuTarget.all(), false);
    }

    @Property(tries = 1000)
    @Label("after PTE writes and exactly the required INVLPGs no stale translation is used")
    @Tag("sdm-3A-4.10.4") @Tag("sdm-3C-29.4")
    void noStaleTranslation(@ForAll("minimal") Scenario s) {
        MmuChecker.check(s, KvmMmuTarget.strategies(), false);
    }

    @Property(tries = 1000)
    @Label("the dirty log covers every page the guest wrote")
    @Tag("kvm-api-4.8") @Tag("sdm-3A-4.8")
    void dirtyLogCoversEveryWrite(@ForAll("reloading") Scenario s) {
        MmuChecker.check(s, KvmMmuTarget.strategies(), true);
    }
}
