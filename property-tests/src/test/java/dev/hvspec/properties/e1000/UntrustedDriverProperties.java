package dev.hvspec.properties.e1000;

import dev.hvspec.vmm.e1000.E1000Counters;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.constraints.Size;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The untrusted-guest rule of the project (docs/contributing.md) for the 82540EM: whatever a driver
 * writes to the registers, in whatever width, whatever garbage sits in its rings and buffers,
 * whatever frames arrive and however time passes, no call into the device throws and every call
 * returns; the device transmits only from descriptors it processed. The register offsets are
 * drawn mostly from the registers with side effects (8254x SDM chapter 13), the values mostly as
 * guest-physical addresses inside the 1 MiB of RAM so that rings and buffers are found and parsed.
 */
class UntrustedDriverProperties {
    private static final int[] INTERESTING = {
        0x0000, 0x0008, 0x0010, 0x0014, 0x0020, 0x0038, 0x00C0, 0x00C4, 0x00C8, 0x00D0, 0x00D8, 0x0100,
        0x0400, 0x2800, 0x2804, 0x2808, 0x2810, 0x2818, 0x2820, 0x282C, 0x3800, 0x3804, 0x3808, 0x3810,
        0x3818, 0x3820, 0x382C, 0x4074, 0x408C, 0x5000, 0x5200, 0x53F4, 0x5400, 0x5404, 0x5600};

    sealed interface Op permits Access, Doorbell, Deliver, Advance, Poke {
    }

    /** A write of a (mostly plausible) value to TDT or RDT. */
    record Doorbell(boolean transmit, int tail) implements Op {
    }

    record Access(boolean write, int offset, int size, long value) implements Op {
    }

    record Deliver(int length, int seed, boolean toUs) implements Op {
    }

    record Advance(long nanos) implements Op {
    }

    record Poke(int address, int seed) implements Op {
    }

    @Property(tries = 1000)
    @Label("no sequence of driver actions makes the device throw or hang")
    @Tag("e1000-sdm-3.2") @Tag("e1000-sdm-3.3") @Tag("e1000-sdm-13.4")
    void anyDriverIsHandled(@ForAll("programs") @Size(max = 60) List<Op> program, @ForAll int ramSeed) throws Exception {
        E1000Harness nic = new E1000Harness();
        Random random = new Random(ramSeed);
        byte[] garbage = new byte[0x8000];
        random.nextBytes(garbage);
        nic.ram.write(0, garbage); // rings and descriptors are wherever the driver says, full of noise
        plausibleRings(nic, random);
        for (Op op : program) {
            switch (op) {
                case Access a -> nic.access(a.write(), a.offset(), a.size(), a.value());
                case Doorbell b -> nic.write(b.transmit() ? 0x3818 : 0x2818, b.tail());
                case Deliver d -> {
                    byte[] frame = new byte[d.length()];
                    new Random(d.seed()).nextBytes(frame);
                    if (d.toUs()) {
                        System.arraycopy(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}, 0, frame, 0, Math.min(6, frame.length));
                    }
                    nic.deliver(frame);
                }
                case Advance t -> nic.advance(t.nanos());
                case Poke p -> {
                    byte[] bytes = new byte[64];
                    new Random(p.seed()).nextBytes(bytes);
                    nic.ram.write(p.address(), bytes);
                }
            }
        }
        E1000Counters counters = nic.nic.counters();
        net.jqwik.api.statistics.Statistics.label("transmit").collect(counters.txDescriptors() > 0 ? "descriptors processed" : "none");
        net.jqwik.api.statistics.Statistics.label("frames sent").collect(counters.framesSent() > 0);
        net.jqwik.api.statistics.Statistics.label("frames received").collect(counters.framesReceived() > 0);
        assertThat(counters.framesSent()).as("frames sent").isLessThanOrEqualTo(counters.txDescriptors() * 65_536L);
        long deliveries = program.stream().filter(op -> op instanceof Deliver).count();
        // Frames reach the receiver from the network or, in loopback, from the transmitter.
        assertThat(counters.framesReceived() + counters.framesMissed())
                .isLessThanOrEqualTo(deliveries + counters.framesSent());
    }

    /**
     * A receive ring at 0x2000 (64 descriptors, all but one given to the hardware, receiver on with
     * broadcast and both promiscuous modes) and a transmit ring at 0x1000 whose descriptors have
     * random commands, offload fields and lengths up to 2 KiB at random places in RAM.
     */
    private static void plausibleRings(E1000Harness nic, Random random) throws Exception {
        for (int i = 0; i < E1000Harness.RING; i++) {
            long d = E1000Harness.TX_RING + 16L * i;
            nic.ram.writeU64(d, random.nextInt(1 << 20));
            nic.ram.writeU64(d + 8, (random.nextLong() & ~0xFFFFL) | random.nextInt(2048));
            long r = 0x2000 + 16L * i;
            nic.ram.writeU64(r, random.nextInt(1 << 20));
            nic.ram.writeU64(r + 8, 0);
        }
        nic.write(0x2800, 0x2000);                                     // RDBAL
        nic.write(0x2808, E1000Harness.RING * 16);                     // RDLEN
        nic.write(0x2818, E1000Harness.RING - 1);                      // RDT
        nic.write(0x0100, 1 << 1 | 1 << 3 | 1 << 4 | 1 << 15 | random.nextInt(4) << 16); // EN UPE MPE BAM BSIZE
    }

    @Provide
    Arbitrary<List<Op>> programs() {
        Arbitrary<Integer> offsets = Arbitraries.oneOf(
                Arbitraries.of(toList(INTERESTING)),
                Arbitraries.integers().between(0, 0x1FFFF));
        Arbitrary<Long> values = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 1 << 20),
                Arbitraries.longs().between(0, 64),
                Arbitraries.longs());
        Arbitrary<Op> access = Combinators.combine(Arbitraries.of(true, true, false), offsets,
                Arbitraries.of(1, 2, 4, 4, 4, 8), values).as(Access::new);
        Arbitrary<Op> deliver = Combinators.combine(Arbitraries.integers().between(0, 17_000),
                Arbitraries.integers(), Arbitraries.of(true, false)).as(Deliver::new);
        Arbitrary<Op> advance = Arbitraries.longs().between(0, 5_000_000).map(Advance::new);
        Arbitrary<Op> poke = Combinators.combine(Arbitraries.integers().between(0, (1 << 20) - 64),
                Arbitraries.integers()).as(Poke::new);
        Arbitrary<Op> doorbell = Combinators.combine(Arbitraries.of(true, true, false),
                Arbitraries.oneOf(Arbitraries.integers().between(0, 63), Arbitraries.integers().between(0, 0xFFFF)))
                .as(Doorbell::new);
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(6, access), net.jqwik.api.Tuple.of(2, doorbell),
                        net.jqwik.api.Tuple.of(2, deliver), net.jqwik.api.Tuple.of(1, advance),
                        net.jqwik.api.Tuple.of(1, poke))
                .list().ofMaxSize(60);
    }

    private static List<Integer> toList(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
