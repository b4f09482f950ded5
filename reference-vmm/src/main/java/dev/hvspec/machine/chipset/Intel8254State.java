package dev.hvspec.machine.chipset;

import java.util.List;

/**
 * Everything {@link Intel8254#save()} captures: the {@code kvm_pit_state2} image (what
 * {@code KVM_GET_PIT2} returns) and, per counter, the counting-element state that the datasheet
 * model has beyond KVM's struct. {@link Intel8254#restore(KvmPitState2)} accepts the KVM image
 * alone and derives the rest as KVM's own model would (a plain running count since
 * {@code count_load_time}).
 */
public record Intel8254State(KvmPitState2 kvm, List<Counter> counters) {
    public Intel8254State {
        counters = List.copyOf(counters);
    }

    /** The model-only state of one counter; see {@code Intel8254Counter} for the meaning. */
    public record Counter(boolean crValid, boolean loaded, boolean running, long segmentStart, int segmentValue,
                          boolean armed, boolean lowHalf, boolean heldOut, long pendingEdge, boolean pendingLowHalf,
                          boolean nullCount) {
    }
}
