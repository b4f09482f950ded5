package dev.hvspec.abi;

import dev.hvspec.kvm.abi.AbiDump;
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
    void theProbeChecksAsManyFactsAsTheDumpHas() {
        List<String> lines = AbiDump.lines();
        String program = GccProbe.program(lines);
        assertThat(program.lines().filter(l -> l.contains("printf(")).count()).isEqualTo(lines.size());
        assertThat(program).contains("offsetof(struct kvm_run, io.port)")
                .contains("(unsigned long long) (KVM_RUN)")
                .doesNotContain("44672");
    }
}
