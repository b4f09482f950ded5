package dev.hvspec.vmm.e1000;

import dev.hvspec.machine.time.VirtualClock;
import dev.hvspec.machine.time.VirtualTimer;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The interrupt registers of the 82540EM and its interrupt throttling (8254x SDM §13.4.17 -
 * §13.4.21, §13.4.18):
 * <ul>
 *   <li>ICR holds the causes. "All register bits are cleared upon read"; "writing a 1b to any bit
 *       in the register also clears that bit. Writing a 0b to any bit has no effect" (§13.4.17).</li>
 *   <li>ICS sets causes as if they had happened; IMS enables causes (a 1 sets the mask bit, reads
 *       return the mask); IMC disables them (a 1 clears the mask bit; write-only, reads 0).</li>
 *   <li>"A PCI interrupt is generated each time one of the bits in [ICR] is set, and the
 *       corresponding interrupt is enabled" (§13.4.17): the INTA# state is (ICR &amp; IMS) != 0.</li>
 *   <li>ITR.INTERVAL is the "minimum inter-interrupt interval ... in 256 ns increments", 0 disables
 *       throttling (§13.4.18): a new assertion waits until INTERVAL x 256 ns after the previous
 *       assertion; causes keep accumulating in ICR meanwhile.</li>
 * </ul>
 * With mitigation switched off (a device configuration, for the benchmark's comparison) ITR is
 * kept but not applied. The number of assertions (rising edges of INTA#) is counted.
 */
final class InterruptLogic {
    static final long ITR_UNIT_NANOS = 256;

    private final VirtualClock clock;
    private final VirtualTimer throttleTimer;
    private final Consumer<Boolean> line;
    private final boolean mitigation;
    private int icr;
    private int ims;
    private int interval;
    private boolean asserted;
    private boolean everAsserted;
    private long lastAssertion;
    private long assertions;

    InterruptLogic(VirtualClock clock, Function<Runnable, VirtualTimer> newTimer, Consumer<Boolean> line, boolean mitigation) {
        this.clock = clock;
        this.throttleTimer = newTimer.apply(this::update);
        this.line = line;
        this.mitigation = mitigation;
    }

    void reset() {
        icr = 0;
        ims = 0;
        interval = 0;
        everAsserted = false;
        throttleTimer.cancel();
        update();
    }

    /** Causes happened (hardware events, or a write to ICS). */
    void raise(int causes) {
        icr |= causes & E1000Registers.ICR_IMPLEMENTED;
        update();
    }

    /** A read of ICR: returns the causes and clears them all. */
    int readAndClear() {
        int value = icr;
        icr = 0;
        update();
        return value;
    }

    /** A write to ICR: the bits written as 1 are cleared. */
    void acknowledge(int bits) {
        icr &= ~bits;
        update();
    }

    int causes() {
        return icr;
    }

    int mask() {
        return ims;
    }

    void enable(int bits) {
        ims |= bits & E1000Registers.ICR_IMPLEMENTED;
        update();
    }

    void disable(int bits) {
        ims &= ~bits;
        update();
    }

    /** ITR was written. */
    void setInterval(int itr) {
        interval = itr & 0xFFFF;
        if (!asserted) {
            throttleTimer.cancel();
            update();
        }
    }

    long assertions() {
        return assertions;
    }

    boolean asserted() {
        return asserted;
    }

    private void update() {
        boolean pending = (icr & ims) != 0;
        if (!pending) {
            throttleTimer.cancel();
            setLine(false);
            return;
        }
        if (asserted) {
            return;
        }
        long now = clock.nanos();
        if (mitigation && interval != 0 && everAsserted) {
            long earliest = lastAssertion + interval * ITR_UNIT_NANOS;
            if (now < earliest) {
                if (!throttleTimer.isArmed()) {
                    throttleTimer.armAt(earliest);
                }
                return;
            }
        }
        throttleTimer.cancel();
        lastAssertion = now;
        everAsserted = true;
        assertions++;
        setLine(true);
    }

    private void setLine(boolean level) {
        if (level != asserted) {
            asserted = level;
            line.accept(level);
        }
    }
}
