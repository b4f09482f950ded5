package dev.hvspec.properties.chipset;

import dev.hvspec.machine.chipset.ApicBus;
import dev.hvspec.machine.chipset.DeliveryMode;
import dev.hvspec.machine.chipset.InterruptMessage;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.LocalApicConfig;
import dev.hvspec.machine.chipset.LocalApicRegisters;
import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Local APIC interrupt priority (Intel SDM 3A §11.8.3.1, §11.8.4, §11.8.5, §11.6.2.4) against an
 * oracle written directly from the SDM's wording with sets of vectors: PPR is TPR if TPR[7:4] >=
 * ISRV[7:4], else ISRV[7:4]:0; the highest IRR vector is delivered iff its class is above
 * PPR[7:4]; acknowledging moves it from IRR to ISR; EOI clears the highest ISR vector.
 */
class LocalApicPriorityProperties {

    /** One thing that happens to the APIC. */
    sealed interface Op {
        record Fixed(int vector) implements Op { }
        record SetTpr(int tpr) implements Op { }
        record Acknowledge() implements Op { }
        record Eoi() implements Op { }
    }

    @Provide
    Arbitrary<Op> ops() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(16, 255).map(v -> (Op) new Op.Fixed(v))),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, 255).map(t -> (Op) new Op.SetTpr(t))),
                net.jqwik.api.Tuple.of(3, Arbitraries.just((Op) new Op.Acknowledge())),
                net.jqwik.api.Tuple.of(2, Arbitraries.just((Op) new Op.Eoi())));
    }

    /** The SDM's rules with ordinary sets. */
    static final class Oracle {
        final TreeSet<Integer> irr = new TreeSet<>();
        final TreeSet<Integer> isr = new TreeSet<>();
        int tpr;

        int ppr() {
            int isrv = isr.isEmpty() ? 0 : isr.last();
            return (tpr >> 4) >= (isrv >> 4) ? tpr : isrv & 0xF0;
        }

        Integer deliverable() {
            if (irr.isEmpty()) {
                return null;
            }
            int v = irr.last();
            return (v >> 4) > (ppr() >> 4) ? v : null;
        }
    }

    private static LocalApic enabledApic(ApicBus bus) {
        LocalApic apic = new LocalApic(LocalApicConfig.of(0, true), bus, new TimerQueue(new ManualClock()));
        apic.mmioWrite(LocalApicRegisters.SVR, 4, 0x1FF);
        return apic;
    }

    private static void sendFixed(LocalApic apic, int vector) {
        apic.accept(new InterruptMessage(DeliveryMode.FIXED, vector, false, 0, false,
                InterruptMessage.Shorthand.NONE, false, true));
    }

    @Property(tries = 1500)
    @Label("the highest deliverable vector wins; PPR, IRR and ISR follow the SDM rules")
    @Tag("sdm-3A-11.8.3.1") @Tag("sdm-3A-11.8.4") @Tag("sdm-3A-11.8.5")
    void priorityFollowsTheSdm(@ForAll @Size(max = 60) List<@From("ops") Op> ops) {
        LocalApic apic = enabledApic(new ApicBus());
        Oracle oracle = new Oracle();
        for (Op op : ops) {
            switch (op) {
                case Op.Fixed f -> {
                    sendFixed(apic, f.vector());
                    oracle.irr.add(f.vector());
                }
                case Op.SetTpr t -> {
                    apic.mmioWrite(LocalApicRegisters.TPR, 4, t.tpr());
                    oracle.tpr = t.tpr();
                }
                case Op.Acknowledge a -> {
                    Integer expected = oracle.deliverable();
                    assertThat(apic.hasInterrupt()).as("has interrupt").isEqualTo(expected != null);
                    int got = apic.acknowledgeInterrupt();
                    if (expected == null) {
                        assertThat(got).as("spurious vector from SVR").isEqualTo(0xFF);
                    } else {
                        assertThat(got).as("acknowledged vector").isEqualTo(expected);
                        oracle.irr.remove(expected);
                        oracle.isr.add(expected);
                    }
                }
                case Op.Eoi e -> {
                    apic.mmioWrite(LocalApicRegisters.EOI, 4, 0);
                    if (!oracle.isr.isEmpty()) {
                        oracle.isr.remove(oracle.isr.last());
                    }
                }
            }
            assertThat(apic.processorPriority()).as("PPR after %s", op).isEqualTo(oracle.ppr());
            assertThat(apic.deliverableVector()).as("deliverable after %s", op)
                    .isEqualTo(oracle.deliverable() == null ? -1 : oracle.deliverable());
            for (int word = 0; word < 8; word++) {
                assertThat(apic.register(LocalApicRegisters.IRR + 16 * word)).as("IRR word %d", word)
                        .isEqualTo(bits(oracle.irr, word));
                assertThat(apic.register(LocalApicRegisters.ISR + 16 * word)).as("ISR word %d", word)
                        .isEqualTo(bits(oracle.isr, word));
            }
        }
    }

    private static int bits(TreeSet<Integer> vectors, int word) {
        int value = 0;
        for (int v : vectors) {
            if (v / 32 == word) {
                value |= 1 << (v % 32);
            }
        }
        return value;
    }

    /**
     * SDM 3A §11.6.2.4: with focus checking disabled, a lowest-priority message goes to the APIC
     * whose APR is lowest (ties: lowest APIC ID). APR oracle: TPR if TPR[7:4] >= IRRV[7:4] and
     * TPR[7:4] > ISRV[7:4], else max(TPR[7:4], ISRV[7:4], IRRV[7:4]) << 4.
     */
    @Property(tries = 1000)
    @Label("lowest-priority delivery picks the lowest arbitration priority")
    @Tag("sdm-3A-11.6.2.4")
    void lowestPriorityPicksLowestApr(@ForAll @Size(min = 2, max = 6) List<@IntRange(min = 0, max = 255) Integer> tprs,
                                      @ForAll @Size(min = 6, max = 6) List<@IntRange(min = 0, max = 255) Integer> pending,
                                      @ForAll @IntRange(min = 16, max = 255) int vector) {
        ApicBus bus = new ApicBus();
        List<LocalApic> apics = new ArrayList<>();
        List<Integer> aprs = new ArrayList<>();
        for (int id = 0; id < tprs.size(); id++) {
            LocalApic apic = new LocalApic(LocalApicConfig.of(id, id == 0), bus, new TimerQueue(new ManualClock()));
            apic.mmioWrite(LocalApicRegisters.SVR, 4, 0x3FF); // enabled, focus checking disabled
            apic.mmioWrite(LocalApicRegisters.LDR, 4, 1 << (24 + id));
            apic.mmioWrite(LocalApicRegisters.TPR, 4, tprs.get(id));
            int irrv = 0;
            if (pending.get(id) >= 16 && pending.get(id) != vector) {
                sendFixed(apic, pending.get(id));
                irrv = pending.get(id);
            }
            apics.add(apic);
            int tpr = tprs.get(id);
            int apr = ((tpr >> 4) >= (irrv >> 4) && (tpr >> 4) > 0) ? tpr
                    : Math.max(tpr >> 4, irrv >> 4) << 4;
            aprs.add(apr);
            assertThat(apic.arbitrationPriority()).as("APR of APIC %d", id).isEqualTo(apr);
        }
        int winner = 0;
        for (int id = 1; id < aprs.size(); id++) {
            if (aprs.get(id) < aprs.get(winner)) {
                winner = id;
            }
        }
        int everyone = (1 << tprs.size()) - 1;
        int accepted = bus.deliver(InterruptMessage.directed(DeliveryMode.LOWEST_PRIORITY, vector, true, everyone, false));
        assertThat(accepted).isEqualTo(1);
        for (int id = 0; id < apics.size(); id++) {
            int irrWord = apics.get(id).register(LocalApicRegisters.IRR + 16 * (vector / 32));
            assertThat((irrWord >>> (vector % 32)) & 1).as("APIC %d got the vector", id).isEqualTo(id == winner ? 1 : 0);
        }
    }
}
