package dev.hvspec.kvm;

import dev.hvspec.kvm.abi.StructView;
import dev.hvspec.machine.cpu.CpuidModel;

import java.util.ArrayList;
import java.util.List;

/** Conversion between kvm_cpuid2 entries and the processor's CPUID table. */
final class CpuidTable {
    /** KVM_CPUID_FLAG_SIGNIFCANT_INDEX (sic, as spelled in linux/kvm.h). */
    static final int FLAG_SIGNIFICANT_INDEX = 1;

    private CpuidTable() {
    }

    static void write(StructView cpuid2, List<CpuidModel.Entry> table) {
        cpuid2.set("nent", table.size());
        for (int i = 0; i < table.size(); i++) {
            CpuidModel.Entry e = table.get(i);
            String p = "entries[" + i + "].";
            cpuid2.set(p + "function", Integer.toUnsignedLong(e.function()))
                    .set(p + "index", Integer.toUnsignedLong(e.index()))
                    .set(p + "flags", e.indexed() ? FLAG_SIGNIFICANT_INDEX : 0)
                    .set(p + "eax", Integer.toUnsignedLong(e.eax()))
                    .set(p + "ebx", Integer.toUnsignedLong(e.ebx()))
                    .set(p + "ecx", Integer.toUnsignedLong(e.ecx()))
                    .set(p + "edx", Integer.toUnsignedLong(e.edx()));
        }
    }

    /** The table as a vCPU sees it: leaf 1 EBX[31:24] is the initial APIC ID (SDM 2 CPUID, Table 3-8). */
    static List<CpuidModel.Entry> forVcpu(List<CpuidModel.Entry> table, int apicId) {
        List<CpuidModel.Entry> out = new ArrayList<>();
        for (CpuidModel.Entry e : table) {
            if (e.function() == 1) {
                e = new CpuidModel.Entry(1, 0, false, e.eax(), (e.ebx() & 0x00FF_FFFF) | (apicId << 24), e.ecx(), e.edx());
            }
            out.add(e);
        }
        return out;
    }

    static List<CpuidModel.Entry> read(StructView cpuid2, int count) {
        List<CpuidModel.Entry> table = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String p = "entries[" + i + "].";
            table.add(new CpuidModel.Entry((int) cpuid2.get(p + "function"), (int) cpuid2.get(p + "index"),
                    (cpuid2.get(p + "flags") & FLAG_SIGNIFICANT_INDEX) != 0,
                    (int) cpuid2.get(p + "eax"), (int) cpuid2.get(p + "ebx"),
                    (int) cpuid2.get(p + "ecx"), (int) cpuid2.get(p + "edx")));
        }
        return table;
    }
}
