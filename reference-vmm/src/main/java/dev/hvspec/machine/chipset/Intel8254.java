package dev.hvspec.machine.chipset;

import dev.hvspec.machine.bus.IrqLine;
import dev.hvspec.machine.bus.PortIoDevice;
import dev.hvspec.machine.time.TimerQueue;
import dev.hvspec.machine.time.VirtualTimer;

import java.util.ArrayList;
import java.util.List;

/**
 * The Intel 8254 programmable interval timer of the PC (datasheet order no. 231164) at I/O ports
 * 0x40-0x43: counters 0-2 ({@link Intel8254Counter}) clocked at 1.193182 MHz from the virtual
 * clock, and the control word register. PC wiring: GATE0 and GATE1 are tied high, OUT0 drives
 * IRQ 0 (an {@link IrqLine}, raised and lowered as OUT0 changes, via {@link VirtualTimer}s), OUT1
 * is unused, GATE2 and OUT2 belong to port 0x61 ({@link NmiStatusControlPort}).
 *
 * <p>Counts are evaluated lazily from the virtual clock; only OUT0 needs timer events, one per
 * transition. Power-on state: every counter in mode 0 waiting for a count (OUT low), as no BIOS
 * has programmed it.
 *
 * <p>Thread-safety: methods synchronise on this object; OUT0 is driven with the lock held (the
 * lock order is PIT, then interrupt controller).
 */
public final class Intel8254 implements PortIoDevice {
    public static final int COUNTER0 = 0x40;
    public static final int COUNTER1 = 0x41;
    public static final int COUNTER2 = 0x42;
    public static final int CONTROL_WORD = 0x43;
    public static final long CLOCK_HZ = Intel8254Counter.CLOCK_HZ;

    private final TimerQueue timers;
    private final Intel8254Counter[] counters = {
        new Intel8254Counter(), new Intel8254Counter(), new Intel8254Counter()};
    private final IrqLine out0;
    private final VirtualTimer out0Timer;
    private long out0TimerEdge;
    private boolean out0Level;
    private boolean speakerDataEnabled;

    /** @param out0 the wire OUT0 drives (IRQ 0 of the PIC and, on the PC, I/O APIC pin 2) */
    public Intel8254(TimerQueue timers, IrqLine out0) {
        this.timers = timers;
        this.out0 = out0;
        this.out0Timer = timers.newTimer(this::onOut0Timer);
        counters[2].gate = false; // port 0x61 bit 0 is 0 at reset
    }

    /** CLK pulses (edges) of the 1.193182 MHz input up to virtual time {@code nanos}. */
    public static long clockEdgesAt(long nanos) {
        return Intel8254Counter.edgeAt(nanos);
    }

    /** The virtual time (ns) of CLK edge {@code edge}. */
    public static long timeOfClockEdge(long edge) {
        return Intel8254Counter.timeOfEdge(edge);
    }

    private long edgeNow() {
        return Intel8254Counter.edgeAt(timers.clock().nanos());
    }

    @Override
    public synchronized int ioRead(int port, int size) {
        int value = switch (port) {
            case COUNTER0, COUNTER1, COUNTER2 -> counters[port - COUNTER0].readByte(edgeNow());
            default -> 0xFF; // the control word register cannot be read
        };
        return size == 1 ? value : value | (PortIoDevice.allOnes(size) & ~0xFF);
    }

    @Override
    public synchronized void ioWrite(int port, int size, int value) {
        long e = edgeNow();
        switch (port) {
            case COUNTER0, COUNTER1, COUNTER2 -> counters[port - COUNTER0].writeByte(e, value);
            case CONTROL_WORD -> writeControlWord(e, value & 0xFF);
            default -> { }
        }
        updateOut0();
    }

    /** "Control Word Format": SC1 SC0, RW1 RW0, M2 M1 M0, BCD; SC = 11 is the read-back command. */
    private void writeControlWord(long e, int value) {
        int select = value >>> 6;
        if (select == 3) {
            // "Read-Back Command": bit 5 = /COUNT, bit 4 = /STATUS, bits 3..1 select counters 2..0.
            for (int n = 0; n < 3; n++) {
                if ((value & (2 << n)) != 0) {
                    if ((value & 0x20) == 0) {
                        counters[n].latchCount(e);
                    }
                    if ((value & 0x10) == 0) {
                        counters[n].latchStatus(e);
                    }
                }
            }
            return;
        }
        int rw = (value >>> 4) & 3;
        if (rw == 0) {
            counters[select].latchCount(e); // "Counter Latch Command"
            return;
        }
        int mode = (value >>> 1) & 7;
        if (mode > 5) {
            mode -= 4; // M2 is "don't care" for modes 2 and 3
        }
        counters[select].writeControlWord(e, rw, mode, (value & 1) != 0);
    }

    /** Drives GATE of counter {@code n}; on the PC only GATE2 (port 0x61 bit 0) moves. */
    public synchronized void setGate(int n, boolean level) {
        counters[n].setGate(edgeNow(), level);
        updateOut0();
    }

    public synchronized boolean gate(int n) {
        return counters[n].gate;
    }

    /** The OUT pin of counter {@code n} now. */
    public synchronized boolean output(int n) {
        long e = edgeNow();
        counters[n].sync(e);
        return counters[n].out(e);
    }

    synchronized void setSpeakerDataEnabled(boolean enabled) {
        speakerDataEnabled = enabled;
    }

    synchronized boolean speakerDataEnabled() {
        return speakerDataEnabled;
    }

    /** The speaker: OUT2 gated by port 0x61 bit 1. */
    public synchronized boolean speakerOutput() {
        return speakerDataEnabled && output(2);
    }

    /**
     * OUT0's transition is evaluated at the edge the timer was armed for, not at the current time:
     * if virtual time jumped over several transitions, each one still reaches IRQ 0 in order (the
     * re-armed timer is already due and fires again in the same {@code runExpired}).
     */
    private synchronized void onOut0Timer() {
        updateOut0(out0TimerEdge);
    }

    private void updateOut0() {
        updateOut0(edgeNow());
    }

    /** Drives IRQ 0 from OUT0 at edge {@code e} and arms the timer for OUT0's next transition. */
    private void updateOut0(long e) {
        Intel8254Counter counter = counters[0];
        counter.sync(e);
        boolean level = counter.out(e);
        if (level != out0Level) {
            out0Level = level;
            out0.setLevel(level);
        }
        long next = counter.nextOutputChange(e);
        if (next < 0) {
            out0Timer.cancel();
        } else {
            out0TimerEdge = next;
            out0Timer.armAt(Intel8254Counter.timeOfEdge(next));
        }
    }

    // ================================================================ save / restore

    public synchronized Intel8254State save() {
        long e = edgeNow();
        List<KvmPitChannelState> kvm = new ArrayList<>();
        List<Intel8254State.Counter> model = new ArrayList<>();
        for (Intel8254Counter c : counters) {
            c.sync(e);
            kvm.add(new KvmPitChannelState(c.count, c.latchedCount, c.countLatched, c.statusLatched ? 1 : 0,
                    c.status, c.readState, c.writeState, c.writeLatch, c.rwMode, c.mode, c.bcd ? 1 : 0,
                    c.gate ? 1 : 0, Intel8254Counter.timeOfEdge(c.segmentStart)));
            model.add(new Intel8254State.Counter(c.crValid, c.loaded, c.running, c.segmentStart, c.segmentValue,
                    c.armed, c.lowHalf, c.heldOut, c.pendingEdge, c.pendingLowHalf, c.nullCount));
        }
        int flags = speakerDataEnabled ? KvmPitState2.FLAGS_SPEAKER_DATA_ON : 0;
        return new Intel8254State(new KvmPitState2(kvm, flags), model);
    }

    /** Restores a full {@link #save()} image. */
    public synchronized void restore(Intel8254State state) {
        restoreKvmFields(state.kvm());
        for (int n = 0; n < 3; n++) {
            Intel8254Counter c = counters[n];
            Intel8254State.Counter m = state.counters().get(n);
            c.crValid = m.crValid();
            c.loaded = m.loaded();
            c.running = m.running();
            c.segmentStart = m.segmentStart();
            c.segmentValue = m.segmentValue();
            c.armed = m.armed();
            c.lowHalf = m.lowHalf();
            c.heldOut = m.heldOut();
            c.pendingEdge = m.pendingEdge();
            c.pendingLowHalf = m.pendingLowHalf();
            c.nullCount = m.nullCount();
        }
        updateOut0();
    }

    /**
     * KVM_SET_PIT2: KVM's model has no more than these fields, so each counter is taken to have
     * been counting from {@code count} since {@code count_load_time} (GATE permitting) with nothing
     * deferred, as KVM's in-kernel PIT assumes.
     */
    public synchronized void restore(KvmPitState2 state) {
        restoreKvmFields(state);
        for (Intel8254Counter c : counters) {
            c.crValid = true;
            c.loaded = true;
            c.segmentValue = c.initialValue();
            c.running = c.mode == 1 || c.mode == 5 || c.gate;
            c.heldOut = c.mode != 0;
            c.armed = true;
            c.lowHalf = false;
            c.pendingEdge = -1;
            c.nullCount = false;
        }
        updateOut0();
    }

    private void restoreKvmFields(KvmPitState2 state) {
        for (int n = 0; n < 3; n++) {
            Intel8254Counter c = counters[n];
            KvmPitChannelState k = state.channels().get(n);
            c.count = k.count();
            c.latchedCount = k.latchedCount();
            c.countLatched = k.countLatched();
            c.statusLatched = k.statusLatched() != 0;
            c.status = k.status();
            c.readState = k.readState();
            c.writeState = k.writeState();
            c.writeLatch = k.writeLatch();
            c.rwMode = k.rwMode();
            c.mode = k.mode() > 5 ? k.mode() - 4 : k.mode();
            c.bcd = k.bcd() != 0;
            c.gate = k.gate() != 0;
            c.segmentStart = Intel8254Counter.edgeAt(k.countLoadTime());
        }
        speakerDataEnabled = (state.flags() & KvmPitState2.FLAGS_SPEAKER_DATA_ON) != 0;
    }
}
