package dev.hvspec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.ServiceLoader;

/**
 * The {@code hvspec} command line. Subcommands live in their own classes; {@code conform} and
 * {@code fixtures} come from the suite modules through {@link CliPlugin}.
 *
 * <p>Exit codes: what the subcommand returns; 2 for bad arguments or unusable input (one line on
 * stderr, no stack trace); 1 for an internal error (one line; set HVSPEC_DEBUG=1 for the trace).
 */
@Command(name = "hvspec",
        mixinStandardHelpOptions = true,
        versionProvider = Hvspec.Version.class,
        description = "A reference hypervisor and conformance suite for x86 hypervisors.",
        subcommands = {RunCommand.class, AbiCommand.class, BenchCommand.class},
        synopsisSubcommandLabel = "COMMAND")
public final class Hvspec implements Runnable {
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a command (try hvspec --help)");
    }

    public static void main(String[] args) {
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI with the given streams and returns the exit code (for tests and embedding). */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(out, err).execute(args);
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cli = new CommandLine(new Hvspec());
        for (CliPlugin plugin : ServiceLoader.load(CliPlugin.class)) {
            cli.addSubcommand(plugin.name(), plugin.command());
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, args) -> {
            err.println("hvspec: " + oneLine(ex.getMessage()));
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof UsageException || ex instanceof CommandLine.ParameterException) {
                err.println("hvspec: " + oneLine(ex.getMessage()));
                return EXIT_USAGE;
            }
            if (System.getenv("HVSPEC_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.println("hvspec: internal error: " + oneLine(String.valueOf(ex))
                    + " (set HVSPEC_DEBUG=1 for the stack trace)");
            return EXIT_INTERNAL;
        });
        return cli;
    }

    static String oneLine(String message) {
        if (message == null) {
            return "error";
        }
        String line = message.strip().lines().findFirst().orElse("error");
        return line.replaceFirst("^Unknown option: ", "unknown option: ")
                .replaceFirst("^Unmatched argument at index \\d+: ", "unexpected argument: ");
    }

    /** The version from the build (reference-vmm's pom). */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"hvspec " + version()};
        }

        public static String version() {
            Properties properties = new Properties();
            try (InputStream in = Hvspec.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return properties.getProperty("version", "unknown");
        }
    }
}
