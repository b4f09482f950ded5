package dev.hvspec.machine.cpu;

/** Model-specific register addresses this CPU implements (SDM 4, Table 2-2 "IA-32 Architectural MSRs"). */
public final class Msr {
    public static final int IA32_TSC = 0x10;
    public static final int IA32_PLATFORM_ID = 0x17;
    public static final int IA32_APIC_BASE = 0x1B;
    public static final int IA32_FEATURE_CONTROL = 0x3A;
    public static final int IA32_TSC_ADJUST = 0x3B;
    public static final int IA32_BIOS_SIGN_ID = 0x8B;
    public static final int IA32_MTRRCAP = 0xFE;
    public static final int IA32_SYSENTER_CS = 0x174;
    public static final int IA32_SYSENTER_ESP = 0x175;
    public static final int IA32_SYSENTER_EIP = 0x176;
    public static final int IA32_MCG_CAP = 0x179;
    public static final int IA32_MCG_STATUS = 0x17A;
    public static final int IA32_MISC_ENABLE = 0x1A0;
    public static final int IA32_MTRR_PHYSBASE0 = 0x200;
    public static final int IA32_MTRR_PHYSMASK7 = 0x20F;
    public static final int IA32_MTRR_FIX64K_00000 = 0x250;
    public static final int IA32_MTRR_FIX16K_80000 = 0x258;
    public static final int IA32_MTRR_FIX16K_A0000 = 0x259;
    public static final int IA32_MTRR_FIX4K_C0000 = 0x268;
    public static final int IA32_MTRR_FIX4K_F8000 = 0x26F;
    public static final int IA32_PAT = 0x277;
    public static final int IA32_MTRR_DEF_TYPE = 0x2FF;
    public static final int IA32_TSC_DEADLINE = 0x6E0;
    public static final int X2APIC_FIRST = 0x800;
    public static final int X2APIC_LAST = 0x8FF;
    public static final int IA32_EFER = 0xC000_0080;
    public static final int IA32_STAR = 0xC000_0081;
    public static final int IA32_LSTAR = 0xC000_0082;
    public static final int IA32_CSTAR = 0xC000_0083;
    public static final int IA32_FMASK = 0xC000_0084;
    public static final int IA32_FS_BASE = 0xC000_0100;
    public static final int IA32_GS_BASE = 0xC000_0101;
    public static final int IA32_KERNEL_GS_BASE = 0xC000_0102;
    public static final int IA32_TSC_AUX = 0xC000_0103;

    /** PAT after reset (SDM 3A §12.12.4, Table 12-12): 0007040600070406H. */
    public static final long PAT_RESET = 0x0007_0406_0007_0406L;

    private Msr() {
    }
}
