package dev.hvspec.vmm.e1000;

import dev.hvspec.machine.time.VirtualTimer;

import java.util.function.Function;

/**
 * A delayed interrupt cause with a packet timer and an absolute timer, counted in 1.024 µs
 * units: RXT0 with RDTR/RADV (8254x SDM §3.2.7.1, §13.4.30, §13.4.31) and TXDW with TIDV/TADV
 * (§13.4.41, §13.4.44).
 * <ul>
 *   <li>The packet timer is (re)started at every event: "If a subsequent packet is received BEFORE
 *       the timer expires, the timer is re-initialized to the programmed value".</li>
 *   <li>The absolute timer starts at the first event and is "NOT reinitialized / restarted each
 *       time a new packet is received".</li>
 *   <li>When either expires, or the cause is raised at once, the cause is raised and both timers
 *       stop: "[an RADV] interrupt cancels a pending RDTR interrupt", and "the occurrence of either
 *       an immediate (non-scheduled) or delayed transmit timer (TIDV) expiration interrupt halts the
 *       TADV timer".</li>
 *   <li>A packet delay of 0 means "no delay ... immediate interrupt notification" (RDTR, §13.4.30);
 *       TIDV = 0 is "not allowed", and the model treats it the same way. An absolute delay of 0
 *       disables the absolute timer ("Setting RADV to 0b or RDTR to 0b disables the Absolute
 *       Timer", §3.2.7.1.2).</li>
 * </ul>
 */
final class InterruptDelay {
    static final long UNIT_NANOS = 1024;

    private final int cause;
    private final InterruptLogic interrupts;
    private final VirtualTimer packetTimer;
    private final VirtualTimer absoluteTimer;

    InterruptDelay(int cause, InterruptLogic interrupts, Function<Runnable, VirtualTimer> newTimer) {
        this.cause = cause;
        this.interrupts = interrupts;
        this.packetTimer = newTimer.apply(this::fire);
        this.absoluteTimer = newTimer.apply(this::fire);
    }

    /**
     * An event that wants the cause: at once when {@code delayed} is false or {@code packetDelay}
     * is 0, else after the timers.
     */
    void event(boolean delayed, int packetDelay, int absoluteDelay) {
        packetDelay &= 0xFFFF;
        absoluteDelay &= 0xFFFF;
        if (!delayed || packetDelay == 0) {
            fire();
            return;
        }
        packetTimer.armAfter(packetDelay * UNIT_NANOS);
        if (absoluteDelay != 0 && !absoluteTimer.isArmed()) {
            absoluteTimer.armAfter(absoluteDelay * UNIT_NANOS);
        }
    }

    /** Raises the cause now and stops both timers (also RDTR.FPD, "immediate expiration"). */
    void fire() {
        packetTimer.cancel();
        absoluteTimer.cancel();
        interrupts.raise(cause);
    }

    boolean pending() {
        return packetTimer.isArmed() || absoluteTimer.isArmed();
    }

    void reset() {
        packetTimer.cancel();
        absoluteTimer.cancel();
    }
}
