package dev.hvspec.properties.chipset;

import dev.hvspec.machine.chipset.Pic8259Pair;
import dev.hvspec.machine.chipset.Pic8259Pair.Chip;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The master 8259A's priority resolution, EOI and rotation against an oracle that keeps the
 * priority order as an explicit list (Intel 8259A datasheet: "Fully Nested Mode" — a request is
 * serviced if it is unmasked and ranks above every in-service level; "End of Interrupt";
 * "Automatic Rotation" and "Specific Rotation" — the rotated IR moves to the bottom of the list).
 * IR2 (the cascade) is left alone.
 */
class Pic8259PriorityProperties {
    private static final int BASE = 0x20;

    sealed interface Op {
        record Pulse(int irq) implements Op { }
        record Mask(int imr) implements Op { }
        record Acknowledge() implements Op { }
        record NonSpecificEoi() implements Op { }
        record SpecificEoi(int level) implements Op { }
        record RotateOnNonSpecificEoi() implements Op { }
        record RotateOnSpecificEoi(int level) implements Op { }
        record SetPriority(int lowest) implements Op { }
    }

    @Provide
    Arbitrary<Op> ops() {
        Arbitrary<Integer> level = Arbitraries.integers().between(0, 7);
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(0, 1, 3, 4, 5, 6, 7).map(n -> (Op) new Op.Pulse(n))),
                Tuple.of(1, Arbitraries.integers().between(0, 255).map(m -> (Op) new Op.Mask(m & ~0x04))),
                Tuple.of(5, Arbitraries.just((Op) new Op.Acknowledge())),
                Tuple.of(2, Arbitraries.just((Op) new Op.NonSpecificEoi())),
                Tuple.of(1, level.map(l -> (Op) new Op.SpecificEoi(l))),
                Tuple.of(1, Arbitraries.just((Op) new Op.RotateOnNonSpecificEoi())),
                Tuple.of(1, level.map(l -> (Op) new Op.RotateOnSpecificEoi(l))),
                Tuple.of(1, level.map(l -> (Op) new Op.SetPriority(l))));
    }

    /** The datasheet's rules with a list, highest priority first. */
    static final class Oracle {
        final List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7));
        final Set<Integer> irr = new HashSet<>();
        final Set<Integer> isr = new HashSet<>();
        int imr;

        Integer firstIn(Set<Integer> set, boolean unmaskedOnly) {
            for (int ir : order) {
                if (set.contains(ir) && (!unmaskedOnly || (imr & (1 << ir)) == 0)) {
                    return ir;
                }
            }
            return null;
        }

        Integer serviceable() {
            Integer request = firstIn(irr, true);
            Integer inService = firstIn(isr, false);
            if (request == null || (inService != null && order.indexOf(inService) <= order.indexOf(request))) {
                return null;
            }
            return request;
        }

        void makeLowest(int ir) {
            while (order.get(7) != ir) {
                order.add(order.removeFirst());
            }
        }
    }

    @Property(tries = 1500)
    @Label("the 8259A services the highest-priority unmasked request above all in-service levels")
    @Tag("i8259a-fully-nested") @Tag("i8259a-eoi") @Tag("i8259a-rotation")
    void priorityFollowsTheDatasheet(@ForAll @Size(max = 80) List<@From("ops") Op> ops) {
        Pic8259Pair pic = new Pic8259Pair();
        pic.ioWrite(0x20, 1, 0x11);
        pic.ioWrite(0x21, 1, BASE);
        pic.ioWrite(0x21, 1, 0x04);
        pic.ioWrite(0x21, 1, 0x01);
        pic.ioWrite(0xA0, 1, 0x11);
        pic.ioWrite(0xA1, 1, 0x28);
        pic.ioWrite(0xA1, 1, 0x02);
        pic.ioWrite(0xA1, 1, 0x01);
        Oracle oracle = new Oracle();
        for (Op op : ops) {
            switch (op) {
                case Op.Pulse p -> {
                    pic.irq(p.irq()).pulse();
                    oracle.irr.add(p.irq());
                }
                case Op.Mask m -> {
                    pic.ioWrite(0x21, 1, m.imr());
                    oracle.imr = m.imr();
                }
                case Op.Acknowledge a -> {
                    Integer expected = oracle.serviceable();
                    int vector = pic.acknowledge();
                    if (expected == null) {
                        assertThat(vector).as("spurious IRQ 7").isEqualTo(BASE + 7);
                    } else {
                        assertThat(vector).as("acknowledged vector").isEqualTo(BASE + expected);
                        oracle.irr.remove(expected);
                        oracle.isr.add(expected);
                    }
                }
                case Op.NonSpecificEoi e -> {
                    pic.ioWrite(0x20, 1, 0x20);
                    Integer top = oracle.firstIn(oracle.isr, false);
                    if (top != null) {
                        oracle.isr.remove(top);
                    }
                }
                case Op.SpecificEoi e -> {
                    pic.ioWrite(0x20, 1, 0x60 | e.level());
                    oracle.isr.remove(e.level());
                }
                case Op.RotateOnNonSpecificEoi r -> {
                    pic.ioWrite(0x20, 1, 0xA0);
                    Integer top = oracle.firstIn(oracle.isr, false);
                    if (top != null) {
                        oracle.isr.remove(top);
                        oracle.makeLowest(top);
                    }
                }
                case Op.RotateOnSpecificEoi r -> {
                    pic.ioWrite(0x20, 1, 0xE0 | r.level());
                    oracle.isr.remove(r.level());
                    oracle.makeLowest(r.level());
                }
                case Op.SetPriority s -> {
                    pic.ioWrite(0x20, 1, 0xC0 | s.lowest());
                    oracle.makeLowest(s.lowest());
                }
            }
            assertThat(pic.intrAsserted()).as("INTR after %s", op).isEqualTo(oracle.serviceable() != null);
            assertThat(pic.isr(Chip.MASTER)).as("ISR after %s", op).isEqualTo(mask(oracle.isr));
            assertThat(pic.irr(Chip.MASTER)).as("IRR after %s", op).isEqualTo(mask(oracle.irr));
        }
    }

    private static int mask(Set<Integer> irs) {
        int value = 0;
        for (int ir : irs) {
            value |= 1 << ir;
        }
        return value;
    }
}
