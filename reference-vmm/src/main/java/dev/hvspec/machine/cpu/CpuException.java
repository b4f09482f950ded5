package dev.hvspec.machine.cpu;

/**
 * An exception the processor raises while executing an instruction (a fault, a trap or an
 * abort of SDM 3A §6.5). Thrown from the point of detection and caught by the instruction loop,
 * which delivers it through the IDT. For faults no architectural state has been committed yet,
 * so RIP still points at the faulting instruction.
 */
public final class CpuException extends RuntimeException {
    public static final int NO_ERROR_CODE = -1;

    private final int vector;
    private final int errorCode;
    /** For #PF: the faulting linear address, which goes to CR2 when the fault is delivered. */
    private final long faultAddress;

    private CpuException(int vector, int errorCode, long faultAddress) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.faultAddress = faultAddress;
    }

    public static CpuException fault(int vector) {
        return new CpuException(vector, Vector.pushesErrorCode(vector) ? 0 : NO_ERROR_CODE, 0);
    }

    public static CpuException fault(int vector, int errorCode) {
        return new CpuException(vector, errorCode, 0);
    }

    public static CpuException gp(int errorCode) {
        return new CpuException(Vector.GP, errorCode, 0);
    }

    public static CpuException ud() {
        return new CpuException(Vector.UD, NO_ERROR_CODE, 0);
    }

    public static CpuException pageFault(long linear, int errorCode) {
        return new CpuException(Vector.PF, errorCode, linear);
    }

    public int vector() {
        return vector;
    }

    public int errorCode() {
        return errorCode;
    }

    public boolean hasErrorCode() {
        return errorCode != NO_ERROR_CODE;
    }

    public long faultAddress() {
        return faultAddress;
    }

    @Override
    public String getMessage() {
        return Vector.name(vector) + (hasErrorCode() ? String.format("(%#x)", errorCode) : "")
                + (vector == Vector.PF ? String.format(" at %#x", faultAddress) : "");
    }
}
