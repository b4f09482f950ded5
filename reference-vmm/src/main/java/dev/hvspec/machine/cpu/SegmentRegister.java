package dev.hvspec.machine.cpu;

/**
 * A segment register with its hidden descriptor cache (SDM 3A §3.4.3): the visible selector and
 * the base, limit and access rights loaded from the descriptor. Access rights use the layout of
 * descriptor bytes 5-6 (type, S, DPL, P in bits 0-7; AVL, L, D/B, G in bits 12-15), the format
 * VMX and KVM use; {@link #UNUSABLE} marks a null-selector-loaded register (VMX "unusable").
 */
public final class SegmentRegister {
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
    /** Names in segment-number order, for traces. */
    public static final String[] NAMES = {"es", "cs", "ss", "ds", "fs", "gs"};

    public static final int TYPE_MASK = 0xF;
    public static final int TYPE_ACCESSED = 1;
    public static final int TYPE_WRITABLE_OR_READABLE = 2; // data: writable; code: readable
    public static final int TYPE_EXPAND_DOWN_OR_CONFORMING = 4;
    public static final int TYPE_CODE = 8;
    public static final int S = 1 << 4;            // 1 = code/data, 0 = system
    public static final int DPL_SHIFT = 5;
    public static final int P = 1 << 7;
    public static final int AVL = 1 << 12;
    public static final int L = 1 << 13;
    public static final int DB = 1 << 14;
    public static final int G = 1 << 15;
    public static final int UNUSABLE = 1 << 16;

    public int selector;
    public long base;
    /** Effective limit in bytes (already scaled by G), 0..0xFFFFFFFF. */
    public long limit;
    public int attributes;

    public void load(int selector, long base, long limit, int attributes) {
        this.selector = selector & 0xFFFF;
        this.base = base;
        this.limit = limit;
        this.attributes = attributes;
    }

    public void copyFrom(SegmentRegister other) {
        load(other.selector, other.base, other.limit, other.attributes);
    }

    /** Real-mode or virtual-8086 semantics of a segment load (SDM 3A §20.1.1): base = selector × 16. */
    public void loadRealMode(int selector) {
        this.selector = selector & 0xFFFF;
        this.base = (long) (selector & 0xFFFF) << 4;
    }

    public int dpl() {
        return (attributes >>> DPL_SHIFT) & 3;
    }

    public int type() {
        return attributes & TYPE_MASK;
    }

    public boolean isCode() {
        return (attributes & TYPE_CODE) != 0;
    }

    public boolean present() {
        return (attributes & P) != 0;
    }

    public boolean unusable() {
        return (attributes & UNUSABLE) != 0;
    }

    public boolean defaultBig() {
        return (attributes & DB) != 0;
    }

    public boolean longMode() {
        return (attributes & L) != 0;
    }

    @Override
    public String toString() {
        return String.format("sel=%04x base=%x limit=%x attr=%x", selector, base, limit, attributes);
    }
}
