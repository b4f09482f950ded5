package dev.hvspec.machine.cpu;

/**
 * The architectural state of one logical processor (SDM 1 §3.4, SDM 3A §2): what KVM_GET_REGS,
 * KVM_GET_SREGS, KVM_GET_MSRS and KVM_GET_VCPU_EVENTS expose. Fields are public on purpose —
 * this is a register file, read and written by the instruction semantics and by the kernel
 * layer's state ioctls, not an object with behaviour.
 */
public final class CpuState {
    public static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7;
    public static final String[] GPR_NAMES = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
            "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};

    public final long[] gpr = new long[16];
    public long rip;
    public long rflags = Rflags.FIXED1;

    /** ES, CS, SS, DS, FS, GS in segment-number order. */
    public final SegmentRegister[] seg = new SegmentRegister[6];
    public final SegmentRegister ldtr = new SegmentRegister();
    public final SegmentRegister tr = new SegmentRegister();
    public final DescriptorTable gdtr = new DescriptorTable();
    public final DescriptorTable idtr = new DescriptorTable();

    public long cr0 = ControlBits.CR0_RESET;
    public long cr2;
    public long cr3;
    public long cr4;
    public long efer;
    public long xcr0 = 1;
    /** CR8 is the local APIC's TPR[7:4] in 64-bit mode (SDM 3A §11.8.6); kept here when no APIC is attached. */
    public long cr8;
    /** The four PDPTE registers loaded for PAE paging (SDM 3A §4.4.1). */
    public final long[] pdpte = new long[4];

    public final long[] dr = new long[8]; // DR0-DR3, DR6 at [6], DR7 at [7]

    /** The x87 FPU (and MMX) registers and the SSE registers (SDM 1 §8.1, §10.2). */
    public final X87Registers x87 = new X87Registers();
    public final SseRegisters sse = new SseRegisters();

    // Model-specific registers held by the core (others live in their devices).
    public long sysenterCs, sysenterEsp, sysenterEip;
    public long star, lstar, cstar, fmask, kernelGsBase, tscAux;
    public long pat = Msr.PAT_RESET;
    public long miscEnable = 1; // fast-strings enable (SDM 4 Table 2-2, bit 0)
    public long tscOffset;
    public long mtrrDefType;
    public final long[] mtrrVariable = new long[16];
    public final long[] mtrrFixed = new long[11];

    /** Interruptibility (SDM 3C §25.4.2): blocking by STI / by MOV SS for one instruction, NMI blocking. */
    public boolean stiShadow;
    public boolean movSsShadow;
    public boolean nmiBlocked;
    public boolean halted;

    public CpuState() {
        for (int i = 0; i < seg.length; i++) {
            seg[i] = new SegmentRegister();
        }
        dr[6] = 0xFFFF0FF0L;
        dr[7] = 0x400;
    }

    public SegmentRegister cs() {
        return seg[SegmentRegister.CS];
    }

    public SegmentRegister ss() {
        return seg[SegmentRegister.SS];
    }

    /** CPL: the DPL of SS (equal to CS.RPL outside of transitions; SDM 3A §5.5). */
    public int cpl() {
        return seg[SegmentRegister.SS].dpl();
    }

    public boolean protectedMode() {
        return (cr0 & ControlBits.CR0_PE) != 0;
    }

    public boolean v86Mode() {
        return (rflags & Rflags.VM) != 0;
    }

    public boolean longModeActive() {
        return (efer & ControlBits.EFER_LMA) != 0;
    }

    /** IA-32e 64-bit sub-mode: LMA and CS.L (SDM 3A §2.2). */
    public boolean mode64() {
        return longModeActive() && seg[SegmentRegister.CS].longMode();
    }

    /** Default operand/address size of the code segment in bytes: 2, 4, or 8 (64-bit mode). */
    public int codeSize() {
        if (mode64()) {
            return 8;
        }
        if (!protectedMode() || v86Mode()) {
            return 2;
        }
        return seg[SegmentRegister.CS].defaultBig() ? 4 : 2;
    }

    /** The stack-address size of the current stack segment: 8 in 64-bit mode, else SS.B ? 4 : 2. */
    public int stackAddressSize() {
        if (mode64()) {
            return 8;
        }
        if (!protectedMode() || v86Mode()) {
            return 2;
        }
        return seg[SegmentRegister.SS].defaultBig() ? 4 : 2;
    }

    /** Sets every register to its value after RESET (SDM 3A §9.1.1, Table 9-1) as a BSP. */
    public void reset() {
        java.util.Arrays.fill(gpr, 0);
        gpr[RDX] = 0x600; // processor signature: family 6 (a fixed choice; CPUID tells the truth)
        rip = 0xFFF0;
        rflags = Rflags.FIXED1;
        for (SegmentRegister s : seg) {
            s.load(0, 0, 0xFFFF, SegmentRegister.P | SegmentRegister.S | SegmentRegister.TYPE_WRITABLE_OR_READABLE
                    | SegmentRegister.TYPE_ACCESSED);
        }
        seg[SegmentRegister.CS].load(0xF000, 0xFFFF_0000L, 0xFFFF, SegmentRegister.P | SegmentRegister.S
                | SegmentRegister.TYPE_CODE | SegmentRegister.TYPE_WRITABLE_OR_READABLE | SegmentRegister.TYPE_ACCESSED);
        ldtr.load(0, 0, 0xFFFF, SegmentRegister.P | 2);
        // Table 9-1 gives TR only as "Present, R/W"; the type is the one KVM's VMX reset loads
        // (GUEST_TR_AR_BYTES 0x8B) and QEMU's too: a 32-bit busy TSS (11), the only type VM entry
        // accepts for an IA-32e mode guest (SDM 3C §26.3.1.2). A guest reaching long mode before
        // its first LTR (Linux's AP trampoline does) must still pass VM entry at every KVM_RUN.
        tr.load(0, 0, 0xFFFF, SegmentRegister.P | 11);
        gdtr.load(0, 0xFFFF);
        idtr.load(0, 0xFFFF);
        cr0 = ControlBits.CR0_RESET;
        cr2 = cr3 = cr4 = efer = cr8 = 0;
        xcr0 = 1;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xFFFF0FF0L;
        dr[7] = 0x400;
        stiShadow = movSsShadow = nmiBlocked = halted = false;
        x87.reset();
        sse.reset();
    }

    /**
     * INIT (SDM 3A §9.1, Table 9-1): as RESET, except that the x87 FPU, MMX and SSE registers
     * keep their values.
     */
    public void init() {
        X87Registers savedX87 = new X87Registers();
        SseRegisters savedSse = new SseRegisters();
        savedX87.copyFrom(x87);
        savedSse.copyFrom(sse);
        reset();
        x87.copyFrom(savedX87);
        sse.copyFrom(savedSse);
    }
}
