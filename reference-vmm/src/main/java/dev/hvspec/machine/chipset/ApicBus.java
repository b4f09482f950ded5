package dev.hvspec.machine.chipset;

import dev.hvspec.machine.chipset.InterruptMessage.Shorthand;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;

/**
 * The APIC bus / system bus of one VM: carries interrupt messages from local APICs (IPIs), I/O
 * APICs and MSI writes to the local APICs, and EOI messages from the local APICs to the I/O APICs.
 *
 * <p>Destinations (SDM 3A §11.6.2): a shorthand selects self / all / all but self; otherwise each
 * local APIC decides whether the physical or logical destination names it
 * ({@link LocalApic#matchesDestination}). Only hardware-enabled APICs take part. A lowest-priority
 * message goes to one APIC of the set (§11.6.2.4): the focus processor (one whose IRR or ISR already
 * holds the vector, if focus checking is enabled in its SVR); otherwise the one with the lowest
 * arbitration priority (APR); ties go to the lowest APIC ID. Software-disabled APICs do not take part
 * in the arbitration since they would drop the interrupt (§11.4.7.2).
 *
 * <p>Thread-safety: the bus holds no lock while delivering; each APIC synchronises itself. Callers
 * must not hold a local APIC's lock (the APIC sends from outside its lock).
 */
public final class ApicBus {
    private final List<LocalApic> apics = new CopyOnWriteArrayList<>();
    private final List<IntConsumer> eoiListeners = new CopyOnWriteArrayList<>();

    /** Called by {@link LocalApic}'s constructor. */
    void attach(LocalApic apic) {
        apics.add(apic);
    }

    public List<LocalApic> apics() {
        return List.copyOf(apics);
    }

    /** The APIC with initial (x2APIC) ID {@code id}, or null. */
    public LocalApic apic(int id) {
        for (LocalApic apic : apics) {
            if (apic.x2apicId() == id) {
                return apic;
            }
        }
        return null;
    }

    /** An I/O APIC (or anything else) that wants EOI messages: called with the vector. */
    public void addEoiListener(IntConsumer listener) {
        eoiListeners.add(listener);
    }

    /** A message from an I/O APIC or other non-APIC agent. Returns the number of APICs that accepted it. */
    public int deliver(InterruptMessage message) {
        return deliver(null, message);
    }

    /** An MSI write (SDM 3A §11.11); writes outside 0xFEExxxxx are not interrupts and are ignored. */
    public int deliverMsi(long address, int data) {
        return InterruptMessage.fromMsi(address, data).map(this::deliver).orElse(0);
    }

    /**
     * Delivers {@code message} sent by {@code source} (null when not from a local APIC; shorthands
     * need a source). Returns the number of APICs that accepted it.
     */
    public int deliver(LocalApic source, InterruptMessage message) {
        List<LocalApic> targets = destinations(source, message);
        if (message.deliveryMode() == DeliveryMode.LOWEST_PRIORITY) {
            targets = lowestPriority(targets, message.vector());
        }
        int accepted = 0;
        for (LocalApic target : targets) {
            if (target.accept(message)) {
                accepted++;
            }
        }
        return accepted;
    }

    /** SDM 3A §11.6.2: the APICs a message is addressed to, before lowest-priority arbitration. */
    public List<LocalApic> destinations(LocalApic source, InterruptMessage message) {
        List<LocalApic> out = new ArrayList<>();
        for (LocalApic apic : apics) {
            boolean named = switch (message.shorthand()) {
                case SELF -> apic == source;
                case ALL_INCLUDING_SELF -> true;
                case ALL_EXCLUDING_SELF -> apic != source;
                case NONE -> apic.matchesDestination(message);
            };
            if (named && apic.hardwareEnabled()) {
                out.add(apic);
            }
        }
        if (message.shorthand() == Shorthand.SELF && source != null && !out.contains(source)) {
            return List.of();
        }
        return out;
    }

    /** SDM 3A §11.6.2.4: focus processor, else lowest APR, ties to the lowest APIC ID. */
    static List<LocalApic> lowestPriority(List<LocalApic> candidates, int vector) {
        List<LocalApic> enabled = candidates.stream().filter(LocalApic::softwareEnabled).toList();
        for (LocalApic apic : enabled) {
            if (apic.isFocusFor(vector)) {
                return List.of(apic);
            }
        }
        return enabled.stream()
                .min(Comparator.comparingInt(LocalApic::arbitrationPriority)
                        .thenComparingLong(apic -> Integer.toUnsignedLong(apic.x2apicId())))
                .map(List::of).orElse(List.of());
    }

    /** An EOI for a level-triggered vector (SDM 3A §11.8.5), to every I/O APIC. */
    public void broadcastEoi(int vector) {
        for (IntConsumer listener : eoiListeners) {
            listener.accept(vector);
        }
    }
}
