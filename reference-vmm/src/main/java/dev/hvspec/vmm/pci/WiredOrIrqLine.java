package dev.hvspec.vmm.pci;

import dev.hvspec.machine.bus.IrqLine;

import java.util.ArrayList;
import java.util.List;

/**
 * A shared, level-sensitive interrupt wire (PCI INTx# is open-drain, PCI 3.0 §2.2.6): the output
 * is asserted while any input is asserted. Each function gets its own {@link #newInput() input}.
 */
public final class WiredOrIrqLine {
    private final IrqLine output;
    private final List<Input> inputs = new ArrayList<>();
    private boolean outputLevel;

    public WiredOrIrqLine(IrqLine output) {
        this.output = output;
    }

    public synchronized IrqLine newInput() {
        Input input = new Input();
        inputs.add(input);
        return input;
    }

    public synchronized boolean level() {
        return outputLevel;
    }

    private synchronized void update() {
        boolean any = false;
        for (Input i : inputs) {
            any |= i.level;
        }
        if (any != outputLevel) {
            outputLevel = any;
            output.setLevel(any);
        }
    }

    private final class Input implements IrqLine {
        private boolean level;

        @Override
        public void setLevel(boolean asserted) {
            synchronized (WiredOrIrqLine.this) {
                level = asserted;
                update();
            }
        }
    }
}
