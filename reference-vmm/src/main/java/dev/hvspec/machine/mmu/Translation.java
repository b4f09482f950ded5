package dev.hvspec.machine.mmu;

/**
 * The result of a successful page walk for one 4 KiB linear page: the guest-physical address of
 * its frame and the access rights combined over every level (SDM 3A §4.6: an access is allowed
 * only if every level allows it), plus the final entry's D and G flags.
 */
public record Translation(long physicalFrame, boolean user, boolean writable, boolean executeDisable,
                          boolean dirty, boolean global) {
    /** Identity translation when paging is off: all rights, no global bit. */
    public static Translation identity(long linear) {
        return new Translation(linear & ~0xFFFL, true, true, false, true, false);
    }
}
