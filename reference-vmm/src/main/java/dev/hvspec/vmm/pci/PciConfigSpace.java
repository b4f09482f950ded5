package dev.hvspec.vmm.pci;

import java.util.ArrayList;
import java.util.List;

/**
 * The 256-byte configuration space of one PCI function with a type-0 header (PCI Local Bus
 * Specification 3.0, §6.1 "Configuration Space Organization", §6.2 "Configuration Space
 * Functions").
 *
 * <p>Every byte has a value, a write mask (bits software may change) and a write-one-to-clear
 * mask (status bits that a 1 clears, §6.2.3). Registers a function leaves unimplemented are
 * read-only zero (§6.1: "unimplemented registers ... read as 0"). Capabilities (§6.7) are laid out
 * from offset 0x40 and linked through their next pointers; their register semantics are expressed
 * with the same masks plus optional read and write hooks for registers with side effects.
 *
 * <p>Accesses are little-endian, 1, 2 or 4 bytes, and may not cross the end of the space; the
 * caller (the host bridge) splits anything else. Nothing here throws for guest input.
 */
public final class PciConfigSpace {
    public static final int SIZE = 256;

    // Type-0 header, §6.1 Figure 6-1.
    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION_ID = 0x08;
    public static final int CLASS_CODE = 0x09; // programming interface at 09h, sub-class 0Ah, base class 0Bh
    public static final int CACHE_LINE_SIZE = 0x0C;
    public static final int LATENCY_TIMER = 0x0D;
    public static final int HEADER_TYPE = 0x0E;
    public static final int BIST = 0x0F;
    public static final int BAR0 = 0x10;
    public static final int CARDBUS_CIS_POINTER = 0x28;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2C;
    public static final int SUBSYSTEM_ID = 0x2E;
    public static final int EXPANSION_ROM_BASE = 0x30;
    public static final int CAPABILITIES_POINTER = 0x34;
    public static final int INTERRUPT_LINE = 0x3C;
    public static final int INTERRUPT_PIN = 0x3D;
    public static final int MIN_GNT = 0x3E;
    public static final int MAX_LAT = 0x3F;

    /** First byte after the predefined header, where capabilities start (§6.7). */
    public static final int FIRST_CAPABILITY = 0x40;

    // Command register bits, §6.2.2.
    public static final int COMMAND_IO_SPACE = 1 << 0;
    public static final int COMMAND_MEMORY_SPACE = 1 << 1;
    public static final int COMMAND_BUS_MASTER = 1 << 2;
    public static final int COMMAND_PARITY_ERROR_RESPONSE = 1 << 6;
    public static final int COMMAND_SERR_ENABLE = 1 << 8;
    public static final int COMMAND_INTERRUPT_DISABLE = 1 << 10;
    /** The command bits this model implements; the rest are hardwired to 0 (§6.2.2). */
    static final int COMMAND_WRITABLE = COMMAND_IO_SPACE | COMMAND_MEMORY_SPACE | COMMAND_BUS_MASTER
            | COMMAND_PARITY_ERROR_RESPONSE | COMMAND_SERR_ENABLE | COMMAND_INTERRUPT_DISABLE;

    // Status register bits, §6.2.3.
    public static final int STATUS_INTERRUPT = 1 << 3;
    public static final int STATUS_CAPABILITIES_LIST = 1 << 4;
    /** Master data parity error, signaled/received target abort, received master abort,
     *  signaled system error, detected parity error: "writing a 1 clears the bit" (§6.2.3). */
    static final int STATUS_WRITE_ONE_TO_CLEAR = 0xF900;

    /** Header type bit 7: the device has more than one function (§6.2.1). */
    public static final int HEADER_TYPE_MULTI_FUNCTION = 0x80;

    /** A hook on a register range with side effects (MSI-X control, virtio PCI_CFG data ...). */
    public interface WriteHook {
        /** Called after the bytes of a write overlapping the hooked range were stored. */
        void written(int offset, int size, int value);
    }

    /** Supplies the current value of a register whose value is not stored (pending bits ...). */
    public interface ReadHook {
        /** Called before a read overlapping the range; may update the stored bytes with {@link #setValue}. */
        void beforeRead(int offset, int size);
    }

    private record Hooked(int first, int end, WriteHook write, ReadHook read) {
        boolean overlaps(int offset, int size) {
            return offset < end && offset + size > first;
        }
    }

    private final byte[] value = new byte[SIZE];
    private final byte[] writable = new byte[SIZE];
    private final byte[] writeOneToClear = new byte[SIZE];
    private final List<Hooked> hooks = new ArrayList<>();
    private byte[] resetValue;
    private int lastCapability; // offset of the last capability in the list, 0 if none
    private int nextFree = FIRST_CAPABILITY;

    /**
     * A type-0 header with the given identification; command, status and BARs zero; the
     * implemented command bits, W1C status bits, cache line size and interrupt line writable.
     */
    public PciConfigSpace(int vendorId, int deviceId, int classCode, int revisionId) {
        setValue(VENDOR_ID, 2, vendorId);
        setValue(DEVICE_ID, 2, deviceId);
        setValue(REVISION_ID, 1, revisionId);
        setValue(CLASS_CODE, 3, classCode);
        setWritable(COMMAND, 2, COMMAND_WRITABLE);
        setWriteOneToClear(STATUS, 2, STATUS_WRITE_ONE_TO_CLEAR);
        setWritable(CACHE_LINE_SIZE, 1, 0xFF); // §6.2.4: read/write
        setWritable(INTERRUPT_LINE, 1, 0xFF);  // §6.2.4: read/write, "for communicating routing"
    }

    // ---- guest accesses ----

    /** A configuration read of {@code size} bytes at {@code offset} (within the space). */
    public int read(int offset, int size) {
        for (Hooked h : hooks) {
            if (h.read != null && h.overlaps(offset, size)) {
                h.read.beforeRead(offset, size);
            }
        }
        return getValue(offset, size);
    }

    /** A configuration write: writable bits take the new value, W1C bits written as 1 clear. */
    public void write(int offset, int size, int data) {
        for (int i = 0; i < size; i++) {
            int at = offset + i;
            int b = (data >>> (8 * i)) & 0xFF;
            int old = value[at] & 0xFF;
            int mask = writable[at] & 0xFF;
            int w1c = writeOneToClear[at] & 0xFF;
            int updated = (old & ~mask) | (b & mask);
            updated &= ~(b & w1c);
            value[at] = (byte) updated;
        }
        for (Hooked h : List.copyOf(hooks)) {
            if (h.write != null && h.overlaps(offset, size)) {
                h.write.written(offset, size, data);
            }
        }
    }

    // ---- device-side access (no masks) ----

    public int getValue(int offset, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (value[offset + i] & 0xFF);
        }
        return v;
    }

    public void setValue(int offset, int size, int v) {
        for (int i = 0; i < size; i++) {
            value[offset + i] = (byte) (v >>> (8 * i));
        }
    }

    public void setWritable(int offset, int size, int mask) {
        for (int i = 0; i < size; i++) {
            writable[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    public void setWriteOneToClear(int offset, int size, int mask) {
        for (int i = 0; i < size; i++) {
            writeOneToClear[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    /** Sets or clears bits of a register as hardware does (e.g. the Interrupt Status bit). */
    public void setBits(int offset, int size, int bits, boolean on) {
        int v = getValue(offset, size);
        setValue(offset, size, on ? v | bits : v & ~bits);
    }

    public void addHook(int offset, int length, WriteHook write, ReadHook read) {
        hooks.add(new Hooked(offset, offset + length, write, read));
    }

    // ---- capabilities (§6.7) ----

    /**
     * Appends a capability of {@code length} bytes (header included) to the capability list and
     * returns its offset. The ID and next-pointer bytes are read-only; Status.Capabilities List
     * is set and the Capabilities Pointer points at the first capability (§6.7: the bottom two
     * bits of every pointer are reserved and 0, so capabilities start on dword boundaries).
     */
    public int addCapability(int id, int length) {
        int at = nextFree;
        if (at + length > SIZE) {
            throw new IllegalStateException("configuration space full: capability 0x" + Integer.toHexString(id));
        }
        setValue(at, 1, id);
        setValue(at + 1, 1, 0);
        if (lastCapability == 0) {
            setValue(CAPABILITIES_POINTER, 1, at);
            setBits(STATUS, 2, STATUS_CAPABILITIES_LIST, true);
        } else {
            setValue(lastCapability + 1, 1, at);
        }
        lastCapability = at;
        nextFree = (at + length + 3) & ~3;
        return at;
    }

    /** Marks the header as belonging to a multi-function device (§6.2.1). */
    public void setMultiFunction(boolean multi) {
        setBits(HEADER_TYPE, 1, HEADER_TYPE_MULTI_FUNCTION, multi);
        if (resetValue != null) {
            resetValue[HEADER_TYPE] = value[HEADER_TYPE];
        }
    }

    /** Records the current contents as the power-on/reset state; called once the layout is built. */
    public void freezeResetState() {
        resetValue = value.clone();
    }

    /** RST#: every register returns to its reset value (§6.2: "reset state"). */
    public void reset() {
        if (resetValue != null) {
            System.arraycopy(resetValue, 0, value, 0, SIZE);
        }
    }

    // ---- convenience views ----

    public int command() {
        return getValue(COMMAND, 2);
    }

    public boolean ioSpaceEnabled() {
        return (command() & COMMAND_IO_SPACE) != 0;
    }

    public boolean memorySpaceEnabled() {
        return (command() & COMMAND_MEMORY_SPACE) != 0;
    }

    public boolean busMasterEnabled() {
        return (command() & COMMAND_BUS_MASTER) != 0;
    }

    public boolean interruptDisabled() {
        return (command() & COMMAND_INTERRUPT_DISABLE) != 0;
    }
}
