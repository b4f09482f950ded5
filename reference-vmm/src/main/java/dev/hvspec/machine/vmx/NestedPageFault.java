package dev.hvspec.machine.vmx;

/**
 * A nested page fault, #VMEXIT(NPF) (AMD APM vol. 2 §15.25.6): EXITINFO1 holds a page-fault error
 * code for the nested walk (P, R/W, U/S — always 1, nested walks are user accesses — RSVD, I/D)
 * plus bit 32 (the fault was on the guest's final physical address) or bit 33 (on a guest
 * page-table access); EXITINFO2 holds the guest-physical address.
 */
public record NestedPageFault(long exitInfo1, long gpa, long linear) {
    public static final long PRESENT = 1L;
    public static final long WRITE = 1L << 1;
    public static final long USER = 1L << 2;
    public static final long RESERVED = 1L << 3;
    public static final long FETCH = 1L << 4;
    public static final long GUEST_FINAL = 1L << 32;
    public static final long GUEST_PAGE_TABLE = 1L << 33;

    public boolean reservedBits() {
        return (exitInfo1 & RESERVED) != 0;
    }

    public boolean write() {
        return (exitInfo1 & WRITE) != 0;
    }

    public boolean fetch() {
        return (exitInfo1 & FETCH) != 0;
    }

    public boolean guestPageTableAccess() {
        return (exitInfo1 & GUEST_PAGE_TABLE) != 0;
    }
}
