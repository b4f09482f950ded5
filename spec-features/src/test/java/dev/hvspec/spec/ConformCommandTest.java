package dev.hvspec.spec;

import dev.hvspec.cli.Hvspec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hvspec conform} end to end, through the CLI entry point, on a small tagged subset. */
class ConformCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Hvspec.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void runsTaggedScenariosAndWritesReports(@TempDir Path report) {
        int exit = run("conform", "--report", report.toString(), "--tags", "(@pc16550d-8.10 or @pc16550d-8.7) and @model");

        assertThat(exit).as(out + "\n" + err).isZero();
        String[] lines = out.toString().strip().split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo("3 passed, 0 failed");
        assertThat(out.toString()).contains("devices").contains("..");
        assertThat(report.resolve("reference/cucumber.html")).isNotEmptyFile();
        assertThat(report.resolve("reference/cucumber.json")).isNotEmptyFile();
        assertThat(report.resolve("reference/cucumber-junit.xml")).isNotEmptyFile();
        assertThat(report.resolve("index.html")).content().contains("pc16550d-8.10").contains("devices");
    }

    @Test
    void unknownOptionIsOneLineAndExitTwo() {
        int exit = run("conform", "--bogus");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().contains("--bogus");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void badTargetAndBadTagsAreUsageErrors(@TempDir Path report) {
        assertThat(run("conform", "--target", "vmware", "--report", report.toString())).isEqualTo(2);
        assertThat(run("conform", "--tags", "@a and", "--report", report.toString())).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(2).allMatch(l -> l.startsWith("hvspec: "));
        assertThat(Files.exists(report.resolve("index.html"))).isFalse();
    }
}
