package dev.hvspec.spec.steps;

import dev.hvspec.machine.time.ManualClock;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.vmm.bus.IoPortBus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench of a {@code @model} scenario: an I/O port bus, a virtual clock moved by the
 * scenario, and probes on IRQ wires. One instance per scenario (picocontainer), shared by all
 * step classes of that scenario.
 */
public final class ModelBench {
    final ManualClock clock = new ManualClock();
    final TimerQueue timers = new TimerQueue(clock);
    final IoPortBus ports = new IoPortBus();
    private final Map<Integer, IrqProbe> irqs = new HashMap<>();

    /** A probe on wire {@code irq}: records its level and every change. */
    IrqProbe irq(int irq) {
        return irqs.computeIfAbsent(irq, n -> new IrqProbe());
    }

    void advance(long nanos) {
        clock.advance(nanos);
        timers.runExpired();
    }

    static final class IrqProbe implements IrqLine {
        boolean level;
        final List<Boolean> changes = new ArrayList<>();

        @Override
        public synchronized void setLevel(boolean asserted) {
            level = asserted;
            changes.add(asserted);
        }
    }
}
