package dev.hvspec.machine.vmx;

/**
 * An EPT violation as the processor reports it (SDM 3C §29.3.3.2; the exit qualification of
 * Table 28-7 in §28.2.1): the guest-physical address, the guest-linear address, and the
 * qualification bits below.
 */
public record EptViolation(long gpa, long linear, long qualification) {
    /** Bit 0: the access was a data read. */
    public static final long DATA_READ = 1L;
    /** Bit 1: the access was a data write. */
    public static final long DATA_WRITE = 1L << 1;
    /** Bit 2: the access was an instruction fetch. */
    public static final long INSTRUCTION_FETCH = 1L << 2;
    /** Bits 3-5: the logical AND of bits 0, 1, 2 (R, W, X) of the EPT entries used to translate the address. */
    public static final long READABLE = 1L << 3;
    public static final long WRITABLE = 1L << 4;
    public static final long EXECUTABLE = 1L << 5;
    /** Bit 7: the guest linear-address field is valid (not for PDPTE loads by MOV to CR). */
    public static final long LINEAR_VALID = 1L << 7;
    /** Bit 8 (when bit 7 is set): the access was to the translation of a linear address, not to a guest paging-structure entry. */
    public static final long FINAL_TRANSLATION = 1L << 8;

    public boolean read() {
        return (qualification & DATA_READ) != 0;
    }

    public boolean write() {
        return (qualification & DATA_WRITE) != 0;
    }

    public boolean fetch() {
        return (qualification & INSTRUCTION_FETCH) != 0;
    }

    public boolean linearValid() {
        return (qualification & LINEAR_VALID) != 0;
    }

    /** True when the access was to a guest paging-structure entry (bit 7 set, bit 8 clear). */
    public boolean guestPagingStructureAccess() {
        return linearValid() && (qualification & FINAL_TRANSLATION) == 0;
    }

    /** The EPT permissions the walk found, as an R/W/X mask in bits 0-2. */
    public int permissions() {
        return (int) (qualification >>> 3) & 7;
    }
}
