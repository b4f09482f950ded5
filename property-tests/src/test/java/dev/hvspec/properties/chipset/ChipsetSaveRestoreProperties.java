package dev.hvspec.properties.chipset;

import dev.hvspec.machine.chipset.ApicBus;
import dev.hvspec.machine.chipset.DeliveryMode;
import dev.hvspec.machine.chipset.Intel8254;
import dev.hvspec.machine.chipset.InterruptMessage;
import dev.hvspec.machine.chipset.Ioapic82093AA;
import dev.hvspec.machine.chipset.LocalApic;
import dev.hvspec.machine.chipset.LocalApicConfig;
import dev.hvspec.machine.chipset.LocalApicState;
import dev.hvspec.machine.chipset.Mc146818Rtc;
import dev.hvspec.machine.chipset.Pic8259Pair;
import dev.hvspec.machine.chipset.Pic8259Pair.Chip;
import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Save/restore captures the whole state of each chip: after random guest activity, a fresh chip
 * restored from {@code save()} (1) saves the same state again and (2) behaves exactly like the
 * original under any further activity: every read, acknowledge and output level is the same.
 * This is what KVM_GET/SET_IRQCHIP, KVM_GET/SET_LAPIC, KVM_GET/SET_PIT2 and a VM snapshot need.
 */
class ChipsetSaveRestoreProperties {

    /** One action on a chip; {@code run} returns what the guest or the board would observe. */
    interface Action<C> extends Function<C, Object> {
    }

    private static <C> void twins(C original, C twin, List<Action<C>> after, String chip) {
        for (Action<C> action : after) {
            Object a = action.apply(original);
            Object b = action.apply(twin);
            assertThat(b).as("%s twin after %s", chip, action).isEqualTo(a);
        }
    }

    // ------------------------------------------------------------------ 8259A pair

    record PicAction(int kind, int port, int value) implements Action<Pic8259Pair> {
        @Override
        public Object apply(Pic8259Pair pic) {
            return switch (kind) {
                case 0 -> {
                    pic.ioWrite(port, 1, value);
                    yield pic.intrAsserted();
                }
                case 1 -> pic.ioRead(port, 1);
                case 2 -> {
                    pic.setIrq(value == 2 ? 3 : value, port % 2 == 0);
                    yield pic.intrAsserted();
                }
                default -> pic.acknowledge();
            };
        }
    }

    @Provide
    Arbitrary<PicAction> picActions() {
        Arbitrary<Integer> ports = Arbitraries.of(0x20, 0x21, 0xA0, 0xA1, 0x4D0, 0x4D1);
        return Combinators.combine(Arbitraries.integers().between(0, 3), ports, Arbitraries.integers().between(0, 255))
                .as((kind, port, value) -> new PicAction(kind, kind == 2 ? value : port, kind == 2 ? value % 16 : value));
    }

    @Property(tries = 1000)
    @Label("8259A pair: a restored twin saves the same kvm_pic_state and behaves the same")
    @Tag("i8259a-reading-status") @Tag("kvm-api-4.26") @Tag("kvm-api-4.27")
    void picTwin(@ForAll @Size(max = 40) List<@From("picActions") PicAction> before,
                 @ForAll @Size(max = 40) List<@From("picActions") PicAction> after) {
        Pic8259Pair original = new Pic8259Pair();
        before.forEach(action -> action.apply(original));
        Pic8259Pair twin = new Pic8259Pair();
        for (Chip chip : Chip.values()) {
            twin.restore(chip, original.save(chip));
            assertThat(twin.save(chip)).isEqualTo(original.save(chip));
        }
        assertThat(twin.intrAsserted()).isEqualTo(original.intrAsserted());
        twins(original, twin, new ArrayList<>(after), "PIC");
    }

    // ------------------------------------------------------------------ I/O APIC

    record IoapicAction(int kind, int index, int value) implements Action<Ioapic82093AA> {
        @Override
        public Object apply(Ioapic82093AA ioapic) {
            switch (kind) {
                case 0 -> {
                    ioapic.mmioWrite(Ioapic82093AA.IOREGSEL, 4, index);
                    ioapic.mmioWrite(Ioapic82093AA.IOWIN, 4, Integer.toUnsignedLong(value));
                }
                case 1 -> ioapic.setPin(index % 24, (value & 1) != 0);
                case 2 -> ioapic.endOfInterrupt(value & 0xFF);
                default -> {
                    ioapic.mmioWrite(Ioapic82093AA.IOREGSEL, 4, index);
                    return ioapic.mmioRead(Ioapic82093AA.IOWIN, 4);
                }
            }
            return ioapic.save().redirectionTable();
        }
    }

    @Provide
    Arbitrary<IoapicAction> ioapicActions() {
        Arbitrary<Integer> values = Arbitraries.oneOf(Arbitraries.integers(),
                Arbitraries.integers().between(0x10, 0xFF).map(v -> v | 0x8000), // level, unmasked, fixed
                Arbitraries.integers().between(0x10, 0xFF));
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 0x40), values)
                .as(IoapicAction::new);
    }

    private static Ioapic82093AA ioapicWithOneCpu() {
        ApicBus bus = new ApicBus();
        LocalApic apic = new LocalApic(LocalApicConfig.of(0, true), bus, new TimerQueue(new ManualClock()));
        apic.mmioWrite(0xF0, 4, 0x1FF);
        return new Ioapic82093AA(bus, Ioapic82093AA.Version.WITH_EOI_REGISTER);
    }

    @Property(tries = 1000)
    @Label("I/O APIC: a restored twin saves the same kvm_ioapic_state and behaves the same")
    @Tag("ioapic-3.2.4") @Tag("kvm-api-4.26") @Tag("kvm-api-4.27")
    void ioapicTwin(@ForAll @Size(max = 40) List<@From("ioapicActions") IoapicAction> before,
                    @ForAll @Size(max = 40) List<@From("ioapicActions") IoapicAction> after) {
        Ioapic82093AA original = ioapicWithOneCpu();
        before.forEach(action -> action.apply(original));
        Ioapic82093AA twin = ioapicWithOneCpu();
        twin.restore(original.save());
        assertThat(twin.save()).isEqualTo(original.save());
        twins(original, twin, new ArrayList<>(after), "I/O APIC");
    }

    // ------------------------------------------------------------------ 8254 and the clock

    record PitAction(int kind, int port, int value) implements Action<Intel8254> {
        @Override
        public Object apply(Intel8254 pit) {
            return switch (kind) {
                case 0 -> {
                    pit.ioWrite(port, 1, value);
                    yield List.of(pit.output(0), pit.output(1), pit.output(2));
                }
                case 1 -> pit.ioRead(port, 1);
                case 2 -> {
                    pit.setGate(port - 0x40, (value & 1) != 0);
                    yield pit.output(port - 0x40);
                }
                default -> List.of(pit.output(0), pit.output(1), pit.output(2));
            };
        }

        @Override
        public String toString() {
            return "PitAction[" + kind + ", " + Integer.toHexString(port) + ", " + Integer.toHexString(value) + "]";
        }
    }

    sealed interface PitStep {
        record Act(int kind, int port, int value) implements PitStep { }
        record Advance(long nanos) implements PitStep { }
    }

    @Provide
    Arbitrary<PitStep> pitSteps() {
        Arbitrary<Integer> ports = Arbitraries.integers().between(0x40, 0x43);
        Arbitrary<Integer> values = Arbitraries.oneOf(Arbitraries.integers().between(0, 255),
                Arbitraries.of(0x30, 0x34, 0x36, 0x38, 0x32, 0x3A, 0xB0, 0xB6, 0xC2, 0xE2, 0xDE, 0x00, 0x02, 0x05));
        return Arbitraries.frequencyOf(
                Tuple.of(5, Combinators.combine(Arbitraries.integers().between(0, 3), ports, values)
                        .as((k, p, v) -> (PitStep) new PitStep.Act(k, k == 2 ? 0x40 + p % 3 : p, v))),
                Tuple.of(2, Arbitraries.longs().between(0, 30_000).map(n -> (PitStep) new PitStep.Advance(n))));
    }

    @Property(tries = 1000)
    @Label("8254: a restored twin saves the same state and behaves the same, including OUT0 on IRQ 0")
    @Tag("i8254-read-back") @Tag("i8254-counter-latch")
    void pitTwin(@ForAll @Size(max = 30) List<@From("pitSteps") PitStep> before,
                 @ForAll @Size(max = 30) List<@From("pitSteps") PitStep> after) {
        ManualClock clock = new ManualClock();
        TimerQueue timers = new TimerQueue(clock);
        boolean[] irq = new boolean[2];
        Intel8254 original = new Intel8254(timers, level -> irq[0] = level);
        for (PitStep step : before) {
            pitStep(step, clock, timers, List.of(original));
        }
        Intel8254 twin = new Intel8254(timers, level -> irq[1] = level);
        twin.restore(original.save());
        assertThat(twin.save()).isEqualTo(original.save());
        assertThat(irq[1]).as("IRQ 0 after restore").isEqualTo(irq[0]);
        for (PitStep step : after) {
            List<Object> seen = pitStep(step, clock, timers, List.of(original, twin));
            assertThat(seen.get(1)).as("twin after %s", step).isEqualTo(seen.get(0));
            assertThat(irq[1]).as("IRQ 0 after %s", step).isEqualTo(irq[0]);
        }
    }

    private static List<Object> pitStep(PitStep step, ManualClock clock, TimerQueue timers, List<Intel8254> pits) {
        List<Object> seen = new ArrayList<>();
        switch (step) {
            case PitStep.Act a -> {
                for (Intel8254 pit : pits) {
                    seen.add(new PitAction(a.kind(), a.port(), a.value()).apply(pit));
                }
            }
            case PitStep.Advance a -> {
                clock.advance(a.nanos());
                timers.runExpired();
                for (Intel8254 pit : pits) {
                    seen.add(List.of(pit.output(0), pit.output(1), pit.output(2)));
                }
            }
        }
        return seen;
    }

    // ------------------------------------------------------------------ MC146818

    record RtcStep(int kind, int register, int value, long nanos) {
    }

    @Provide
    Arbitrary<RtcStep> rtcSteps() {
        Arbitrary<Integer> registers = Arbitraries.oneOf(Arbitraries.integers().between(0, 0x0D),
                Arbitraries.integers().between(0, 0x7F));
        Arbitrary<Integer> values = Arbitraries.oneOf(Arbitraries.integers().between(0, 255),
                Arbitraries.of(0x26, 0x2F, 0x23, 0x76, 0x02, 0x06, 0x42, 0x52, 0x72, 0x82, 0x12));
        return Combinators.combine(Arbitraries.integers().between(0, 2), registers, values,
                Arbitraries.longs().between(0, 1_500_000_000L)).as(RtcStep::new);
    }

    @Property(tries = 500)
    @Label("MC146818: a restored twin saves the same state and behaves the same, including IRQ 8")
    @Tag("mc146818-registers") @Tag("mc146818-update-cycle")
    void rtcTwin(@ForAll @Size(max = 25) List<@From("rtcSteps") RtcStep> before,
                 @ForAll @Size(max = 25) List<@From("rtcSteps") RtcStep> after) {
        ManualClock clock = new ManualClock();
        TimerQueue timers = new TimerQueue(clock);
        boolean[] irq = new boolean[2];
        LocalDateTime start = LocalDateTime.of(2024, 12, 31, 23, 59, 50);
        Mc146818Rtc original = new Mc146818Rtc(timers, level -> irq[0] = level, start);
        for (RtcStep step : before) {
            rtcStep(step, clock, timers, List.of(original));
        }
        Mc146818Rtc twin = new Mc146818Rtc(timers, level -> irq[1] = level, start);
        twin.restore(original.save());
        assertThat(twin.save()).isEqualTo(original.save());
        for (RtcStep step : after) {
            List<Object> seen = rtcStep(step, clock, timers, List.of(original, twin));
            assertThat(seen.get(1)).as("twin after %s", step).isEqualTo(seen.get(0));
            assertThat(irq[1]).as("IRQ 8 after %s", step).isEqualTo(irq[0]);
        }
    }

    private static List<Object> rtcStep(RtcStep step, ManualClock clock, TimerQueue timers, List<Mc146818Rtc> rtcs) {
        List<Object> seen = new ArrayList<>();
        if (step.kind() == 2) {
            clock.advance(step.nanos());
            timers.runExpired();
        }
        for (Mc146818Rtc rtc : rtcs) {
            rtc.ioWrite(Mc146818Rtc.INDEX_PORT, 1, step.register());
            if (step.kind() == 0) {
                rtc.ioWrite(Mc146818Rtc.DATA_PORT, 1, step.value());
                seen.add(rtc.nmiDisabled());
            } else {
                seen.add(rtc.ioRead(Mc146818Rtc.DATA_PORT, 1));
            }
        }
        return seen;
    }

    // ------------------------------------------------------------------ local APIC

    record ApicStep(int kind, int offset, long value, long nanos) {
    }

    private static final int[] APIC_OFFSETS = {0x20, 0x80, 0xB0, 0xD0, 0xE0, 0xF0, 0x280, 0x300, 0x310, 0x320, 0x350,
            0x360, 0x370, 0x380, 0x390, 0x3E0, 0x100, 0x200, 0x180, 0xA0, 0x90};
    private static final long[] APIC_BASES = {0xFEE00900L, 0xFEE00D00L, 0xFEE00100L, 0xFED00900L};

    @Provide
    Arbitrary<ApicStep> apicSteps() {
        Arbitrary<Integer> offsets = Arbitraries.of(java.util.Arrays.stream(APIC_OFFSETS).boxed().toList());
        Arbitrary<Long> values = Arbitraries.oneOf(Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.of(0x1FFL, 0x00040041L, 0x00040082L, 0x00020042L, 0x00040043L, 0xBL, 0x50L, 0x700L,
                        0x8031L, 300L, 0L));
        return Combinators.combine(Arbitraries.integers().between(0, 8), offsets, values,
                Arbitraries.longs().between(0, 3000)).as(ApicStep::new);
    }

    @Property(tries = 1000)
    @Label("local APIC: a restored twin saves the same state and behaves the same")
    @Tag("sdm-3A-11.4.7.1") @Tag("sdm-3A-11.5.4") @Tag("sdm-3A-11.8.4")
    void apicTwin(@ForAll @Size(max = 40) List<@From("apicSteps") ApicStep> before,
                  @ForAll @Size(max = 40) List<@From("apicSteps") ApicStep> after) {
        ManualClock clock = new ManualClock();
        TimerQueue timers = new TimerQueue(clock);
        LocalApic original = new LocalApic(LocalApicConfig.of(0, true), new ApicBus(), timers);
        for (ApicStep step : before) {
            apicStep(step, clock, timers, List.of(original));
        }
        LocalApic twin = new LocalApic(LocalApicConfig.of(0, true), new ApicBus(), timers);
        LocalApicState saved = original.save();
        twin.restore(saved);
        assertThat(twin.save()).isEqualTo(saved);
        for (ApicStep step : after) {
            List<Object> seen = apicStep(step, clock, timers, List.of(original, twin));
            assertThat(seen.get(1)).as("twin after %s", step).isEqualTo(seen.get(0));
        }
    }

    private static List<Object> apicStep(ApicStep step, ManualClock clock, TimerQueue timers, List<LocalApic> apics) {
        List<Object> seen = new ArrayList<>();
        if (step.kind() == 8) {
            clock.advance(step.nanos());
            timers.runExpired();
        }
        for (LocalApic apic : apics) {
            Object result = switch (step.kind()) {
                case 0 -> {
                    apic.mmioWrite(step.offset(), 4, step.value());
                    yield apic.hasInterrupt();
                }
                case 1 -> apic.mmioRead(step.offset(), 4);
                case 2 -> apic.writeMsr(0x800 + (step.offset() >> 4), step.value()).toString();
                case 3 -> apic.readMsr(0x800 + (step.offset() >> 4)).toString();
                case 4 -> apic.writeMsr(0x1B, APIC_BASES[(int) (step.nanos() % APIC_BASES.length)]).toString();
                case 5 -> apic.accept(new InterruptMessage(DeliveryMode.of((int) step.nanos() % 8),
                        (int) step.value() & 0xFF, false, 0, false, InterruptMessage.Shorthand.NONE,
                        (step.nanos() & 8) != 0, true));
                case 6 -> apic.hasInterrupt() ? apic.acknowledgeInterrupt() : -1;
                case 7 -> {
                    (step.offset() % 2 == 0 ? apic.lint0() : apic.lint1()).setLevel((step.value() & 1) != 0);
                    yield List.of(apic.takeNmi(), apic.takeInit(), apic.takeSmi(), apic.takeStartup());
                }
                default -> List.of(apic.hasInterrupt(), apic.register(0x390), apic.readMsr(0x6E0).toString());
            };
            seen.add(result);
        }
        return seen;
    }
}
