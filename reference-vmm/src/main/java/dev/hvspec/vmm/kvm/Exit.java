package dev.hvspec.vmm.kvm;

/**
 * Why KVM_RUN returned (api.rst §5, kvm_run.exit_reason), with the payload of the union member
 * that reason selects.
 */
public sealed interface Exit {
    /** KVM_EXIT_IO: {@code count} items of {@code size} bytes at {@code dataOffset} in the run area. */
    record Io(boolean in, int size, int port, int count, long dataOffset) implements Exit {
    }

    /** KVM_EXIT_MMIO: for a write {@code data} holds the value; for a read userspace supplies it. */
    record Mmio(long address, int length, boolean write, long data) implements Exit {
    }

    /** KVM_EXIT_HLT (only without an in-kernel local APIC). */
    record Hlt() implements Exit {
    }

    /** KVM_EXIT_SHUTDOWN: triple fault. */
    record Shutdown() implements Exit {
    }

    /** KVM_EXIT_FAIL_ENTRY: the hardware refused the guest state. */
    record FailEntry(long hardwareReason, int cpu) implements Exit {
    }

    /** KVM_EXIT_INTERNAL_ERROR. */
    record InternalError(int suberror) implements Exit {
    }

    /** KVM_EXIT_SYSTEM_EVENT (shutdown, reset, crash). */
    record SystemEvent(int type) implements Exit {
    }

    /** KVM_EXIT_DEBUG. */
    record Debug(int exception, long pc) implements Exit {
    }

    /** KVM_EXIT_IRQ_WINDOW_OPEN. */
    record IrqWindowOpen() implements Exit {
    }

    /** KVM_RUN returned -EINTR (a signal, immediate_exit): exit_reason KVM_EXIT_INTR. */
    record Interrupted() implements Exit {
    }

    /** Any other exit reason. */
    record Other(long reason) implements Exit {
    }
}
