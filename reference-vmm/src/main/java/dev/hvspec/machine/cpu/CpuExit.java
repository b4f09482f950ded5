package dev.hvspec.machine.cpu;

/** Why {@link Cpu#run} returned: the hardware's VM-exit reasons as this model produces them. */
public sealed interface CpuExit {
    /** HLT retired; the processor is in the halt state until an interrupt, NMI, INIT or reset. */
    record Halt() implements CpuExit {
    }

    /** A triple fault: the processor entered shutdown (SDM 3A §6.15, #DF during #DF). */
    record TripleFault() implements CpuExit {
    }

    /** The instruction budget of this entry ran out (the hypervisor's preemption timer). */
    record BudgetExhausted() implements CpuExit {
    }

    /** Someone called {@link Cpu#kick()} asking the processor to leave guest mode. */
    record Kicked() implements CpuExit {
    }

    /** The bus asked for an exit: a write went to userspace, or a read could not be answered ({@link VmExit}). */
    record BusExit(Object reason) implements CpuExit {
    }

    /** Interrupts became deliverable while the hypervisor asked to be told (interrupt-window exiting). */
    record InterruptWindow() implements CpuExit {
    }

    /** Entry was refused: the guest state is invalid (SDM 3C §26.3). */
    record InvalidState(String why) implements CpuExit {
    }
}
