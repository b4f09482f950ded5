package dev.hvspec.spec;

import dev.hvspec.cli.Hvspec;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code hvspec conform} against targets other than the reference: QEMU for real, and
 * {@code command:} targets whose VMM is a stand-in, to check how declared divergences are judged.
 */
class ConformGuestTargetsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Hvspec.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private String closingLine() {
        String[] lines = out.toString().strip().split("\n");
        return lines[lines.length - 1];
    }

    @Test
    void qemuRunsGuestScenariosOnly(@TempDir Path report) {
        assumeQemu();
        int exit = run("conform", "--target", "qemu", "--report", report.toString(), "--tags", "@sdm-2-shld or @sdm-2-xlat");

        assertThat(exit).as(out + "\n" + err).isZero();
        assertThat(closingLine()).isEqualTo("2 passed, 0 failed");
        assertThat(report.resolve("qemu/cucumber.json")).isNotEmptyFile();
        assertThat(report.resolve("index.html")).content().contains("qemu").contains("sdm-2-shld");
    }

    @Test
    void aTargetThatPrintsNothingFailsUndeclaredScenarios(@TempDir Path report) {
        int exit = run("conform", "--target", "command:true {image}", "--report", report.toString(), "--tags", "@sdm-2-xlat");

        assertThat(exit).isEqualTo(1);
        assertThat(closingLine()).isEqualTo("0 passed, 1 failed");
        assertThat(out.toString()).contains("cpu-lea-xlat-nop-ud2").contains("no \"TAP version 14\" line");
    }

    @Test
    void aDeclaredDivergenceThatDivergesIsReportedAsDivergent(@TempDir Path report) throws IOException {
        Path expectations = report.resolveSibling(report.getFileName() + ".expectations");
        Files.writeString(expectations, "# stand-in VMM\ncpu-lea-xlat-nop-ud2  prints nothing at all\n");
        int exit = run("conform", "--target", "command:true {image}", "--report", report.toString(),
                "--tags", "@sdm-2-xlat", "--expectations", expectations.toString());

        assertThat(exit).as(out.toString()).isZero();
        assertThat(closingLine()).isEqualTo("0 passed, 0 failed, 1 divergent");
        assertThat(report.resolve("command/results.tsv")).content().contains("DIVERGENT");
    }

    @Test
    void aDeclaredDivergenceThatConformsFails(@TempDir Path report) throws IOException {
        assumeQemu();
        Path expectations = report.resolveSibling(report.getFileName() + ".expectations");
        Files.writeString(expectations, "cpu-lea-xlat-nop-ud2  claimed but untrue\n");
        int exit = run("conform", "--target", "qemu", "--report", report.toString(),
                "--tags", "@sdm-2-xlat", "--expectations", expectations.toString());

        assertThat(exit).isEqualTo(1);
        assertThat(closingLine()).isEqualTo("0 passed, 1 failed");
        assertThat(out.toString()).contains("declared divergence did not diverge");
    }

    private static void assumeQemu() {
        boolean present;
        try {
            Process p = new ProcessBuilder("qemu-system-x86_64", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            present = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            present = false;
        }
        Assumptions.assumeTrue(present, "qemu-system-x86_64 is not installed; this test runs guests on it");
    }
}
