package dev.hvspec.spec.steps;

import dev.hvspec.machine.chipset.Pic8259Pair;

/**
 * The interrupt controllers and timers of a {@code @model} scenario, on top of the scenario's
 * {@link ModelBench} (its port bus, clock and timers). One instance per scenario, shared by the
 * chipset step classes so that, for example, the PIT scenario can wire its OUT0 into the PIC.
 */
public final class ChipsetBench {
    final ModelBench bench;
    Pic8259Pair pic;
    final ModelBench.IrqProbe intr = new ModelBench.IrqProbe();

    public ChipsetBench(ModelBench bench) {
        this.bench = bench;
    }

    /** The PC's cascaded PICs, created and mapped at their ports on first use. */
    Pic8259Pair pic() {
        if (pic == null) {
            pic = new Pic8259Pair();
            bench.ports.register(Pic8259Pair.MASTER_COMMAND, 2, pic);
            bench.ports.register(Pic8259Pair.SLAVE_COMMAND, 2, pic);
            bench.ports.register(Pic8259Pair.ELCR1, 2, pic);
            pic.addIntrListener(intr);
        }
        return pic;
    }
}
