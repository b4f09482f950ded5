package dev.hvspec.kvm.abi;

/** A named number of the KVM ABI: its C macro name and value, as {@code hvspec abi dump} prints it. */
public interface AbiConstant {
    /** The macro name in the C header, e.g. {@code KVM_EXIT_IO}. */
    String cName();

    /** The value the macro expands to. */
    long value();
}
