package dev.hvspec.vmm.kvm;

/** struct kvm_regs (api.rst §4.11), in its field order. */
public record Regs(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp,
                   long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
                   long rip, long rflags) {
    static final String[] FIELDS = {"rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rsp", "rbp",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip", "rflags"};

    public long[] values() {
        return new long[] {rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags};
    }

    static Regs of(long[] v) {
        return new Regs(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                v[13], v[14], v[15], v[16], v[17]);
    }

    public Regs withRip(long value) {
        long[] v = values();
        v[16] = value;
        return of(v);
    }

    public Regs withRflags(long value) {
        long[] v = values();
        v[17] = value;
        return of(v);
    }

    public Regs withRax(long value) {
        long[] v = values();
        v[0] = value;
        return of(v);
    }

    public Regs withRbx(long value) {
        long[] v = values();
        v[1] = value;
        return of(v);
    }

    public Regs withRsp(long value) {
        long[] v = values();
        v[6] = value;
        return of(v);
    }
}
