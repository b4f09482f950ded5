package dev.hvspec.machine.mmu;

import dev.hvspec.machine.cpu.ControlBits;

/** The paging modes of SDM 3A §4.1.1, Table 4-1, selected by CR0.PG, CR4.PAE, EFER.LME and CR4.LA57. */
public enum PagingMode {
    NONE, LEGACY_32, PAE, LEVEL_4, LEVEL_5;

    public static PagingMode of(long cr0, long cr4, long efer) {
        if ((cr0 & ControlBits.CR0_PG) == 0) {
            return NONE;
        }
        if ((cr4 & ControlBits.CR4_PAE) == 0) {
            return LEGACY_32;
        }
        if ((efer & ControlBits.EFER_LMA) == 0) {
            return PAE;
        }
        return (cr4 & ControlBits.CR4_LA57) != 0 ? LEVEL_5 : LEVEL_4;
    }
}
