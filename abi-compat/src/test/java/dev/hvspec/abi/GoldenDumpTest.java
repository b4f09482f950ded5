package dev.hvspec.abi;

import dev.hvspec.kvm.abi.AbiDump;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hvspec abi dump} against the golden facts of API 12 on x86-64. The golden file was
 * produced by the dump and checked line by line against gcc on the real header (GccProbeTest);
 * any change to a size, offset, request code or constant fails here until the golden file is
 * deliberately regenerated.
 */
class GoldenDumpTest {
    static final String FILE = "api12-x86_64.txt";

    @Test
    void theDumpEqualsTheGoldenFile() {
        List<String> dump = AbiDump.lines();
        if (Golden.updating()) {
            Golden.write(FILE, dump);
        }
        List<String> golden = Golden.read(FILE);
        List<String> missing = new ArrayList<>(golden);
        missing.removeAll(dump);
        List<String> extra = new ArrayList<>(dump);
        extra.removeAll(golden);
        assertThat(dump)
                .as("abi dump differs from golden/%s%n  in golden, not in dump: %s%n  in dump, not in golden: %s%n%s",
                        FILE, missing, extra, Golden.howToRegenerate(FILE))
                .isEqualTo(golden);
    }

    @Test
    void theGoldenFileHasTheFactsIssue4Names() {
        List<String> golden = Golden.read(FILE);
        assertThat(golden).contains("offset kvm_run.io.port 34 2", "const KVM_RUN 44672", "const KVM_API_VERSION 12");
        for (String struct : List.of("kvm_run", "kvm_regs", "kvm_sregs", "kvm_sregs2", "kvm_segment", "kvm_dtable",
                "kvm_fpu", "kvm_userspace_memory_region", "kvm_irq_level", "kvm_pit_state2", "kvm_lapic_state",
                "kvm_cpuid_entry2", "kvm_msr_entry", "kvm_vcpu_events", "kvm_clock_data", "kvm_irqfd", "kvm_ioeventfd")) {
            assertThat(golden).anyMatch(l -> l.startsWith("size " + struct + " "));
        }
    }
}
