package dev.hvspec.kvm;

import java.util.Locale;

/**
 * Module parameters of the KVM modules on a host, fixed when the module loads and read by every
 * VM created afterwards (so the MMU strategy is per VM): which memory-virtualisation strategy
 * the kernel uses and how big its shadow-page cache may grow.
 *
 * <ul>
 *   <li>{@link Mmu#EPT}: kvm_intel {@code ept=1 eptad=1} — two-dimensional paging with Intel EPT,
 *       accessed/dirty flags enabled in the EPTP;</li>
 *   <li>{@link Mmu#NPT}: kvm_amd {@code npt=1} — two-dimensional paging with AMD nested page
 *       tables (the second nested-table format);</li>
 *   <li>{@link Mmu#SHADOW}: kvm_intel {@code ept=0} (or kvm_amd {@code npt=0}) — shadow page
 *       tables built by the kernel from the guest's.</li>
 * </ul>
 *
 * @param mmu         the strategy
 * @param shadowPages the most shadow pages one VM may hold before the oldest are recycled
 *                    (KVM's {@code n_max_mmu_pages})
 */
public record KvmParameters(Mmu mmu, int shadowPages) {
    /** Memory-virtualisation strategies. */
    public enum Mmu {
        EPT("kvm_intel ept=1 eptad=1"), NPT("kvm_amd npt=1"), SHADOW("kvm_intel ept=0");

        private final String moduleParameters;

        Mmu(String moduleParameters) {
            this.moduleParameters = moduleParameters;
        }

        /** The module parameters this strategy corresponds to on a real host. */
        public String moduleParameters() {
            return moduleParameters;
        }

        /** Parses {@code ept}, {@code npt} or {@code shadow} (the {@code hvspec run --mmu} values). */
        public static Mmu parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown MMU strategy '" + name + "' (ept, npt or shadow)");
            }
        }
    }

    /** The default: EPT with A/D flags, 4096 shadow pages (used only in shadow mode). */
    public static final KvmParameters DEFAULT = new KvmParameters(Mmu.EPT, 4096);

    public KvmParameters {
        if (shadowPages < 64) {
            throw new IllegalArgumentException("shadowPages must be at least 64");
        }
    }

    public static KvmParameters of(Mmu mmu) {
        return new KvmParameters(mmu, DEFAULT.shadowPages);
    }
}
