package dev.hvspec.machine.mmu;

import dev.hvspec.machine.vmx.ExitResolution;
import dev.hvspec.machine.vmx.GuestExits;

/**
 * The processor's second-level translation, guest-physical → host-physical: EPT
 * ({@link EptTranslation}) or AMD nested paging ({@link NptTranslation}), each with its caches of
 * guest-physical mappings and of nested paging-structure entries (SDM 3C §29.4).
 */
sealed interface SecondLevelTranslation permits EptTranslation, NptTranslation {
    /** What an access to a guest-physical address is for. */
    enum Use {
        /** A read of a guest paging-structure entry while translating a linear address. */
        GUEST_TABLE_READ,
        /** An A/D update of a guest paging-structure entry. */
        GUEST_TABLE_UPDATE,
        /** A PDPTE load by MOV to CR (PAE paging): no linear address (SDM 3C §29.3.3.2). */
        PDPTE_LOAD,
        /** The access to the translation of a linear address, of type {@code type}. */
        FINAL
    }

    /** The result of one translation. */
    sealed interface Result {
    }

    /** Mapped: the 4 KiB host frame and the access types ({@code 1 << Access.X}) the nested entries allow. */
    record Mapped(long hostFrame, int types) implements Result {
    }

    /** The walk failed: an exit must be reported (qualification or EXITINFO1 in {@code info}). */
    record Fault(boolean misconfiguration, long info) implements Result {
    }

    /** Translates {@code gpa} for a {@code use} (and, for FINAL, an access {@code type}). */
    Result translate(long gpa, Use use, int type, long linear);

    /** Reports a fault to the hypervisor as this format's VM exit and returns its resolution. */
    ExitResolution report(Fault fault, long gpa, long linear, GuestExits exits);

    /** Models a processor with or without the nested paging-structure caches. */
    void enableCaches(boolean on);

    /** Drops every cached guest-physical mapping and nested paging-structure entry (INVEPT, NPT TLB flush). */
    void flush();

    /** Drops cached information for {@code gpa}'s page (an EPT violation does, SDM 3C §29.4.3.1). */
    void invalidate(long gpa);
}
