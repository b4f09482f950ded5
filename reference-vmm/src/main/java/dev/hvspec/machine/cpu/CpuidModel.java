package dev.hvspec.machine.cpu;

import dev.hvspec.machine.cpu.isa.IsaFeature;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The CPUID table of the reference processor (SDM 2, CPUID; SDM 3A §9.1): a documented x86-64
 * baseline that advertises only what this model implements. It is what KVM_GET_SUPPORTED_CPUID
 * reports; the VMM installs (a subset of) it per vCPU with KVM_SET_CPUID2.
 *
 * <p>Vendor "HvspecRefCPU", family 6 model 0x2A stepping 1; MAXPHYADDR 40, linear 57 (5-level paging supported).
 */
public final class CpuidModel {
    /** One CPUID leaf/subleaf as kvm_cpuid_entry2 holds it. */
    public record Entry(int function, int index, boolean indexed, int eax, int ebx, int ecx, int edx) {
    }

    // CPUID.01H:EDX (SDM 2 Table 3-11)
    public static final int EDX1_FPU = 1, EDX1_VME = 1 << 1, EDX1_DE = 1 << 2, EDX1_PSE = 1 << 3, EDX1_TSC = 1 << 4,
            EDX1_MSR = 1 << 5, EDX1_PAE = 1 << 6, EDX1_MCE = 1 << 7, EDX1_CX8 = 1 << 8, EDX1_APIC = 1 << 9,
            EDX1_SEP = 1 << 11, EDX1_MTRR = 1 << 12, EDX1_PGE = 1 << 13, EDX1_MCA = 1 << 14, EDX1_CMOV = 1 << 15,
            EDX1_PAT = 1 << 16, EDX1_PSE36 = 1 << 17, EDX1_CLFSH = 1 << 19, EDX1_MMX = 1 << 23,
            EDX1_FXSR = 1 << 24, EDX1_SSE = 1 << 25, EDX1_SSE2 = 1 << 26;
    // CPUID.01H:ECX (Table 3-10)
    public static final int ECX1_SSE3 = 1, ECX1_CX16 = 1 << 13, ECX1_PCID = 1 << 17, ECX1_X2APIC = 1 << 21, ECX1_MOVBE = 1 << 22,
            ECX1_POPCNT = 1 << 23, ECX1_TSC_DEADLINE = 1 << 24, ECX1_HYPERVISOR = 1 << 31;
    // CPUID.07H.0:EBX/ECX
    public static final int EBX7_BMI1 = 1 << 3, EBX7_SMEP = 1 << 7, EBX7_SMAP = 1 << 20;
    public static final int ECX7_LA57 = 1 << 16;
    // CPUID.80000001H
    public static final int ECX81_LAHF_LM = 1, ECX81_ABM = 1 << 5;
    public static final int EDX81_SYSCALL = 1 << 11, EDX81_NX = 1 << 20, EDX81_RDTSCP = 1 << 27, EDX81_LM = 1 << 29;

    /** What this model implements and advertises (x87, MMX, FXSR, SSE, SSE2, SSE3: docs/cpu.md). */
    public static final int EDX1 = EDX1_FPU | EDX1_PSE | EDX1_TSC | EDX1_MSR | EDX1_PAE | EDX1_CX8
            | EDX1_APIC | EDX1_SEP | EDX1_MTRR | EDX1_PGE | EDX1_CMOV | EDX1_PAT | EDX1_PSE36 | EDX1_CLFSH
            | EDX1_MMX | EDX1_FXSR | EDX1_SSE | EDX1_SSE2;
    public static final int ECX1 = ECX1_SSE3 | ECX1_CX16 | ECX1_PCID | ECX1_X2APIC | ECX1_MOVBE | ECX1_POPCNT
            | ECX1_TSC_DEADLINE | ECX1_HYPERVISOR;
    public static final int EBX7 = EBX7_BMI1 | EBX7_SMEP | EBX7_SMAP;
    public static final int ECX7 = ECX7_LA57;
    public static final int ECX81 = ECX81_LAHF_LM | ECX81_ABM;
    public static final int EDX81 = EDX81_SYSCALL | EDX81_NX | EDX81_RDTSCP | EDX81_LM;

    public static final String VENDOR = "HvspecRefCPU";
    public static final int SIGNATURE = 0x000206A1; // family 6, model 0x2A, stepping 1 (SDM 2 Figure 3-6)

    private CpuidModel() {
    }

    /** The full supported table (KVM_GET_SUPPORTED_CPUID), before per-vCPU fields (APIC ID). */
    public static List<Entry> supported() {
        List<Entry> t = new ArrayList<>();
        int[] vendor = vendorRegisters();
        t.add(new Entry(0, 0, false, 7, vendor[0], vendor[2], vendor[1]));
        // EBX: CLFLUSH line size 8 (×8 = 64 bytes) in bits 15:8, one logical processor, initial APIC ID 0.
        t.add(new Entry(1, 0, false, SIGNATURE, 0x0000_0800 | (1 << 16), ECX1, EDX1));
        t.add(new Entry(7, 0, true, 0, EBX7, ECX7, 0));
        t.add(new Entry(0x8000_0000, 0, false, 0x8000_0008, 0, 0, 0));
        t.add(new Entry(0x8000_0001, 0, false, SIGNATURE, 0, ECX81, EDX81));
        String brand = "hvspec reference x86-64 processor";
        for (int leaf = 0; leaf < 3; leaf++) {
            int[] r = new int[4];
            for (int i = 0; i < 16; i++) {
                int at = leaf * 16 + i;
                int c = at < brand.length() ? brand.charAt(at) : 0;
                r[i / 4] |= c << (8 * (i % 4));
            }
            t.add(new Entry(0x8000_0002 + leaf, 0, false, r[0], r[1], r[2], r[3]));
        }
        // 80000008H: physical address bits 40 and linear address bits (SDM 2 Table 3-8): 57 on a
        // processor that supports 5-level paging, as this one does (CPUID.07H:ECX.LA57), else 48.
        // Software sizes its canonical checks by this field: Linux's copy_from_kernel_nofault
        // refuses every 5-level kernel address when it reads 48.
        int linearBits = (ECX7 & ECX7_LA57) != 0 ? 57 : 48;
        t.add(new Entry(0x8000_0008, 0, false, (linearBits << 8) | PageWalkerBits.MAXPHYADDR, 0, 0, 0));
        return t;
    }

    /** The instruction-set features the decoder must accept for a CPUID table. */
    public static Set<IsaFeature> isaFeatures(List<Entry> table) {
        Set<IsaFeature> f = EnumSet.noneOf(IsaFeature.class);
        Entry l1 = find(table, 1, 0);
        Entry l7 = find(table, 7, 0);
        Entry e1 = find(table, 0x8000_0001, 0);
        int edx1 = l1 == null ? 0 : l1.edx();
        int ecx1 = l1 == null ? 0 : l1.ecx();
        if ((edx1 & EDX1_FPU) != 0) f.add(IsaFeature.FPU);
        if ((edx1 & EDX1_MMX) != 0) f.add(IsaFeature.MMX);
        if ((edx1 & EDX1_FXSR) != 0) f.add(IsaFeature.FXSR);
        if ((ecx1 & ECX1_SSE3) != 0) f.add(IsaFeature.SSE3);
        if ((edx1 & EDX1_CX8) != 0) f.add(IsaFeature.CX8);
        if ((edx1 & EDX1_CMOV) != 0) f.add(IsaFeature.CMOV);
        if ((edx1 & EDX1_TSC) != 0) f.add(IsaFeature.TSC);
        if ((edx1 & EDX1_MSR) != 0) f.add(IsaFeature.MSR);
        if ((edx1 & EDX1_SEP) != 0) f.add(IsaFeature.SEP);
        if ((edx1 & EDX1_CLFSH) != 0) f.add(IsaFeature.CLFSH);
        if ((edx1 & EDX1_SSE) != 0) f.add(IsaFeature.SSE);
        if ((edx1 & EDX1_SSE2) != 0) f.add(IsaFeature.SSE2);
        if ((ecx1 & ECX1_CX16) != 0) f.add(IsaFeature.CX16);
        if ((ecx1 & ECX1_MOVBE) != 0) f.add(IsaFeature.MOVBE);
        if ((ecx1 & ECX1_POPCNT) != 0) f.add(IsaFeature.POPCNT);
        if (l7 != null && (l7.ebx() & EBX7_BMI1) != 0) f.add(IsaFeature.BMI1);
        if (l7 != null && (l7.ebx() & EBX7_SMAP) != 0) f.add(IsaFeature.SMAP);
        if (e1 != null) {
            if ((e1.ecx() & ECX81_ABM) != 0) f.add(IsaFeature.LZCNT);
            if ((e1.ecx() & ECX81_LAHF_LM) != 0) f.add(IsaFeature.LAHF_LM);
            if ((e1.edx() & EDX81_SYSCALL) != 0) f.add(IsaFeature.SYSCALL);
            if ((e1.edx() & EDX81_RDTSCP) != 0) f.add(IsaFeature.RDTSCP);
            if ((e1.edx() & EDX81_LM) != 0) f.add(IsaFeature.LM);
        }
        return f;
    }

    public static Entry find(List<Entry> table, int function, int index) {
        for (Entry e : table) {
            if (e.function() == function && (!e.indexed() || e.index() == index)) {
                return e;
            }
        }
        return null;
    }

    /** EBX, EDX, ECX of leaf 0 spell the vendor string. */
    static int[] vendorRegisters() {
        int[] r = new int[3];
        for (int i = 0; i < 12; i++) {
            r[i / 4] |= VENDOR.charAt(i) << (8 * (i % 4));
        }
        return r;
    }

    /** MAXPHYADDR, kept here to avoid a package cycle with the MMU. */
    private static final class PageWalkerBits {
        static final int MAXPHYADDR = 40;
    }
}
