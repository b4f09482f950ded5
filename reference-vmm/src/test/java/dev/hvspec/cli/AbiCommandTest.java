package dev.hvspec.cli;

import dev.hvspec.kvm.abi.AbiDump;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code hvspec abi dump} and {@code hvspec abi profiles} through the CLI entry point. */
class AbiCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Hvspec.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void dumpPrintsOneFactPerLineInTheDocumentedForms() {
        assertThat(run("abi", "dump")).isZero();
        var lines = out.toString().lines().toList();
        assertThat(lines).isEqualTo(AbiDump.lines());
        assertThat(lines).allMatch(l -> l.matches("size \\w+ \\d+")
                || l.matches("offset \\w+\\.[\\w.\\[\\]]+ \\d+ \\d+")
                || l.matches("const \\w+ \\d+"));
        // the example of issue 4, and values worked out by hand from the header
        assertThat(lines).contains("offset kvm_run.io.port 34 2", "const KVM_RUN 44672",
                "const KVM_API_VERSION 12", "size kvm_regs 144", "const KVM_EXIT_IO 2");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void dumpIsDeterministic() {
        run("abi", "dump");
        String first = out.toString();
        out.getBuffer().setLength(0);
        run("abi", "dump");
        assertThat(out.toString()).isEqualTo(first);
    }

    @Test
    void dumpHasHelp() {
        assertThat(run("abi", "dump", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: hvspec abi dump", "offset STRUCT.FIELD");
    }

    @Test
    void abiWithoutSubcommandIsAUsageError() {
        assertThat(run("abi")).isEqualTo(Hvspec.EXIT_USAGE);
        assertThat(err.toString()).startsWith("hvspec: ").contains("subcommand");
    }

    @Test
    void profilesListOneRelease() {
        assertThat(run("abi", "profiles", "2.6.24")).isZero();
        assertThat(out.toString().lines()).contains("profile 2.6.24 ioctl KVM_CREATE_IRQCHIP",
                "profile 2.6.24 cap KVM_CAP_IRQCHIP").noneMatch(l -> l.contains("KVM_CREATE_PIT2"));
    }

    @Test
    void anUnknownReleaseIsAUsageError() {
        assertThat(run("abi", "profiles", "9.9")).isEqualTo(Hvspec.EXIT_USAGE);
        assertThat(err.toString().strip().lines()).hasSize(1).first().asString().contains("9.9");
    }
}
