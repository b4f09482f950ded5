package dev.hvspec.vmm.kvm;

/** struct kvm_sregs (api.rst §4.13) with struct kvm_segment and struct kvm_dtable. */
public record Sregs(Segment cs, Segment ds, Segment es, Segment fs, Segment gs, Segment ss, Segment tr, Segment ldt,
                    Dtable gdt, Dtable idt, long cr0, long cr2, long cr3, long cr4, long cr8, long efer,
                    long apicBase) {
    /** struct kvm_segment. */
    public record Segment(long base, long limit, int selector, int type, boolean present, int dpl, boolean db,
                          boolean s, boolean l, boolean g, boolean avl, boolean unusable) {
        /** A flat 4 GiB segment: code (type 0xB, execute/read, accessed) or data (type 3, read/write, accessed). */
        public static Segment flat32(int selector, boolean code) {
            return new Segment(0, 0xFFFF_FFFFL, selector, code ? 0xB : 0x3, true, 0, true, true, false, true, false,
                    false);
        }
    }

    /** struct kvm_dtable. */
    public record Dtable(long base, int limit) {
    }

    public Sregs withSegments(Segment cs, Segment data) {
        return new Sregs(cs, data, data, data, data, data, tr, ldt, gdt, idt, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
    }

    public Sregs withGdt(Dtable value) {
        return new Sregs(cs, ds, es, fs, gs, ss, tr, ldt, value, idt, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
    }

    public Sregs withCr0(long value) {
        return new Sregs(cs, ds, es, fs, gs, ss, tr, ldt, gdt, idt, value, cr2, cr3, cr4, cr8, efer, apicBase);
    }
}
