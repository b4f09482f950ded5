package dev.hvspec.abi;

import dev.hvspec.kvm.abi.AbiDump;
import dev.hvspec.kvm.abi.Field;
import dev.hvspec.kvm.abi.KvmAbi;
import dev.hvspec.kvm.abi.StructLayout;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code hvspec abi dump} against gcc compiling the machine's real {@code <linux/kvm.h>}
 * (package linux-libc-dev): every size, offset and constant must be what gcc computes.
 * Skipped, with the reason, only when gcc or the header is missing; CI installs both.
 */
class GccProbeTest {
    private static final Path HEADER = Path.of("/usr/include/linux/kvm.h");
    private static GccProbe probe;

    @BeforeAll
    static void needsGccAndHeader() {
        var gcc = GccProbe.findGcc();
        assumeTrue(gcc.isPresent(), "gcc is not on the PATH: install gcc to run the ABI probe");
        assumeTrue(Files.isReadable(HEADER),
                HEADER + " is missing: install linux-libc-dev to run the ABI probe");
        probe = new GccProbe(gcc.get(), HEADER);
    }

    @Test
    void everyDumpLineIsWhatGccComputesFromTheRealHeader(@TempDir Path dir) throws Exception {
        List<String> ours = AbiDump.lines();
        List<String> gcc = probe.run(ours, dir);

        assertThat(gcc).as("one probe line per dump line").hasSameSizeAs(ours);
        List<String> differences = new ArrayList<>();
        for (int i = 0; i < ours.size(); i++) {
            if (!ours.get(i).equals(gcc.get(i))) {
                differences.add("ours: " + ours.get(i) + "    gcc: " + gcc.get(i));
            }
        }
        assertThat(differences).as("dump lines that differ from gcc on " + probe.header()).isEmpty();
    }

    @Test
    void bitFieldsSitWhereGccPutsThem(@TempDir Path dir) throws Exception {
        List<String> names = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (StructLayout layout : KvmAbi.LAYOUTS) {
            collectBitFields(layout, layout, "", names, ours);
        }
        assertThat(names).as("the model has bit-fields to check (kvm_ioapic_state)").isNotEmpty();
        assertThat(probe.runBitFields(names, dir)).isEqualTo(ours);
    }

    @Test
    void theProbeDisagreesWithAWrongFact(@TempDir Path dir) throws Exception {
        // the oracle is not an echo: a deliberately wrong line comes back corrected
        assertThat(probe.run(List.of("offset kvm_run.io.port 35 2", "const KVM_RUN 1"), dir))
                .containsExactly("offset kvm_run.io.port 34 2", "const KVM_RUN 44672");
    }

    private static void collectBitFields(StructLayout root, StructLayout layout, String prefix,
                                         List<String> names, List<String> expected) {
        for (StructLayout.Member m : layout.members()) {
            String path = m.isAnonymous() ? prefix : prefix + m.name() + "[0]".repeat(m.dims().size());
            if (m.bitWidth() > 0) {
                Field f = root.field(path);
                names.add(root.tag() + " " + path);
                expected.add("bits " + root.tag() + "." + path + " " + (f.offset() * 8 + f.bitOffset()) + " " + f.bitWidth());
            } else if (m.type() instanceof StructLayout inner && (inner.tag() == null) && !m.isFlexibleArray()) {
                collectBitFields(root, inner, m.isAnonymous() ? prefix : path + ".", names, expected);
            }
        }
    }

    @Test
    void theProbeChecksAsManyFactsAsTheDumpHas() {
        List<String> lines = AbiDump.lines();
        String program = GccProbe.program(lines);
        assertThat(program.lines().filter(l -> l.contains("printf(")).count()).isEqualTo(lines.size());
        assertThat(program).contains("offsetof(struct kvm_run, io.port)")
                .contains("(unsigned long long) (KVM_RUN)")
                .doesNotContain("44672");
    }
}
