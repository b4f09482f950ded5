package dev.hvspec.machine.mmu;

/**
 * The kind of a linear-memory access as paging checks it (SDM 3A §4.6). An access is a user-mode
 * access when CPL = 3 and it is not an implicit supervisor-mode access (to the GDT, LDT, IDT or
 * TSS); data accesses by supervisor code honour EFLAGS.AC for SMAP.
 */
public final class Access {
    public static final int READ = 0;
    public static final int WRITE = 1;
    public static final int FETCH = 2;

    /** Bit positions in a TLB entry's permission mask, one per (kind, mode) combination. */
    public static final int SUPERVISOR_READ = 0;
    public static final int SUPERVISOR_WRITE = 1;
    public static final int SUPERVISOR_FETCH = 2;
    public static final int USER_READ = 3;
    public static final int USER_WRITE = 4;
    public static final int USER_FETCH = 5;
    public static final int SUPERVISOR_READ_AC = 6;  // explicit supervisor data read with EFLAGS.AC = 1
    public static final int SUPERVISOR_WRITE_AC = 7;
    public static final int KINDS = 8;

    private Access() {
    }

    /** The permission-mask bit of an access. */
    public static int kind(int type, boolean user, boolean alignmentCheckFlag) {
        if (user) {
            return USER_READ + type;
        }
        if (alignmentCheckFlag && type != FETCH) {
            return SUPERVISOR_READ_AC + type;
        }
        return SUPERVISOR_READ + type;
    }

    public static int type(int kind) {
        return kind >= SUPERVISOR_READ_AC ? kind - SUPERVISOR_READ_AC : kind % 3;
    }

    public static boolean isUser(int kind) {
        return kind >= USER_READ && kind <= USER_FETCH;
    }

    public static boolean hasAc(int kind) {
        return kind >= SUPERVISOR_READ_AC;
    }
}
