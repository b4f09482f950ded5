package dev.hvspec.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI contract: --version, --help, and bad input as one line with exit status 2. */
class HvspecCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Hvspec.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private void assertOneLineUsageError(int exit) {
        assertThat(exit).isEqualTo(Hvspec.EXIT_USAGE);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().startsWith("hvspec: ");
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void versionNamesTheBuild() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).matches("hvspec \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
    }

    @Test
    void helpListsTheSubcommands() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("run", "abi", "bench");
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : new String[] {"run", "abi", "bench"}) {
            out.getBuffer().setLength(0);
            assertThat(run(command, "--help")).isZero();
            assertThat(out.toString()).contains("Usage: hvspec " + command);
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        assertOneLineUsageError(run("--bogus"));
        assertThat(err.toString()).contains("--bogus");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertOneLineUsageError(run("frobnicate"));
    }

    @Test
    void noCommandIsAUsageError() {
        assertOneLineUsageError(run());
    }

    @Test
    void runWithoutKernelIsAUsageError() {
        assertOneLineUsageError(run("run"));
        assertThat(err.toString()).contains("--kernel");
    }

    @Test
    void runWithMissingKernelIsAUsageError(@TempDir Path dir) {
        assertOneLineUsageError(run("run", "--kernel", dir.resolve("nope.elf").toString()));
        assertThat(err.toString()).contains("nope.elf");
    }

    @Test
    void runWithBadMemorySizeIsAUsageError(@TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("k.elf"), new byte[] {0x7F, 'E', 'L', 'F'});
        assertOneLineUsageError(run("run", "--kernel", image.toString(), "--memory", "lots"));
        assertThat(err.toString()).contains("lots");
    }

    @Test
    void memorySizesFollowQemuSuffixes() {
        assertThat(MemorySize.parse("128")).isEqualTo(128L << 20);
        assertThat(MemorySize.parse("128M")).isEqualTo(128L << 20);
        assertThat(MemorySize.parse("1G")).isEqualTo(1L << 30);
        assertThat(MemorySize.parse("64k")).isEqualTo(64L << 10);
        assertThat(MemorySize.parse("2GB")).isEqualTo(2L << 30);
    }
}
